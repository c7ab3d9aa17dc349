/**
 * GREASE values (RFC 8701). Clients send them so that servers learn to ignore
 * unknown values; they are kept as data and excluded from fingerprints.
 */

/** RFC 8701 §2: cipher suites, extensions, groups, signature algorithms, versions and ALPN use {0x?A, 0x?A}. */
export function isGrease16(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && (value >> 8) === (value & 0xff);
}

/** RFC 8701 §2: PskKeyExchangeMode values 0x0B, 0x2A, 0x49, 0x68, 0x87, 0xA6, 0xC5, 0xE4. */
export function isGreasePskMode(value: number): boolean {
  return value >= 0x0b && value <= 0xe4 && (value - 0x0b) % 0x1f === 0;
}

/** RFC 8701 §2: an ALPN identifier of two identical bytes 0x?A. */
export function isGreaseAlpn(id: Uint8Array): boolean {
  return id.length === 2 && id[0] === id[1] && (id[0] & 0x0f) === 0x0a;
}
