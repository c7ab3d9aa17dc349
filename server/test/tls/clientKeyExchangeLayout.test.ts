/**
 * A ClientKeyExchange whose key exchange is unknown (the client's stream alone, no ServerHello):
 * a body that fits no layout of any key exchange is reported malformed; bodies that fit one are not.
 * Crafted records: 16 03 03 <len> | 10 <24-bit len> <body>. The failing case is the fuzz reproducer
 * fixtures/fuzz-regressions/sample-lengths-8c0a299df8e5.json (an X25519 point's length byte set to 0).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { decodeTlsStream } from '../../src/core/tls/decodeStream';

function clientKeyExchange(body: number[]): Uint8Array {
  const msg = [0x10, 0, (body.length >> 8) & 0xff, body.length & 0xff, ...body];
  return new Uint8Array([0x16, 0x03, 0x03, (msg.length >> 8) & 0xff, msg.length & 0xff, ...msg]);
}
const bytes = (n: number, v = 0xab): number[] => Array.from({ length: n }, () => v);
const problemsOf = (body: number[]): string[] => decodeTlsStream(clientKeyExchange(body), { direction: 'client' }).problems.map((p) => `${p.kind}: ${p.message}`);

test('ClientKeyExchange, key exchange unknown: a body no layout covers is malformed, at its first bytes', () => {
  // 00 then 32 bytes: a zero-length EC point (ecdh_Yc<1..2^8-1>) followed by 32 stray bytes.
  const body = [0x00, ...bytes(32)];
  const decoded = decodeTlsStream(clientKeyExchange(body), { direction: 'client' });
  assert.equal(decoded.problems.length, 1);
  assert.equal(decoded.problems[0].kind, 'malformed');
  assert.match(decoded.problems[0].message, /ClientKeyExchange body of 33 bytes fits no key exchange/);
  // Buffer offset 9: after the record header (5) and the handshake header (4).
  assert.equal(decoded.problems[0].start, 9);
});

test('ClientKeyExchange, key exchange unknown: every known layout passes', () => {
  assert.deepEqual(problemsOf([32, ...bytes(32)]), [], 'EC point with a 1-byte length');
  assert.deepEqual(problemsOf([0x01, 0x00, ...bytes(256)]), [], 'RSA secret or DH value with a 2-byte length');
  assert.deepEqual(problemsOf([0x00, 0x04, ...bytes(4, 0x41)]), [], 'PSK identity alone');
  assert.deepEqual(problemsOf([0x00, 0x04, ...bytes(4, 0x41), 32, ...bytes(32)]), [], 'PSK identity and an EC point');
  assert.deepEqual(problemsOf([0x00, 0x04, ...bytes(4, 0x41), 0x00, 0x80, ...bytes(128)]), [], 'PSK identity and a DH value');
  assert.deepEqual(problemsOf(bytes(128, 0x5c)), [], 'SSL 3.0 RSA block without a length (1024-bit modulus)');
});

test('ClientKeyExchange cut short: truncated only, never this malformed note', () => {
  const whole = clientKeyExchange([0x00, ...bytes(32)]);
  const kinds = decodeTlsStream(whole.subarray(0, 20), { direction: 'client' }).problems.map((p) => p.kind);
  assert.deepEqual(kinds, ['truncated']);
});
