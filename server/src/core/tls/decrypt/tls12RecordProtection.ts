/**
 * TLS 1.0-1.2 record protection, one direction: keys from the key block (RFC 5246 §6.3: client MAC
 * key, server MAC key, client key, server key, client IV, server IV) and opening of
 * - AEAD records (RFC 5246 §6.2.3.3): AES-GCM with nonce = 4-byte salt + 8-byte explicit nonce
 *   (RFC 5288 §3), ChaCha20-Poly1305 with nonce = iv XOR sequence number (RFC 7905 §2);
 *   additional data = seq_num + type + version + plaintext length;
 * - CBC records with HMAC (RFC 5246 §6.2.3.2, RFC 4346 §6.2.3.2, RFC 2246 §6.2.3.2): MAC-then-encrypt,
 *   or encrypt-then-MAC when negotiated (RFC 7366 §3); explicit per-record IV in TLS 1.1+, and in
 *   TLS 1.0 the IV chained from the last ciphertext block of the previous record.
 */
import { aeadOpen, cbcDecrypt, concat, hmac, sameBytes, seqBytes, xorNonce } from './cipherPrimitives';
import { type DecryptableSuite, macLength } from './decryptableSuites';
import { keyBlock } from './tlsPrf';
import type { OpenedRecord } from './tls13RecordProtection';
import type { SequenceState } from './sequencePolicy';

const HEADER = 5;
const TAG = 16;

/** The protection state of one direction (mutable: sequence number and TLS 1.0 IV chain). */
export interface Tls12Direction extends SequenceState {
  readonly suite: DecryptableSuite;
  readonly version: number;
  readonly encryptThenMac: boolean;
  readonly macKey: Uint8Array;
  readonly key: Uint8Array;
  /** GCM salt, ChaCha20 iv, or the TLS 1.0 CBC chaining IV (updated after each record). */
  iv: Uint8Array;
  /** TLS 1.0: the previous record did not authenticate, so the chained IV may be damaged. */
  ivSuspect: boolean;
  /** Why the last record did not open, when more specific than "does not authenticate". */
  failure?: string;
}

const IV_LOST = 'the previous record of this direction did not authenticate, and in TLS 1.0 this record\'s IV is the end of that one';

/** RFC 5246 §6.3: both directions' keys from the master secret. */
export function tls12Directions(
  suite: DecryptableSuite,
  version: number,
  encryptThenMac: boolean,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): { client: Tls12Direction; server: Tls12Direction } {
  const mac = suite.kind === 'cbc' && suite.macHash ? macLength(suite.macHash) : 0;
  const k = suite.keyLength;
  const iv = suite.ivLength;
  const block = keyBlock(version, suite.prfHash, master, serverRandom, clientRandom, 2 * (mac + k + iv));
  const at = (i: number, n: number): Uint8Array => block.slice(i, i + n);
  const etm = encryptThenMac && suite.kind === 'cbc';
  const make = (macKey: Uint8Array, key: Uint8Array, ivBytes: Uint8Array): Tls12Direction => ({ suite, version, encryptThenMac: etm, macKey, key, iv: ivBytes, ivSuspect: false, seq: 0, good: false, missed: 0 });
  return {
    client: make(at(0, mac), at(2 * mac, k), at(2 * mac + 2 * k, iv)),
    server: make(at(mac, mac), at(2 * mac + k, k), at(2 * mac + 2 * k + iv, iv)),
  };
}

function additionalData(seq: number, type: number, header: Uint8Array, length: number): Uint8Array {
  return concat(seqBytes(seq), Uint8Array.of(type, header[1], header[2], length >> 8, length & 0xff));
}

/** Opens one record (header + body) at the direction's sequence number, which the caller advances. */
export function openTls12Record(d: Tls12Direction, record: Uint8Array): OpenedRecord | undefined {
  d.failure = undefined;
  if (record.length < HEADER) return undefined;
  const header = record.subarray(0, HEADER);
  const type = header[0];
  const body = record.subarray(HEADER);
  const { suite } = d;
  if (suite.kind === 'gcm' || suite.kind === 'ccm') {
    if (body.length < 8 + TAG) return undefined;
    const ct = body.subarray(8, body.length - TAG);
    const plain = aeadOpen(suite.kind, suite.cipher, d.key, concat(d.iv, body.subarray(0, 8)), additionalData(d.seq, type, header, ct.length), ct, body.subarray(body.length - TAG));
    return plain && { contentType: type, plaintext: plain };
  }
  if (suite.kind === 'chacha20-poly1305') {
    if (body.length < TAG) return undefined;
    const ct = body.subarray(0, body.length - TAG);
    const plain = aeadOpen(suite.kind, suite.cipher, d.key, xorNonce(d.iv, d.seq), additionalData(d.seq, type, header, ct.length), ct, body.subarray(body.length - TAG));
    return plain && { contentType: type, plaintext: plain };
  }
  return openCbc(d, type, header, body);
}

function openCbc(d: Tls12Direction, type: number, header: Uint8Array, body: Uint8Array): OpenedRecord | undefined {
  const { suite } = d;
  const hash = suite.macHash ?? 'sha1';
  const macLen = macLength(hash);
  const blockSize = suite.ivLength;
  const explicitIv = d.version >= 0x0302;
  let protectedPart = body;
  let mac: Uint8Array | undefined;
  if (d.encryptThenMac) {
    // RFC 7366 §3: MAC(MAC_write_key, seq_num + type + version + length + IV + ENCRYPTED(content + padding + padding_length))
    if (body.length < macLen) return undefined;
    protectedPart = body.subarray(0, body.length - macLen);
    mac = body.subarray(body.length - macLen);
    const expected = hmac(hash, d.macKey, additionalData(d.seq, type, header, protectedPart.length), protectedPart);
    if (!sameBytes(expected, mac)) {
      chainIv(d, protectedPart, explicitIv);
      return undefined;
    }
  }
  if (d.encryptThenMac && !explicitIv && d.ivSuspect) {
    // The MAC covers the ciphertext, not the chained IV: a damaged IV would go unnoticed.
    chainIv(d, protectedPart, explicitIv);
    d.failure = IV_LOST;
    return undefined;
  }
  const iv = explicitIv ? protectedPart.subarray(0, blockSize) : d.iv;
  const ciphertext = explicitIv ? protectedPart.subarray(blockSize) : protectedPart;
  if (explicitIv && iv.length < blockSize) return undefined;
  const plain = cbcDecrypt(suite.cipher, d.key, iv, ciphertext);
  chainIv(d, protectedPart, explicitIv);
  if (!plain) return undefined;
  // RFC 5246 §6.2.3.2: content, [MAC,] padding (padding_length + 1 bytes all equal to padding_length).
  const pad = plain[plain.length - 1];
  const tail = pad + 1 + (d.encryptThenMac ? 0 : macLen);
  if (tail > plain.length) return undefined;
  for (let i = plain.length - 1 - pad; i < plain.length; i++) if (plain[i] !== pad) return undefined;
  if (d.encryptThenMac) return { contentType: type, plaintext: plain.subarray(0, plain.length - pad - 1) };
  const contentEnd = plain.length - tail;
  const content = plain.subarray(0, contentEnd);
  const expected = hmac(hash, d.macKey, additionalData(d.seq, type, header, contentEnd), content);
  if (!sameBytes(expected, plain.subarray(contentEnd, contentEnd + macLen))) return undefined;
  return { contentType: type, plaintext: content };
}

/** TLS 1.0 (RFC 2246 §6.2.3.2): the next record's IV is the last ciphertext block of this one. */
function chainIv(d: Tls12Direction, protectedPart: Uint8Array, explicitIv: boolean): void {
  const n = d.suite.ivLength;
  if (!explicitIv && protectedPart.length >= n && protectedPart.length % n === 0) d.iv = protectedPart.slice(protectedPart.length - n);
}
