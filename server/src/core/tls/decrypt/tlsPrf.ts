/**
 * The TLS 1.0-1.2 pseudo-random function and key block: P_hash (RFC 5246 §5, RFC 2246 §5),
 * the TLS 1.2 PRF over the suite's hash (P_SHA256, or P_SHA384 for SHA384 suites), the TLS 1.0/1.1
 * PRF = P_MD5(S1) XOR P_SHA1(S2) over the two halves of the secret (RFC 2246 §5, RFC 4346 §5), and
 * key_block = PRF(master_secret, "key expansion", server_random + client_random) (RFC 5246 §6.3).
 */
import { createHmac } from 'node:crypto';

export type PrfHash = 'md5' | 'sha1' | 'sha256' | 'sha384';

/** RFC 5246 §5: P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ..., A(i) = HMAC(secret, A(i-1)). */
export function pHash(hash: PrfHash, secret: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let a: Uint8Array = seed;
  let filled = 0;
  while (filled < length) {
    a = new Uint8Array(createHmac(hash, secret).update(a).digest());
    const block = createHmac(hash, secret).update(a).update(seed).digest();
    const n = Math.min(block.length, length - filled);
    out.set(block.subarray(0, n), filled);
    filled += n;
  }
  return out;
}

function labelled(label: string, seed: Uint8Array): Uint8Array {
  const l = new TextEncoder().encode(label);
  const out = new Uint8Array(l.length + seed.length);
  out.set(l);
  out.set(seed, l.length);
  return out;
}

/** RFC 5246 §5: PRF(secret, label, seed) = P_<hash>(secret, label + seed). */
export function prfTls12(hash: 'sha256' | 'sha384', secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  return pHash(hash, secret, labelled(label, seed), length);
}

/** RFC 2246 §5: PRF = P_MD5(S1, label + seed) XOR P_SHA-1(S2, label + seed); S1, S2 the halves (sharing a byte when odd). */
export function prfTls10(secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  const half = Math.ceil(secret.length / 2);
  const s1 = secret.subarray(0, half);
  const s2 = secret.subarray(secret.length - half);
  const ls = labelled(label, seed);
  const md5 = pHash('md5', s1, ls, length);
  const sha = pHash('sha1', s2, ls, length);
  for (let i = 0; i < length; i++) md5[i] ^= sha[i];
  return md5;
}

/** RFC 5246 §6.3 (RFC 4346 §6.3, RFC 2246 §6.3): the key block for a negotiated version (0x0301..0x0303). */
export function keyBlock(
  version: number,
  prfHash: 'sha256' | 'sha384',
  masterSecret: Uint8Array,
  serverRandom: Uint8Array,
  clientRandom: Uint8Array,
  length: number,
): Uint8Array {
  const seed = new Uint8Array(64);
  seed.set(serverRandom.subarray(0, 32));
  seed.set(clientRandom.subarray(0, 32), 32);
  return version >= 0x0303 ? prfTls12(prfHash, masterSecret, 'key expansion', seed, length) : prfTls10(masterSecret, 'key expansion', seed, length);
}
