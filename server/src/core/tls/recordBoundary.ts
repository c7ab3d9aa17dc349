/**
 * Where the first whole TLS record starts in a byte stream that may begin inside a record: the
 * first stream of each side of a session whose start is not in the text (a chunk after a forced
 * cut, analysis/chunkContinuation.ts). Read from byte 0, the rest of a record begun before the
 * text is taken for a header and reported malformed.
 *
 * A record header (RFC 5246 §6.2.1, RFC 8446 §5.1) is a content type 20-24, a version 3.x with
 * x ≤ 4 and a length of at most 2^14 + 2048 (RFC 5246 §6.2.3). Byte 0 is kept when it starts such
 * a header. Otherwise the first offset whose header is confirmed by what follows it (the next
 * header, or exactly the end of the stream) is taken: the odds that random bytes pass are about
 * 1 in 10^12. When there is none, -1: the bytes may all be the rest of one record. The search is
 * bounded by the longest record (no boundary past it), so it is linear and reads no byte past the
 * stream.
 */
import { MAX_CIPHERTEXT } from './recordLimits';

const HEADER = 5;

/**
 * Whether bytes at `p` start like a TLS record (content type 20-24, version 3.x with x ≤ 4, as far as
 * the bytes go) or an SSLv2 ClientHello (high bit set, msg_type CLIENT-HELLO, version 0.2 or 3.x):
 * where a stream of SMTP lines turns into TLS (a ClientHello in the segment of its STARTTLS).
 */
export function looksLikeTlsStart(b: Uint8Array, p: number): boolean {
  const n = b.length - p;
  if (n <= 0) return false;
  const t = b[p];
  if (t >= 20 && t <= 24) return n < 2 || (b[p + 1] === 3 && (n < 3 || b[p + 2] <= 4));
  return (t & 0x80) !== 0 && n >= 4 && b[p + 2] === 1 && (b[p + 3] === 0 || b[p + 3] === 3);
}

/** The length of the record whose header starts at `p`, or -1 when the bytes there are no TLS record header. */
function headerLength(bytes: Uint8Array, p: number): number {
  if (p + HEADER > bytes.length) return -1;
  const type = bytes[p];
  if (type < 20 || type > 24 || bytes[p + 1] !== 3 || bytes[p + 2] > 4) return -1;
  const length = (bytes[p + 3] << 8) | bytes[p + 4];
  return length <= MAX_CIPHERTEXT ? length : -1;
}

/** Offset of the first record boundary of `bytes` (0 when byte 0 starts a header or there are no bytes), or -1 when none is confirmed. */
export function findRecordBoundary(bytes: Uint8Array): number {
  if (bytes.length === 0 || headerLength(bytes, 0) >= 0) return 0;
  const last = Math.min(bytes.length - HEADER, MAX_CIPHERTEXT + HEADER);
  for (let p = 1; p <= last; p++) {
    const length = headerLength(bytes, p);
    if (length <= 0) continue;
    const next = p + HEADER + length;
    if (next === bytes.length || headerLength(bytes, next) >= 0) return p;
  }
  return -1;
}
