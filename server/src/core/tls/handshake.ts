/**
 * Handshake protocol framing (RFC 5246 §7.4, RFC 8446 §4): several messages
 * in one record, and one message split across records of the same stream.
 * Fragments are joined only when a message crosses a record; the joined copy
 * is sized by the bytes present (never by a declared length) and maps each of
 * its bytes back to the stream, so spans stay exact.
 */
import type { FieldNode, HandshakeMessage, OtherHandshakeMessage } from '../model/tls';
import { ByteCursor } from './byteCursor';
import { parseClientHello } from './clientHello';
import { frameNode, frameSpan, type MessageFrame } from './messageFrame';
import { Locator, ParseContext, type ProblemList } from './parseContext';
import {
  HS_CERTIFICATE,
  HS_CERTIFICATE_REQUEST,
  HS_CERTIFICATE_STATUS,
  HS_CERTIFICATE_VERIFY,
  HS_CLIENT_HELLO,
  HS_CLIENT_KEY_EXCHANGE,
  HS_COMPRESSED_CERTIFICATE,
  HS_ENCRYPTED_EXTENSIONS,
  HS_END_OF_EARLY_DATA,
  HS_FINISHED,
  HS_HELLO_REQUEST,
  HS_KEY_UPDATE,
  HS_NEW_SESSION_TICKET,
  HS_SERVER_HELLO,
  HS_SERVER_HELLO_DONE,
  HS_SERVER_KEY_EXCHANGE,
  handshakeMessageName,
  lookupHandshakeType,
} from './registry/handshakeTypes';
import { parseServerHello } from './serverHello';
import { parseCertificate } from './certificate';
import { parseCertificateVerify, parseClientKeyExchange, parseServerKeyExchange } from './keyExchange';
import {
  parseCertificateRequest,
  parseCertificateStatus,
  parseCompressedCertificate,
  parseEmptyMessage,
  parseEncryptedExtensions,
  parseFinished,
  parseKeyUpdate,
  parseNewSessionTicket,
} from './otherMessages';
import { createSessionHints, type SessionHints } from './sessionHints';

/** Parses one message whose 4-byte header is present at `start`. */
export function parseHandshakeMessage(
  data: Uint8Array,
  loc: Locator,
  problems: ProblemList,
  start: number,
  available: number,
  hints: SessionHints = createSessionHints(),
): HandshakeMessage {
  const ctx = new ParseContext(data, loc, problems);
  const type = data[start];
  const length = (data[start + 1] << 16) | (data[start + 2] << 8) | data[start + 3];
  const name = handshakeMessageName(type);
  const header: FieldNode[] = [
    ctx.node('msg_type', start, start + 1, { value: type, display: lookupHandshakeType(type).name, kind: 'enum' }),
    ctx.node('length', start + 1, start + 4, { value: length, kind: 'length' }),
  ];
  const frame: MessageFrame = { start, bodyStart: start + 4, end: start + 4 + length, header };
  const body = ByteCursor.over(data, start + 4, start + 4 + length, { available, label: name, lengthField: { start: start + 1, end: start + 4 } });
  switch (type) {
    case HS_CLIENT_HELLO:
      return parseClientHello(body, ctx, frame);
    case HS_SERVER_HELLO:
      return parseServerHello(body, ctx, frame);
    case HS_CERTIFICATE:
      return parseCertificate(body, ctx, frame, hints);
    case HS_SERVER_KEY_EXCHANGE:
      return parseServerKeyExchange(body, ctx, frame, hints);
    case HS_CLIENT_KEY_EXCHANGE:
      return parseClientKeyExchange(body, ctx, frame, hints);
    case HS_CERTIFICATE_VERIFY:
      return parseCertificateVerify(body, ctx, frame, hints);
    case HS_CERTIFICATE_REQUEST:
      return parseCertificateRequest(body, ctx, frame, hints);
    case HS_NEW_SESSION_TICKET:
      return parseNewSessionTicket(body, ctx, frame, hints);
    case HS_HELLO_REQUEST:
    case HS_SERVER_HELLO_DONE:
    case HS_END_OF_EARLY_DATA:
      return parseEmptyMessage(type, name, body, ctx, frame);
    case HS_ENCRYPTED_EXTENSIONS:
      return parseEncryptedExtensions(body, ctx, frame);
    case HS_FINISHED:
      return parseFinished(body, ctx, frame);
    case HS_CERTIFICATE_STATUS:
      return parseCertificateStatus(body, ctx, frame);
    case HS_KEY_UPDATE:
      return parseKeyUpdate(body, ctx, frame);
    case HS_COMPRESSED_CERTIFICATE:
      return parseCompressedCertificate(body, ctx, frame);
    default:
      return parseOtherMessage(type, name, body, ctx, frame);
  }
}

/** Messages without a decoder (unknown types, DTLS-only ones): type, name and the body as data. */
function parseOtherMessage(type: number, name: string, body: ByteCursor, ctx: ParseContext, frame: MessageFrame): OtherHandshakeMessage {
  const span = body.skipPresent();
  const incomplete = span.end < frame.end;
  const children = span.end > span.start ? [ctx.node('body', span.start, span.end, { value: ctx.hex(span), kind: 'opaque' as const })] : [];
  const whole = frameSpan(ctx, frame);
  return {
    type,
    name,
    start: whole.start,
    end: whole.end,
    field: frameNode(ctx, frame, name, children),
    ...(incomplete ? { incomplete: true } : {}),
  };
}

/** Where the messages of a fragment go, and how to tell that a message started there. */
export interface FragmentOwner {
  readonly messages: HandshakeMessage[];
  readonly children: FieldNode[];
}

interface Segment {
  start: number;
  readonly end: number;
  readonly owner: FragmentOwner;
  /** Where the fragment began (start moves as messages are consumed). */
  readonly from: number;
}

export class HandshakeAssembler {
  private segments: Segment[] = [];
  private total = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly problems: ProblemList,
    private readonly onMessage: (message: HandshakeMessage) => void,
    /** Negotiated version and suite as far as this stream showed them (updated by onMessage). */
    private readonly hints: SessionHints = createSessionHints(),
  ) {}

  get pending(): boolean {
    return this.total > 0;
  }

  /** The pending bytes begin a record's fragment: no message ended in the record they start in. */
  get pendingStartsFragment(): boolean {
    return this.total > 0 && this.segments[0].start === this.segments[0].from;
  }

  /** Adds the present bytes [start, end) of a handshake record's fragment and parses every complete message. */
  push(start: number, end: number, owner: FragmentOwner): void {
    if (end <= start) return;
    if (this.total > 0) {
      // This fragment continues a message that began in an earlier record.
      const need = this.total >= 4 ? 4 + this.u24(1) - this.total : end - start;
      const cont = Math.min(end - start, Math.max(need, 0));
      if (cont > 0) {
        const loc = Locator.identity(this.bytes.length);
        owner.children.push(
          new ParseContext(this.bytes, loc, this.problems).node('handshake_fragment', start, start + cont, {
            display: `continuation of a handshake message that starts at byte ${this.segments[0].start}`,
            kind: 'opaque',
          }),
        );
      }
    }
    this.segments.push({ start, end, owner, from: start });
    this.total += end - start;
    this.drain();
  }

  private byteAt(k: number): number {
    for (const s of this.segments) {
      const len = s.end - s.start;
      if (k < len) return this.bytes[s.start + k];
      k -= len;
    }
    return 0;
  }

  private u24(k: number): number {
    return (this.byteAt(k) << 16) | (this.byteAt(k + 1) << 8) | this.byteAt(k + 2);
  }

  private drain(): void {
    while (this.total >= 4) {
      const need = 4 + this.u24(1);
      if (this.total < need) return;
      this.emit(need);
      this.consume(need);
    }
  }

  /**
   * Parses the first pending message from its first `present` bytes; `cut`: the rest of it
   * never comes (the stream ends or another record type follows), so it is incomplete
   * whatever its parser could tell from the bytes present.
   */
  private emit(present: number, cut = false): HandshakeMessage {
    const first = this.segments[0];
    let message: HandshakeMessage;
    if (first.end - first.start >= present) {
      // The message lies in one fragment: parse in place, clamped to its bytes.
      const stop = first.start + present;
      message = parseHandshakeMessage(this.bytes, Locator.identity(stop), this.problems, first.start, stop, this.hints);
    } else {
      const buf = new Uint8Array(present);
      const map = new Int32Array(present);
      let k = 0;
      for (const s of this.segments) {
        for (let i = s.start; i < s.end && k < present; i++, k++) {
          buf[k] = this.bytes[i];
          map[k] = i;
        }
        if (k >= present) break;
      }
      message = parseHandshakeMessage(buf, new Locator(present, map), this.problems, 0, present, this.hints);
    }
    if (cut && !message.incomplete) message = { ...message, incomplete: true };
    first.owner.messages.push(message);
    first.owner.children.push(message.field);
    this.onMessage(message);
    return message;
  }

  private consume(n: number): void {
    this.total -= n;
    // One splice for all the used-up fragments: a message cut into thousands of
    // tiny records must not cost a shift per fragment.
    let k = 0;
    while (n > 0 && k < this.segments.length) {
      const s = this.segments[k];
      const len = s.end - s.start;
      if (len <= n) {
        k++;
        n -= len;
      } else {
        s.start += n;
        n = 0;
      }
    }
    if (k > 0) this.segments.splice(0, k);
  }

  /**
   * Ends the pending message: at the end of the stream (`interruptedBy` null)
   * or because a record of another type came (RFC 8446 §5.1: handshake
   * messages must not be interleaved with other record types).
   * `headerMayBeCut`: the bytes are one message's dump without a record, so
   * fewer than 4 bytes are a cut header rather than stray bytes.
   */
  flush(interruptedBy: string | null, headerMayBeCut = false): void {
    if (this.total === 0) return;
    const first = this.segments[0];
    const last = this.segments[this.segments.length - 1];
    const loc = Locator.identity(this.bytes.length);
    const ctx = new ParseContext(this.bytes, loc, this.problems);
    if (this.total < 4) {
      const what = `${this.total} byte${this.total === 1 ? '' : 's'} after the last handshake message`;
      if (headerMayBeCut && interruptedBy === null) {
        // Content shown without its record (openssl -msg): the dump itself ends inside the header.
        if (!this.problems.truncationReported) ctx.truncated(`${what} start a handshake header that the dump cuts`, last.end - 1, last.end, 4 - this.total);
      } else if (!this.problems.truncationReported) {
        ctx.malformed(`${what} do not form a handshake header`, first.start, last.end);
      }
      first.owner.children.push(ctx.node('trailing_bytes', first.start, last.end, { kind: 'opaque' }));
    } else {
      const type = this.byteAt(0);
      const length = this.u24(1);
      const have = this.total - 4;
      const name = handshakeMessageName(type);
      this.emit(this.total, true);
      const lengthSpan = this.mapSpan(1, 4);
      if (interruptedBy !== null) {
        this.problems.add({
          kind: 'malformed',
          message: `${name} declares ${length} bytes but a ${interruptedBy} record follows after ${have}`,
          ...lengthSpan,
        });
      } else if (!this.problems.truncationReported) {
        if (!lookupHandshakeType(type).known) {
          const typeSpan = this.mapSpan(0, 1);
          this.problems.add({
            kind: 'malformed',
            message: `bytes after the last handshake message do not start a known handshake message (type ${type}, length ${length})`,
            ...typeSpan,
          });
        } else {
          this.problems.add({
            kind: 'truncated',
            message: `${name} declares ${length} bytes but the stream ends after ${have}`,
            ...lengthSpan,
            missing: length - have,
          });
        }
      }
    }
    this.segments = [];
    this.total = 0;
  }

  /** Stream span of pending bytes [a, b) (a < b <= 4, so within the first few fragments). */
  private mapSpan(a: number, b: number): { start: number; end: number } {
    const at = (k: number): number => {
      for (const s of this.segments) {
        const len = s.end - s.start;
        if (k < len) return s.start + k;
        k -= len;
      }
      return this.segments[this.segments.length - 1].end;
    };
    return { start: at(a), end: at(b - 1) + 1 };
  }
}
