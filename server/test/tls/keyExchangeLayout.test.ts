/**
 * ServerKeyExchange and ClientKeyExchange bodies that do not fit the negotiated key exchange:
 * an unknown ECCurveType (RFC 8422 §5.4) or ECBasisType (RFC 4492 §5.4), and vectors declared
 * <1..2^N-1> that are empty (EC points, DH and SRP values, explicit curve parameters). Each is
 * malformed at the exact byte or length field; the valid forms stay clean. The curve_type case
 * is what sample-lengths found in fixtures/tls/tls12-ecdhe-psk.msg.txt: psk_identity_hint_length
 * set to 0 makes the hint's first byte ("l", 108) the curve_type.
 * Crafted flights: one record with a ServerHello (TLS 1.2, the suite under test) and the message.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { DecodedTlsStream, OtherHandshakeMessage } from '../../src/core/model/tls';
import { decodeTlsStream } from '../../src/core/tls/decodeStream';
import { ascii, cat, handshake, hex, record, u16, u8, vec16, vec8 } from './helpers';

const TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256 = 0xc037;
const TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA = 0xc013;
const TLS_DH_ANON_WITH_AES_128_CBC_SHA = 0x0034;
const TLS_RSA_WITH_AES_128_CBC_SHA = 0x002f;

const serverHello = (suite: number): Uint8Array => handshake(2, cat(u16(0x0303), new Uint8Array(32).fill(0x22), vec8(), u16(suite), u8(0), vec16()));
/** ServerHello then `message` (type `type`) in one record; returns the bytes and where the message body starts. */
function flight(suite: number, type: number, body: Uint8Array): { bytes: Uint8Array; at: number } {
  const sh = serverHello(suite);
  return { bytes: record(22, 0x0303, cat(sh, handshake(type, body))), at: 5 + sh.length + 4 };
}
const problems = (d: DecodedTlsStream): string[] => d.problems.map((p) => `${p.kind} [${p.start}, ${p.end}): ${p.message}`);
const secondDetails = (d: DecodedTlsStream): Record<string, unknown> => (d.records[0].messages[1] as OtherHandshakeMessage).details ?? {};

function assertOneMalformed(d: DecodedTlsStream, start: number, end: number, message: RegExp): void {
  assert.equal(d.problems.length, 1, problems(d).join(' | '));
  assert.deepEqual([d.problems[0].kind, d.problems[0].start, d.problems[0].end], ['malformed', start, end], problems(d).join(' | '));
  assert.match(d.problems[0].message, message);
}

/** Every proper prefix of a clean flight is one truncation, never malformed. */
function assertPrefixesTruncated(bytes: Uint8Array): void {
  for (let n = 1; n < bytes.length; n++) {
    const kinds = decodeTlsStream(bytes.subarray(0, n), { direction: 'server' }).problems.map((p) => p.kind);
    assert.deepEqual(kinds, ['truncated'], `prefix ${n}`);
  }
}

const X25519_POINT = new Uint8Array(32).fill(0x5a);
const ECDHE_PSK_SKE = cat(
  vec16(ascii('lab-hint')), // psk_identity_hint "lab-hint" (RFC 4279 §2); its length at +0
  u8(3), // curve_type named_curve
  u16(0x001d), // x25519
  vec8(X25519_POINT), // public, length 32
  // no signature: PSK key exchanges are not signed (RFC 5489 §2)
);

test('ECDHE_PSK ServerKeyExchange: hint, named curve and point decode cleanly; every prefix is a truncation', () => {
  const { bytes } = flight(TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256, 12, ECDHE_PSK_SKE);
  const d = decodeTlsStream(bytes, { direction: 'server' });
  assert.deepEqual(problems(d), []);
  const details = secondDetails(d);
  assert.deepEqual([details.pskIdentityHint, details.curveType, details.namedGroup, details.publicKeyLength], ['lab-hint', 'named_curve', 0x1d, 32]);
  assertPrefixesTruncated(bytes);
});

test('ECDHE_PSK ServerKeyExchange with psk_identity_hint_length 0 (the sample-lengths find): the hint byte "l" read as curve_type 108 is malformed there', () => {
  const body = ECDHE_PSK_SKE.slice();
  body[1] = 0; // psk_identity_hint_length 8 -> 0
  const { bytes, at } = flight(TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256, 12, body);
  const d = decodeTlsStream(bytes, { direction: 'server' });
  assert.equal(bytes[at + 2], 0x6c);
  assertOneMalformed(d, at + 2, at + 3, /curve_type 108 is none of explicit_prime \(1\), explicit_char2 \(2\), named_curve \(3\)/);
  assert.equal(secondDetails(d).curveType, 'unknown (108)');
});

test('ECDHE ServerKeyExchange: curve_type 0, 4 and 255 are malformed at the curve_type byte; 3 is not', () => {
  const tail = cat(u16(0x0017), vec8(hex('04 01 02')), u16(0x0401), vec16(hex('5a 5a')));
  const clean = flight(TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, 12, cat(u8(3), tail));
  assert.deepEqual(problems(decodeTlsStream(clean.bytes, { direction: 'server' })), []);
  for (const type of [0, 4, 255]) {
    const { bytes, at } = flight(TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, 12, cat(u8(type), tail));
    assertOneMalformed(decodeTlsStream(bytes, { direction: 'server' }), at, at + 1, new RegExp(`curve_type ${type} is none of`));
  }
});

test('explicit_char2 ServerKeyExchange with basis 3 (RFC 4492 §5.4 defines 1 and 2): malformed at the basis byte', () => {
  const body = hex(`
    02          // curve_type explicit_char2
    00 a3       // m = 163
    03          // basis 3: undefined                         <- +3
    01 07 01 01 01 01 03 04 01 02 01 05 01 02 03 04 05 06
  `);
  const { bytes, at } = flight(TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, 12, body);
  assertOneMalformed(decodeTlsStream(bytes, { direction: 'server' }), at + 3, at + 4, /basis 3 is neither ec_basis_trinomial \(1\) nor ec_basis_pentanomial \(2\)/);
});

test('empty vectors declared <1..2^N-1> are malformed at their length: EC point, DH value, explicit curve parameter; the parse goes on', () => {
  // ECDHE_PSK: public point of length 0 and nothing after (RFC 8422 §5.4: ECPoint point<1..2^8-1>).
  const psk = flight(TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256, 12, cat(vec16(ascii('h')), u8(3), u16(0x001d), vec8()));
  const pointAt = psk.at + 3 + 3;
  const d1 = decodeTlsStream(psk.bytes, { direction: 'server' });
  assertOneMalformed(d1, pointAt, pointAt + 1, /public is empty; it is declared <1\.\.2\^8-1>/);
  assert.equal(secondDetails(d1).publicKeyLength, 0);
  // DH_anon: dh_g of length 0 (RFC 5246 §7.4.3: opaque dh_g<1..2^16-1>), then Ys still read.
  const dh = flight(TLS_DH_ANON_WITH_AES_128_CBC_SHA, 12, cat(vec16(hex('ff ff ff fb')), vec16(), vec16(hex('12 34'))));
  const d2 = decodeTlsStream(dh.bytes, { direction: 'server' });
  assertOneMalformed(d2, dh.at + 6, dh.at + 8, /dh_g is empty; it is declared <1\.\.2\^16-1>/);
  assert.deepEqual([secondDetails(d2).gLength, secondDetails(d2).ysLength], [0, 2]);
  // explicit_prime with an empty cofactor (RFC 4492 §5.4: opaque cofactor<1..2^8-1>).
  const prime = hex('01 02 00 17 01 01 01 01 03 04 03 0a 01 1c 00 03 04 09 10 04 01 00 02 5a 5a');
  const ep = flight(TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, 12, prime);
  assertOneMalformed(decodeTlsStream(ep.bytes, { direction: 'server' }), ep.at + 14, ep.at + 15, /cofactor is empty/);
});

test('ClientKeyExchange of a known key exchange: an empty ecdh_Yc or dh_Yc is malformed at its length; an empty psk_identity is not', () => {
  // The suite is known when the ServerHello is in the same stream (crafted here; a real client stream has none).
  const ec = flight(TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, 16, vec8());
  assertOneMalformed(decodeTlsStream(ec.bytes), ec.at, ec.at + 1, /ecdh_Yc is empty/);
  const dh = flight(TLS_DH_ANON_WITH_AES_128_CBC_SHA, 16, vec16());
  assertOneMalformed(decodeTlsStream(dh.bytes), dh.at, dh.at + 2, /dh_Yc is empty/);
  const psk = flight(TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256, 16, cat(vec16(), vec8(X25519_POINT)));
  assert.deepEqual(problems(decodeTlsStream(psk.bytes)), []);
  const rsa = flight(TLS_RSA_WITH_AES_128_CBC_SHA, 16, vec16(new Uint8Array(128).fill(0x33)));
  assert.deepEqual(problems(decodeTlsStream(rsa.bytes)), []);
});
