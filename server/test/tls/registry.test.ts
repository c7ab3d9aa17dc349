/** Registry lookups: IANA names, GREASE, unknown values named rather than thrown on. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  alertMeaning,
  describeAlert,
  CIPHER_SUITE_COUNT,
  describeVersion,
  handshakeMessageName,
  isGrease16,
  lookupAlertDescription,
  lookupCipherSpec,
  lookupCipherSuite,
  lookupContentType,
  lookupExtensionType,
  lookupSignatureScheme,
  lookupSupportedGroup,
  lookupVersion,
} from '../../src/core/tls/registry';
import { MAX_MEMOIZED_ENTRIES, memoizeLookup } from '../../src/core/tls/registry/entry';

test('versions, drafts and GREASE', () => {
  assert.equal(describeVersion(0x0002), 'SSL 2.0 (0x0002)');
  assert.equal(describeVersion(0x0300), 'SSL 3.0 (0x0300)');
  assert.equal(describeVersion(0x0304), 'TLS 1.3 (0x0304)');
  assert.equal(lookupVersion(0x7f17).name, 'TLS 1.3 draft 23');
  assert.equal(lookupVersion(0x3a3a).name, 'GREASE (0x3a3a)');
  assert.equal(lookupVersion(0x3a3a).grease, true);
  assert.equal(lookupVersion(0x0305).name, 'unknown (0x0305)');
  assert.equal(lookupVersion(0x0305).known, false);
});

test('RFC 8701 GREASE values are exactly the sixteen 0x?a?a', () => {
  const grease: number[] = [];
  for (let v = 0; v <= 0xffff; v++) if (isGrease16(v)) grease.push(v);
  assert.deepEqual(grease, Array.from({ length: 16 }, (_, i) => (i << 12) | 0x0a00 | (i << 4) | 0x0a));
});

test('cipher suites: the full IANA list, names as IANA writes them', () => {
  assert.ok(CIPHER_SUITE_COUNT > 340, `${CIPHER_SUITE_COUNT} suites`);
  assert.equal(lookupCipherSuite(0x0000).name, 'TLS_NULL_WITH_NULL_NULL');
  assert.equal(lookupCipherSuite(0x00ff).name, 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV');
  assert.equal(lookupCipherSuite(0x5600).name, 'TLS_FALLBACK_SCSV');
  assert.equal(lookupCipherSuite(0x1305).name, 'TLS_AES_128_CCM_8_SHA256');
  assert.equal(lookupCipherSuite(0xc0ae).name, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8');
  assert.equal(lookupCipherSuite(0xd005).name, 'TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256');
  assert.equal(lookupCipherSuite(0x0017).name, 'TLS_DH_anon_EXPORT_WITH_RC4_40_MD5');
  assert.equal(lookupCipherSuite(0xfafa).name, 'GREASE (0xfafa)');
  assert.deepEqual(lookupCipherSuite(0x0047), { value: 0x0047, name: 'unknown (0x0047)', known: false, iana: false, grease: false });
  assert.equal(lookupCipherSuite(0xcc13).iana, false);
});

test('SSLv2 cipher kinds and TLS suites in 24-bit form', () => {
  assert.equal(lookupCipherSpec(0x010080).name, 'SSL2_RC4_128_WITH_MD5');
  assert.equal(lookupCipherSpec(0x0700c0).name, 'SSL2_DES_192_EDE3_CBC_WITH_MD5');
  assert.equal(lookupCipherSpec(0x010080).sslv2Only, true);
  assert.equal(lookupCipherSpec(0x000035).name, 'TLS_RSA_WITH_AES_256_CBC_SHA');
  assert.equal(lookupCipherSpec(0x000035).sslv2Only, false);
  assert.equal(lookupCipherSpec(0x123456).name, 'unknown (0x123456)');
});

test('extensions, groups, signature schemes, alerts, handshake and content types', () => {
  assert.equal(lookupExtensionType(0xfe0d).name, 'encrypted_client_hello');
  assert.equal(lookupExtensionType(0xff01).name, 'renegotiation_info');
  assert.equal(lookupExtensionType(16).name, 'application_layer_protocol_negotiation');
  assert.equal(lookupExtensionType(0x44cd).iana, false);
  assert.equal(lookupSupportedGroup(4588).name, 'X25519MLKEM768');
  assert.equal(lookupSupportedGroup(0x0100).name, 'ffdhe2048');
  assert.equal(lookupSignatureScheme(0x0804).name, 'rsa_pss_rsae_sha256');
  assert.match(lookupSignatureScheme(0x0402).name, /^dsa_sha256/);
  assert.equal(lookupAlertDescription(0).name, 'close_notify');
  assert.equal(lookupAlertDescription(86).name, 'inappropriate_fallback');
  assert.equal(lookupAlertDescription(120).name, 'no_application_protocol');
  assert.equal(lookupAlertDescription(200).name, 'unknown (0xc8)');
  assert.equal(handshakeMessageName(14), 'ServerHelloDone');
  assert.equal(handshakeMessageName(8), 'EncryptedExtensions');
  assert.equal(handshakeMessageName(99), 'unknown (0x63)');
  assert.equal(lookupContentType(24).name, 'heartbeat');
});

test('describeAlert: level when known, the description\'s name and value', () => {
  assert.equal(describeAlert(40, 2), 'fatal handshake_failure (40)');
  assert.equal(describeAlert(0, 1), 'warning close_notify (0)');
  assert.equal(describeAlert(48), 'unknown_ca (48)');
  assert.equal(describeAlert(200, 2), 'fatal unknown (0xc8) (200)');
});

test('alertMeaning: what a registered alert description says went wrong and where it is defined; null for the rest', () => {
  assert.match(alertMeaning(40)!.text, /no set of security parameters/);
  assert.deepEqual([alertMeaning(40)!.rfc, alertMeaning(40)!.section], [8446, '6.2']);
  assert.deepEqual([alertMeaning(86)!.rfc, alertMeaning(86)!.section], [7507, '3']);
  assert.deepEqual([alertMeaning(112)!.rfc, alertMeaning(112)!.section], [6066, '3']);
  assert.equal(alertMeaning(200), null);
  assert.equal(alertMeaning(52), null);
  // Every value with a meaning is a registered description.
  for (let v = 0; v < 256; v++) if (alertMeaning(v)) assert.doesNotMatch(lookupAlertDescription(v).name, /^unknown \(/, String(v));
});

test('memoizeLookup computes each value once, shares frozen entries, keeps a bounded number, and tells -0 from 0', () => {
  const calls: number[] = [];
  const lookup = memoizeLookup((value: number) => {
    calls.push(value);
    return { value, name: `v${value}`, known: true, iana: true, grease: false };
  });
  const a = lookup(7);
  assert.equal(lookup(7), a);
  assert.deepEqual(calls, [7]);
  assert.ok(Object.isFrozen(a));
  assert.deepEqual(a, { value: 7, name: 'v7', known: true, iana: true, grease: false });
  // -0 is computed apart (its entry keeps value -0) and never cached as 0.
  assert.ok(Object.is(lookup(-0).value, -0));
  assert.ok(Object.is(lookup(0).value, 0));
  assert.ok(Object.is(lookup(-0).value, -0));
  // Beyond the bound, values are computed on every call (same content).
  for (let v = 100; v < 100 + MAX_MEMOIZED_ENTRIES; v++) lookup(v);
  const before = calls.length;
  const late = 100 + MAX_MEMOIZED_ENTRIES + 5;
  assert.deepEqual(lookup(late), lookup(late));
  assert.equal(calls.length, before + 2);
  assert.equal(lookup(7), a);
});

test('memoized registry lookups answer the same entries on every call', () => {
  assert.equal(lookupCipherSuite(0x1301), lookupCipherSuite(0x1301));
  assert.deepEqual(lookupSignatureScheme(0x0303), { value: 0x0303, name: 'ecdsa_sha224 (TLS 1.2 pair 0x0303)', known: true, iana: true, grease: false });
  assert.equal(lookupSignatureScheme(0x0303), lookupSignatureScheme(0x0303));
  assert.deepEqual(lookupCipherSpec(0x00002f), { ...lookupCipherSuite(0x002f), value: 0x2f, sslv2Only: false });
  assert.equal(lookupVersion(0x7f17), lookupVersion(0x7f17));
  assert.equal(lookupVersion(0x7f17).name, 'TLS 1.3 draft 23');
});
