/**
 * A bounded cursor over bytes (STYLE §2, after Go's cryptobyte).
 *
 * Every read checks the bytes left before it touches the array and returns
 * `undefined` on failure; the first failure is kept with the byte span it
 * concerns. Two limits are tracked apart:
 * - `end`: where the bytes *declared* by the enclosing length field stop;
 *   reading past it means the lengths disagree: `malformed`.
 * - `available`: where the bytes *present* stop (a cut capture); reading past
 *   it, but within `end`, means `truncated`.
 * A length-prefixed read yields a child cursor that sees only the declared
 * bytes; `finish()` reports bytes the parser left unread in it.
 * Nothing is copied: spans index into the original array.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

export type FailureKind = 'truncated' | 'malformed';

export interface CursorFailure {
  readonly kind: FailureKind;
  readonly message: string;
  /** Span [start, end) in the cursor's array. */
  readonly start: number;
  readonly end: number;
  readonly missing?: number;
}

interface FailureSink {
  failure: CursorFailure | null;
}

/** A length-prefixed vector: its length field and a cursor over its body. */
export interface LengthPrefixed {
  readonly length: number;
  readonly lengthSpan: Span;
  readonly body: ByteCursor;
}

export class ByteCursor {
  private at: number;

  private constructor(
    readonly data: Uint8Array,
    start: number,
    /** Declared end of this cursor's bytes. */
    readonly end: number,
    /** Index past the last byte present in `data` that this cursor may read. */
    readonly available: number,
    /** What the bytes are ("ClientHello", "extension server_name"), for messages. */
    readonly label: string,
    /** The length field that declared these bytes, when there is one. */
    readonly lengthField: Span | null,
    private readonly sink: FailureSink,
  ) {
    this.at = start;
  }

  /**
   * A cursor over [start, declaredEnd) of `data`, of which only the bytes
   * before `available` (clamped to the array) are present.
   */
  static over(
    data: Uint8Array,
    start = 0,
    declaredEnd = data.length,
    options: { readonly available?: number; readonly label?: string; readonly lengthField?: Span | null } = {},
  ): ByteCursor {
    const available = Math.max(0, Math.min(options.available ?? data.length, data.length));
    const from = Math.max(0, start);
    return new ByteCursor(data, from, Math.max(from, declaredEnd), available, options.label ?? 'data', options.lengthField ?? null, {
      failure: null,
    });
  }

  get pos(): number {
    return this.at;
  }

  /** Declared bytes left. */
  get remaining(): number {
    return this.end - this.at;
  }

  /** Declared bytes left that are also present. */
  get present(): number {
    return Math.max(0, Math.min(this.end, this.available) - this.at);
  }

  /** Index past the last present byte of this cursor's declared range. */
  get presentEnd(): number {
    return Math.max(this.at, Math.min(this.end, this.available));
  }

  get atEnd(): boolean {
    return this.at >= this.end;
  }

  get failure(): CursorFailure | null {
    return this.sink.failure;
  }

  get failed(): boolean {
    return this.sink.failure !== null;
  }

  /** Records a failure found by the caller (a value that breaks a rule of the format). */
  fail(kind: FailureKind, message: string, span: Span, missing?: number): void {
    if (this.sink.failure) return;
    this.sink.failure = { kind, message, start: span.start, end: span.end, ...(missing !== undefined ? { missing } : {}) };
  }

  /** Checks that `n` more bytes may be read; records the failure otherwise. */
  private need(n: number, what: string): boolean {
    if (this.sink.failure) return false;
    if (this.at + n > this.end) {
      const left = this.end - this.at;
      const span = this.lengthField ?? { start: this.at, end: Math.max(this.at, Math.min(this.end, this.available)) };
      this.fail('malformed', `${what} needs ${n} byte${n === 1 ? '' : 's'} but ${this.label} has ${left} left`, span);
      return false;
    }
    if (this.at + n > this.available) {
      const last = Math.max(0, this.available - 1);
      this.fail('truncated', `${this.label} ends early: ${what} is cut`, { start: last, end: this.available }, this.at + n - this.available);
      return false;
    }
    return true;
  }

  u8(what: string): number | undefined {
    if (!this.need(1, what)) return undefined;
    return this.data[this.at++];
  }

  u16(what: string): number | undefined {
    if (!this.need(2, what)) return undefined;
    const v = (this.data[this.at] << 8) | this.data[this.at + 1];
    this.at += 2;
    return v;
  }

  u24(what: string): number | undefined {
    if (!this.need(3, what)) return undefined;
    const v = (this.data[this.at] << 16) | (this.data[this.at + 1] << 8) | this.data[this.at + 2];
    this.at += 3;
    return v;
  }

  /** Skips `n` bytes and returns their span (no copy). */
  take(n: number, what: string): Span | undefined {
    if (!this.need(n, what)) return undefined;
    const span = { start: this.at, end: this.at + n };
    this.at += n;
    return span;
  }

  /**
   * A child cursor over the next `length` declared bytes. `lengthSpan` is the
   * field that declared them; a length past this cursor's end is malformed
   * there. `isolated` children keep their own failure, so that one bad
   * extension does not stop the parse of the next.
   */
  region(length: number, what: string, lengthSpan: Span, isolated = false): ByteCursor | undefined {
    if (this.sink.failure) return undefined;
    if (this.at + length > this.end) {
      this.fail('malformed', `${what} declares ${length} byte${length === 1 ? '' : 's'} but ${this.end - this.at} remain`, lengthSpan);
      return undefined;
    }
    const child = new ByteCursor(this.data, this.at, this.at + length, this.available, what, lengthSpan, isolated ? { failure: null } : this.sink);
    this.at += length;
    return child;
  }

  /** Reads a 1-, 2- or 3-byte length and returns the vector it declares. */
  vector(lengthBytes: 1 | 2 | 3, what: string, isolated = false): LengthPrefixed | undefined {
    const start = this.at;
    const length = lengthBytes === 1 ? this.u8(`${what} length`) : lengthBytes === 2 ? this.u16(`${what} length`) : this.u24(`${what} length`);
    if (length === undefined) return undefined;
    const lengthSpan = { start, end: this.at };
    const body = this.region(length, what, lengthSpan, isolated);
    if (!body) return undefined;
    return { length, lengthSpan, body };
  }

  /** Moves to the end of the present bytes and returns the span skipped. */
  skipPresent(): Span {
    const span = { start: this.at, end: this.presentEnd };
    this.at = Math.max(this.at, this.end);
    return span;
  }

  /**
   * Declares the parse of this cursor done: unread declared bytes that are
   * present are trailing bytes (malformed, at the declaring length field).
   * Returns true when the cursor ended cleanly.
   */
  finish(): boolean {
    if (this.sink.failure) return false;
    if (this.at >= this.end) return true;
    if (this.at >= this.available) return false; // the rest is missing: a truncation, reported by the caller
    const extra = this.end - this.at;
    const span = this.lengthField ?? { start: this.at, end: this.presentEnd };
    this.fail('malformed', `${extra} trailing byte${extra === 1 ? '' : 's'} after the end of ${this.label}`, span);
    return false;
  }
}
