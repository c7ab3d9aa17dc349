/**
 * Hex dumps whose "*" lines stand for lines repeating the one before (hexdump -C, od without -v,
 * xxd -a), written by the real tools (server/test/fixtures/squeezed/README.md): the bytes a "*"
 * stands for are known, so the dump reads as the whole file, and a ClientHello whose padding was
 * squeezed decodes as it does from a dump with every byte.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { toDecodeJson } from '../../src/core/export/decodeJson';
import { buildFieldIndex, findFieldAt } from '../../src/core/features/fieldIndex';
import { computeHover } from '../../src/core/features/hover';
import { allEvents, assertExactOffsets, hex } from './helpers';

const DIR = path.join(__dirname, '..', 'fixtures', 'squeezed');
const read = (f: string): string => readFileSync(path.join(DIR, f), 'utf8');
const FORMATS = [
  ['hexdump-C', 'hexdump-C'],
  ['od', 'od'],
  ['xxd-a', 'xxd'],
] as const;

for (const name of ['repeats', 'tail-repeats', 'swaks-clienthello']) {
  for (const [suffix, format] of FORMATS) {
    test(`${name}.${suffix}.txt reads as one run of every byte of ${name}.bin`, () => {
      const text = read(`${name}.${suffix}.txt`);
      const t = readTranscript(text);
      assert.equal(t.format, format);
      assert.deepEqual(t.problems, []);
      const events = allEvents(t);
      assert.deepEqual(events.map((e) => e.kind), ['bytes']);
      const run = events[0];
      assert.ok(run.kind === 'bytes');
      assert.equal(hex(run.view.bytes), hex(readFileSync(path.join(DIR, `${name}.bin`))));
      assertExactOffsets(text, t);
      // Offsets never go back: a finding over bytes on both sides of a "*" gets a range in order.
      for (let i = 1; i < run.view.offsets.length; i++) assert.ok(run.view.offsets[i] >= run.view.offsets[i - 1]);
    });
  }
}

test('every fixture dump has a "*" line but xxd -a of tail-repeats (xxd squeezes lines of zeros only)', () => {
  for (const name of ['repeats', 'tail-repeats', 'swaks-clienthello']) {
    for (const [suffix] of FORMATS) {
      const has = read(`${name}.${suffix}.txt`).split('\n').includes('*');
      assert.equal(has, !(name === 'tail-repeats' && suffix === 'xxd-a'), `${name}.${suffix}`);
    }
  }
});

test('a ClientHello with squeezed padding decodes as from every byte, with no finding; the "*" has no hover of its own', () => {
  const bin = readFileSync(path.join(DIR, 'swaks-clienthello.bin'));
  const whole = toDecodeJson(analyzeDocument(bin.toString('hex'))) as { sessions: { events: { records?: unknown }[] }[] };
  const records = whole.sessions[0].events[0].records;
  assert.ok(Array.isArray(records) && records.length === 1);
  for (const [suffix] of FORMATS) {
    const text = read(`swaks-clienthello.${suffix}.txt`);
    const a = analyzeDocument(text);
    assert.deepEqual(a.findings.map((f) => f.rule), [], suffix);
    const decoded = toDecodeJson(a) as typeof whole;
    assert.deepEqual(decoded.sessions[0].events[0].records, records, suffix);
    const index = buildFieldIndex(a);
    const star = text.indexOf('\n*\n') + 1;
    assert.equal(findFieldAt(index, star), null, suffix);
    // The hex pair just before the "*" still has its own field.
    const before = text.lastIndexOf(' 00', star) + 1;
    assert.ok(findFieldAt(index, before), suffix);
  }
});

test('a "*" standing for more bytes than the document allows is a gap of that length, not an allocation', () => {
  // 16 bytes, "*", then an offset 4 GB further on: the stated offset is not trusted with memory.
  const text = '00000000  16 03 01 00 10 01 00 00  0c 03 03 00 00 00 00 00  |................|\n*\nfffffff0  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n';
  const t = readTranscript(text);
  const kinds = allEvents(t).map((e) => e.kind);
  assert.deepEqual(kinds, ['bytes', 'gap', 'bytes']);
  const gap = allEvents(t)[1];
  assert.ok(gap.kind === 'gap');
  assert.equal(gap.length, 0xfffffff0 - 16);
  // Within the allowance (64 KiB for a small document) the bytes are filled in.
  const small = text.replace('fffffff0', '00001000');
  assert.deepEqual(allEvents(readTranscript(small)).map((e) => e.kind), ['bytes']);
});

test('hovering a "*" line says how many bytes it stands for; elsewhere on the dump the hover is the field\'s', () => {
  const text = read('swaks-clienthello.hexdump-C.txt');
  const lines = text.split('\n');
  const star = lines.indexOf('*');
  const at = lines.slice(0, star).join('\n').length + 1;
  // Independently: from the end of the line before to the next line's offset.
  const from = parseInt(lines[star - 1].slice(0, 8), 16) + 16;
  const to = parseInt(lines[star + 1].slice(0, 8), 16);
  const a = analyzeDocument(text);
  const h = computeHover(a, at);
  assert.ok(h);
  assert.deepEqual(h.span, { start: at, end: at + 1 });
  assert.ok(h.markdown.startsWith(`**\`*\`: ${to - from} bytes not printed** (bytes ${from}–${to - 1} of this dump, `), h.markdown);
  // The repeated bytes are the padding extension's zeros.
  assert.match(h.markdown, /in Record › Handshake › ClientHello › extensions\[\d+\] \(padding\) › padding\)/);
  // A hex pair of the line before it keeps the hover of its own field.
  const pair = lines.slice(0, star - 1).join('\n').length + 1 + 10;
  const before = computeHover(a, pair);
  assert.ok(before && !/not printed/.test(before.markdown) && /padding/.test(before.markdown), before?.markdown);
});
