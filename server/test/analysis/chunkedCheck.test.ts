/**
 * The streaming check (`smtptls check`) against a whole-document analysis: for every
 * sample, every text fixture and every capture fixture (imported; sessionBoundaries.test.ts
 * appends swaks runs and postfix logs without blank lines), alone and all joined
 * into one document of many chunks, pushed whole and in random pieces, the findings
 * (rule, severity, span, message, related) are identical, in the same order, and each
 * span is located at the same lines, characters and text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { ChunkedCheck, checkChunk, checkInChunks, type ChunkedCheckResult } from '../../src/core/analysis/chunkedCheck';
import { NOTHING_IN_FORCE } from '../../src/core/analysis/chunkAnalysis';
import { createBufferSource } from '../../src/core/capture/captureSource';
import { importCapture } from '../../src/core/capture/importCapture';
import { IncrementalAnalysis } from '../../src/core/analysis/incrementalAnalysis';
import { ChunkStartScanner, findChunkStarts } from '../../src/core/analysis/documentChunks';
import { countSeverities, createTextLocator } from '../../src/core/export/checkReport';
import { createRedactor } from '../../src/core/export/redact';
import { DEFAULT_SETTINGS, type AnalysisSettings, type Finding } from '../../src/core/rules/types';
import { decodeText } from '../../src/cli/inputs';
import { REPO } from '../helpers/lspClient';
import { readSample } from '../helpers/samples';
import { CORPUS_SESSIONS, listFrames, readFixture, repeatConnection, writePcap } from '../capture/helpers';

const TEXT_EXTENSIONS = new Set(['.transcript', '.txt', '.log', '.smtp', '.smtplog', '.bin']);
const CAPTURE_EXTENSIONS = new Set(['.pcap', '.pcapng', '.cap']);

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (TEXT_EXTENSIONS.has(path.extname(p)) || CAPTURE_EXTENSIONS.has(path.extname(p))) out.push(p);
  }
  return out;
}

/** Every sample and fixture as the CLI reads it: text decoded, captures imported. */
function readDocuments(): { name: string; text: string }[] {
  const files = [...listFiles(path.join(REPO, 'samples')), ...listFiles(path.join(REPO, 'server/test/fixtures'))];
  return files.map((f) => {
    const bytes = fs.readFileSync(f);
    const text = CAPTURE_EXTENSIONS.has(path.extname(f)) ? importCapture(createBufferSource(bytes), { name: path.basename(f) }).text : decodeText(bytes);
    return { name: path.relative(REPO, f), text };
  });
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function comparable(findings: readonly Finding[]): string[] {
  return findings.map((f) => JSON.stringify([f.rule, f.severity, f.span.start, f.span.end, f.message, f.related ?? null]));
}

/** Pushes the text in pieces of random length (1 to maxPiece), cutting inside lines, CR LF pairs and characters' neighbours alike. */
function checkInPieces(text: string, settings: AnalysisSettings, maxPiece: number, seed: number): ChunkedCheckResult {
  const check = new ChunkedCheck(settings, { keepText: true });
  const rnd = seeded(seed);
  for (let at = 0; at < text.length; ) {
    const n = 1 + Math.floor(rnd() * maxPiece);
    check.push(text.slice(at, at + n));
    at += n;
  }
  return check.end();
}

/** Findings equal to a whole-document analysis, and every span located as the whole text locates it. */
function assertSameAsWhole(name: string, text: string, result: ChunkedCheckResult, settings: AnalysisSettings = DEFAULT_SETTINGS): void {
  const whole = analyzeDocument(text, settings);
  assert.deepEqual(comparable(result.findings), comparable(whole.findings), name);
  const expected = createTextLocator(text, whole.lines);
  for (const f of result.findings) {
    for (const span of [f.span, ...(f.related ?? []).map((r) => r.span)]) {
      assert.deepEqual(result.locate.rangeOf(span), expected.rangeOf(span), `${name}: range of ${f.rule} at ${span.start}`);
      assert.deepEqual(result.locate.textOf(span), expected.textOf(span), `${name}: text of ${f.rule} at ${span.start}`);
    }
  }
  assert.equal(result.length, text.length, name);
  assert.equal(result.lineCount, whole.lines.lineCount, name);
}

const DOCUMENTS = readDocuments();

test('every sample, text fixture and imported capture fixture: the same findings as a whole-document analysis', () => {
  assert.ok(DOCUMENTS.length > 300, `${DOCUMENTS.length} documents`);
  assert.ok(DOCUMENTS.some((d) => d.name.endsWith('.pcap')) && DOCUMENTS.some((d) => d.name.startsWith('samples')));
  let withFindings = 0;
  const cutInside: string[] = [];
  for (const { name, text } of DOCUMENTS) {
    const result = checkInChunks(text, DEFAULT_SETTINGS, { keepText: true });
    assertSameAsWhole(name, text, result);
    if (result.findings.length > 0) withFindings++;
    if (result.chunks > 1) cutInside.push(name);
  }
  assert.ok(withFindings > 50, `${withFindings} documents with findings`);
  // Documents cut inside, compared with their whole-text analysis: sessions after blank lines, and
  // postfix logs after the `disconnect from` that closes the last open connection.
  assert.ok(cutInside.filter((n) => n.includes('postfix')).length >= 3, cutInside.join(', '));
});

test('all of them joined into one document of many chunks: what the editor\'s incremental analysis reports, pushed whole or in random pieces', () => {
  // Joined as people paste sessions, a blank line between them. A whole-text read of such a
  // patchwork can differ from its chunks by design (documentChunks.ts: a greeting after a
  // session still waiting for its STARTTLS reply; formats detected across documents); the
  // editor reports the chunks' findings, and so does check.
  const text = DOCUMENTS.map((d) => d.text).join('\n');
  for (const settings of [DEFAULT_SETTINGS, { baseline: 'rfc3207' } as const]) {
    const inc = new IncrementalAnalysis(settings);
    inc.setText(text);
    const once = checkInChunks(text, settings);
    assert.ok(once.chunks > 100, `${once.chunks} chunks`);
    assert.equal(once.chunks, inc.chunks.length);
    assert.deepEqual(comparable(once.findings), comparable(inc.findings()));
    for (const [max, seed] of [[50, 1], [4_000, 2], [300_000, 3]]) {
      const r = checkInPieces(text, settings, max, seed);
      assert.equal(r.chunks, once.chunks);
      assert.deepEqual(comparable(r.findings), comparable(once.findings));
    }
  }
});

test('a capture of many connections (each a chunk), pushed as the importer writes it: the findings of a whole-document analysis', () => {
  const frames = listFrames(readFixture(path.join(CORPUS_SESSIONS, 'swaks-starttls/capture.pcap')));
  const pcap = writePcap(repeatConnection(frames, 40), 1);
  const check = new ChunkedCheck(DEFAULT_SETTINGS, { keepText: true });
  const text = importCapture(createBufferSource(pcap), { name: 'many.pcap' }).text;
  importCapture(createBufferSource(pcap), { name: 'many.pcap', write: (piece) => check.push(piece), sourceMap: false });
  const result = check.end();
  assert.equal(result.chunks, 41, `${result.chunks} chunks`);
  assertSameAsWhole('capture', text, result);
});

test('suppression blocks and port directives act across chunks, whatever the pieces', () => {
  const sessions = ['ssl3-hello.transcript', 'sslv2-hello-tls10.transcript', 'truncated-hello.transcript', 'malformed-hello.transcript', 'ssl3-hello-resumption.transcript'].map(readSample);
  sessions.splice(1, 0, '# smtptls-port: 587\n# smtptls-disable tls-alert -- postfix answers every crafted hello with an alert\n');
  sessions.splice(3, 0, '# smtptls-disable tls-truncated\n');
  sessions.splice(5, 0, '# smtptls-enable tls-alert\n');
  const text = sessions.join('\n');
  const result = checkInChunks(text, DEFAULT_SETTINGS, { keepText: true });
  assert.ok(result.chunks >= 5);
  assertSameAsWhole('directives', text, result);
  assert.ok(result.findings.some((f) => f.rule === 'suppression-without-reason'), 'the reasonless block is reported');
  const disabledFrom = text.indexOf('# smtptls-disable tls-alert');
  const disabledTo = text.indexOf('# smtptls-enable tls-alert');
  const alerts = result.findings.filter((f) => f.rule === 'tls-alert');
  assert.ok(alerts.length >= 2 && alerts.every((f) => f.span.start < disabledFrom || f.span.start > disabledTo));
  for (let seed = 1; seed <= 20; seed++) assertSameAsWhole(`directives, seed ${seed}`, text, checkInPieces(text, DEFAULT_SETTINGS, 1 + seed * 37, seed));
});

/** The check with onFindings: the batches handed on, joined, and every span located by the locator of its batch. */
function checkHandingOn(text: string, settings: AnalysisSettings, maxPiece: number, seed: number): { findings: Finding[]; result: ChunkedCheckResult; batches: number; locate: (span: Finding['span']) => unknown } {
  const findings: Finding[] = [];
  const located = new Map<string, unknown>();
  let batches = 0;
  const check = new ChunkedCheck(settings, {
    keepText: true,
    onFindings(batch, locate) {
      batches++;
      for (const f of batch) {
        findings.push(f);
        for (const span of [f.span, ...(f.related ?? []).map((r) => r.span)]) located.set(`${span.start}:${span.end}`, [locate.rangeOf(span), locate.textOf(span)]);
      }
    },
  });
  const rnd = seeded(seed);
  for (let at = 0; at < text.length; ) {
    const n = 1 + Math.floor(rnd() * maxPiece);
    check.push(text.slice(at, at + n));
    at += n;
  }
  return { findings, result: check.end(), batches, locate: (span) => located.get(`${span.start}:${span.end}`) };
}

test('suppressions act forward only: every layout of blocks, next-line directives, re-opened and partly closed blocks across chunks gives the whole-document findings, handed on chunk by chunk', () => {
  const s = (name: string): string => readSample(name);
  const layouts: string[][] = [
    // A reasonless block open over several chunks is reported once, at its directive.
    ['# smtptls-disable tls-alert\n', s('ssl3-hello.transcript'), s('malformed-hello.transcript'), '# smtptls-enable tls-alert\n', s('ssl3-hello-resumption.transcript')],
    // Two ids in one directive, closed one by one in later chunks; a second disable of an open id is ignored (and not reported).
    ['# smtptls-disable tls-alert, tls-hello-version-below-3.1 -- lab\n', s('ssl3-hello.transcript'), '# smtptls-enable tls-alert\n', s('ssl3-hello-resumption.transcript'), '# smtptls-disable tls-hello-version-below-3.1\n', s('ssl3-hello.transcript'), '# smtptls-enable tls-hello-version-below-3.1\n', s('ssl3-hello.transcript')],
    // `all`, and an enable of something never disabled.
    ['# smtptls-enable tls-truncated\n', s('truncated-hello.transcript'), '# smtptls-disable all -- fixture\n', s('sslv2-hello-tls10.transcript'), s('truncated-hello.transcript'), '# smtptls-enable all\n', s('malformed-hello.transcript')],
    // Next-line directives (one without a reason) and a block that never closes.
    [s('ssl3-hello.transcript'), '# smtptls-disable-next-line tls-truncated\n# a comment between\n' + s('truncated-hello.transcript'), '# smtptls-disable tls-deprecated-version -- old peers\n', s('sslv2-hello-tls10.transcript'), s('sslv2-hello-tls10.transcript')],
  ];
  for (const [i, parts] of layouts.entries()) {
    const text = parts.join('\n');
    const whole = analyzeDocument(text, DEFAULT_SETTINGS);
    const reference = checkInChunks(text, DEFAULT_SETTINGS, { keepText: true });
    assert.ok(reference.chunks >= 3, `layout ${i}: ${reference.chunks} chunks`);
    assertSameAsWhole(`layout ${i}`, text, reference);
    assert.ok(whole.findings.length > 0, `layout ${i} has findings`);
    for (const [max, seed] of [[7, 1], [300, 2], [1e6, 3]]) {
      const handed = checkHandingOn(text, DEFAULT_SETTINGS, max, seed);
      assert.deepEqual(comparable(handed.findings), comparable(whole.findings), `layout ${i}, seed ${seed}`);
      assert.deepEqual(handed.result.findings, [], 'nothing kept');
      assert.deepEqual(handed.result.counts, countSeverities(whole.findings));
      assert.ok(handed.batches > 1, `layout ${i}: handed on in ${handed.batches} batches`);
      const expected = createTextLocator(text, whole.lines);
      for (const f of handed.findings) assert.deepEqual(handed.locate(f.span), [expected.rangeOf(f.span), expected.textOf(f.span)], `layout ${i}: ${f.rule}`);
    }
  }
  // The layouts exercise what they claim.
  const first = analyzeDocument(layouts[0].join('\n')).findings;
  assert.equal(first.filter((f) => f.rule === 'suppression-without-reason').length, 1);
  assert.ok(first.some((f) => f.rule === 'tls-alert'), 'the alert after the enable is reported');
});

test('onFindings: the samples joined into one document, handed on in batches, equal the findings kept by the check', () => {
  const text = DOCUMENTS.slice(0, 150)
    .map((d) => d.text)
    .join('\n');
  const kept = checkInChunks(text, DEFAULT_SETTINGS);
  const handed = checkHandingOn(text, DEFAULT_SETTINGS, 5_000, 9);
  assert.ok(handed.batches > 20, `${handed.batches} batches`);
  assert.deepEqual(comparable(handed.findings), comparable(kept.findings));
  assert.deepEqual(handed.result.counts, kept.counts);
  assert.deepEqual(handed.result.counts, countSeverities(kept.findings));
  assert.equal(handed.result.chunks, kept.chunks);
});

test('CR LF and lone CR line endings cut anywhere, and a text without a final line break', () => {
  const base = ['ssl3-hello.transcript', 'sslv2-hello-ssl2.transcript', 'truncated-hello.transcript'].map(readSample).join('\n');
  for (const [name, text] of [
    ['crlf', base.replace(/\n/g, '\r\n')],
    ['cr', base.replace(/\n/g, '\r')],
    ['no final break', base.replace(/\n+$/, '')],
  ] as const) {
    assertSameAsWhole(name, text, checkInChunks(text, DEFAULT_SETTINGS, { keepText: true }));
    for (let seed = 1; seed <= 10; seed++) assertSameAsWhole(`${name}, seed ${seed}`, text, checkInPieces(text, DEFAULT_SETTINGS, 1 + seed * 13, seed));
  }
});

test('an empty document and one without any chunk start', () => {
  const empty = new ChunkedCheck(DEFAULT_SETTINGS).end();
  assert.deepEqual(empty.findings, []);
  assert.equal(empty.chunks, 0);
  const single = readSample('ssl3-hello.transcript');
  const r = checkInPieces(single, DEFAULT_SETTINGS, 5, 3);
  assert.equal(r.chunks, 1);
  assertSameAsWhole('single', single, r);
});

test('credentials of every chunk are scrubbed as in a whole-document report', () => {
  const auth = fs.readFileSync(path.join(REPO, 'server/test/fixtures/cli/auth-plain-login.transcript'), 'utf8');
  const text = [readSample('ssl3-hello.transcript'), auth, readSample('truncated-hello.transcript')].join('\n');
  const result = checkInPieces(text, DEFAULT_SETTINGS, 100, 5);
  const whole = createRedactor(analyzeDocument(text));
  assert.ok(result.chunks >= 3);
  assert.notEqual(whole(text), text, 'the fixture has credentials');
  assert.equal(result.redact(text), whole(text));
});

test('checkChunk: a chunk\'s findings, located spans, directives and port, as plain data', () => {
  const text = `# smtptls-port: 587\n# smtptls-disable tls-alert\n${readSample('ssl3-hello.transcript')}`;
  const c = checkChunk(text, DEFAULT_SETTINGS, NOTHING_IN_FORCE, true);
  const whole = analyzeDocument(text, DEFAULT_SETTINGS, { suppress: false });
  assert.deepEqual(comparable(c.findings), comparable(whole.findings));
  assert.deepEqual(c.inForceAfter, { port: 587, time: null, policy: null });
  assert.equal(c.directives.length, 1);
  assert.equal(c.length, text.length);
  assert.equal(c.lineCount, whole.lines.lineCount);
  const expected = createTextLocator(text, whole.lines);
  for (const f of c.findings) {
    const l = c.spans.find((x) => x.start === f.span.start && x.end === f.span.end)!;
    assert.deepEqual(l.range, expected.rangeOf(f.span));
    assert.deepEqual(l.text, expected.textOf(f.span));
  }
  assert.ok(c.spans.some((x) => x.start === c.directives[0].span.start), 'the directive is located too');
  assert.ok(checkChunk(text, DEFAULT_SETTINGS, { port: 25, time: null, policy: null }, false).spans.every((x) => x.text === null));
  assert.deepEqual(structuredClone(c), c, 'plain data');
});

test('ChunkStartScanner fed line by line or in random pieces of whole lines finds what findChunkStarts finds', () => {
  const text = DOCUMENTS.slice(0, 120)
    .map((d) => d.text)
    .join('\n');
  const expected = findChunkStarts(text);
  assert.ok(expected.length > 20);
  const rnd = seeded(11);
  const scanner = new ChunkStartScanner(0);
  const found: number[] = [];
  let at = 0;
  while (at < text.length) {
    // Up to a random number of whole lines (a line break ends each piece but the last).
    let end = at;
    for (let n = 1 + Math.floor(rnd() * 40); n > 0 && end < text.length; n--) {
      const lf = text.indexOf('\n', end);
      end = lf < 0 ? text.length : lf + 1;
    }
    found.push(...scanner.scan(text.slice(0, end), at, end, 0, end === text.length));
    at = end;
  }
  assert.deepEqual(found, expected);
  // Offsets are document offsets when the scanned text starts later (base).
  const again = new ChunkStartScanner(0);
  const half = text.indexOf('\n', text.length >> 1) + 1;
  const both = [...again.scan(text.slice(0, half), 0, half), ...again.scan(text.slice(half), 0, text.length - half, half, true)];
  assert.deepEqual(both, expected);
});

test('a document of comment lines only, pushed in small pieces, is read once (no rescan of the comment run)', () => {
  const text = '# a comment line of a log\n'.repeat(40_000) + '\n# smtptls-session\n' + '# header\n'.repeat(40_000) + readSample('ssl3-hello.transcript');
  const t0 = performance.now();
  const r = checkInPieces(text, DEFAULT_SETTINGS, 200, 4);
  const ms = performance.now() - t0;
  assert.equal(r.chunks, 2);
  assertSameAsWhole('comments', text, r);
  // Linear: rescanning the run for every 100-character piece would read ~10^10 characters.
  assert.ok(ms < 20_000, `${ms.toFixed(0)} ms`);
});

test('without keepText only positions are kept; push after end is a bug', () => {
  const check = new ChunkedCheck(DEFAULT_SETTINGS);
  check.push(readSample('ssl3-hello.transcript'));
  const r = check.end();
  assert.ok(r.findings.length > 0);
  assert.ok(r.locate.rangeOf(r.findings[0].span).start.line > 0);
  assert.throws(() => r.locate.textOf(r.findings[0].span), /keepText/);
  assert.throws(() => check.push('x'), /after end/);
});
