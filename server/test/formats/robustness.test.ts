/** Any input: never throws, stays linear, keeps every span inside the document. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTranscript } from '../../src/core/formats/readTranscript';
import type { Transcript } from '../../src/core/model/transcript';
import { allEvents, assertExactOffsets, byteRuns } from './helpers';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Spans inside the text, lines inside the document, offsets exact, no reader failure. */
function assertSane(text: string, t: Transcript): void {
  let lines = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) lines++;
  }
  for (const p of t.problems) {
    assert.ok(p.span.start >= 0 && p.span.start <= p.span.end && p.span.end <= text.length, JSON.stringify(p));
    assert.doesNotMatch(p.message, /reader failed/);
  }
  for (const s of t.sessions) {
    assert.ok(s.startLine >= 0 && s.startLine <= s.endLine && s.endLine < lines);
    for (const e of s.events) {
      assert.ok(e.line >= 0 && e.line < lines);
      if ('span' in e) assert.ok(e.span.start >= 0 && e.span.end <= text.length);
    }
  }
  assertExactOffsets(text, t);
}

function timed(text: string): { t: Transcript; ms: number } {
  const t0 = performance.now();
  const t = readTranscript(text);
  return { t, ms: performance.now() - t0 };
}

test('binary: every UTF-16 code unit 0..65535 and every byte value as Latin-1', () => {
  let a = '';
  for (let i = 0; i < 65536; i++) a += String.fromCharCode(i);
  assertSane(a, readTranscript(a));
  let b = '';
  for (let r = 0; r < 64; r++) for (let i = 0; i < 256; i++) b += String.fromCharCode((i * 7 + r) % 256);
  assertSane(b, readTranscript(b));
  const nuls = '\u0000'.repeat(100000) + '\nC: \u0000\u0000\nS: \u0000';
  assertSane(nuls, readTranscript(nuls));
});

test('seeded garbage built from format characters, many seeds, every span sane', () => {
  const alphabet = ['0', '1', 'a', 'f', 'g', ' ', '  ', ':', '|', '>', '<', '\n', '\r', '\r\n', '\t', 'C: ', 'S: ', '>>> ', '<<< ', '[length 0005]', '# ', '#', '*',
    '00000000: ', '00000010  ', '000000 ', '    ', '16 03 01 ', '250-', '221 ', 'QUIT', 'RecordHeader', 'Handshake', 'InnerContent', '0x', ',', '};', 'unsigned char x[] = {\n'];
  for (let seed = 1; seed <= 40; seed++) {
    const rnd = seeded(seed);
    const parts: string[] = [];
    for (let i = 0; i < 4000; i++) parts.push(alphabet[Math.floor(rnd() * alphabet.length)]);
    const text = parts.join('');
    assertSane(text, readTranscript(text));
  }
});

test('10 MB of seeded garbage reads in bounded time', () => {
  const rnd = seeded(42);
  const alphabet = '0123456789abcdefABCDEF :|-\n\r\tCS>>><<<.#';
  const parts: string[] = [];
  for (let i = 0; i < 10 * 1024 * 1024; i++) parts.push(alphabet[Math.floor(rnd() * alphabet.length)]);
  const text = parts.join('');
  const { t, ms } = timed(text);
  assert.ok(ms < 8000, `${ms} ms`);
  assert.ok(t.problems.length <= 1000);
  for (const p of t.problems) assert.ok(p.span.end <= text.length);
});

test('one 10 MB line, and 10 MB of line breaks, read in bounded time', () => {
  for (const text of ['x'.repeat(10 * 1024 * 1024), 'ab'.repeat(5 * 1024 * 1024), '\n'.repeat(10 * 1024 * 1024), '\r'.repeat(10 * 1024 * 1024), '# \n'.repeat(3 * 1024 * 1024)]) {
    const { t, ms } = timed(text);
    assert.ok(ms < 5000, `${ms} ms`);
    assert.ok(t.problems.length <= 1000);
  }
  // A 10 MB hex stream is 5 MB of bytes, every one mapped.
  const stream = '16'.repeat(5 * 1024 * 1024);
  const { t } = timed(stream);
  assert.equal(byteRuns(t)[0].view.bytes.length, 5 * 1024 * 1024);
  assert.equal(byteRuns(t)[0].view.offsets[5 * 1024 * 1024 - 1], stream.length - 2);
});

const MB = 1024 * 1024;
const PATHOLOGICAL: [string, string][] = [
  ['C: + spaces', 'C: ' + ' '.repeat(MB)],
  ['C: + odd tokens', 'C: 16 ' + '0 '.repeat(MB / 2)],
  ['S: + digits', 'S: ' + '2'.repeat(MB)],
  ['S: + dashes', 'S: 250' + '-'.repeat(MB)],
  ['label prefix repeated', '>>> ' + '[length '.repeat(MB / 8)],
  ['label with huge middle', '>>> ' + 'TLS 1.0, '.repeat(MB / 9) + 'RecordHeader [length 0005]'],
  ['xxd offset then letters', '00000000: ' + 'a'.repeat(MB)],
  ['xxd offset then single spaces', '00000000: ' + 'ab '.repeat(MB / 3)],
  ['hexdump offset then pipes', '00000000  ' + '80 |'.repeat(MB / 4)],
  ['od offset then >', '000000 80 ' + '> '.repeat(MB / 2) + '<'],
  ['odd hex stream', '0'.repeat(MB + 1)],
  ['hex stream with one bad char', '0'.repeat(MB) + 'g'],
  ['indented tokens', '    ' + '16 '.repeat(MB / 3)],
  ['mostly valid tokens', '16 ' + 'zz 01 '.repeat(MB / 6)],
  ['C array header lookalike', 'unsigned char ' + 'x'.repeat(MB) + '[] = {'],
  ['C array items', 'unsigned char x[] = {\n' + '0x1, '.repeat(MB / 5)],
  ['port hint lookalike', '-connect ' + 'a:'.repeat(MB / 2)],
  ['direction marker lookalike', 'client' + ' x'.repeat(MB / 2) + ':'],
  ['colons', ':'.repeat(MB)],
  ['C & S', 'C & S: ' + '<'.repeat(MB)],
  ['tabs', '\t'.repeat(MB) + 'x'],
  ['comment', '# ' + 'x'.repeat(MB)],
];

for (const [name, line] of PATHOLOGICAL) {
  test(`1 MB pathological line completes quickly: ${name}`, () => {
    // After an openssl label, so bare-SMTP detection runs on the line too.
    for (const text of [line, `>>> TLS 1.0, Alert [length 0002], fatal x\n    02 50\n${line}\n${line}`]) {
      // Best of three, so a garbage collection of an earlier test does not count; a
      // backtracking regex would take minutes here, not milliseconds.
      let best = Infinity;
      let t: Transcript | null = null;
      for (let k = 0; k < 3; k++) {
        const r = timed(text);
        best = Math.min(best, r.ms);
        t = r.t;
      }
      assert.ok(best < 500, `${name}: ${best.toFixed(0)} ms`);
      assertSane(text, t!);
    }
  });
}

test('the reader never throws on truncated fixtures cut at every position of a small document', () => {
  const doc = [
    'S: 220 x', 'C: STARTTLS', 'S: 220 y', 'C: 16 03 01 00 02', 'C: 01 00', 'S: <10 bytes of TLS records>',
    '>>> TLS 1.0, RecordHeader [length 0005]', '    16 03 01 00 02', '>>> TLS 1.3, Handshake [length 0002], ClientHello', '    01 00',
    '00000000  80 2b 01 03 01 00 12 00  00 00 10 00 00 35 00 00  |.+...........5..|', '*', '00000020  00 |.|', '00000021',
    'unsigned char a[] = {', '  0x01, 0x02', '};', 'unsigned int a_len = 2;',
  ].join('\r\n');
  for (let cut = 0; cut <= doc.length; cut++) {
    const text = doc.slice(0, cut);
    assertSane(text, readTranscript(text));
  }
  const full = readTranscript(doc);
  assert.ok(allEvents(full).length >= 8);
});
