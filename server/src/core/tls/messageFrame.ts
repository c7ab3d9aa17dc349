/** The frame of one handshake message: its 4-byte header and its declared extent. */
import type { FieldNode } from '../model/tls';
import type { ByteCursor, Span } from './byteCursor';
import type { ParseContext } from './parseContext';
import { describeVersion } from './registry/versions';

export interface MessageFrame {
  /** Buffer index of msg_type. */
  readonly start: number;
  /** Buffer index of the first body byte. */
  readonly bodyStart: number;
  /** Declared end of the body (may lie past the bytes present). */
  readonly end: number;
  /** msg_type and length FieldNodes. */
  readonly header: readonly FieldNode[];
}

/** Handshake › [msg_type, length, <bodyName> › children]. */
export function frameNode(ctx: ParseContext, frame: MessageFrame, bodyName: string, children: readonly FieldNode[]): FieldNode {
  const body = ctx.node(bodyName, frame.bodyStart, frame.end, { kind: 'container', children });
  return ctx.node('Handshake', frame.start, frame.end, { display: bodyName, kind: 'container', children: [...frame.header, body] });
}

export function frameSpan(ctx: ParseContext, frame: MessageFrame): Span {
  return ctx.loc.span(frame.start, frame.end);
}

/**
 * Reads a hello's session id (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2/§4.1.3: opaque
 * legacy_session_id<0..32>) and adds its length and value fields to `kids`.
 * Returns the id as hex, or null when the vector is not there (parsing stops).
 */
export function readHelloSessionId(c: ByteCursor, ctx: ParseContext, kids: FieldNode[]): string | null {
  const sid = c.vector(1, 'session_id');
  if (!sid) return null;
  if (sid.length > 32) ctx.malformed(`session_id length ${sid.length} exceeds 32`, sid.lengthSpan.start, sid.lengthSpan.end);
  const sidSpan = sid.body.skipPresent();
  const sessionId = ctx.hex(sidSpan);
  kids.push(ctx.node('session_id_length', sid.lengthSpan.start, sid.lengthSpan.end, { value: sid.length, kind: 'length' }));
  kids.push(ctx.node('session_id', sidSpan.start, sidSpan.end, { value: sessionId, kind: 'opaque' }));
  return sessionId;
}

/**
 * Reads a 2-byte protocol version field (client_version, server_version, an SSLv2
 * hello's version) and adds it to `kids` with its name; undefined when the bytes
 * are not there (parsing stops).
 */
export function readVersionField(c: ByteCursor, ctx: ParseContext, name: string, kids: FieldNode[]): { value: number; span: Span } | undefined {
  const at = c.pos;
  const value = c.u16(name);
  if (value === undefined) return undefined;
  kids.push(ctx.node(name, at, c.pos, { value, display: describeVersion(value), kind: 'version' }));
  return { value, span: ctx.loc.span(at, c.pos) };
}
