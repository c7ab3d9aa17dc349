/**
 * Crafted vectors, every byte explained, for the decoders no real capture in
 * server/test/fixtures/tls exercises (openssl 3.0 and the lab's postfix send
 * none of these): CompressedCertificate, the signed_certificate_timestamp list,
 * status_request_v2, padding, record_size_limit, compress_certificate, the
 * outer encrypted_client_hello, explicit-curve ServerKeyExchange, heartbeat
 * records, and small forms of the messages and extensions the real fixtures do
 * show (CertificateStatus, KeyUpdate, early_data, cookie, post_handshake_auth,
 * psk_key_exchange_modes, pre_shared_key, DH_anon and PSK ServerKeyExchange),
 * so that each has a malformed variant too.
 *
 * For each: the decoded values; every prefix reported as truncated (one
 * problem) and never malformed; and one malformed variant whose problem
 * points at the exact length field that is wrong.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ClientHelloMessage, DecodedTlsStream, OtherHandshakeMessage, ServerHelloMessage, TlsExtension } from '../../src/core/model/tls';
import { decodeDecryptedContent, decodeTlsStream } from '../../src/core/tls/decodeStream';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cat, clientHelloRecord, ext, fieldAt, findSpanViolation, handshake, hex, record, u16, u8, vec16, vec8 } from './helpers';

type Decode = (bytes: Uint8Array) => DecodedTlsStream;

const asHandshake13: Decode = (b) => decodeDecryptedContent(b, 22, { version: 0x0304 });
const asStream: Decode = (b) => decodeTlsStream(b);
const asServerStream: Decode = (b) => decodeTlsStream(b, { direction: 'server' });

/** The whole vector decodes cleanly; every shorter prefix gives exactly one problem, a truncation. */
function assertPrefixesTruncated(bytes: Uint8Array, decode: Decode): void {
  const whole = decode(bytes);
  assert.deepEqual(whole.problems, []);
  assert.equal(findSpanViolation(whole, bytes.length), null);
  for (let n = 1; n < bytes.length; n++) {
    const d = decode(bytes.subarray(0, n));
    const kinds = d.problems.map((p) => `${p.kind}: ${p.message}`);
    assert.equal(d.problems.length, 1, `prefix ${n}: ${kinds.join(' | ')}`);
    assert.equal(d.problems[0].kind, 'truncated', `prefix ${n}: ${kinds.join(' | ')}`);
    assert.equal(findSpanViolation(d, n), null, `prefix ${n}`);
  }
}

/** Exactly one problem, malformed, on bytes [start, end). */
function assertMalformedAt(decoded: DecodedTlsStream, start: number, end: number, message?: RegExp): void {
  assert.equal(decoded.problems.length, 1, decoded.problems.map((p) => `${p.kind}: ${p.message}`).join(' | '));
  const p = decoded.problems[0];
  assert.equal(p.kind, 'malformed', p.message);
  assert.deepEqual([p.start, p.end], [start, end], p.message);
  if (message) assert.match(p.message, message);
}

const firstMessage = (d: DecodedTlsStream): OtherHandshakeMessage => d.records[0].messages[0] as OtherHandshakeMessage;
const details = (d: DecodedTlsStream): Record<string, unknown> => firstMessage(d).details ?? {};
const extension = (exts: readonly TlsExtension[], type: number): Record<string, unknown> | undefined => exts.find((e) => e.type === type)?.details;

/** Offset of the first occurrence of `needle` in `bytes` (to point at a field inside a built vector). */
function indexOf(bytes: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('needle not found');
}

/** A copy of `bytes` with bytes[at..] replaced by `patch`. */
const patched = (bytes: Uint8Array, at: number, patch: number[]): Uint8Array => {
  const out = Uint8Array.from(bytes);
  out.set(patch, at);
  return out;
};

// ---------------------------------------------------------------- messages

const CERTIFICATE_STATUS = hex(`
  16          // msg_type 22 = certificate_status
  00 00 09    // length 9
  01          // status_type 1 = ocsp
  00 00 05    // ocsp_response length 5                  <- bytes 5-7
  30 03 0a 01 00 // OCSPResponse: SEQUENCE { ENUMERATED 0 = successful } (no responseBytes)
`);

test('CertificateStatus (RFC 6066 §8): ocsp, response length', () => {
  const d = asHandshake13(CERTIFICATE_STATUS);
  assert.deepEqual(details(d), { statusType: 'ocsp', ocspResponseLength: 5 });
  assert.equal(fieldAt(firstMessage(d).field, 'CertificateStatus', 'ocsp_response')?.value, '30030a0100');
  assertPrefixesTruncated(CERTIFICATE_STATUS, asHandshake13);
  // ocsp_response length 6 with 5 bytes left in the message.
  assertMalformedAt(asHandshake13(patched(CERTIFICATE_STATUS, 5, [0, 0, 6])), 5, 8, /ocsp_response declares 6 bytes but 5 remain/);
});

const KEY_UPDATE = hex(`
  18          // msg_type 24 = key_update
  00 00 01    // length 1                                 <- bytes 1-3
  01          // request_update 1 = update_requested
`);

test('KeyUpdate (RFC 8446 §4.6.3): request_update', () => {
  assert.deepEqual(details(asHandshake13(KEY_UPDATE)), { requestUpdate: 'update_requested' });
  assert.deepEqual(details(asHandshake13(hex('18 00 00 01 00'))), { requestUpdate: 'update_not_requested' });
  assertPrefixesTruncated(KEY_UPDATE, asHandshake13);
  // length 2: one byte after request_update.
  assertMalformedAt(asHandshake13(cat(hex('18 00 00 02 01'), u8(0))), 1, 4, /1 trailing byte after the end of KeyUpdate/);
  // A value other than 0 or 1 is illegal_parameter, at the value.
  assertMalformedAt(asHandshake13(hex('18 00 00 01 02')), 4, 5, /neither 0 nor 1/);
});

const COMPRESSED_CERTIFICATE = hex(`
  19          // msg_type 25 = compressed_certificate
  00 00 0d    // length 13
  00 01       // algorithm 1 = zlib
  00 03 e8    // uncompressed_length 1000
  00 00 05    // compressed_certificate_message length 5  <- bytes 9-11
  78 9c 03 00 00 // zlib stream (header 78 9c, an empty final block)
`);

test('CompressedCertificate (RFC 8879 §4): algorithm, uncompressed length, compressed bytes', () => {
  const d = asHandshake13(COMPRESSED_CERTIFICATE);
  assert.deepEqual(details(d), { algorithm: 'zlib', uncompressedLength: 1000, compressedLength: 5 });
  assert.equal(firstMessage(d).name, 'CompressedCertificate');
  assertPrefixesTruncated(COMPRESSED_CERTIFICATE, asHandshake13);
  assertMalformedAt(asHandshake13(patched(COMPRESSED_CERTIFICATE, 9, [0, 0, 6])), 9, 12, /declares 6 bytes but 5 remain/);
});

test('NewSessionTicket (RFC 8446 §4.6.1) with early_data max_early_data_size (§4.2.10)', () => {
  const bytes = hex(`
    04          // msg_type 4 = new_session_ticket
    00 00 1a    // length 26
    00 00 1c 20 // ticket_lifetime 7200 s
    01 02 03 04 // ticket_age_add
    01 00       // ticket_nonce length 1, nonce 00
    00 04 aa bb cc dd // ticket length 4, ticket
    00 08       // extensions length 8
    00 2a       // extension_type 42 = early_data
    00 04       // extension_data length 4                 <- bytes 24-25
    00 00 40 00 // max_early_data_size 16384
  `);
  const d = asHandshake13(bytes);
  assert.deepEqual(details(d).extensions, [{ type: 42, name: 'early_data', maxEarlyDataSize: 16384 }]);
  assert.equal(details(d).ticketLifetime, 7200);
  assertPrefixesTruncated(bytes, asHandshake13);
  // extension_data length 3: max_early_data_size needs 4 bytes.
  const bad = cat(patched(bytes, 0, [4, 0, 0, 0x19]).subarray(0, 4), hex('00 00 1c 20 01 02 03 04 01 00 00 04 aa bb cc dd 00 07 00 2a 00 03 00 40 00'));
  assertMalformedAt(asHandshake13(bad), 24, 26, /max_early_data_size needs 4 bytes but extension early_data has 3 left/);
});

// ---------------------------------------------------------------- ClientHello extensions

/** A TLS 1.3 ClientHello record carrying `extensions`; the record starts at byte 0. */
const hello = (...extensions: Uint8Array[]): Uint8Array => clientHelloRecord({ extensions });
const decodedHello = (bytes: Uint8Array): ClientHelloMessage => decodeTlsStream(bytes).records[0].messages[0] as ClientHelloMessage;

const PSK_IDENTITY = hex('70 73 6b 2d 69 64'); // "psk-id"
const BINDER = new Uint8Array(32).fill(0xb1);

const CLIENT_EXTENSIONS = [
  ext(43, vec8(u16(0x0304))), // supported_versions: TLS 1.3
  ext(42), // early_data: empty in ClientHello (RFC 8446 §4.2.10)
  ext(44, vec16(hex('c0 0c 1e'))), // cookie: cookie<1..2^16-1> = c0 0c 1e (RFC 8446 §4.2.2)
  ext(21, new Uint8Array(5)), // padding: five zero bytes (RFC 7685 §3)
  ext(28, u16(0x4001)), // record_size_limit 16385 (RFC 8449 §4)
  ext(27, vec8(u16(2), u16(1))), // compress_certificate: brotli, zlib (RFC 8879 §3)
  ext(49), // post_handshake_auth: empty (RFC 8446 §4.2.6)
  ext(17, vec16(u8(2), vec16(vec16(), vec16()))), // status_request_v2: ocsp_multi, empty responder ids and extensions (RFC 6961 §2.2)
  ext(18), // signed_certificate_timestamp: empty in ClientHello (RFC 6962 §3.3.1)
  ext(45, vec8(u8(1))), // psk_key_exchange_modes: psk_dhe_ke (RFC 8446 §4.2.9)
  // pre_shared_key, last (RFC 8446 §4.2.11): one identity "psk-id" with obfuscated_ticket_age 0x01020304, one 32-byte binder.
  ext(41, cat(vec16(vec16(PSK_IDENTITY), hex('01 02 03 04')), vec16(vec8(BINDER)))),
];

test('ClientHello extensions without a real capture: decoded values', () => {
  const ch = decodedHello(hello(...CLIENT_EXTENSIONS));
  const x = ch.extensions;
  assert.equal(extension(x, 42), undefined);
  assert.deepEqual(extension(x, 44), { cookieLength: 3 });
  assert.deepEqual(extension(x, 21), { paddingLength: 5, allZero: true });
  assert.deepEqual(extension(x, 28), { recordSizeLimit: 16385 });
  assert.deepEqual(extension(x, 27), { algorithms: [2, 1] });
  assert.equal(extension(x, 49), undefined);
  assert.deepEqual(extension(x, 17), { statusTypes: [2] });
  assert.equal(extension(x, 18), undefined);
  assert.deepEqual(extension(x, 45), { modes: [1] });
  assert.deepEqual(extension(x, 41), { identities: [{ identityLength: 6, obfuscatedTicketAge: 0x01020304 }], binderLengths: [32] });
  assert.deepEqual(x.map((e) => e.name), [
    'supported_versions', 'early_data', 'cookie', 'padding', 'record_size_limit', 'compress_certificate', 'post_handshake_auth',
    'status_request_v2', 'signed_certificate_timestamp', 'psk_key_exchange_modes', 'pre_shared_key',
  ]);
});

test('ClientHello extensions without a real capture: every prefix is truncated', () => {
  assertPrefixesTruncated(hello(...CLIENT_EXTENSIONS), asStream);
});

/** Start of extension `type`'s extension_data_length in a hello built by `hello()`. */
function extensionDataLengthAt(bytes: Uint8Array, type: number): number {
  const found = decodedHello(bytes).extensions.find((e) => e.type === type);
  assert.ok(found, `extension ${type}`);
  return found.start + 2;
}

test('ClientHello extensions: one malformed variant each, at the length field that is wrong', () => {
  // early_data and post_handshake_auth with one byte: at extension_data_length, which declares it.
  for (const type of [42, 49]) {
    const bytes = hello(ext(type, u8(0)));
    const at = extensionDataLengthAt(bytes, type);
    assertMalformedAt(decodeTlsStream(bytes), at, at + 2, /extension_data must be empty but has 1 bytes/);
  }
  // cookie<2> declaring 4 bytes, 3 present in the extension: at the cookie length.
  {
    const bytes = hello(ext(44, hex('00 04 c0 0c 1e')));
    const at = extensionDataLengthAt(bytes, 44) + 2;
    assertMalformedAt(decodeTlsStream(bytes), at, at + 2, /cookie declares 4 bytes but 3 remain/);
  }
  // padding whose extension_data_length runs past the extensions block.
  {
    const bytes = hello(ext(21, new Uint8Array(5)));
    const at = extensionDataLengthAt(bytes, 21);
    const bad = patched(bytes, at, [0, 6]);
    assertMalformedAt(decodeTlsStream(bad), at, at + 2, /extension padding declares 6 bytes but 5 remain/);
  }
  // record_size_limit with three bytes: one trailing byte, at extension_data_length.
  {
    const bytes = hello(ext(28, hex('40 01 00')));
    const at = extensionDataLengthAt(bytes, 28);
    assertMalformedAt(decodeTlsStream(bytes), at, at + 2, /1 trailing byte after the end of extension record_size_limit/);
  }
  // compress_certificate: algorithms length 3 is odd, at that length byte.
  {
    const bytes = hello(ext(27, hex('03 00 02 00')));
    const at = extensionDataLengthAt(bytes, 27) + 2;
    assertMalformedAt(decodeTlsStream(bytes), at, at + 1, /algorithms length 3 is odd/);
  }
  // status_request_v2: an item's request<2> declares 5 bytes, 4 remain: at that request length.
  {
    const bytes = hello(ext(17, hex('00 07 02 00 05 00 00 00 00')));
    const at = extensionDataLengthAt(bytes, 17) + 2 + 2 + 1;
    assertMalformedAt(decodeTlsStream(bytes), at, at + 2, /request declares 5 bytes but 4 remain/);
  }
  // psk_key_exchange_modes: ke_modes declares 2 bytes, 1 present.
  {
    const bytes = hello(ext(45, hex('02 01')));
    const at = extensionDataLengthAt(bytes, 45) + 2;
    assertMalformedAt(decodeTlsStream(bytes), at, at + 1, /ke_modes declares 2 bytes but 1 remain/);
  }
  // pre_shared_key: the identity declares 7 bytes where 6 and the age follow.
  {
    const good = hello(ext(41, cat(vec16(vec16(PSK_IDENTITY), hex('01 02 03 04')), vec16(vec8(BINDER)))));
    const at = indexOf(good, cat(u16(6), PSK_IDENTITY));
    const bad = patched(good, at, [0, 7]);
    // The identity's 7 bytes fit in the identities list, so the ticket age is what runs past it.
    assertMalformedAt(decodeTlsStream(bad), at - 2, at, /obfuscated_ticket_age needs 4 bytes but identities has 3 left/);
  }
  // pre_shared_key: a binder declaring 33 bytes in a 33-byte binders list.
  {
    const good = hello(ext(41, cat(vec16(vec16(PSK_IDENTITY), hex('01 02 03 04')), vec16(vec8(BINDER)))));
    const at = indexOf(good, cat(u8(32), BINDER.subarray(0, 4)));
    assertMalformedAt(decodeTlsStream(patched(good, at, [33])), at, at + 1, /binder declares 33 bytes but 32 remain/);
  }
});

const ECH_OUTER = cat(
  hex(`
    00          // ECHClientHelloType 0 = outer
    00 01       // HpkeSymmetricCipherSuite.kdf_id 1 = HKDF-SHA256
    00 01       // aead_id 1 = AES-128-GCM
    2a          // config_id 42
    00 20       // enc length 32
  `),
  new Uint8Array(32).fill(0xe0), // enc: the HPKE encapsulated key (X25519, 32 bytes)
  hex('00 10'), // payload length 16
  new Uint8Array(16).fill(0x9a), // payload: the encrypted inner ClientHello (a stand-in)
);

test('encrypted_client_hello, outer form (draft-ietf-tls-esni §5)', () => {
  const bytes = hello(ext(0xfe0d, ECH_OUTER));
  assert.deepEqual(extension(decodedHello(bytes).extensions, 0xfe0d), { echType: 'outer', kdfId: 1, aeadId: 1, configId: 42, encLength: 32, payloadLength: 16 });
  assertPrefixesTruncated(bytes, asStream);
  // enc declaring 0x40 bytes with 50 left (32 of enc, 2 + 16 of payload): at the enc length.
  const at = extensionDataLengthAt(bytes, 0xfe0d) + 2 + 6;
  assertMalformedAt(decodeTlsStream(patched(bytes, at, [0, 0x40])), at, at + 2, /enc declares 64 bytes but 50 remain/);
});

// ---------------------------------------------------------------- ServerHello extensions

const LOG_ID = new Uint8Array(32).fill(0x1d);
/** SerializedSCT (RFC 6962 §3.2): v1, log id, timestamp 2021-01-01T00:00:00Z, no extensions, ecdsa/sha256 signature. */
const SCT = cat(
  u8(0), // sct_version v1
  LOG_ID, // log_id: SHA-256 of the log's key
  hex('00 00 01 76 bb 3e 70 00'), // timestamp 1609459200000 ms
  hex('00 00'), // extensions length 0
  hex('04 03'), // digitally-signed: hash sha256 (4), signature ecdsa (3)
  hex('00 04 30 02 05 00'), // signature length 4 and bytes
);

/** A TLS 1.2 ServerHello record with `extensions` (suite TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256). */
const serverHello = (...extensions: Uint8Array[]): Uint8Array =>
  record(22, 0x0303, handshake(2, cat(u16(0x0303), new Uint8Array(32).fill(0x22), vec8(), u16(0xc02f), u8(0), vec16(...extensions))));

test('signed_certificate_timestamp list in a ServerHello (RFC 6962 §3.3)', () => {
  const bytes = serverHello(ext(18, vec16(vec16(SCT))));
  const sh = decodeTlsStream(bytes, { direction: 'server' }).records[0].messages[0] as ServerHelloMessage;
  const scts = extension(sh.extensions, 18)?.scts as Record<string, unknown>[];
  assert.deepEqual(scts, [{ length: SCT.length, version: 0, logId: '1d'.repeat(32), timestamp: 1609459200000 }]);
  const node = fieldAt(sh.field, 'ServerHello', 'extensions', 'extensions[0]', 'signed_certificate_timestamp_list', 'signed_certificate_timestamp_list[0]', 'timestamp');
  assert.equal(node?.display, '2021-01-01T00:00:00.000Z');
  assertPrefixesTruncated(bytes, asServerStream);
  // SerializedSCT length one more than the list holds: at that length.
  const at = indexOf(bytes, cat(u16(SCT.length), u8(0), LOG_ID.subarray(0, 2)));
  assertMalformedAt(decodeTlsStream(patched(bytes, at, [0, SCT.length + 1]), { direction: 'server' }), at, at + 2, /SerializedSCT declares 52 bytes but 51 remain/);
});

test('pre_shared_key selected_identity in a ServerHello (RFC 8446 §4.2.11)', () => {
  const bytes = serverHello(ext(41, u16(0)));
  const sh = decodeTlsStream(bytes, { direction: 'server' }).records[0].messages[0] as ServerHelloMessage;
  assert.deepEqual(extension(sh.extensions, 41), { selectedIdentity: 0 });
  assertPrefixesTruncated(bytes, asServerStream);
  // Three bytes: one after selected_identity, at extension_data_length.
  const bad = serverHello(ext(41, hex('00 00 00')));
  const at = (decodeTlsStream(bad).records[0].messages[0] as ServerHelloMessage).extensions[0].start + 2;
  assertMalformedAt(decodeTlsStream(bad, { direction: 'server' }), at, at + 2, /1 trailing byte after the end of extension pre_shared_key/);
});

// ---------------------------------------------------------------- ServerKeyExchange

/** ServerHello (suite `suite`, TLS 1.2) then ServerKeyExchange `ske` in one record: the suite tells the SKE layout. */
const flight = (suite: number, ske: Uint8Array): Uint8Array =>
  record(22, 0x0303, cat(handshake(2, cat(u16(0x0303), new Uint8Array(32).fill(0x22), vec8(), u16(suite), u8(0), vec16())), handshake(12, ske)));
const ske = (d: DecodedTlsStream): Record<string, unknown> => (d.records[0].messages[1] as OtherHandshakeMessage).details ?? {};

const DH_ANON_SKE = hex(`
  00 04 ff ff ff fb // dh_p length 4, p (a stand-in)
  00 01 02          // dh_g length 1, g = 2
  00 04 12 34 56 78 // dh_Ys length 4, Ys                    <- dh_Ys length at +9
                    // no signature: anonymous (RFC 5246 §7.4.3)
`);

test('ServerKeyExchange for DH_anon (TLS_DH_anon_WITH_AES_128_CBC_SHA): p, g, Ys, no signature', () => {
  const bytes = flight(0x0034, DH_ANON_SKE);
  assert.deepEqual(ske(decodeTlsStream(bytes)), { keyExchange: 'DH', pLength: 4, pBits: 32, gLength: 1, ysLength: 4 });
  assertPrefixesTruncated(bytes, asServerStream);
  const at = bytes.length - DH_ANON_SKE.length + 9;
  assertMalformedAt(decodeTlsStream(patched(bytes, at, [0, 5])), at, at + 2, /dh_Ys declares 5 bytes but 4 remain/);
});

test('ServerKeyExchange for PSK (TLS_PSK_WITH_AES_128_CBC_SHA): the identity hint alone', () => {
  const body = cat(vec16(hex('6c 61 62')) /* psk_identity_hint "lab" */);
  const bytes = flight(0x008c, body);
  assert.deepEqual(ske(decodeTlsStream(bytes)), { keyExchange: 'PSK', pskIdentityHint: 'lab' });
  assertPrefixesTruncated(bytes, asServerStream);
  const at = bytes.length - body.length;
  assertMalformedAt(decodeTlsStream(patched(bytes, at, [0, 4])), at, at + 2, /psk_identity_hint declares 4 bytes but 3 remain/);
});

const EXPLICIT_PRIME_SKE = hex(`
  01          // curve_type 1 = explicit_prime (RFC 4492 §5.4)
  02 00 17    // prime_p length 2, p = 23
  01 01       // ECCurve.a length 1, a = 1
  01 01       // ECCurve.b length 1, b = 1
  03 04 03 0a // base: ECPoint length 3, uncompressed (04) x = 3, y = 10
  01 1c       // order length 1, 28
  01 01       // cofactor length 1, 1                       <- cofactor length at +14
  03 04 09 10 // public: ECPoint length 3, 04 x = 9, y = 16
  04 01       // signature_algorithm rsa_pkcs1_sha256
  00 02 5a 5a // signature length 2 (a stand-in)
`);

test('ServerKeyExchange with an explicit prime curve (RFC 4492 §5.4): every parameter, the point, the signature', () => {
  const bytes = flight(0xc013, EXPLICIT_PRIME_SKE);
  assert.deepEqual(ske(decodeTlsStream(bytes)), {
    keyExchange: 'ECDHE',
    curveType: 'explicit_prime',
    explicitCurve: { prime_p: 2, a: 1, b: 1, base: 3, order: 1, cofactor: 1 },
    publicKeyLength: 3,
    publicKey: '040910',
    signatureAlgorithm: 0x0401,
    signatureAlgorithmName: 'rsa_pkcs1_sha256',
    signatureLength: 2,
  });
  assertPrefixesTruncated(bytes, asServerStream);
  // cofactor length 0x20 runs past the message.
  const at = bytes.length - EXPLICIT_PRIME_SKE.length + 14;
  assertMalformedAt(decodeTlsStream(patched(bytes, at, [0x20])), at, at + 1, /cofactor declares 32 bytes but 11 remain/);
});

test('ServerKeyExchange with an explicit char2 curve (RFC 4492 §5.4): m, trinomial basis, curve', () => {
  const body = hex(`
    02          // curve_type 2 = explicit_char2
    00 a3       // m = 163
    01          // basis 1 = ec_basis_trinomial
    01 07       // k length 1, k = 7
    01 01 01 01 // a, b
    03 04 01 02 // base
    01 05 01 02 // order, cofactor
    03 04 05 06 // public
    04 01 00 02 5a 5a // signature
  `);
  const d = ske(decodeTlsStream(flight(0xc013, body)));
  assert.deepEqual([d.curveType, d.m, d.basis, d.explicitCurve, d.publicKey], ['explicit_char2', 163, 1, { k: 1, a: 1, b: 1, base: 3, order: 1, cofactor: 1 }, '040506']);
  assertPrefixesTruncated(flight(0xc013, body), asServerStream);
});

// ---------------------------------------------------------------- heartbeat

const HEARTBEAT = cat(
  hex(`
    18          // content_type 24 = heartbeat
    03 03       // version TLS 1.2
    00 16       // length 22
    01          // HeartbeatMessageType 1 = heartbeat_request
    00 03       // payload_length 3                          <- bytes 6-7
    61 62 63    // payload "abc"
  `),
  new Uint8Array(16).fill(0x50), // padding: 16 bytes, the minimum (RFC 6520 §4)
);

test('heartbeat record (RFC 6520 §4): type, payload, padding; an over-long payload_length is malformed there', () => {
  const d = decodeTlsStream(HEARTBEAT);
  assert.deepEqual(d.problems, []);
  const r = d.records[0];
  assert.equal(r.contentType, 24);
  assert.deepEqual(r.field.children?.slice(1).map((c) => [c.name, c.value]), [
    ['type', 1],
    ['payload_length', 3],
    ['payload', '616263'],
    ['padding', '50'.repeat(16)],
  ]);
  assertPrefixesTruncated(HEARTBEAT, asStream);
  // The CVE-2014-0160 shape: payload_length 0x4000 in a 22-byte record.
  assertMalformedAt(decodeTlsStream(patched(HEARTBEAT, 6, [0x40, 0x00])), 6, 8, /payload_length 16384 exceeds the 19 bytes left/);
  // Padding shorter than 16 bytes.
  assertMalformedAt(decodeTlsStream(cat(hex('18 03 03 00 0a 02 00 03 61 62 63'), new Uint8Array(4))), 6, 8, /padding is 4 bytes/);
});

// ---------------------------------------------------------------- SSLv2 SERVER-HELLO certificate

/** The server certificate of a real session (postfix, tls12-rsa-cbc), as DER. */
function realCertificate(): Uint8Array {
  const bytes = new Uint8Array(readFileSync(join(__dirname, '..', 'fixtures', 'tls', 'tls12-rsa-cbc.server.bin')));
  const decoded = decodeTlsStream(bytes, { direction: 'server' });
  const cert = decoded.records.flatMap((r) => r.messages).find((m) => m.name === 'Certificate');
  assert.ok(cert);
  const node = fieldAt(cert.field, 'Certificate', 'certificate_list', 'certificate_list[0]', 'cert_data');
  return hex(String(node?.value));
}

test('SSLv2 SERVER-HELLO: the certificate decodes through the same X.509 path as a TLS Certificate', () => {
  const der = realCertificate();
  assert.equal(der.length, 827);
  const body = cat(
    hex(`
      04          // msg_type 4 = SERVER-HELLO
      00          // session_id_hit 0
      01          // certificate_type 1 = SSL_CT_X509_CERTIFICATE
      00 02       // server_version 0x0002 = SSL 2.0
      03 3b       // certificate_length 827                <- bytes 7-8 of the record
      00 03       // cipher_specs_length 3
      00 10       // connection_id_length 16
    `),
    der,
    hex('01 00 80'), // SSL2_RC4_128_WITH_MD5
    hex('00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f'), // connection_id
  );
  const bytes = cat(u16(0x8000 | body.length), body); // 2-byte SSLv2 record header: high bit, length
  const d = decodeTlsStream(bytes, { direction: 'server' });
  assert.deepEqual(d.problems, []);
  const m = d.records[0].messages[0] as OtherHandshakeMessage;
  const cert = m.details?.certificate as Record<string, unknown>;
  assert.deepEqual(
    [cert.length, cert.subject, cert.issuer, cert.keyType, cert.keyBits, cert.signatureAlgorithm, cert.subjectAltNames, cert.notAfter],
    [827, 'CN=mx.example.test', 'CN=mx.example.test', 'RSA', 2048, 'sha256WithRSAEncryption', ['DNS:mx.example.test', 'IP:127.0.0.1'], '2036-11-26T04:07:55.000Z'],
  );
  // The same summary as the TLS Certificate message of that session gives.
  const tls = decodeTlsStream(new Uint8Array(readFileSync(join(__dirname, '..', 'fixtures', 'tls', 'tls12-rsa-cbc.server.bin'))), { direction: 'server' });
  const tlsCert = (tls.records.flatMap((r) => r.messages).find((x) => x.name === 'Certificate') as OtherHandshakeMessage).details?.certificates as Record<string, unknown>[];
  assert.deepEqual(cert, tlsCert[0]);
  assert.match(String(fieldAt(m.field, 'certificate')?.display), /^CN=mx\.example\.test \(issuer CN=mx\.example\.test; RSA 2048 bits/);
  assertPrefixesTruncated(bytes, asServerStream);
  // certificate_length one more than the message holds after it.
  const bad = patched(bytes, 7, [0x03, 0x3b + 20]);
  assertMalformedAt(decodeTlsStream(bad, { direction: 'server' }), 7, 9, /certificate declares 847 bytes but 846 remain/);
});
