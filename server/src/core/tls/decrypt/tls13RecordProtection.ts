/**
 * TLS 1.3 record protection (RFC 8446 §5.2, §5.3, §5.4, §7.3): write key and iv from a traffic secret,
 * per-record nonce = iv XOR the 64-bit sequence number, additional data = the 5-byte record header,
 * and TLSInnerPlaintext = content || real type || zero padding (the padding is stripped, the last
 * non-zero byte is the content type).
 */
import type { DecryptableSuite } from './decryptableSuites';
import { aeadOpen, xorNonce } from './cipherPrimitives';
import { trafficKeyAndIv } from './hkdfExpandLabel';

const HEADER = 5;
const TAG = 16;

export interface Tls13Keys {
  readonly suite: DecryptableSuite;
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
}

export interface OpenedRecord {
  readonly contentType: number;
  readonly plaintext: Uint8Array;
}

/** RFC 8446 §7.3: the keys of one traffic secret for a TLS 1.3 suite. */
export function tls13Keys(suite: DecryptableSuite, secret: Uint8Array): Tls13Keys {
  const { key, iv } = trafficKeyAndIv(suite.prfHash, secret, suite.keyLength, suite.ivLength);
  return { suite, key, iv };
}

/**
 * Opens one protected record (header + body) at a sequence number; undefined when it does not
 * authenticate or the inner plaintext has no content type (all zeros, RFC 8446 §5.4).
 */
export function openTls13Record(keys: Tls13Keys, seq: number, record: Uint8Array): OpenedRecord | undefined {
  if (keys.suite.kind === 'cbc' || record.length < HEADER + TAG + 1) return undefined;
  const aad = record.subarray(0, HEADER);
  const body = record.subarray(HEADER);
  const inner = aeadOpen(keys.suite.kind, keys.suite.cipher, keys.key, xorNonce(keys.iv, seq), aad, body.subarray(0, body.length - TAG), body.subarray(body.length - TAG));
  if (!inner) return undefined;
  let end = inner.length;
  while (end > 0 && inner[end - 1] === 0) end--;
  if (end === 0) return undefined;
  return { contentType: inner[end - 1], plaintext: inner.subarray(0, end - 1) };
}
