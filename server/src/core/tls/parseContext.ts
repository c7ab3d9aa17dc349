/**
 * What every message parser shares: where local byte indices lie in the
 * stream (a handshake message reassembled from several records is parsed
 * from a joined copy, whose bytes map back one by one), the list of
 * problems, and helpers that build FieldNodes with mapped spans.
 */
import { toHex } from '../bytes/byteView';
import type { FieldKind, FieldNode, TlsProblem } from '../model/tls';
import type { ByteCursor, Span } from './byteCursor';

/** Maps indices of a parse buffer to indices of the stream view. */
export class Locator {
  /**
   * @param size bytes present in the parse buffer
   * @param map stream index of each buffer byte, or null when buffer index = stream index
   */
  constructor(
    private readonly size: number,
    private readonly map: Int32Array | null,
  ) {}

  static identity(size: number): Locator {
    return new Locator(size, null);
  }

  /** Stream index of buffer index `i` (clamped to the bytes present). */
  at(i: number): number {
    const k = Math.max(0, Math.min(i, this.size));
    if (!this.map) return k;
    if (this.size === 0) return 0;
    if (k >= this.size) return this.map[this.size - 1] + 1;
    return this.map[k];
  }

  /** Stream span of buffer span [a, b), clamped to the bytes present. */
  span(a: number, b: number): Span {
    return { start: this.spanStart(a, b), end: this.spanEnd(a, b) };
  }

  /** Start of span(a, b), without building the span. */
  spanStart(a: number, b: number): number {
    const s = Math.max(0, Math.min(a, this.size));
    const e = Math.max(s, Math.min(b, this.size));
    if (e === s) return this.at(s);
    return this.map ? this.map[s] : s;
  }

  /** End of span(a, b), without building the span. */
  spanEnd(a: number, b: number): number {
    const s = Math.max(0, Math.min(a, this.size));
    const e = Math.max(s, Math.min(b, this.size));
    if (e === s) return this.at(s);
    return this.map ? this.map[e - 1] + 1 : e;
  }
}

/** Problems of one stream; at most one per (kind, start offset), as jsonParser does. */
export class ProblemList {
  readonly items: TlsProblem[] = [];
  private readonly seen = new Set<string>();
  /** Set once a truncation was reported: the stream ends there, later cuts are its echo. */
  truncationReported = false;

  add(problem: TlsProblem): void {
    const key = `${problem.kind}@${problem.start}`;
    if (this.seen.has(key)) return;
    if (problem.kind === 'truncated') {
      if (this.truncationReported) return;
      this.truncationReported = true;
    }
    this.seen.add(key);
    this.items.push(problem);
  }
}

export interface NodeProps {
  readonly value?: number | string;
  readonly display?: string;
  readonly kind?: FieldKind;
  readonly children?: readonly FieldNode[];
}

const NO_PROPS: NodeProps = {};

/**
 * The node as one object literal per common set of props: adding properties one by one
 * after creation stores them outside the object (a second allocation per node).
 */
function createFieldNode(
  name: string,
  start: number,
  end: number,
  value: number | string | undefined,
  display: string | undefined,
  kind: FieldKind | undefined,
  children: readonly FieldNode[] | undefined,
): FieldNode {
  if (kind !== undefined) {
    if (children === undefined) {
      if (value !== undefined) return display !== undefined ? { name, start, end, value, display, kind } : { name, start, end, value, kind };
      if (display === undefined) return { name, start, end, kind };
    } else if (value === undefined) {
      return display !== undefined ? { name, start, end, display, kind, children } : { name, start, end, kind, children };
    }
  }
  const out: { -readonly [K in keyof FieldNode]: FieldNode[K] } = { name, start, end };
  if (value !== undefined) out.value = value;
  if (display !== undefined) out.display = display;
  if (kind !== undefined) out.kind = kind;
  if (children !== undefined) out.children = children;
  return out;
}

export class ParseContext {
  constructor(
    readonly data: Uint8Array,
    readonly loc: Locator,
    readonly problems: ProblemList,
  ) {}

  /** A FieldNode for buffer span [a, b); props left undefined are absent from the node. */
  node(name: string, a: number, b: number, props: NodeProps = NO_PROPS): FieldNode {
    return createFieldNode(name, this.loc.spanStart(a, b), this.loc.spanEnd(a, b), props.value, props.display, props.kind, props.children);
  }

  /** node() with the props as arguments (no props object per field: the field reader's hot path). */
  field(name: string, a: number, b: number, value: number | string | undefined, display: string | undefined, kind: FieldKind): FieldNode {
    return createFieldNode(name, this.loc.spanStart(a, b), this.loc.spanEnd(a, b), value, display, kind, undefined);
  }

  /** Hex of the present bytes of a buffer span. */
  hex(span: Span): string {
    const e = Math.min(span.end, this.data.length);
    return toHex(this.data.subarray(Math.min(span.start, e), e));
  }

  /** Latin-1 text of the present bytes of a buffer span (host names, ALPN ids). */
  text(span: Span): string {
    const e = Math.min(span.end, this.data.length);
    let s = '';
    for (let i = span.start; i < e; i++) s += String.fromCharCode(this.data[i]);
    return s;
  }

  malformed(message: string, a: number, b: number): void {
    const span = this.loc.span(a, b);
    this.problems.add({ kind: 'malformed', message, start: span.start, end: span.end });
  }

  truncated(message: string, a: number, b: number, missing: number): void {
    const span = this.loc.span(a, b);
    this.problems.add({ kind: 'truncated', message, start: span.start, end: span.end, missing });
  }

  /**
   * Reports a cursor's failure: malformed ones become problems; truncated ones
   * are left to the record or handshake layer, which reports the cut once.
   * Returns true when the cursor stopped because the bytes ran out.
   */
  settle(cursor: ByteCursor): boolean {
    const f = cursor.failure;
    if (!f) return false;
    if (f.kind === 'malformed') {
      this.malformed(f.message, f.start, f.end);
      return false;
    }
    return true;
  }
}
