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
import { endsAtForcedCut, findChunkStarts } from '../../src/core/analysis/documentChunks';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import type { Finding } from '../../src/core/rules/types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readSample } from '../helpers/samples';
import { busyPostfixLog } from '../helpers/postfixLogs';

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
  parts.splice(3, 0, '# smtptls-policy: mta-sts\n');
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

/** Where the chunks start. */
function chunkStarts(inc: IncrementalAnalysis): number[] {
  return inc.chunks.map((c) => c.start);
}

/** Where a fresh cut of the whole text starts its chunks (no chunk for an empty text). */
function freshStarts(text: string, limit?: number): number[] {
  return text.length === 0 ? [] : [0, ...findChunkStarts(text, 0, text.length, limit)];
}

/** Line starts of a text (every offset just after a line break, and 0). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

/**
 * Seeded random line edits (delete, insert or replace whole lines, the new lines drawn from `lines`);
 * after every edit the chunks start where a fresh cut of the text starts them, and every
 * `findingsEvery` edits the findings equal those of a fresh analysis.
 */
function randomLineEdits(
  initial: string,
  lines: readonly string[],
  opts: { seed: number; edits: number; findingsEvery: number; chunkLimit?: number },
): { text: string; moved: number } {
  const rnd = seeded(opts.seed);
  let text = initial;
  const options = opts.chunkLimit === undefined ? {} : { chunkLimit: opts.chunkLimit };
  const inc = new IncrementalAnalysis({ baseline: 'current' }, options);
  inc.setText(text);
  let moved = 0;
  for (let i = 0; i < opts.edits; i++) {
    const at = lineStarts(text);
    const k = Math.floor(rnd() * at.length);
    const start = at[k];
    const op = rnd();
    const count = 1 + Math.floor(rnd() * 3);
    const end = op < 0.4 ? start : at[Math.min(at.length - 1, k + count)] ?? text.length;
    const insert = op < 0.7 ? Array.from({ length: count }, () => lines[Math.floor(rnd() * lines.length)]).join('') : '';
    const before = chunkStarts(inc);
    text = text.slice(0, start) + insert + text.slice(end);
    if (!inc.applyEdit(start, end, insert, i % 2 === 0 ? text : undefined)) inc.setText(text);
    const expected = freshStarts(text, opts.chunkLimit);
    // Starts that moved other than by the edit's shift (the cuts after the edit's region changed).
    const delta = insert.length - (end - start);
    if (expected.some((s) => s > end + delta && !before.includes(s - delta))) moved++;
    assert.equal(inc.getText(), text, `chunks cover the text after edit ${i}`);
    assert.deepEqual(chunkStarts(inc), expected, `chunk starts after edit ${i}`);
    if (i % opts.findingsEvery === 0 || i === opts.edits - 1) {
      const fresh = new IncrementalAnalysis({ baseline: 'current' }, options);
      fresh.setText(text);
      assert.equal(comparable(inc.findings()), comparable(fresh.findings()), `findings after edit ${i}`);
    }
  }
  return { text, moved };
}

/** The lines of a text, each with its line break. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n/g) ?? [];
}

/** The postfix logs of the corpus appended: one log of many sessions. */
function postfixLog(): string {
  const dir = path.join(__dirname, '..', 'fixtures', 'corpus', 'sessions');
  return fs
    .readdirSync(dir)
    .sort()
    .map((d) => path.join(dir, d, 'postfix.log'))
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('');
}

test('random line edits of a postfix log: the chunks start where a fresh cut starts them, also when a quiet point far after the edit moves', () => {
  const log = postfixLog();
  assert.ok(log.length > 100_000 && findChunkStarts(log).length > 5, 'a log with several quiet points');
  const lines = linesOf(log);
  // Mostly lines of the log itself; a few lines of other programs and one that is no syslog line.
  const extra = ['Nov 29 03:40:00 mx postfix/qmgr[77]: 4ABC: removed\n', 'Nov 29 03:40:01 mx postfix/smtpd[99]: connect from x[192.0.2.9]\n', 'S: 220 mx ESMTP\n'];
  const { moved } = randomLineEdits(log, [...lines, ...extra], { seed: 42, edits: 400, findingsEvery: 40 });
  assert.ok(moved > 0, 'some edits moved a cut after the edited region');
});

test('random line edits of a document cut only by the chunk size limit: every later forced cut follows', () => {
  const lines = ['C: NOOP\n', 'S: 250 2.0.0 Ok\n', 'C: RSET\n', 'S: 250 2.0.0 Ok: reset\n'];
  const doc = Array.from({ length: 6000 }, (_, i) => lines[i % lines.length]).join('');
  const limit = 2000;
  assert.ok(findChunkStarts(doc, 0, doc.length, limit).length > 20);
  const { moved } = randomLineEdits(doc, lines, { seed: 9, edits: 300, findingsEvery: 50, chunkLimit: limit });
  assert.ok(moved > 0, 'some edits moved the forced cuts after the edited region');
});

test('random line edits of a postfix log that postfix/smtp lines keep from quiet points: the soft cuts (no smtpd open, last quarter before the limit) follow', () => {
  const log = busyPostfixLog(250_000);
  const limit = 60_000;
  const starts = findChunkStarts(log, 0, log.length, limit);
  assert.ok(
    starts.some((s, k) => endsAtForcedCut(log.slice(k === 0 ? 0 : starts[k - 1], s), limit)?.soft),
    'soft cuts',
  );
  const client = 'Nov 29 04:17:03 mx postfix/smtp[77]: Verified TLS connection established to mx.example.test[192.0.2.1]:25: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)\n';
  const { moved } = randomLineEdits(log, [...linesOf(log), client], { seed: 11, edits: 100, findingsEvery: 25, chunkLimit: limit });
  assert.ok(moved > 0, 'some edits moved the cuts after the edited region');
});

test('random line edits of mixed C:/S: transcripts, swaks runs and postfix log lines', () => {
  const log = postfixLog();
  const doc = [buildDocument(), log.slice(0, 40_000), buildDocument(), log.slice(40_000, 80_000)].join('\n');
  const lines = [...linesOf(doc), '\n', 'S: 220 mx ESMTP\n', '# smtptls-session\n', '=== Trying 192.0.2.1:25...\n', 'CONNECTED(00000003)\n', '# smtptls-port: 465\n'];
  randomLineEdits(doc, lines, { seed: 5, edits: 300, findingsEvery: 50 });
});

test('random line edits of s_client runs appended, their stderr (error, -state, verify lines) before each CONNECTED(: the cuts at each stderr run follow', () => {
  const dir = path.join(__dirname, '..', 'fixtures');
  const runs = ['stated-alerts/sclient-no-shared-cipher.txt', 'stated-alerts/sclient-state-unknown-ca.txt', 'openssl-plain/s_client-plain-starttls.txt', 'stated-alerts/sclient-state-no-shared-cipher.txt', 'openssl-trace/trace-no-shared-cipher.txt', 'stated-alerts/sclient-tls10-no-shared-cipher.txt'];
  const doc = [...runs, ...runs].map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('');
  assert.ok(findChunkStarts(doc).length >= 10, 'a chunk per run');
  // The runs' own lines, and stderr lines that start or join a run before a CONNECTED( line.
  const lines = [...linesOf(doc), 'SSL3 alert read:fatal:handshake failure\n', '40D79A76E17F0000:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:x.c:1:SSL alert number 40\n', 'CONNECTED(00000003)\n', 'verify return:1\n'];
  randomLineEdits(doc, lines, { seed: 23, edits: 300, findingsEvery: 30 });
});

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
  assert.ok(inc.chunks.slice(1).every((c) => c.inForce.port === 587 || c.content.inForceAfter.port === 587));
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
  const snippets = [
    '\n', '\n\n', 'S: 220 mx ESMTP\n', '# smtptls-port: 465\n', '# smtptls-disable-next-line tls-hello-version-below-3.1 -- ok\n', '03 00', 'C: STARTTLS\n', 'x', '',
    '# smtptls-policy: mta-sts\n', '# smtptls-policy: none\n', 'C: MAIL FROM:<a@b.example>\n', 'S: 250-mx\nS: 250 PIPELINING\n',
  ];
  for (let i = 0; i < 300; i++) {
    const start = Math.floor(rnd() * (text.length + 1));
    const len = rnd() < 0.5 ? 0 : Math.floor(rnd() * 40);
    const end = Math.min(text.length, start + len);
    const insert = snippets[Math.floor(rnd() * snippets.length)];
    text = text.slice(0, start) + insert + text.slice(end);
    if (!inc.applyEdit(start, end, insert, i % 2 === 0 ? text : undefined)) inc.setText(text);
    assert.equal(inc.chunks.map((c) => c.text).join(''), text, `chunks cover the text after edit ${i}`);
    assert.deepEqual(chunkStarts(inc), freshStarts(text), `chunk starts after edit ${i}`);
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
  const snippets = ['\n', 'S: 220 mx ESMTP\n', '# smtptls-port: 465\n', '# smtptls-disable tls-alert -- x\n', '03 00', 'x', '', '# smtptls-policy: dane\n', 'C: MAIL FROM:<a@b.example>\n'];
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

test('random line edits of a swaks run whose message text runs across forced cuts: what each chunk continues follows', () => {
  const swaks = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'corpus', 'sessions', 'swaks-starttls', 'swaks.txt'), 'utf8');
  const at = swaks.indexOf(' ~> This is a test mailing\n');
  const body = Array.from({ length: 1500 }, (_, i) => ` ~> ${'QUJD'.repeat(19)}${String(i).padStart(4, '0')}\n`).join('');
  const doc = swaks.slice(0, at) + body + swaks.slice(at);
  const limit = 8_000;
  assert.ok(findChunkStarts(doc, 0, doc.length, limit).length > 10);
  // Edits add and take away text lines, ends of data, 354 replies and other replies; a reply as long
  // as a text line replaces one without moving any cut, so only what the later chunks continue changes.
  const textLine = linesOf(body)[0];
  const sameLength = (prefix: string): string => `${prefix}${'x'.repeat(textLine.length - prefix.length - 1)}\n`;
  const lines = [...linesOf(body).slice(0, 20), ' ~> .\n', '<~  354 End data with <CR><LF>.<CR><LF>\n', '<~  250 2.0.0 Ok\n', ' ~> NOOP\n', sameLength('<~  250 '), sameLength('<~  354 ')];
  randomLineEdits(doc, lines, { seed: 17, edits: 150, findingsEvery: 10, chunkLimit: limit });
});

test('readsAnything: false only while no chunk read a session or TLS bytes; an edit that adds a session turns it true', () => {
  // Several chunks (a small chunk limit cuts the prose), none of them read.
  const prose = Array.from({ length: 40 }, (_, i) => `Note ${i}: the relay rejected the message; see the ticket.`).join('\n') + '\n';
  const inc = new IncrementalAnalysis({ baseline: 'current' }, { chunkLimit: 512 });
  inc.setText(prose);
  assert.ok(inc.chunks.length > 1, `${inc.chunks.length} chunks`);
  assert.equal(inc.readsAnything(), false);
  // A real session appended after a blank line: the last chunk reads it.
  const session = readSample('ssl3-hello.transcript');
  inc.applyEdit(prose.length, prose.length, '\n' + session);
  assert.equal(inc.readsAnything(), true);
  // Removed again.
  inc.applyEdit(prose.length, prose.length + 1 + session.length, '');
  assert.equal(inc.getText(), prose);
  assert.equal(inc.readsAnything(), false);
  // A session alone, and an empty text.
  const one = new IncrementalAnalysis({ baseline: 'current' });
  one.setText(session);
  assert.equal(one.readsAnything(), true);
  one.setText('');
  assert.equal(one.readsAnything(), false);
});
