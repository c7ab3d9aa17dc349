/** Byte builders for crafted TLS vectors, and checks shared by the TLS tests. */
import type { DecodedTlsStream, FieldNode } from '../../src/core/model/tls';
import { concatBytes } from '../../src/core/bytes/concatBytes';

/** Bytes from hex text; spaces, newlines and `//` comments are ignored. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\/\/[^\n]*/g, '').replace(/[^0-9a-fA-F]/g, '');
  if (clean.length % 2 !== 0) throw new Error(`odd hex: ${clean}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function cat(...parts: (Uint8Array | number[])[]): Uint8Array {
  return concatBytes(parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p))));
}

export const u8 = (v: number): Uint8Array => Uint8Array.of(v & 0xff);
export const u16 = (v: number): Uint8Array => Uint8Array.of((v >> 8) & 0xff, v & 0xff);
export const u24 = (v: number): Uint8Array => Uint8Array.of((v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
/** A vector with a 1-, 2- or 3-byte length prefix (RFC 8446 §3.4). */
export const vec8 = (...p: Uint8Array[]): Uint8Array => { const b = cat(...p); return cat(u8(b.length), b); };
export const vec16 = (...p: Uint8Array[]): Uint8Array => { const b = cat(...p); return cat(u16(b.length), b); };
export const vec24 = (...p: Uint8Array[]): Uint8Array => { const b = cat(...p); return cat(u24(b.length), b); };
export const list16 = (values: readonly number[]): Uint8Array => cat(...values.map(u16));
export const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** TLSPlaintext: type(1) version(2) length(2) fragment (RFC 5246 §6.2.1). */
export const record = (type: number, version: number, fragment: Uint8Array): Uint8Array => cat(u8(type), u16(version), u16(fragment.length), fragment);
/** Handshake: msg_type(1) length(3) body (RFC 5246 §7.4). */
export const handshake = (type: number, body: Uint8Array): Uint8Array => cat(u8(type), u24(body.length), body);
/** Extension: extension_type(2) extension_data<0..2^16-1> (RFC 8446 §4.2). */
export const ext = (type: number, data: Uint8Array = new Uint8Array(0)): Uint8Array => cat(u16(type), vec16(data));

export interface HelloSpec {
  readonly version?: number;
  readonly random?: Uint8Array;
  readonly sessionId?: Uint8Array;
  readonly suites?: readonly number[];
  readonly compression?: readonly number[];
  /** Encoded extensions, or null to leave the extensions block out. */
  readonly extensions?: readonly Uint8Array[] | null;
}

/** ClientHello body: client_version, random[32], session_id<0..32>, cipher_suites<2..>, compression_methods<1..>, extensions. */
export function clientHelloBody(spec: HelloSpec = {}): Uint8Array {
  const parts = [
    u16(spec.version ?? 0x0303),
    spec.random ?? new Uint8Array(32).fill(0x11),
    vec8(spec.sessionId ?? new Uint8Array(0)),
    vec16(list16(spec.suites ?? [0x1301, 0xc02f])),
    vec8(Uint8Array.from(spec.compression ?? [0])),
  ];
  if (spec.extensions !== null) parts.push(vec16(...(spec.extensions ?? [])));
  return cat(...parts);
}

export function clientHelloRecord(spec: HelloSpec = {}, recordVersion = 0x0301): Uint8Array {
  return record(22, recordVersion, handshake(1, clientHelloBody(spec)));
}

/** Walks every FieldNode of a decoded stream. */
export function* allFields(decoded: DecodedTlsStream): Generator<FieldNode> {
  const stack: FieldNode[] = decoded.records.map((r) => r.field);
  while (stack.length > 0) {
    const f = stack.pop() as FieldNode;
    yield f;
    if (f.children) stack.push(...f.children);
  }
}

/** Every span of the decode lies within [0, n] and is ordered. Returns the first violation or null. */
export function findSpanViolation(decoded: DecodedTlsStream, n: number): string | null {
  const bad = (what: string, s: { start: number; end: number }): string | null =>
    Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end <= n && s.start <= s.end ? null : `${what} [${s.start}, ${s.end}) outside [0, ${n}]`;
  for (const p of decoded.problems) {
    const v = bad(`problem "${p.message}"`, p);
    if (v) return v;
  }
  for (const r of decoded.records) {
    const v = bad('record', r);
    if (v) return v;
    for (const m of r.messages) {
      const w = bad(`message ${m.name}`, m);
      if (w) return w;
      if ('versionSpan' in m) {
        const x = bad(`${m.name} versionSpan`, m.versionSpan);
        if (x) return x;
      }
      if ('extensions' in m) {
        for (const e of m.extensions) {
          const x = bad(`extension ${e.name}`, e);
          if (x) return x;
        }
      }
    }
  }
  for (const f of allFields(decoded)) {
    const v = bad(`field ${f.name}`, f);
    if (v) return v;
  }
  return null;
}

/** A small seeded generator (mulberry32), so fuzz failures replay. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Finds a FieldNode by a path of names from a root. */
export function fieldAt(root: FieldNode, ...path: string[]): FieldNode | undefined {
  let node: FieldNode | undefined = root;
  for (const name of path) {
    node = node?.children?.find((c) => c.name === name);
    if (!node) return undefined;
  }
  return node;
}
