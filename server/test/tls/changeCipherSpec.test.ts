/** ChangeCipherSpec records (RFC 5246 §7.1: one byte of value 1) and empty plaintext records (RFC 5246 §6.2.1). Crafted records: 14 03 03 <len> <body>. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { decodeRecordHeaderOnly, decodeTlsStream } from '../../src/core/tls/decodeStream';

const problemsOf = (bytes: number[]) => decodeTlsStream(new Uint8Array(bytes), { direction: 'client' }).problems;

test('ChangeCipherSpec of length 0 is malformed, at its length field; the record after it still decodes', () => {
  const decoded = decodeTlsStream(new Uint8Array([0x14, 3, 3, 0, 0, 0x15, 3, 3, 0, 2, 2, 40]), { direction: 'client' });
  assert.deepEqual(
    decoded.problems.map((p) => [p.kind, p.start, p.end]),
    [['malformed', 3, 5]],
  );
  assert.match(decoded.problems[0].message, /carries one byte of value 1/);
  assert.equal(decoded.records.length, 2);
  assert.equal(decoded.records[1].contentType, 0x15);
});

test('ChangeCipherSpec of one byte 1 is fine; another value is malformed at the value', () => {
  assert.deepEqual(problemsOf([0x14, 3, 3, 0, 1, 1]), []);
  assert.deepEqual(
    problemsOf([0x14, 3, 3, 0, 1, 2]).map((p) => [p.kind, p.start]),
    [['malformed', 5]],
  );
});

test('a record header shown without its body (openssl -msg, curl --trace) with length 0: malformed for ChangeCipherSpec, Alert, Handshake and (protected, so never empty) application data', () => {
  for (const type of [0x14, 0x15, 0x16, 0x17]) {
    const problems = decodeRecordHeaderOnly(new Uint8Array([type, 3, 3, 0, 0])).problems;
    assert.deepEqual(
      problems.map((p) => [p.kind, p.start, p.end]),
      [['malformed', 3, 5]],
      `type ${type}`,
    );
  }
  assert.match(decodeRecordHeaderOnly(new Uint8Array([0x17, 3, 3, 0, 0])).problems[0].message, /application data is always protected/);
  assert.deepEqual(decodeRecordHeaderOnly(new Uint8Array([0x17, 3, 3, 0, 1])).problems, []);
  assert.deepEqual(decodeRecordHeaderOnly(new Uint8Array([0x14, 3, 3, 0, 1])).problems, []);
});
