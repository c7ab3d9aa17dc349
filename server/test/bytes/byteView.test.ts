/** Byte views: hex text of bytes, the incremental builder, joining and slicing, document spans of bytes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteViewBuilder, concatByteViews, createByteView, documentSpanOfBytes, sliceByteView, toHex } from '../../src/core/bytes/byteView';

/** The obvious definition, to compare the table-driven one with. */
function referenceHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

test('toHex: every byte value, every length from 0 to 40 and a long run, on sub-arrays at odd offsets', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.equal(toHex(all), referenceHex(all));
  assert.equal(toHex(new Uint8Array([0x00, 0x0f, 0xa0, 0xff])), '000fa0ff');
  for (let n = 0; n <= 40; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
    assert.equal(toHex(bytes), referenceHex(bytes), `length ${n}`);
  }
  const long = Uint8Array.from({ length: 5000 }, (_, i) => (i * 131) & 0xff);
  assert.equal(toHex(long.subarray(3, 4001)), referenceHex(long.subarray(3, 4001)));
  // A short call after a long one must not see the long one's digits.
  assert.equal(toHex(long.subarray(0, 9)), referenceHex(long.subarray(0, 9)));
});

test('ByteViewBuilder grows past its first capacity and keeps each byte with its offset', () => {
  const b = new ByteViewBuilder();
  for (let i = 0; i < 1000; i++) b.push(i & 0xff, 3 * i);
  assert.equal(b.length, 1000);
  const v = b.build();
  assert.equal(v.bytes.length, 1000);
  assert.equal(v.bytes[999], 999 & 0xff);
  assert.equal(v.offsets[999], 2997);
  const again = new ByteViewBuilder();
  again.pushView(sliceByteView(v, 10, 13));
  assert.deepEqual([...again.build().offsets], [30, 33, 36]);
});

test('ByteViewBuilder.reset starts an empty view; views built before keep their bytes, even after a large view', () => {
  const b = new ByteViewBuilder();
  b.push(1, 10);
  const first = b.build();
  b.reset();
  assert.equal(b.length, 0);
  b.push(2, 20);
  assert.equal(b.byteAt(0), 2);
  assert.deepEqual([...first.bytes], [1]);
  assert.deepEqual([...b.build().offsets], [20]);
  for (let i = 0; i < 100000; i++) b.push(i & 0xff, i);
  const large = b.build();
  b.reset();
  b.push(7, 70);
  assert.equal(large.bytes.length, 100001);
  assert.equal(large.offsets[100000], 99999);
  assert.deepEqual([...b.build().bytes], [7]);
});

test('concatByteViews joins in order; sliceByteView shares storage', () => {
  const a = createByteView(new Uint8Array([1, 2]), new Int32Array([0, 3]));
  const b = createByteView(new Uint8Array([3]), new Int32Array([10]));
  const joined = concatByteViews([a, b]);
  assert.deepEqual([...joined.bytes], [1, 2, 3]);
  assert.deepEqual([...joined.offsets], [0, 3, 10]);
  const s = sliceByteView(joined, 1, 3);
  assert.equal(s.bytes.buffer, joined.bytes.buffer);
  assert.deepEqual([...s.offsets], [3, 10]);
  assert.throws(() => createByteView(new Uint8Array(2), new Int32Array(1)), RangeError);
});

test('documentSpanOfBytes: from the first pair to the end of the last; empty spans and spans past the end', () => {
  const v = createByteView(new Uint8Array([0x16, 0x03, 0x01]), new Int32Array([3, 6, 20]));
  assert.deepEqual(documentSpanOfBytes(v, 0, 3), { start: 3, end: 22 });
  assert.deepEqual(documentSpanOfBytes(v, 1, 2), { start: 6, end: 8 });
  assert.deepEqual(documentSpanOfBytes(v, 1, 1), { start: 6, end: 8 });
  assert.deepEqual(documentSpanOfBytes(v, 3, 3), { start: 22, end: 22 });
  assert.deepEqual(documentSpanOfBytes(v, 2, 99), { start: 20, end: 22 });
  assert.deepEqual(documentSpanOfBytes(createByteView(new Uint8Array(0), new Int32Array(0)), 0, 1), { start: 0, end: 0 });
});
