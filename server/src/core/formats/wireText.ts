/**
 * TCP payload dumped as hex (openssl -debug, tshark -x, tcpdump -X, tshark follow hex,
 * curl --trace headers) carries both the SMTP dialogue in clear and the TLS records
 * after STARTTLS. This splits one connection's payload, per direction, into SMTP lines
 * (command and reply events whose `view` keeps each byte's hex pair and whose
 * `lineEnding` is the one on the wire) and TLS byte runs. A line may span chunks
 * (TCP segments, reads); the switch to TLS happens at the first chunk that starts
 * with a byte no SMTP line starts with (a TLS content type 20..24 or an SSLv2 header).
 */
import { ByteViewBuilder, sliceByteView, type ByteView } from '../bytes/byteView';
import { looksLikeTlsStart } from '../tls/recordBoundary';
import type { Direction } from '../model/transcript';
import type { DocumentLines } from './documentLines';
import { parseCommandText, parseReplyText, withWireCommand, withWireReply } from './smtpLines';
import type { TranscriptBuilder } from './transcriptBuilder';

/** RFC 8446 section 5.1 content types 20..24, or the high bit of an SSLv2 record header (RFC 6101 appendix E.2). */
export function startsTlsRecord(byte: number): boolean {
  return (byte >= 20 && byte <= 24) || byte >= 0x80;
}

/** A line of text ends within this many bytes at the start of a side whose start is missing. */
const FIRST_LINE = 1024;

/** Whether bytes start with a line of text (printable ASCII, tabs, CR LF or LF) ended within FIRST_LINE bytes. */
export function startsTextLine(b: Uint8Array): boolean {
  const n = Math.min(b.length, FIRST_LINE);
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === 10) return i > 0;
    if (c === 13 && b[i + 1] === 10) continue;
    if (c !== 9 && (c < 0x20 || c >= 0x7f)) return false;
  }
  return false;
}

interface Side {
  tls: boolean;
  /** Nothing of this side was read yet and the connection's start is not in the text (what its first bytes are decides). */
  undecided: boolean;
  pending: ByteViewBuilder | null;
  /** Line and run bookkeeping of the bytes run being extended. */
}

/** One connection's payload splitter; select the connection's session before each call. */
export class WireSplitter {
  private readonly sides: Record<Direction, Side> = {
    client: { tls: false, undecided: false, pending: null },
    server: { tls: false, undecided: false, pending: null },
  };

  constructor(
    private readonly out: TranscriptBuilder,
    private readonly doc: DocumentLines,
    private readonly layout: string,
    /**
     * What clear text is: 'wire' (before STARTTLS), 'decrypted-after-starttls' (curl --trace:
     * lines after the 220 to STARTTLS are the decrypted content) or 'decrypted' (a
     * decrypted stream: every line is inside TLS).
     */
    private readonly clearText: 'wire' | 'decrypted-after-starttls' | 'decrypted' = 'wire',
  ) {}

  /**
   * The connection began before the text (a dump without its SYN): each side's first chunk is
   * SMTP text only if it starts with a line of text; otherwise it is TLS, maybe from inside a
   * record (the stream assembly finds the first record boundary of such a session).
   */
  startsMidConnection(): void {
    this.sides.client.undecided = true;
    this.sides.server.undecided = true;
  }

  /** Whether bytes of `direction` are read as TLS from now on. */
  inTls(direction: Direction): boolean {
    return this.sides[direction].tls;
  }

  /** Declares the TLS phase started for `direction` (a tool said so). */
  startTls(direction: Direction): void {
    this.flushLine(direction);
    this.sides[direction].tls = true;
  }

  /** One chunk of payload bytes, in order for its direction. */
  addChunk(direction: Direction, view: ByteView, line: number, endLine: number): void {
    const n = view.bytes.length;
    if (n === 0) return;
    const side = this.sides[direction];
    if (side.undecided) {
      side.undecided = false;
      if (this.clearText !== 'decrypted' && !startsTextLine(view.bytes)) side.tls = true;
    }
    if (!side.tls && side.pending === null && this.clearText !== 'decrypted' && startsTlsRecord(view.bytes[0])) side.tls = true;
    if (side.tls) {
      this.flushLine(direction);
      this.out.addBytes({ kind: 'bytes', line, endLine, direction, view, layout: this.layout, role: 'stream' });
      return;
    }
    let from = 0;
    for (let i = 0; i < n; i++) {
      if (view.bytes[i] !== 10) continue;
      const pending = side.pending ?? new ByteViewBuilder();
      for (let k = from; k <= i; k++) pending.push(view.bytes[k], view.offsets[k]);
      side.pending = null;
      this.emitLine(direction, pending.build());
      from = i + 1;
      // TLS right after a line in the same chunk (a ClientHello sent in the segment of its
      // STARTTLS): the rest is TLS, as the capture import reads it (capture/sessionRenderer.ts).
      if (from < n && this.clearText !== 'decrypted' && looksLikeTlsStart(view.bytes, from)) {
        side.tls = true;
        this.out.addBytes({ kind: 'bytes', line: this.doc.lineAt(view.offsets[from]), endLine, direction, view: sliceByteView(view, from, n), layout: this.layout, role: 'stream' });
        return;
      }
    }
    if (from < n) {
      const pending = side.pending ?? new ByteViewBuilder();
      for (let k = from; k < n; k++) pending.push(view.bytes[k], view.offsets[k]);
      side.pending = pending;
    }
  }

  /** Emits a line still waiting for its LF (the capture ended inside it). */
  flushLine(direction: Direction): void {
    const side = this.sides[direction];
    if (side.pending === null) return;
    const v = side.pending.build();
    side.pending = null;
    this.emitLine(direction, v);
  }

  flush(): void {
    this.flushLine('client');
    this.flushLine('server');
  }

  private emitLine(direction: Direction, view: ByteView): void {
    const b = view.bytes;
    let contentLength = b.length;
    let lineEnding = '';
    if (contentLength > 0 && b[contentLength - 1] === 10) {
      contentLength--;
      lineEnding = '\n';
      if (contentLength > 0 && b[contentLength - 1] === 13) {
        contentLength--;
        lineEnding = '\r\n';
      }
    }
    let content = '';
    for (let k = 0; k < contentLength; k++) content += String.fromCharCode(b[k]);
    const first = view.offsets[0];
    const span = contentLength > 0 ? { start: first, end: view.offsets[contentLength - 1] + 2 } : { start: first, end: first };
    const line = this.doc.lineAt(first);
    const out = this.out;
    const inTls = this.clearText === 'decrypted' || (this.clearText === 'decrypted-after-starttls' && out.session.afterStarttls);
    if (direction === 'client') {
      out.addCommand(withWireCommand(parseCommandText(content, line, span, inTls, out.session.inData), lineEnding, view));
    } else {
      out.addReplyLine(withWireReply(parseReplyText(content, line, span), lineEnding, view), inTls);
    }
  }
}
