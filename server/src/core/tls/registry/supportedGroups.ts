/** TLS Supported Groups registry (RFC 8422 §5.1.1, RFC 7919, RFC 8446 §4.2.7, later drafts). */
import { createLookup, tableOf, type RegistryEntry } from './entry';
import { isGrease16 } from './grease';

const GROUPS = tableOf([
  [1, 'sect163k1'],
  [2, 'sect163r1'],
  [3, 'sect163r2'],
  [4, 'sect193r1'],
  [5, 'sect193r2'],
  [6, 'sect233k1'],
  [7, 'sect233r1'],
  [8, 'sect239k1'],
  [9, 'sect283k1'],
  [10, 'sect283r1'],
  [11, 'sect409k1'],
  [12, 'sect409r1'],
  [13, 'sect571k1'],
  [14, 'sect571r1'],
  [15, 'secp160k1'],
  [16, 'secp160r1'],
  [17, 'secp160r2'],
  [18, 'secp192k1'],
  [19, 'secp192r1'],
  [20, 'secp224k1'],
  [21, 'secp224r1'],
  [22, 'secp256k1'],
  [23, 'secp256r1'],
  [24, 'secp384r1'],
  [25, 'secp521r1'],
  [26, 'brainpoolP256r1'],
  [27, 'brainpoolP384r1'],
  [28, 'brainpoolP512r1'],
  [29, 'x25519'],
  [30, 'x448'],
  [31, 'brainpoolP256r1tls13'],
  [32, 'brainpoolP384r1tls13'],
  [33, 'brainpoolP512r1tls13'],
  [34, 'GC256A'],
  [35, 'GC256B'],
  [36, 'GC256C'],
  [37, 'GC256D'],
  [38, 'GC512A'],
  [39, 'GC512B'],
  [40, 'GC512C'],
  [41, 'curveSM2'],
  [256, 'ffdhe2048'],
  [257, 'ffdhe3072'],
  [258, 'ffdhe4096'],
  [259, 'ffdhe6144'],
  [260, 'ffdhe8192'],
  [512, 'MLKEM512'],
  [513, 'MLKEM768'],
  [514, 'MLKEM1024'],
  [4587, 'SecP256r1MLKEM768'],
  [4588, 'X25519MLKEM768'],
  [4589, 'SecP384r1MLKEM1024'],
  [25497, 'X25519Kyber768Draft00'],
  [25498, 'SecP256r1Kyber768Draft00'],
  [0xff01, 'arbitrary_explicit_prime_curves'],
  [0xff02, 'arbitrary_explicit_char2_curves'],
]);

export const lookupSupportedGroup: (value: number) => RegistryEntry = createLookup(GROUPS, 4, { isGrease: isGrease16 });

/**
 * IANA TLS Supported Groups, "Recommended" = Y (RFC 8447 §9): secp256r1,
 * secp384r1, x25519, x448. Every other value, including the ML-KEM hybrids
 * registered since, is N.
 */
const RECOMMENDED_GROUPS: ReadonlySet<number> = new Set([23, 24, 29, 30]);

export function isRecommendedGroup(value: number): boolean {
  return RECOMMENDED_GROUPS.has(value);
}

/** EC point formats (RFC 8422 §5.1.2). */
const POINT_FORMATS = tableOf([
  [0, 'uncompressed'],
  [1, 'ansiX962_compressed_prime'],
  [2, 'ansiX962_compressed_char2'],
]);

export const lookupEcPointFormat: (value: number) => RegistryEntry = createLookup(POINT_FORMATS, 2);

/** PSK key exchange modes (RFC 8446 §4.2.9); GREASE per RFC 8701. */
const PSK_MODES = tableOf([
  [0, 'psk_ke'],
  [1, 'psk_dhe_ke'],
]);

export const lookupPskKeyExchangeMode: (value: number) => RegistryEntry = createLookup(PSK_MODES, 2, {
  isGrease: (v) => v >= 0x0b && v <= 0xe4 && (v - 0x0b) % 0x1f === 0,
});

/** Compression methods (RFC 5246 §7.4.1.2, RFC 3749). */
const COMPRESSION = tableOf([
  [0, 'null'],
  [1, 'DEFLATE'],
  [64, 'LZS'],
]);

export const lookupCompressionMethod: (value: number) => RegistryEntry = createLookup(COMPRESSION, 2);
