/**
 * The cipher suites this decryptor can open, with what record protection needs of each:
 * TLS 1.3 suites (RFC 8446 §B.4: key/iv lengths and hash), TLS 1.2 AEAD suites (AES-GCM, RFC 5288 /
 * RFC 5289; ChaCha20-Poly1305, RFC 7905) and CBC suites with HMAC (RFC 5246 §6.2.3.2, App. C;
 * RFC 5289 for the SHA-256/SHA-384 ECDHE suites). The PRF hash is SHA-384 for the SHA384 suites and
 * SHA-256 otherwise (RFC 5246 §5, RFC 5289 §3.2); TLS 1.0/1.1 always use the MD5/SHA-1 PRF.
 */
import { lookupCipherSuite } from '../registry/cipherSuites';
import { hexOf } from '../registry/entry';

export type ProtectionKind = 'gcm' | 'ccm' | 'chacha20-poly1305' | 'cbc';
export type MacHash = 'sha1' | 'sha256' | 'sha384';

export interface DecryptableSuite {
  readonly code: number;
  readonly tls13: boolean;
  readonly kind: ProtectionKind;
  /** node:crypto cipher name. */
  readonly cipher: string;
  readonly keyLength: number;
  /** TLS 1.3: iv length (12). TLS 1.2 AEAD: fixed_iv_length (GCM 4, ChaCha20 12). CBC: the block size. */
  readonly ivLength: number;
  /** CBC suites: the HMAC hash. */
  readonly macHash?: MacHash;
  /** TLS 1.3: the HKDF hash; TLS 1.2: the PRF hash. */
  readonly prfHash: 'sha256' | 'sha384';
}

const T13 = true;
const T12 = false;
type Row = [number, boolean, ProtectionKind, string, number, number, MacHash | undefined, 'sha256' | 'sha384'];

const ROWS: readonly Row[] = [
  // TLS 1.3 (RFC 8446 §B.4)
  [0x1301, T13, 'gcm', 'aes-128-gcm', 16, 12, undefined, 'sha256'],
  [0x1302, T13, 'gcm', 'aes-256-gcm', 32, 12, undefined, 'sha384'],
  [0x1303, T13, 'chacha20-poly1305', 'chacha20-poly1305', 32, 12, undefined, 'sha256'],
  [0x1304, T13, 'ccm', 'aes-128-ccm', 16, 12, undefined, 'sha256'],
  // TLS 1.2 AES-GCM (RFC 5288, RFC 5289)
  [0x009c, T12, 'gcm', 'aes-128-gcm', 16, 4, undefined, 'sha256'], // RSA
  [0x009d, T12, 'gcm', 'aes-256-gcm', 32, 4, undefined, 'sha384'],
  [0x009e, T12, 'gcm', 'aes-128-gcm', 16, 4, undefined, 'sha256'], // DHE_RSA
  [0x009f, T12, 'gcm', 'aes-256-gcm', 32, 4, undefined, 'sha384'],
  [0x00a2, T12, 'gcm', 'aes-128-gcm', 16, 4, undefined, 'sha256'], // DHE_DSS
  [0x00a3, T12, 'gcm', 'aes-256-gcm', 32, 4, undefined, 'sha384'],
  [0xc02b, T12, 'gcm', 'aes-128-gcm', 16, 4, undefined, 'sha256'], // ECDHE_ECDSA
  [0xc02c, T12, 'gcm', 'aes-256-gcm', 32, 4, undefined, 'sha384'],
  [0xc02f, T12, 'gcm', 'aes-128-gcm', 16, 4, undefined, 'sha256'], // ECDHE_RSA
  [0xc030, T12, 'gcm', 'aes-256-gcm', 32, 4, undefined, 'sha384'],
  // TLS 1.2 ChaCha20-Poly1305 (RFC 7905)
  [0xcca8, T12, 'chacha20-poly1305', 'chacha20-poly1305', 32, 12, undefined, 'sha256'], // ECDHE_RSA
  [0xcca9, T12, 'chacha20-poly1305', 'chacha20-poly1305', 32, 12, undefined, 'sha256'], // ECDHE_ECDSA
  [0xccaa, T12, 'chacha20-poly1305', 'chacha20-poly1305', 32, 12, undefined, 'sha256'], // DHE_RSA
  // CBC with HMAC (RFC 5246 App. C, RFC 4492, RFC 5289)
  [0x002f, T12, 'cbc', 'aes-128-cbc', 16, 16, 'sha1', 'sha256'], // RSA AES_128_CBC_SHA
  [0x0035, T12, 'cbc', 'aes-256-cbc', 32, 16, 'sha1', 'sha256'],
  [0x003c, T12, 'cbc', 'aes-128-cbc', 16, 16, 'sha256', 'sha256'],
  [0x003d, T12, 'cbc', 'aes-256-cbc', 32, 16, 'sha256', 'sha256'],
  [0x0032, T12, 'cbc', 'aes-128-cbc', 16, 16, 'sha1', 'sha256'], // DHE_DSS
  [0x0038, T12, 'cbc', 'aes-256-cbc', 32, 16, 'sha1', 'sha256'],
  [0x0033, T12, 'cbc', 'aes-128-cbc', 16, 16, 'sha1', 'sha256'], // DHE_RSA
  [0x0039, T12, 'cbc', 'aes-256-cbc', 32, 16, 'sha1', 'sha256'],
  [0x0067, T12, 'cbc', 'aes-128-cbc', 16, 16, 'sha256', 'sha256'],
  [0x006b, T12, 'cbc', 'aes-256-cbc', 32, 16, 'sha256', 'sha256'],
  [0xc009, T12, 'cbc', 'aes-128-cbc', 16, 16, 'sha1', 'sha256'], // ECDHE_ECDSA
  [0xc00a, T12, 'cbc', 'aes-256-cbc', 32, 16, 'sha1', 'sha256'],
  [0xc023, T12, 'cbc', 'aes-128-cbc', 16, 16, 'sha256', 'sha256'],
  [0xc024, T12, 'cbc', 'aes-256-cbc', 32, 16, 'sha384', 'sha384'],
  [0xc013, T12, 'cbc', 'aes-128-cbc', 16, 16, 'sha1', 'sha256'], // ECDHE_RSA
  [0xc014, T12, 'cbc', 'aes-256-cbc', 32, 16, 'sha1', 'sha256'],
  [0xc027, T12, 'cbc', 'aes-128-cbc', 16, 16, 'sha256', 'sha256'],
  [0xc028, T12, 'cbc', 'aes-256-cbc', 32, 16, 'sha384', 'sha384'],
  // 3DES-EDE-CBC (RFC 5246 App. C, RFC 4492)
  [0x000a, T12, 'cbc', 'des-ede3-cbc', 24, 8, 'sha1', 'sha256'],
  [0x0016, T12, 'cbc', 'des-ede3-cbc', 24, 8, 'sha1', 'sha256'],
  [0xc012, T12, 'cbc', 'des-ede3-cbc', 24, 8, 'sha1', 'sha256'],
];

const SUITES: ReadonlyMap<number, DecryptableSuite> = new Map(
  ROWS.map(([code, tls13, kind, cipher, keyLength, ivLength, macHash, prfHash]) => [code, { code, tls13, kind, cipher, keyLength, ivLength, macHash, prfHash }]),
);

/** The protection parameters of a suite this decryptor supports, or undefined. */
export function decryptableSuite(code: number): DecryptableSuite | undefined {
  return SUITES.get(code);
}

/** Codes of every supported suite (for documentation and tests). */
export function decryptableSuiteCodes(): number[] {
  return [...SUITES.keys()];
}

/** 'TLS_RSA_WITH_RC4_128_SHA (0x0005)'. */
export function suiteLabel(code: number): string {
  const entry = lookupCipherSuite(code);
  return entry.known ? `${entry.name} (${hexOf(code, 4)})` : `${hexOf(code, 4)}`;
}

export function macLength(hash: MacHash): number {
  return hash === 'sha1' ? 20 : hash === 'sha256' ? 32 : 48;
}
