/** Whole TLS records from a side's bytes as segments bring them (capture/recordAssembler.ts). */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { RecordAssembler, type AssembledRecord } from '../../src/core/capture/recordAssembler';

/** A handshake record header (16 03 03, length) and `n` body bytes 0..n-1. */
function record(type: number, n: number): Uint8Array {
  const r = new Uint8Array(5 + n);
  r.set([type, 3, 3, n >> 8, n & 0xff]);
  for (let i = 0; i < n; i++) r[5 + i] = i & 0xff;
  return r;
}

test('records split across segments at every byte come out whole, with their frames and summarised flag', () => {
  const a = record(22, 40);
  const b = record(23, 300);
  const c = record(21, 0);
  const all = new Uint8Array([...a, ...b, ...c]);
  for (let cut = 1; cut < all.length; cut++) {
    const asm = new RecordAssembler();
    const got: AssembledRecord[] = [];
    asm.feed(all.subarray(0, cut), 7, false, (r) => got.push(r));
    asm.feed(all.subarray(cut), 8, true, (r) => got.push(r));
    assert.equal(got.length, 3, `cut ${cut}`);
    assert.deepEqual([...got[0].bytes], [...a]);
    assert.deepEqual([...got[1].bytes], [...b]);
    assert.deepEqual([...got[2].bytes], [...c]);
    // A record takes the flag of the feed its header starts in; frames span where its bytes came from.
    assert.equal(got[0].summarised, cut >= 1 ? false : true);
    assert.equal(got[1].summarised, cut > a.length ? false : true, `cut ${cut}`);
    assert.equal(got[1].firstFrame, cut > a.length ? 7 : 8);
    assert.equal(got[1].lastFrame, cut >= a.length + b.length ? 7 : 8);
  }
});

test('the assembler keeps copies: a reused segment buffer does not change a record', () => {
  const asm = new RecordAssembler();
  const buf = record(23, 10);
  const got: AssembledRecord[] = [];
  asm.feed(buf.subarray(0, 8), 1, true, (r) => got.push(r));
  buf.fill(0xee, 0, 8);
  buf.set(record(23, 10).subarray(8), 8);
  asm.feed(buf.subarray(8), 2, true, (r) => got.push(r));
  assert.deepEqual([...got[0].bytes], [...record(23, 10)]);
});

test('a byte that starts no record stops the assembler; abandon says how much of a summarised record was held', () => {
  const asm = new RecordAssembler();
  const got: AssembledRecord[] = [];
  asm.feed(Uint8Array.of(0x41, 0x42), 1, true, (r) => got.push(r));
  assert.equal(asm.stopped, true);
  assert.equal(got.length, 0);

  const held = new RecordAssembler();
  held.feed(record(23, 100).subarray(0, 30), 4, true, (r) => got.push(r));
  assert.deepEqual(held.abandon(), { bytes: 30, firstFrame: 4 });
  assert.equal(held.stopped, true);
  const header = new RecordAssembler();
  header.feed(Uint8Array.of(23, 3), 5, true, (r) => got.push(r));
  assert.deepEqual(header.abandon(), { bytes: 2, firstFrame: 5 });
  const shown = new RecordAssembler();
  shown.feed(record(22, 100).subarray(0, 30), 4, false, (r) => got.push(r));
  assert.equal(shown.abandon().bytes, 0, 'bytes shown as hex are not summarised again');
});

test('an SSLv2-format record (2-byte header) is one record', () => {
  const hello = Uint8Array.of(0x80, 0x03, 1, 3, 1);
  const asm = new RecordAssembler();
  const got: AssembledRecord[] = [];
  asm.feed(hello, 3, false, (r) => got.push(r));
  assert.deepEqual([...got[0].bytes], [...hello]);
});
