/**
 * HKDF-Expand (RFC 5869 §2.3) and the TLS 1.3 HKDF-Expand-Label (RFC 8446 §7.1), with the traffic
 * key and iv derivation of RFC 8446 §7.3 and the KeyUpdate secret ratchet of RFC 8446 §7.2.
 * Only node:crypto HMAC; the sizes requested are small constants (at most 255 hash blocks).
 */
import { createHmac } from 'node:crypto';

export type HkdfHash = 'sha256' | 'sha384';

export function hashLength(hash: HkdfHash): number {
  return hash === 'sha256' ? 32 : 48;
}

/** RFC 5869 §2.3: T(i) = HMAC-Hash(PRK, T(i-1) | info | i), output the first `length` bytes. */
export function hkdfExpand(hash: HkdfHash, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let prev = new Uint8Array(0);
  let filled = 0;
  for (let i = 1; filled < length && i <= 255; i++) {
    const h = createHmac(hash, prk);
    h.update(prev);
    h.update(info);
    h.update(Uint8Array.of(i));
    prev = new Uint8Array(h.digest());
    const n = Math.min(prev.length, length - filled);
    out.set(prev.subarray(0, n), filled);
    filled += n;
  }
  return out;
}

/**
 * RFC 8446 §7.1: HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length)
 * where HkdfLabel = uint16 length, opaque label<7..255> = "tls13 " + Label, opaque context<0..255>.
 */
export function hkdfExpandLabel(hash: HkdfHash, secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const full = new TextEncoder().encode('tls13 ' + label);
  const info = new Uint8Array(2 + 1 + full.length + 1 + context.length);
  info[0] = length >> 8;
  info[1] = length & 0xff;
  info[2] = full.length;
  info.set(full, 3);
  info[3 + full.length] = context.length;
  info.set(context, 4 + full.length);
  return hkdfExpand(hash, secret, info, length);
}

/** RFC 8446 §7.3: [sender]_write_key and [sender]_write_iv from a traffic secret. */
export function trafficKeyAndIv(hash: HkdfHash, secret: Uint8Array, keyLength: number, ivLength: number): { key: Uint8Array; iv: Uint8Array } {
  const empty = new Uint8Array(0);
  return { key: hkdfExpandLabel(hash, secret, 'key', empty, keyLength), iv: hkdfExpandLabel(hash, secret, 'iv', empty, ivLength) };
}

/** RFC 8446 §7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length). */
export function nextTrafficSecret(hash: HkdfHash, secret: Uint8Array): Uint8Array {
  return hkdfExpandLabel(hash, secret, 'traffic upd', new Uint8Array(0), hashLength(hash));
}
