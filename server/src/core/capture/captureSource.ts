/**
 * Where capture bytes come from, read in bounded chunks so that a capture of any
 * size is read in bounded memory: the readers never ask for the whole file.
 */

/** A random-access byte source (a file, or bytes already in memory). */
export interface CaptureSource {
  /** Copies up to `length` bytes at `position` into `into[offset...]`; returns how many (0 at the end). */
  read(into: Uint8Array, offset: number, length: number, position: number): number;
}

/** A source over bytes already in memory (tests, stdin, the editor). */
export function createBufferSource(bytes: Uint8Array): CaptureSource {
  return {
    read(into, offset, length, position) {
      if (position >= bytes.length) return 0;
      const n = Math.min(length, bytes.length - position);
      into.set(bytes.subarray(position, position + n), offset);
      return n;
    },
  };
}

/** Default read size: large enough for throughput, small enough to stay bounded. */
export const CHUNK_SIZE = 1 << 20;

/**
 * A forward reader over a source with a window that holds at least the bytes asked
 * for: `request(n)` makes n bytes at the current position readable in `window`.
 * The window grows only to the largest request, which callers bound before asking.
 */
export class ChunkedReader {
  private buffer: Uint8Array;
  /** Source position of buffer[0]. */
  private bufferStart = 0;
  /** Valid bytes in buffer. */
  private filled = 0;
  /** Current source position. */
  private pos = 0;
  private ended = false;

  constructor(private readonly source: CaptureSource, chunkSize = CHUNK_SIZE) {
    this.buffer = new Uint8Array(chunkSize);
  }

  /** Current source position (bytes consumed so far). */
  get position(): number {
    return this.pos;
  }

  /** The buffer holding the requested bytes; valid until the next request. */
  get window(): Uint8Array {
    return this.buffer;
  }

  /** Index into `window` of the current position. */
  get index(): number {
    return this.pos - this.bufferStart;
  }

  /**
   * Makes `n` bytes at the current position available; returns how many are
   * (fewer than `n` only at the end of the source).
   */
  request(n: number): number {
    const at = this.pos - this.bufferStart;
    if (this.filled - at >= n || this.ended) return Math.min(n, Math.max(0, this.filled - at));
    // Keep the unread tail (none when a skip went past the buffer), then fill after it.
    const tail = Math.max(0, this.filled - at);
    if (n > this.buffer.length) {
      const grown = new Uint8Array(Math.max(n, this.buffer.length * 2));
      if (tail > 0) grown.set(this.buffer.subarray(at, this.filled));
      this.buffer = grown;
    } else if (tail > 0 && at > 0) {
      this.buffer.copyWithin(0, at, this.filled);
    }
    this.bufferStart = this.pos;
    this.filled = tail;
    while (this.filled < n) {
      const got = this.source.read(this.buffer, this.filled, this.buffer.length - this.filled, this.bufferStart + this.filled);
      if (got <= 0) {
        this.ended = true;
        break;
      }
      this.filled += got;
    }
    return Math.min(n, this.filled);
  }

  /** Moves the current position forward (past bytes already requested). */
  skip(n: number): void {
    this.pos += n;
  }

  /** Whether the source has no byte left at the current position. */
  atEnd(): boolean {
    return this.request(1) === 0;
  }
}
