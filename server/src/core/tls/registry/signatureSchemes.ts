/**
 * TLS SignatureScheme registry (RFC 8446 §4.2.3), with TLS 1.2
 * SignatureAndHashAlgorithm pairs (RFC 5246 §7.4.1.4.1) named when the
 * scheme registry has no entry for the pair.
 */
import { createLookup, hexOf, memoizeLookup, tableOf, type RegistryEntry } from './entry';
import { isGrease16 } from './grease';

const SCHEMES = tableOf([
  [0x0201, 'rsa_pkcs1_sha1'],
  [0x0203, 'ecdsa_sha1'],
  [0x0401, 'rsa_pkcs1_sha256'],
  [0x0403, 'ecdsa_secp256r1_sha256'],
  [0x0420, 'rsa_pkcs1_sha256_legacy'],
  [0x0501, 'rsa_pkcs1_sha384'],
  [0x0503, 'ecdsa_secp384r1_sha384'],
  [0x0520, 'rsa_pkcs1_sha384_legacy'],
  [0x0601, 'rsa_pkcs1_sha512'],
  [0x0603, 'ecdsa_secp521r1_sha512'],
  [0x0620, 'rsa_pkcs1_sha512_legacy'],
  [0x0704, 'eccsi_sha256'],
  [0x0705, 'iso_ibs1'],
  [0x0706, 'iso_ibs2'],
  [0x0707, 'iso_chinese_ibs'],
  [0x0708, 'sm2sig_sm3'],
  [0x0709, 'gostr34102012_256a'],
  [0x070a, 'gostr34102012_256b'],
  [0x070b, 'gostr34102012_256c'],
  [0x070c, 'gostr34102012_256d'],
  [0x070d, 'gostr34102012_512a'],
  [0x070e, 'gostr34102012_512b'],
  [0x070f, 'gostr34102012_512c'],
  [0x0804, 'rsa_pss_rsae_sha256'],
  [0x0805, 'rsa_pss_rsae_sha384'],
  [0x0806, 'rsa_pss_rsae_sha512'],
  [0x0807, 'ed25519'],
  [0x0808, 'ed448'],
  [0x0809, 'rsa_pss_pss_sha256'],
  [0x080a, 'rsa_pss_pss_sha384'],
  [0x080b, 'rsa_pss_pss_sha512'],
  [0x081a, 'ecdsa_brainpoolP256r1tls13_sha256'],
  [0x081b, 'ecdsa_brainpoolP384r1tls13_sha384'],
  [0x081c, 'ecdsa_brainpoolP512r1tls13_sha512'],
  [0x0904, 'mldsa44'],
  [0x0905, 'mldsa65'],
  [0x0906, 'mldsa87'],
]);

// RFC 5246 §7.4.1.4.1: HashAlgorithm and SignatureAlgorithm of TLS 1.2.
const HASHES = tableOf([
  [0, 'none'],
  [1, 'md5'],
  [2, 'sha1'],
  [3, 'sha224'],
  [4, 'sha256'],
  [5, 'sha384'],
  [6, 'sha512'],
]);
const SIGNATURES = tableOf([
  [0, 'anonymous'],
  [1, 'rsa'],
  [2, 'dsa'],
  [3, 'ecdsa'],
]);

/**
 * IANA TLS SignatureScheme, "Recommended" = Y (RFC 8447 §11, RFC 9155 §5 for
 * the SHA-1 ones set to N): the RSA PKCS#1 and ECDSA schemes with SHA-2, both
 * RSASSA-PSS families, Ed25519 and Ed448.
 */
const RECOMMENDED_SCHEMES: ReadonlySet<number> = new Set([
  0x0401, 0x0501, 0x0601, 0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b,
]);

export function isRecommendedSignatureScheme(value: number): boolean {
  return RECOMMENDED_SCHEMES.has(value);
}

const lookupScheme = createLookup(SCHEMES, 4, { isGrease: isGrease16 });

export const lookupSignatureScheme: (value: number) => RegistryEntry = memoizeLookup((value: number): RegistryEntry => {
  const entry = lookupScheme(value);
  if (entry.known) return entry;
  const hash = HASHES.get(value >> 8);
  const sig = SIGNATURES.get(value & 0xff);
  if (hash !== undefined && sig !== undefined) {
    return { value, name: `${sig}_${hash} (TLS 1.2 pair ${hexOf(value, 4)})`, known: true, iana: true, grease: false };
  }
  return entry;
});
