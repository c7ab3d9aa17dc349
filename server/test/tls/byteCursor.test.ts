/** The bounded cursor: declared vs present bytes, child cursors, trailing bytes. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ByteCursor } from '../../src/core/tls/byteCursor';

test('reads inside the bytes succeed and advance', () => {
  const c = ByteCursor.over(Uint8Array.of(1, 2, 3, 4, 5, 6));
  assert.equal(c.u8('a'), 1);
  assert.equal(c.u16('b'), 0x0203);
  assert.equal(c.u24('c'), 0x040506);
  assert.equal(c.atEnd, true);
  assert.equal(c.finish(), true);
});

test('reading past the present bytes within the declared end is truncated', () => {
  const c = ByteCursor.over(Uint8Array.of(1, 2), 0, 10, { label: 'Record' });
  assert.equal(c.u16('x'), 0x0102);
  assert.equal(c.u16('y'), undefined);
  assert.equal(c.failure?.kind, 'truncated');
  assert.equal(c.failure?.missing, 2);
  assert.equal(c.u8('z'), undefined, 'a failed cursor reads nothing more');
});

test('reading past the declared end is malformed at the length field', () => {
  const c = ByteCursor.over(Uint8Array.of(9, 9, 9, 9), 0, 1, { label: 'ext', lengthField: { start: 7, end: 9 } });
  assert.equal(c.u16('value'), undefined);
  assert.deepEqual(c.failure, { kind: 'malformed', message: 'value needs 2 bytes but ext has 1 left', start: 7, end: 9 });
});

test('a vector longer than its container is malformed with both numbers', () => {
  const c = ByteCursor.over(Uint8Array.of(0, 40, 1, 2, 3));
  assert.equal(c.vector(2, 'extension server_name'), undefined);
  assert.deepEqual(c.failure, { kind: 'malformed', message: 'extension server_name declares 40 bytes but 3 remain', start: 0, end: 2 });
});

test('a child sees only its bytes; leftovers are trailing bytes', () => {
  const c = ByteCursor.over(Uint8Array.of(3, 0xa, 0xb, 0xc, 0xff));
  const v = c.vector(1, 'list');
  assert.ok(v);
  assert.equal(v.body.u16('item'), 0x0a0b);
  assert.equal(v.body.finish(), false);
  assert.deepEqual(c.failure, { kind: 'malformed', message: '1 trailing byte after the end of list', start: 0, end: 1 });
});

test('an isolated child keeps its failure to itself', () => {
  const c = ByteCursor.over(Uint8Array.of(1, 0xa, 0xb));
  const v = c.vector(1, 'ext', true);
  assert.ok(v);
  assert.equal(v.body.u16('two'), undefined);
  assert.equal(v.body.failed, true);
  assert.equal(c.failed, false);
  assert.equal(c.u8('next'), 0x0b);
});
