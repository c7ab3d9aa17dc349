/**
 * Bytes decoded from a document together with where each byte came from.
 *
 * Every byte written as hex in a document occupies exactly two characters (its
 * hex pair); `offsets[i]` is the document offset (UTF-16 code units) of the
 * first of them. A view may join bytes from distant places of the document
 * (a record header dumped apart from its body, a record split across lines),
 * so a span of bytes is mapped to the document byte by byte.
 */
export interface ByteView {
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;
}

/** Width in characters of one hex-written byte. */
export const HEX_PAIR_WIDTH = 2;

export function createByteView(bytes: Uint8Array, offsets: Int32Array): ByteView {
  if (bytes.length !== offsets.length) {
    throw new RangeError(`byte view: ${bytes.length} bytes but ${offsets.length} offsets`);
  }
  return { bytes, offsets };
}

/** A builder reset after a view larger than this gives its storage back. */
const RESET_KEEPS = 1 << 16;

/** Builds a view incrementally; amortised growth, no allocation sized by input data. */
export class ByteViewBuilder {
  private bytes = new Uint8Array(64);
  private offsets = new Int32Array(64);
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(byte: number, offset: number): void {
    if (this.count === this.bytes.length) {
      const bytes = new Uint8Array(this.count * 2);
      bytes.set(this.bytes);
      const offsets = new Int32Array(this.count * 2);
      offsets.set(this.offsets);
      this.bytes = bytes;
      this.offsets = offsets;
    }
    this.bytes[this.count] = byte;
    this.offsets[this.count] = offset;
    this.count++;
  }

  /**
   * Empties the builder for the next view, keeping its storage unless a large view grew it
   * (build() copies, so views already built are unaffected).
   */
  reset(): void {
    this.count = 0;
    if (this.bytes.length > RESET_KEEPS) {
      this.bytes = new Uint8Array(64);
      this.offsets = new Int32Array(64);
    }
  }

  /** The byte pushed `index`-th (0 <= index < length). */
  byteAt(index: number): number {
    return this.bytes[index];
  }

  pushView(view: ByteView): void {
    for (let i = 0; i < view.bytes.length; i++) this.push(view.bytes[i], view.offsets[i]);
  }

  build(): ByteView {
    return { bytes: this.bytes.slice(0, this.count), offsets: this.offsets.slice(0, this.count) };
  }
}

/** Joins views in order (a stream reassembled from several dumps). */
export function concatByteViews(views: readonly ByteView[]): ByteView {
  let total = 0;
  for (const v of views) total += v.bytes.length;
  const bytes = new Uint8Array(total);
  const offsets = new Int32Array(total);
  let at = 0;
  for (const v of views) {
    bytes.set(v.bytes, at);
    offsets.set(v.offsets, at);
    at += v.bytes.length;
  }
  return { bytes, offsets };
}

/** A sub-view of bytes [start, end) sharing storage with `view`. */
export function sliceByteView(view: ByteView, start: number, end: number): ByteView {
  return { bytes: view.bytes.subarray(start, end), offsets: view.offsets.subarray(start, end) };
}

/**
 * Document offsets [start, end) covering the bytes [from, to) of a view:
 * from the first character of byte `from` to the last character of byte `to - 1`.
 * An empty span maps to the position of byte `from` (or just after the last byte).
 */
export function documentSpanOfBytes(view: ByteView, from: number, to: number): { start: number; end: number } {
  const n = view.bytes.length;
  if (n === 0) return { start: 0, end: 0 };
  const a = Math.max(0, Math.min(from, n - 1));
  if (to <= from) {
    if (from >= n) {
      const last = view.offsets[n - 1] + HEX_PAIR_WIDTH;
      return { start: last, end: last };
    }
    return { start: view.offsets[a], end: view.offsets[a] + HEX_PAIR_WIDTH };
  }
  const b = Math.max(a, Math.min(to, n) - 1);
  return { start: view.offsets[a], end: view.offsets[b] + HEX_PAIR_WIDTH };
}

/** Lower-case hex of each byte value. */
const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** The two ASCII codes of each byte's hex pair, packed into 16 bits in the platform's byte order. */
const HEX_CODES = Uint16Array.from(HEX_PAIRS, (h) =>
  LITTLE_ENDIAN ? h.charCodeAt(0) | (h.charCodeAt(1) << 8) : (h.charCodeAt(0) << 8) | h.charCodeAt(1));
const ASCII = new TextDecoder();
let hexScratch = new Uint16Array(256);

/** Lower-case hex of `bytes` (a flat string: no rope of one piece per byte). */
export function toHex(bytes: Uint8Array): string {
  const n = bytes.length;
  if (n <= 8) {
    let s = '';
    for (let i = 0; i < n; i++) s += HEX_PAIRS[bytes[i]];
    return s;
  }
  if (hexScratch.length < n) hexScratch = new Uint16Array(Math.max(n, hexScratch.length * 2));
  for (let i = 0; i < n; i++) hexScratch[i] = HEX_CODES[bytes[i]];
  return ASCII.decode(new Uint8Array(hexScratch.buffer, 0, 2 * n));
}
