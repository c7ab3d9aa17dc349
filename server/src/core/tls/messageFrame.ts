/** The frame of one handshake message: its 4-byte header and its declared extent. */
import type { FieldNode } from '../model/tls';
import type { Span } from './byteCursor';
import type { ParseContext } from './parseContext';

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
