/**
 * Incremental analysis: results after any sequence of edits equal a fresh
 * analysis of the final text, chunks the edit did not touch are reused as they
 * are, and cutting a document into chunks reports what a whole-text analysis
 * reports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IncrementalAnalysis } from '../../src/core/analysis/incrementalAnalysis';
import { findChunkStarts } from '../../src/core/analysis/documentChunks';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import type { Finding } from '../../src/core/rules/types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readSample } from '../helpers/samples';

const SAMPLES = [
  'ssl3-hello.transcript',
  'sslv2-hello-tls10.transcript',
  'tls12-record-ssl3-legal.transcript',
  'sslv2-hello-ssl2.transcript',
  'truncated-hello.transcript',
  'malformed-hello.transcript',
];

/** Several real sessions, separated by blank lines as people paste them, with directives that span sessions. */
function buildDocument(): string {
  const parts = SAMPLES.map(readSample);
  parts.splice(1, 0, '# smtptls-port: 587\n# smtptls-disable tls-alert -- postfix answers every crafted hello with an alert\n');
  parts.splice(5, 0, '# smtptls-enable tls-alert\n');
  return parts.join('\n');
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function comparable(findings: readonly Finding[]): string {
  return JSON.stringify(findings.map((f) => [f.rule, f.severity, f.span.start, f.span.end, f.message, f.related ?? null]));
}

test('findChunkStarts: a blank line, optional comments, then a greeting', () => {
  const text = 'S: 220 a ESMTP\nC: QUIT\n\n# header\nS: 220 b ESMTP x\nC: QUIT\n\nS: 220 2.0.0 Ready to start TLS\n\n<-  220 c ESMTP\n';
  const starts = findChunkStarts(text);
  assert.deepEqual(
    starts.map((s) => text.slice(s, text.indexOf('\n', s))),
    ['# header', '<-  220 c ESMTP'],
    'the STARTTLS reply (no "SMTP" in its text) is not a connection start',
  );
  assert.deepEqual(findChunkStarts('S: 220 a ESMTP\n'), [], 'never the first line');
  assert.deepEqual(findChunkStarts('x\nS: 220 a ESMTP\n'), [], 'no blank line before');
});

test('a document of several sessions is cut into one chunk per session and reports what a whole-text analysis reports', () => {
  const text = buildDocument();
  const inc = new IncrementalAnalysis({ baseline: 'current' });
  inc.setText(text);
  assert.equal(inc.chunks.length, SAMPLES.length);
  assert.equal(inc.chunks.map((c) => c.text).join(''), text);
  const whole = analyzeDocument(text, { baseline: 'current' });
  assert.equal(comparable(inc.findings()), comparable(whole.findings));
  // The directives really act across chunks: the port directive reaches the later sessions and the block hides tls-alert.
  const disabledFrom = text.indexOf('# smtptls-disable tls-alert');
  const disabledTo = text.indexOf('# smtptls-enable tls-alert');
  const alerts = inc.findings().filter((f) => f.rule === 'tls-alert');
  assert.ok(alerts.length >= 2, 'alerts before the block and after it are reported');
  assert.ok(alerts.every((f) => f.span.start < disabledFrom || f.span.start > disabledTo), 'none inside the disabled block, which spans chunks');
  assert.ok(inc.chunks.slice(1).every((c) => c.inheritedPort === 587 || c.content.lastPortDirective === 587));
});

test('without any directive, the chunks\' findings joined equal a whole-text analysis', () => {
  const text = SAMPLES.map(readSample).join('\n');
  const inc = new IncrementalAnalysis({ baseline: 'rfc3207' });
  inc.setText(text);
  assert.ok(inc.chunks.length > 1);
  assert.equal(comparable(inc.findings()), comparable(analyzeDocument(text, { baseline: 'rfc3207' }).findings));
});

test('after 300 seeded random edits, findings equal a fresh analysis of the final text', () => {
  const rnd = seeded(20261129);
  let text = buildDocument();
  const inc = new IncrementalAnalysis({ baseline: 'current' });
  inc.setText(text);
  const snippets = ['\n', '\n\n', 'S: 220 mx ESMTP\n', '# smtptls-port: 465\n', '# smtptls-disable-next-line tls-hello-version-below-3.1 -- ok\n', '03 00', 'C: STARTTLS\n', 'x', ''];
  for (let i = 0; i < 300; i++) {
    const start = Math.floor(rnd() * (text.length + 1));
    const len = rnd() < 0.5 ? 0 : Math.floor(rnd() * 40);
    const end = Math.min(text.length, start + len);
    const insert = snippets[Math.floor(rnd() * snippets.length)];
    text = text.slice(0, start) + insert + text.slice(end);
    if (!inc.applyEdit(start, end, insert, i % 2 === 0 ? text : undefined)) inc.setText(text);
    assert.equal(inc.chunks.map((c) => c.text).join(''), text, `chunks cover the text after edit ${i}`);
    if (i % 25 === 0 || i === 299) {
      const fresh = new IncrementalAnalysis({ baseline: 'current' });
      fresh.setText(text);
      assert.equal(comparable(inc.findings()), comparable(fresh.findings()), `edit ${i}`);
      // positions agree with a plain line index of the whole text
      for (const f of inc.findings().slice(0, 20)) {
        const before = text.slice(0, f.span.start).split(/\r\n|\r|\n/);
        assert.deepEqual(inc.positionAt(f.span.start), { line: before.length - 1, character: before[before.length - 1].length });
      }
    }
  }
});

test('an edit re-analyses only the touched chunk and its neighbours', () => {
  const text = buildDocument();
  const inc = new IncrementalAnalysis({ baseline: 'current' });
  inc.setText(text);
  const before = inc.chunks.map((c) => c.content);
  // Change one byte inside the last session's hello: only chunks 4 and 5 (and its left neighbour) may change.
  const last = inc.chunks[inc.chunks.length - 1];
  const at = last.start + last.text.indexOf('C: 16 03 01') + 3;
  const next = text.slice(0, at) + '17' + text.slice(at + 2);
  assert.ok(inc.applyEdit(at, at + 2, '17', next));
  const after = inc.chunks.map((c) => c.content);
  const reused = after.filter((a, i) => a === before[i]).length;
  assert.ok(reused >= inc.chunks.length - 2, `reused ${reused} of ${inc.chunks.length}`);
  assert.notEqual(after[after.length - 1], before[before.length - 1]);
});

test('a document over maxChars is analysed up to a chunk boundary and says so', () => {
  const text = buildDocument();
  const inc = new IncrementalAnalysis({ baseline: 'current' }, { maxChars: Math.floor(text.length / 2) });
  inc.setText(text);
  assert.ok(inc.truncated);
  assert.ok(inc.analysedLength <= text.length / 2 && inc.analysedLength > 0);
  assert.ok(inc.findings().every((f) => f.span.end <= inc.analysedLength));
});

test('logs of several openssl s_client runs: one session and one chunk per CONNECTED line, no false findings', () => {
  const runs = ['ossl-default-msg', 'ossl-tls1_3-msg', 'ossl-default-msg'].map((s) =>
    fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'corpus', 'sessions', s, 'openssl-s_client-msg.txt'), 'utf8'),
  );
  const text = runs.join('\n');
  const whole = analyzeDocument(text);
  assert.equal(whole.sessions.length, 3);
  assert.deepEqual(whole.findings, [], 'each run is clean on its own');
  const inc = new IncrementalAnalysis({ baseline: 'current' });
  inc.setText(text);
  assert.equal(inc.chunks.length, 3);
  assert.equal(comparable(inc.findings()), comparable(whole.findings));
});

test('with one full analysis kept, dropped chunks are analysed again on demand and give what a fresh analysis gives', () => {
  const rnd = seeded(7);
  let text = buildDocument();
  const inc = new IncrementalAnalysis({ baseline: 'current' }, { keepAnalyses: 1 });
  inc.setText(text);
  const snippets = ['\n', 'S: 220 mx ESMTP\n', '# smtptls-port: 465\n', '# smtptls-disable tls-alert -- x\n', '03 00', 'x', ''];
  for (let i = 0; i < 120; i++) {
    const start = Math.floor(rnd() * (text.length + 1));
    const end = Math.min(text.length, start + (rnd() < 0.5 ? 0 : Math.floor(rnd() * 30)));
    const insert = snippets[Math.floor(rnd() * snippets.length)];
    text = text.slice(0, start) + insert + text.slice(end);
    if (!inc.applyEdit(start, end, insert)) inc.setText(text);
    if (i % 20 !== 0 && i !== 119) continue;
    const fresh = new IncrementalAnalysis({ baseline: 'current' }, { keepAnalyses: 1000 });
    fresh.setText(text);
    assert.equal(inc.getText(), text);
    assert.equal(comparable(inc.findings()), comparable(fresh.findings()), `edit ${i}`);
    assert.ok(inc.keptAnalysisCount <= 1, `${inc.keptAnalysisCount} analyses kept`);
    // Every chunk's analysis as features see it, made again after being dropped, equals the fresh one.
    inc.chunks.forEach((c, k) => {
      const again = inc.analysisOf(c);
      const other = fresh.analysisOf(fresh.chunks[k]);
      assert.equal(again.text, other.text);
      assert.equal(comparable(again.findings), comparable(other.findings), `chunk ${k} after edit ${i}`);
      assert.equal(again.sessions.length, inc.summaryOf(c).sessionCount);
      assert.deepEqual(
        again.sessions.map((s) => s.tlsEvents.length),
        other.sessions.map((s) => s.tlsEvents.length),
      );
    });
  }
  assert.ok(inc.analysisCount > inc.chunks.length, `dropped analyses were made again (${inc.analysisCount} analyses for ${inc.chunks.length} chunks)`);
});

test('positions and offsets through the chunks agree with an editor text document, also past maxChars', () => {
  const base = buildDocument();
  const text = base + '\r\nx\ry\n' + base.slice(0, 2000);
  for (const maxChars of [undefined, Math.floor(base.length / 2)]) {
    const inc = new IncrementalAnalysis({ baseline: 'current' }, { maxChars });
    inc.setText(text);
    assert.equal(inc.truncated, maxChars !== undefined);
    assert.equal(inc.getText(), text);
    const doc = TextDocument.create('file:///t', 'x', 1, text);
    assert.equal(inc.lineCount, doc.lineCount);
    const rnd = seeded(maxChars ?? 1);
    for (let i = 0; i < 400; i++) {
      const offset = Math.floor(rnd() * (text.length + 1));
      assert.deepEqual(inc.positionAt(offset), doc.positionAt(offset), `offset ${offset}`);
      const p = { line: Math.floor(rnd() * (doc.lineCount + 2)) - 1, character: Math.floor(rnd() * 90) - 2 };
      assert.equal(inc.offsetAt(p), doc.offsetAt(p), JSON.stringify(p));
    }
    // An edit past the analysed part changes the text, not the findings.
    const before = comparable(inc.findings());
    const at = text.length - 10;
    assert.ok(inc.applyEdit(at, at + 1, 'Z'));
    assert.equal(inc.getText(), text.slice(0, at) + 'Z' + text.slice(at + 1));
    if (maxChars !== undefined) assert.equal(comparable(inc.findings()), before);
  }
});
