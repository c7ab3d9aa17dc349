/**
 * Reads the fields of one structure through a bounded cursor and records a
 * FieldNode for each, so message parsers read like the RFC's presentation
 * language: `r.readU8('curve_type', lookup)`, `r.readOpaque(2, 'signature')`.
 * Every read returns undefined once the cursor has failed; the caller stops.
 */
import type { FieldKind, FieldNode } from '../model/tls';
import type { ByteCursor, Span } from './byteCursor';
import type { ParseContext } from './parseContext';
import type { RegistryEntry } from './registry/entry';

export interface OpaqueField {
  readonly length: number;
  /** Present bytes of the body (may end early when the capture is cut). */
  readonly span: Span;
  readonly hex: string;
  /** Cursor over the declared body, for structured contents. */
  readonly body: ByteCursor;
  /** True when every declared byte is present. */
  readonly complete: boolean;
}

export class FieldReader {
  readonly nodes: FieldNode[] = [];

  constructor(
    readonly c: ByteCursor,
    readonly ctx: ParseContext,
  ) {}

  private push(name: string, at: number, value: number, lookup?: (v: number) => RegistryEntry | string, kind: FieldKind = 'enum'): void {
    const looked = lookup?.(value);
    const display = typeof looked === 'string' ? looked : looked?.name;
    this.nodes.push(this.ctx.field(name, at, this.c.pos, value, display, lookup ? kind : 'length'));
  }

  readU8(name: string, lookup?: (v: number) => RegistryEntry | string): number | undefined {
    const at = this.c.pos;
    const v = this.c.u8(name);
    if (v !== undefined) this.push(name, at, v, lookup);
    return v;
  }

  readU16(name: string, lookup?: (v: number) => RegistryEntry | string, kind: FieldKind = 'enum'): number | undefined {
    const at = this.c.pos;
    const v = this.c.u16(name);
    if (v !== undefined) this.push(name, at, v, lookup, kind);
    return v;
  }

  /** A 32-bit unsigned value (lifetimes, ages): two 16-bit reads, never sign-extended. */
  readU32(name: string, display?: (v: number) => string): number | undefined {
    const at = this.c.pos;
    const span = this.c.take(4, name);
    if (!span) return undefined;
    const d = this.ctx.data;
    const v = ((d[at] << 24) >>> 0) + (d[at + 1] << 16) + (d[at + 2] << 8) + d[at + 3];
    this.nodes.push(this.ctx.field(name, at, this.c.pos, v, display ? display(v) : undefined, 'enum'));
    return v;
  }

  /** Fixed-size opaque bytes (random, verify_data of a known size, log_id). */
  readFixed(n: number, name: string): string | undefined {
    const at = this.c.pos;
    const span = this.c.take(n, name);
    if (!span) {
      const present = { start: at, end: this.c.presentEnd };
      if (present.end > present.start) this.nodes.push(this.ctx.field(name, present.start, present.end, this.ctx.hex(present), undefined, 'opaque'));
      return undefined;
    }
    const hex = this.ctx.hex(span);
    this.nodes.push(this.ctx.field(name, span.start, span.end, hex, undefined, 'opaque'));
    return hex;
  }

  /**
   * opaque name<min..2^(8*lengthBytes)-1>: the length node and the body node.
   * With `structured`, the body is left to the caller (its cursor is returned
   * unread) and no body node is added; with `nonEmpty` (min 1), a length of 0
   * is reported malformed.
   */
  readOpaque(
    lengthBytes: 1 | 2 | 3,
    name: string,
    options: { readonly structured?: boolean; readonly display?: string; readonly nonEmpty?: boolean } = {},
  ): OpaqueField | undefined {
    const vec = this.c.vector(lengthBytes, name);
    if (!vec) return undefined;
    this.nodes.push(this.ctx.field(`${name}_length`, vec.lengthSpan.start, vec.lengthSpan.end, vec.length, undefined, 'length'));
    // opaque name<1..2^N-1>: an empty one is malformed at its length; the parse goes on.
    if (options.nonEmpty && vec.length === 0) {
      this.ctx.malformed(`${name} is empty; it is declared <1..2^${8 * lengthBytes}-1>`, vec.lengthSpan.start, vec.lengthSpan.end);
    }
    const start = vec.body.pos;
    const presentEnd = vec.body.presentEnd;
    const span = { start, end: presentEnd };
    const complete = presentEnd === vec.body.end;
    const hex = this.ctx.hex(span);
    if (!options.structured) {
      vec.body.skipPresent();
      this.nodes.push(this.ctx.field(name, start, presentEnd, hex, options.display || undefined, 'opaque'));
    }
    return { length: vec.length, span, hex, body: vec.body, complete };
  }

  /** The rest of the declared bytes as one opaque field. */
  readRest(name: string): OpaqueField {
    const start = this.c.pos;
    const end = this.c.end;
    const span = this.c.skipPresent();
    const hex = this.ctx.hex(span);
    if (span.end > span.start) this.nodes.push(this.ctx.field(name, span.start, span.end, hex, undefined, 'opaque'));
    return { length: end - start, span, hex, body: this.c, complete: span.end === end };
  }

  /** Adds a node built by the caller. */
  add(node: FieldNode): void {
    this.nodes.push(node);
  }
}
