/**
 * A chunk after a forced cut continues the session the cut ran through, and its message text when
 * the cut falls there (core/analysis/chunkContinuation.ts). The founding case: a swaks run that
 * sends a 5 MB attachment shows its message text line by line, longer than a chunk; read on its
 * own, the part after the cut took every text line for a command (76,473 false findings for a
 * 7 MB log of 90,000 text lines, before this).
 *
 * The sessions are the real swaks run of the corpus (swaks-starttls/swaks.txt, recorded against
 * postfix) with a message body of seeded base64 lines inserted before its end of data, and a
 * crafted C:/S: transcript of a plain session (RFC 5321 §4.1.1.4 DATA, 354, text, ".").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { analyzeChunk, NOTHING_IN_FORCE } from '../../src/core/analysis/chunkAnalysis';
import { checkInChunks } from '../../src/core/analysis/chunkedCheck';
import { continuationAfter, endsInMessageText } from '../../src/core/analysis/chunkContinuation';
import { findChunkStarts, MAX_CHUNK_CHARS } from '../../src/core/analysis/documentChunks';
import { IncrementalAnalysis } from '../../src/core/analysis/incrementalAnalysis';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { DEFAULT_SETTINGS, type Finding } from '../../src/core/rules/types';

const SWAKS = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'corpus', 'sessions', 'swaks-starttls', 'swaks.txt'), 'utf8');

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `count` lines of base64 (76 characters, as MIME writes them) from seeded bytes, each after `prefix`. */
function bodyLines(prefix: string, count: number, seed: number): string {
  const rnd = seeded(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = Buffer.alloc(57);
    for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(rnd() * 256);
    out.push(`${prefix}${bytes.toString('base64')}\n`);
  }
  return out.join('');
}

/** The swaks run with `count` body lines inserted after its own text line (inside TLS: ` ~> `). */
function swaksWithBody(count: number, seed = 1): string {
  const at = SWAKS.indexOf(' ~> This is a test mailing\n');
  assert.ok(at > 0);
  return SWAKS.slice(0, at) + bodyLines(' ~> ', count, seed) + SWAKS.slice(at);
}

/** A crafted C:/S: session in clear with `count` body lines (some of them hex-like, which are still text). */
function csWithBody(count: number): string {
  const head = ['S: 220 mx.example.test ESMTP', 'C: EHLO client.example.test', 'S: 250-mx.example.test', 'S: 250 8BITMIME', 'C: MAIL FROM:<a@example.test>', 'S: 250 2.1.0 Ok', 'C: RCPT TO:<b@example.test>', 'S: 250 2.1.5 Ok', 'C: DATA', 'S: 354 End data with <CR><LF>.<CR><LF>', 'C: Subject: big', 'C: '];
  const tail = ['C: 16 03 01 00 05', 'C: .', 'S: 250 2.0.0 Ok: queued', 'C: QUIT', 'S: 221 2.0.0 Bye'];
  return `${head.join('\n')}\n${bodyLines('C: ', count, 2)}${tail.join('\n')}\n`;
}

function rules(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.rule);
}

test('endsInMessageText: a 354 reply with only client text lines after it; "." or any other reply ends it; client lines alone continue what the text started in', () => {
  assert.equal(endsInMessageText('<-  354 go ahead\n -> Subject: x\n -> \n', false), true);
  assert.equal(endsInMessageText('<~  354 go ahead\n ~> line\n', false), true);
  assert.equal(endsInMessageText('S: 354 go ahead\nC: line\nC:\n', false), true);
  assert.equal(endsInMessageText('S: 354 go ahead\r\nC: line\r\n', false), true);
  assert.equal(endsInMessageText('<-  354 go ahead\n -> line\n -> .\n', false), false);
  assert.equal(endsInMessageText('<-  354 go ahead\n -> line\n -> .\n<-  250 ok\n -> QUIT\n', false), false);
  assert.equal(endsInMessageText('S: 354 go\nC: x\nC: .\n', true), false);
  assert.equal(endsInMessageText('S: 250 ok\nC: MAIL FROM:<a@b>\n', true), false);
  // Dot-stuffed text ("..") is no end of data; lines of neither kind (swaks notes, comments) are passed over.
  assert.equal(endsInMessageText('S: 354 go\nC: ..\n# note\n=== still sending\nC: x\n', false), true);
  // Only client lines: what the text started in.
  assert.equal(endsInMessageText(' -> a\n -> b\n', true), true);
  assert.equal(endsInMessageText(' -> a\n -> b\n', false), false);
  assert.equal(endsInMessageText('', true), true);
  // "C & S:" lines are neither side's.
  assert.equal(endsInMessageText('S: 354 go\nC & S: 250 x\n', false), true);
});

test('continuationAfter: null unless the text ends at a forced cut; then the session, or its message text', () => {
  const limit = 2000;
  const text = swaksWithBody(100);
  const starts = findChunkStarts(text, 0, text.length, limit);
  assert.ok(starts.length >= 3);
  const first = text.slice(0, starts[0]);
  const second = text.slice(starts[0], starts[1]);
  assert.equal(continuationAfter(first, null, limit), 'data');
  assert.equal(continuationAfter(second, 'data', limit), 'data');
  // The last chunk does not end at a cut; nor does a short text.
  assert.equal(continuationAfter(text.slice(starts[starts.length - 1]), 'data', limit), null);
  assert.equal(continuationAfter(SWAKS, null), null);
  // A cut before DATA: the session goes on, outside message text.
  const commands = SWAKS.slice(0, SWAKS.indexOf(' ~> DATA\n'));
  // (A forced cut: the text is at least `limit` long and its last line starts before `limit`.)
  const lastLine = commands.lastIndexOf('\n', commands.length - 2) + 1;
  assert.equal(commands.slice(lastLine), '<~  250 2.1.5 Ok\n');
  assert.equal(continuationAfter(commands, null, lastLine + 1), 'session');
  assert.equal(continuationAfter(commands, null, lastLine), null);
});

test('readTranscript: a text continuing message text reads its client lines as text up to ".", then commands again; its session misses its start', () => {
  const text = ' ~> Subject: x\n ~> 16 03 01\n ~> NOOP\n ~> .\n<~  250 2.0.0 Ok: queued\n ~> QUIT\n<~  221 2.0.0 Bye\n';
  const [session] = readTranscript(text, 'data').sessions;
  assert.equal(session.startMissing, true);
  const commands = session.events.filter((e) => e.kind === 'command');
  assert.deepEqual(
    commands.map((e) => (e.kind === 'command' ? [e.verb, e.dataLine === true] : null)),
    [
      ['SUBJECT:', true],
      ['16', true],
      ['NOOP', true],
      ['.', true],
      ['QUIT', false],
    ],
  );
  const alone = readTranscript(text).sessions[0];
  assert.equal(alone.startMissing, undefined);
  assert.ok(alone.events.every((e) => e.kind !== 'command' || !e.dataLine));
  assert.equal(readTranscript(text, 'session').sessions[0].startMissing, true);
});

test('a swaks run whose message text runs across many forced cuts: the chunks report what the whole run reports', () => {
  const limit = 20_000;
  const text = swaksWithBody(2000);
  const starts = findChunkStarts(text, 0, text.length, limit);
  assert.ok(starts.length >= 7, `${starts.length} cuts`);
  const whole = analyzeDocument(text).findings;
  assert.deepEqual(rules(whole), []);
  const inc = new IncrementalAnalysis(DEFAULT_SETTINGS, { chunkLimit: limit });
  inc.setText(text);
  assert.deepEqual(rules(inc.findings()), []);
  assert.deepEqual(
    inc.chunks.map((c) => c.content.continues),
    [null, ...starts.map(() => 'data')],
  );
  // Without the continuation a chunk of message text alone is read as commands: the test can fail.
  const second = text.slice(starts[0], starts[1]);
  assert.ok(rules(analyzeChunk(second, DEFAULT_SETTINGS).analysis.findings).includes('smtp-unknown-command'));
  assert.deepEqual(rules(analyzeChunk(second, DEFAULT_SETTINGS, NOTHING_IN_FORCE, 'data').analysis.findings), []);
});

test('a C:/S: session whose message text runs across forced cuts: hex-like text lines stay text, and the end of data is found', () => {
  const limit = 8_000;
  const text = csWithBody(600);
  assert.deepEqual(rules(analyzeDocument(text).findings), []);
  const inc = new IncrementalAnalysis(DEFAULT_SETTINGS, { chunkLimit: limit });
  inc.setText(text);
  assert.ok(inc.chunks.length >= 5);
  assert.deepEqual(rules(inc.findings()), []);
});

test('an edit that takes the 354 away or puts it back changes what every later chunk continues, as a fresh analysis does', () => {
  const limit = 20_000;
  let text = swaksWithBody(1200);
  const inc = new IncrementalAnalysis(DEFAULT_SETTINGS, { chunkLimit: limit });
  inc.setText(text);
  const line = '<~  354 End data with <CR><LF>.<CR><LF>\n';
  const at = text.indexOf(line);
  const swap = (insert: string, remove: number): void => {
    assert.ok(inc.applyEdit(at, at + remove, insert));
    text = text.slice(0, at) + insert + text.slice(at + remove);
    const fresh = new IncrementalAnalysis(DEFAULT_SETTINGS, { chunkLimit: limit });
    fresh.setText(text);
    assert.deepEqual(
      inc.chunks.map((c) => c.content.continues),
      fresh.chunks.map((c) => c.content.continues),
    );
    assert.deepEqual(
      inc.findings().map((f) => [f.rule, f.span.start]),
      fresh.findings().map((f) => [f.rule, f.span.start]),
    );
  };
  const refused = '<~  554 5.5.1 Error: no valid recipients\n';
  swap(refused, line.length);
  assert.ok(inc.chunks.slice(1).every((c) => c.content.continues === 'session'));
  assert.ok(rules(inc.findings()).includes('smtp-unknown-command'), 'text lines after a refused DATA are commands');
  swap(line, refused.length);
  assert.ok(inc.chunks.slice(1).every((c) => c.content.continues === 'data'));
  assert.deepEqual(rules(inc.findings()), []);
});

test('smtptls check (streaming) of a swaks log with a 5 MB message: only the notes of its forced cuts', () => {
  const text = swaksWithBody(60_000);
  assert.ok(text.length > MAX_CHUNK_CHARS + 500_000);
  const result = checkInChunks(text, DEFAULT_SETTINGS);
  assert.deepEqual(
    rules(result.findings),
    ['document-no-session-boundary'],
  );
});

test('seeded edits that replace a line with a reply of the same length (no cut moves): every chunk continues what a fresh cut gives', () => {
  const limit = 8_000;
  let text = swaksWithBody(800);
  const textLine = bodyLines(' ~> ', 1, 3);
  const sameLength = (prefix: string): string => `${prefix}${'x'.repeat(textLine.length - prefix.length - 1)}\n`;
  const replacements = [textLine, sameLength('<~  250 '), sameLength('<~  354 '), sameLength('<~  554 ')];
  const inc = new IncrementalAnalysis(DEFAULT_SETTINGS, { chunkLimit: limit });
  inc.setText(text);
  const rnd = seeded(7);
  const first = text.indexOf(textLine.slice(0, 4), text.indexOf('<~  354 '));
  let flips = 0;
  for (let i = 0; i < 60; i++) {
    // A line of the message text region (all its lines have the same length).
    const k = Math.floor(rnd() * 700);
    const at = first + k * textLine.length;
    const insert = replacements[Math.floor(rnd() * replacements.length)];
    const before = inc.chunks.map((c) => c.content.continues).join();
    assert.ok(inc.applyEdit(at, at + textLine.length, insert));
    text = text.slice(0, at) + insert + text.slice(at + textLine.length);
    const fresh = new IncrementalAnalysis(DEFAULT_SETTINGS, { chunkLimit: limit });
    fresh.setText(text);
    assert.deepEqual(inc.chunks.map((c) => c.start), fresh.chunks.map((c) => c.start));
    assert.deepEqual(inc.chunks.map((c) => c.content.continues), fresh.chunks.map((c) => c.content.continues), `after edit ${i}`);
    assert.deepEqual(inc.findings().map((f) => [f.rule, f.span.start]), fresh.findings().map((f) => [f.rule, f.span.start]), `after edit ${i}`);
    if (inc.chunks.map((c) => c.content.continues).join() !== before) flips++;
  }
  assert.ok(flips >= 2, `${flips} edits changed what later chunks continue`);
});

/**
 * The real C:/S: transcript of the swaks run (swaks-starttls/transcript-CS.txt, imported from its
 * capture) with `count` seeded application_data records (17 03 03, `size` bytes each) written as
 * client hex lines of 16 bytes after the handshake: a session whose TLS bytes run across cuts.
 */
function csWithRecords(count: number, size: number): string {
  const cs = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'corpus', 'sessions', 'swaks-starttls', 'transcript-CS.txt'), 'utf8');
  const at = cs.indexOf('C: <');
  assert.ok(at > 0);
  const rnd = seeded(4);
  const lines: string[] = [];
  for (let r = 0; r < count; r++) {
    const record = [0x17, 0x03, 0x03, size >> 8, size & 0xff, ...Array.from({ length: size }, () => Math.floor(rnd() * 256))];
    for (let k = 0; k < record.length; k += 16) lines.push(`C: ${record.slice(k, k + 16).map((b) => b.toString(16).padStart(2, '0')).join(' ')}\n`);
  }
  return cs.slice(0, at) + lines.join('') + cs.slice(at);
}

test('TLS records running across forced cuts: the part before a cut is not truncated, the part after is decoded from the next record boundary', () => {
  const limit = 20_000;
  const text = csWithRecords(60, 1000);
  const whole = analyzeDocument(text).findings;
  const inc = new IncrementalAnalysis(DEFAULT_SETTINGS, { chunkLimit: limit });
  inc.setText(text);
  assert.ok(inc.chunks.length >= 8, `${inc.chunks.length} chunks`);
  assert.deepEqual(
    inc.findings().map((f) => [f.rule, f.span.start]),
    whole.map((f) => [f.rule, f.span.start]),
  );
  // Without what they continue, the chunks report a truncated record before each cut and a malformed one after it.
  const [a, b] = inc.chunks;
  const alone = (c: { text: string }, options = {}) => rules(analyzeDocument(c.text, DEFAULT_SETTINGS, options).findings);
  assert.ok(alone(a).includes('tls-truncated'));
  assert.ok(!alone(a, { endsAtCut: true }).includes('tls-truncated'));
  assert.ok(alone(b).includes('tls-malformed'));
  assert.deepEqual(alone(b, { continues: 'session', endsAtCut: true }), []);
});
