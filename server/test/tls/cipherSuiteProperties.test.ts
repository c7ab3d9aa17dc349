/**
 * describeCipherSuite(): the properties read off IANA names, on suites checked
 * by hand against the RFC that defines each (the RFC is named on its row).
 * Flags column, in this order: N NULL, E EXPORT, A anon, R RC4, D DES, T 3DES,
 * C CBC, G AEAD, P forward secrecy; '-' when not set.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { describeCipherSuite, type CipherSuiteProperties } from '../../src/core/tls/registry/cipherSuiteProperties';
import { isRecommendedGroup, isRecommendedSignatureScheme, SSL_3_0, TLS_1_0, TLS_1_2, TLS_1_3 } from '../../src/core/tls/registry';

type Row = readonly [value: number, rfc: string, kx: string, auth: string, cipher: string, mac: string, flags: string, min: number];

const ROWS: readonly Row[] = [
  // RFC 5246 App. A.5 (and RFC 6101 App. A.6 for SSL 3.0)
  [0x0000, 'RFC 5246 A.5', 'NULL', 'NULL', 'NULL', 'NULL', 'N--------', SSL_3_0],
  [0x0001, 'RFC 5246 A.5', 'RSA', 'RSA', 'NULL', 'MD5', 'N--------', SSL_3_0],
  [0x0002, 'RFC 5246 A.5', 'RSA', 'RSA', 'NULL', 'SHA', 'N--------', SSL_3_0],
  [0x003b, 'RFC 5246 A.5', 'RSA', 'RSA', 'NULL', 'SHA256', 'N--------', TLS_1_2],
  [0x0004, 'RFC 5246 A.5', 'RSA', 'RSA', 'RC4_128', 'MD5', '---R-----', SSL_3_0],
  [0x0005, 'RFC 5246 A.5', 'RSA', 'RSA', 'RC4_128', 'SHA', '---R-----', SSL_3_0],
  [0x000a, 'RFC 5246 A.5', 'RSA', 'RSA', '3DES_EDE_CBC', 'SHA', '-----TC--', SSL_3_0],
  [0x002f, 'RFC 5246 A.5', 'RSA', 'RSA', 'AES_128_CBC', 'SHA', '------C--', TLS_1_0],
  [0x003c, 'RFC 5246 A.5', 'RSA', 'RSA', 'AES_128_CBC', 'SHA256', '------C--', TLS_1_2],
  [0x0016, 'RFC 5246 A.5', 'DHE', 'RSA', '3DES_EDE_CBC', 'SHA', '-----TC-P', SSL_3_0],
  [0x0013, 'RFC 5246 A.5', 'DHE', 'DSS', '3DES_EDE_CBC', 'SHA', '-----TC-P', SSL_3_0],
  [0x0031, 'RFC 5246 A.5', 'DH', 'RSA', 'AES_128_CBC', 'SHA', '------C--', TLS_1_0],
  [0x006b, 'RFC 5246 A.5', 'DHE', 'RSA', 'AES_256_CBC', 'SHA256', '------C-P', TLS_1_2],
  [0x0018, 'RFC 5246 A.5', 'DH', 'anon', 'RC4_128', 'MD5', '--AR----P', SSL_3_0],
  [0x006c, 'RFC 5246 A.5', 'DH', 'anon', 'AES_128_CBC', 'SHA256', '--A---C-P', TLS_1_2],
  // RFC 2246 A.5 / RFC 4346 A.5: export suites, not negotiable from TLS 1.1 on
  [0x0003, 'RFC 2246 A.5', 'RSA', 'RSA', 'RC4_40', 'MD5', '-E-R-----', SSL_3_0],
  [0x0006, 'RFC 2246 A.5', 'RSA', 'RSA', 'RC2_CBC_40', 'MD5', '-E----C--', SSL_3_0],
  [0x0008, 'RFC 2246 A.5', 'RSA', 'RSA', 'DES40_CBC', 'SHA', '-E--D-C--', SSL_3_0],
  [0x0011, 'RFC 2246 A.5', 'DHE', 'DSS', 'DES40_CBC', 'SHA', '-E--D-C-P', SSL_3_0],
  [0x0017, 'RFC 2246 A.5', 'DH', 'anon', 'RC4_40', 'MD5', '-EAR----P', SSL_3_0],
  // RFC 5469: DES and IDEA
  [0x0009, 'RFC 5469', 'RSA', 'RSA', 'DES_CBC', 'SHA', '----D-C--', SSL_3_0],
  [0x0007, 'RFC 5469', 'RSA', 'RSA', 'IDEA_CBC', 'SHA', '------C--', SSL_3_0],
  // RFC 2712: Kerberos
  [0x001f, 'RFC 2712', 'KRB5', 'KRB5', '3DES_EDE_CBC', 'SHA', '-----TC--', TLS_1_0],
  [0x0026, 'RFC 2712', 'KRB5', 'KRB5', 'DES_CBC_40', 'SHA', '-E--D-C--', TLS_1_0],
  // RFC 4279, RFC 4785, RFC 5487: pre-shared keys
  [0x008c, 'RFC 4279', 'PSK', 'PSK', 'AES_128_CBC', 'SHA', '------C--', TLS_1_0],
  [0x0090, 'RFC 4279', 'DHE_PSK', 'PSK', 'AES_128_CBC', 'SHA', '------C-P', TLS_1_0],
  [0x0094, 'RFC 4279', 'RSA_PSK', 'RSA_PSK', 'AES_128_CBC', 'SHA', '------C--', TLS_1_0],
  [0x002c, 'RFC 4785', 'PSK', 'PSK', 'NULL', 'SHA', 'N--------', TLS_1_0],
  [0x00a8, 'RFC 5487', 'PSK', 'PSK', 'AES_128_GCM', 'AEAD', '-------G-', TLS_1_2],
  [0x00aa, 'RFC 5487', 'DHE_PSK', 'PSK', 'AES_128_GCM', 'AEAD', '-------GP', TLS_1_2],
  // RFC 8422 (RFC 4492): ECC
  [0xc004, 'RFC 8422', 'ECDH', 'ECDSA', 'AES_128_CBC', 'SHA', '------C--', TLS_1_0],
  [0xc009, 'RFC 8422', 'ECDHE', 'ECDSA', 'AES_128_CBC', 'SHA', '------C-P', TLS_1_0],
  [0xc013, 'RFC 8422', 'ECDHE', 'RSA', 'AES_128_CBC', 'SHA', '------C-P', TLS_1_0],
  [0xc011, 'RFC 4492', 'ECDHE', 'RSA', 'RC4_128', 'SHA', '---R----P', TLS_1_0],
  [0xc006, 'RFC 8422', 'ECDHE', 'ECDSA', 'NULL', 'SHA', 'N-------P', TLS_1_0],
  [0xc018, 'RFC 8422', 'ECDH', 'anon', 'AES_128_CBC', 'SHA', '--A---C-P', TLS_1_0],
  // RFC 5288, RFC 5289: GCM and SHA-2 MACs
  [0x009c, 'RFC 5288', 'RSA', 'RSA', 'AES_128_GCM', 'AEAD', '-------G-', TLS_1_2],
  [0x009f, 'RFC 5288', 'DHE', 'RSA', 'AES_256_GCM', 'AEAD', '-------GP', TLS_1_2],
  [0x00a6, 'RFC 5288', 'DH', 'anon', 'AES_128_GCM', 'AEAD', '--A----GP', TLS_1_2],
  [0xc027, 'RFC 5289', 'ECDHE', 'RSA', 'AES_128_CBC', 'SHA256', '------C-P', TLS_1_2],
  [0xc02b, 'RFC 5289', 'ECDHE', 'ECDSA', 'AES_128_GCM', 'AEAD', '-------GP', TLS_1_2],
  [0xc030, 'RFC 5289', 'ECDHE', 'RSA', 'AES_256_GCM', 'AEAD', '-------GP', TLS_1_2],
  // RFC 5489: ECDHE_PSK; RFC 8442: ECDHE_PSK with AEAD
  [0xc035, 'RFC 5489', 'ECDHE_PSK', 'PSK', 'AES_128_CBC', 'SHA', '------C-P', TLS_1_0],
  [0xd001, 'RFC 8442', 'ECDHE_PSK', 'PSK', 'AES_128_GCM', 'AEAD', '-------GP', TLS_1_2],
  // RFC 6655, RFC 7251: CCM
  [0xc09c, 'RFC 6655', 'RSA', 'RSA', 'AES_128_CCM', 'AEAD', '-------G-', TLS_1_2],
  [0xc0ae, 'RFC 7251', 'ECDHE', 'ECDSA', 'AES_128_CCM_8', 'AEAD', '-------GP', TLS_1_2],
  // RFC 7905: ChaCha20-Poly1305
  [0xcca8, 'RFC 7905', 'ECDHE', 'RSA', 'CHACHA20_POLY1305', 'AEAD', '-------GP', TLS_1_2],
  [0xccab, 'RFC 7905', 'PSK', 'PSK', 'CHACHA20_POLY1305', 'AEAD', '-------G-', TLS_1_2],
  // RFC 5932, RFC 6209, RFC 4162: Camellia, ARIA, SEED
  [0x0041, 'RFC 5932', 'RSA', 'RSA', 'CAMELLIA_128_CBC', 'SHA', '------C--', TLS_1_0],
  [0xc050, 'RFC 6209', 'RSA', 'RSA', 'ARIA_128_GCM', 'AEAD', '-------G-', TLS_1_2],
  [0x0096, 'RFC 4162', 'RSA', 'RSA', 'SEED_CBC', 'SHA', '------C--', TLS_1_0],
  // RFC 5054: SRP
  [0xc01e, 'RFC 5054', 'SRP', 'RSA', 'AES_128_CBC', 'SHA', '------C--', TLS_1_0],
  [0xc01f, 'RFC 5054', 'SRP', 'DSS', 'AES_128_CBC', 'SHA', '------C--', TLS_1_0],
  [0xc01d, 'RFC 5054', 'SRP', 'SRP', 'AES_128_CBC', 'SHA', '------C--', TLS_1_0],
  // RFC 8492: ECCPWD
  [0xc0b0, 'RFC 8492', 'ECCPWD', 'ECCPWD', 'AES_128_GCM', 'AEAD', '-------G-', TLS_1_2],
  // RFC 9189: GOST for TLS 1.2
  [0xc100, 'RFC 9189', 'GOSTR341112_256', 'GOSTR341112_256', 'KUZNYECHIK_CTR', 'OMAC', '---------', TLS_1_2],
  [0xc102, 'RFC 9189', 'GOSTR341112_256', 'GOSTR341112_256', '28147_CNT', 'IMIT', '---------', TLS_1_2],
  // RFC 8446 B.4, RFC 9150, RFC 9367: TLS 1.3
  [0x1301, 'RFC 8446 B.4', 'any', 'any', 'AES_128_GCM', 'AEAD', '-------GP', TLS_1_3],
  [0x1302, 'RFC 8446 B.4', 'any', 'any', 'AES_256_GCM', 'AEAD', '-------GP', TLS_1_3],
  [0x1303, 'RFC 8446 B.4', 'any', 'any', 'CHACHA20_POLY1305', 'AEAD', '-------GP', TLS_1_3],
  [0x1305, 'RFC 8446 B.4', 'any', 'any', 'AES_128_CCM_8', 'AEAD', '-------GP', TLS_1_3],
  [0xc0b4, 'RFC 9150', 'any', 'any', 'NULL', 'SHA256', 'N-------P', TLS_1_3],
  [0xc103, 'RFC 9367', 'any', 'any', 'KUZNYECHIK_MGM_L', 'AEAD', '-------GP', TLS_1_3],
];

function flagString(p: CipherSuiteProperties): string {
  const f = p.flags;
  return [f.nullCipher && 'N', f.export && 'E', f.anon && 'A', f.rc4 && 'R', f.des && 'D', f.tripleDes && 'T', f.cbc && 'C', f.aead && 'G', f.forwardSecret && 'P']
    .map((x) => x || '-')
    .join('');
}

for (const [value, rfc, kx, auth, cipher, mac, flags, min] of ROWS) {
  const hex = `0x${value.toString(16).padStart(4, '0')}`;
  test(`${hex} ${describeCipherSuite(value).name} (${rfc})`, () => {
    const p = describeCipherSuite(value);
    assert.deepEqual(
      { kind: p.kind, keyExchange: p.keyExchange, authentication: p.authentication, cipher: p.cipher, mac: p.mac, flags: flagString(p), minVersion: p.minVersion.toString(16) },
      { kind: min === TLS_1_3 ? 'tls13' : 'tls', keyExchange: kx, authentication: auth, cipher, mac, flags, minVersion: min.toString(16) },
    );
  });
}

test('maximum version: export suites end with TLS 1.0 (RFC 4346 A.5), TLS 1.3 suites are TLS 1.3 only, the rest end with TLS 1.2', () => {
  assert.equal(describeCipherSuite(0x0003).maxVersion, TLS_1_0);
  assert.equal(describeCipherSuite(0x0026).maxVersion, TLS_1_0);
  assert.equal(describeCipherSuite(0x1301).maxVersion, TLS_1_3);
  assert.equal(describeCipherSuite(0xc02f).maxVersion, TLS_1_2);
  assert.equal(describeCipherSuite(0x002f).maxVersion, TLS_1_2);
});

test('PRF hash: named by the suite (RFC 5288 §3, RFC 5289 §3), SHA-256 for CCM without one (RFC 6655 §3), none before TLS 1.2', () => {
  assert.equal(describeCipherSuite(0xc030).prfHash, 'SHA384');
  assert.equal(describeCipherSuite(0xc028).prfHash, 'SHA384');
  assert.equal(describeCipherSuite(0xc09c).prfHash, 'SHA256');
  assert.equal(describeCipherSuite(0x1302).prfHash, 'SHA384');
  assert.equal(describeCipherSuite(0xc103).prfHash, 'GOSTR341112_256');
  assert.equal(describeCipherSuite(0x002f).prfHash, null);
});

test('weak record MAC: MD5 and SHA-1 HMAC, never an AEAD suite', () => {
  assert.equal(describeCipherSuite(0x0004).flags.weakMac, true);
  assert.equal(describeCipherSuite(0xc013).flags.weakMac, true);
  assert.equal(describeCipherSuite(0xc027).flags.weakMac, false);
  assert.equal(describeCipherSuite(0xc02f).flags.weakMac, false);
});

test('IANA Recommended column for cipher suites (RFC 8447 §8)', () => {
  for (const v of [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02c, 0xc02f, 0xc030, 0xcca8, 0xcca9, 0xd001]) assert.equal(describeCipherSuite(v).recommended, true, v.toString(16));
  for (const v of [0x1305, 0x002f, 0x009c, 0xc013, 0x000a, 0x0004, 0xc0b4]) assert.equal(describeCipherSuite(v).recommended, false, v.toString(16));
});

test('signaling values, private drafts, unknown and GREASE values', () => {
  assert.equal(describeCipherSuite(0x00ff).kind, 'signaling');
  assert.equal(describeCipherSuite(0x5600).kind, 'signaling');
  // A draft ChaCha20 suite is read like its IANA successor, past the "(draft, non-IANA)" note.
  const draft = describeCipherSuite(0xcc13);
  assert.deepEqual([draft.kind, draft.keyExchange, draft.cipher, draft.mac, draft.prfHash, draft.recommended], ['tls', 'ECDHE', 'CHACHA20_POLY1305', 'AEAD', 'SHA256', false]);
  const export1024 = describeCipherSuite(0x0064);
  assert.deepEqual([export1024.keyExchange, export1024.cipher, export1024.flags.export, export1024.flags.rc4], ['RSA', 'RC4_56', true, true]);
  for (const v of [0x0a0a, 0x0047, 0xfeff]) {
    const p = describeCipherSuite(v);
    assert.equal(p.kind, 'unknown');
    assert.equal(flagString(p), '---------');
  }
});

test('IANA Recommended column for supported groups (RFC 8447 §9) and signature schemes (RFC 8447, RFC 9155)', () => {
  assert.deepEqual([23, 24, 25, 29, 30, 256, 4588, 0x0a0a].map(isRecommendedGroup), [true, true, false, true, true, false, false, false]);
  assert.deepEqual([0x0401, 0x0403, 0x0804, 0x0807, 0x0809, 0x0201, 0x0203, 0x081a, 0x0708].map(isRecommendedSignatureScheme), [true, true, true, true, true, false, false, false, false]);
});
