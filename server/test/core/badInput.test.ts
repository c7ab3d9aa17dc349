/** Bad input gives diagnostics or nothing: never an exception, never a hang, ranges always inside the document. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import type { Analysis } from '../../src/core/analysis/analyzeDocument';

function assertSane(a: Analysis, text: string): void {
  for (const f of a.findings) {
    assert.ok(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length, `${f.rule} span ${f.span.start}-${f.span.end}`);
  }
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('empty document', () => {
  const a = analyzeDocument('');
  assert.deepEqual(a.findings, []);
});

test('binary bytes (every byte value, as Latin-1 text)', () => {
  let text = '';
  for (let i = 0; i < 65536; i++) text += String.fromCharCode(i % 256);
  assertSane(analyzeDocument(text), text);
});

test('10 MB of seeded garbage finishes in bounded time', () => {
  const rnd = seeded(42);
  const alphabet = '0123456789abcdefABCDEF :|-\n\r\tCS>>><<<.#';
  const parts: string[] = [];
  for (let i = 0; i < 10 * 1024 * 1024; i++) parts.push(alphabet[Math.floor(rnd() * alphabet.length)]);
  const text = parts.join('');
  const t0 = Date.now();
  const a = analyzeDocument(text);
  const ms = Date.now() - t0;
  assertSane(a, text);
  assert.ok(ms < 30000, `took ${ms} ms`);
});

test('a dump with a wrong offset gives dump-malformed at the offset and still decodes the rest', () => {
  const text = [
    '00000000  16 03 01 00 2f 01 00 00  2b 03 03 00 01 02 03 04  |..../...+.......|',
    '00000030  05 06 07 08 09 0a 0b 0c  0d 0e 0f 10 11 12 13 14  |................|',
    '00000020  15 16 17 18 19 1a 1b 1c  1d 1e 1f 00 00 02 00 2f  |.............../|',
    '00000030  01 00 00 00                                       |....|',
    '00000034',
  ].join('\n');
  const a = analyzeDocument(text);
  const d = a.findings.filter((f) => f.rule === 'dump-malformed');
  assert.ok(d.length >= 1, JSON.stringify(a.findings));
  const line1 = text.indexOf('\n') + 1;
  assert.equal(d[0].span.start, line1);
  assert.equal(text.slice(d[0].span.start, d[0].span.end), '00000030');
  assertSane(a, text);
});

test('one 5 MB line without newlines', () => {
  const text = 'C: ' + '16 03 01 '.repeat(600000);
  assertSane(analyzeDocument(text), text);
});
