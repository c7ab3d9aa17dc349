/**
 * Thin, never-throwing wrappers over node:crypto for record protection: AEAD open for AES-GCM
 * (RFC 5116 §5.1/5.2, as used by RFC 5288 and RFC 8446 §5.2), AES-CCM (RFC 5116 §5.3, RFC 8446 B.4)
 * and ChaCha20-Poly1305 (RFC 8439 §2.8); raw CBC decryption without padding removal (RFC 5246
 * §6.2.3.2 checks the padding itself); HMAC; the per-record nonce iv XOR sequence number
 * (RFC 8446 §5.3, RFC 7905 §2); and the 8-byte big-endian sequence number.
 */
import { createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import type { ProtectionKind } from './decryptableSuites';
import { concatBytes } from '../../bytes/concatBytes';

/** Authenticated decryption; undefined when the tag does not verify or the inputs are unusable. */
export function aeadOpen(
  kind: Exclude<ProtectionKind, 'cbc'>,
  cipher: string,
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
): Uint8Array | undefined {
  try {
    if (kind === 'gcm') {
      const d = createDecipheriv(cipher as 'aes-128-gcm', key, nonce, { authTagLength: tag.length });
      d.setAAD(aad);
      d.setAuthTag(tag);
      return concat(d.update(ciphertext), d.final());
    }
    const d = createDecipheriv(cipher as 'aes-128-ccm', key, nonce, { authTagLength: tag.length });
    d.setAAD(aad, { plaintextLength: ciphertext.length });
    d.setAuthTag(tag);
    const out = d.update(ciphertext);
    d.final();
    return new Uint8Array(out);
  } catch {
    return undefined;
  }
}

/** CBC decryption of whole blocks, padding left in place; undefined when the length is not whole blocks. */
export function cbcDecrypt(cipher: string, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array | undefined {
  try {
    if (data.length === 0 || data.length % iv.length !== 0) return undefined;
    const d = createDecipheriv(cipher, key, iv);
    d.setAutoPadding(false);
    return concat(d.update(data), d.final());
  } catch {
    return undefined;
  }
}

export function hmac(hash: string, key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = createHmac(hash, key);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The 64-bit sequence number, big-endian (RFC 5246 §6.1 seq_num; safe up to 2^53). */
export function seqBytes(seq: number): Uint8Array {
  const out = new Uint8Array(8);
  let v = seq;
  for (let i = 7; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return out;
}

/** RFC 8446 §5.3 / RFC 7905 §2: the sequence number left-padded to the iv length, XORed with the iv. */
export function xorNonce(iv: Uint8Array, seq: number): Uint8Array {
  const nonce = Uint8Array.from(iv);
  const s = seqBytes(seq);
  for (let i = 0; i < 8; i++) nonce[nonce.length - 8 + i] ^= s[i];
  return nonce;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}
