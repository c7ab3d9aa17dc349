/**
 * curl --trace and --trace-ascii (FORMATS.md section 7):
 *   <= Recv header, 45 bytes (0x2d)
 *   0000: 32 32 30 20 6d 78 2e 66 65 61 73 2e 74 65 73 74 220 mx.feas.test
 *   => Send SSL data, 5 bytes (0x5)
 *   0000: 16 03 01 02 00                                  .....
 *   == Info: TLSv1.3 (OUT), TLS handshake, Client hello (1):
 *   => Send SSL data, 512 bytes (0x200)
 * SMTP lines ("header", "data") are the clear text curl wrote or read: before STARTTLS
 * the wire, after it the decrypted content. "SSL data" is what OpenSSL's message callback
 * shows: a record header (5 bytes), then the handshake message, alert or inner content
 * type as separate dumps. A header whose body is shown in full becomes one `stream` run;
 * an encrypted record becomes a header-only run plus `decrypted` runs. --trace-ascii
 * shows text only: SMTP lines are read from it, SSL data becomes gaps.
 */
import { ByteViewBuilder, concatByteViews, type ByteView } from '../bytes/byteView';
import type { Direction } from '../model/transcript';
import { readCurlInfo } from './curlVerbose';
import { readFixedColumns, spacedLayout, isHexRun } from './dumpColumns';
import { parseHexNumber } from './hexTokens';
import { headOf, lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { parseCommandText, parseReplyText } from './smtpLines';
import { WireSplitter } from './wireText';

const EVENT = /^(=>|<=) (Send|Recv) (header|data|SSL data), ([0-9]{1,10}) bytes \(0x[0-9a-fA-F]{1,8}\)/;
const TRACE_LAYOUT = spacedLayout(' ', 0);

type Kind = 'header' | 'data' | 'ssl';

interface Block {
  readonly kind: Kind;
  readonly direction: Direction;
  readonly count: number;
  readonly line: number;
  endLine: number;
  builder: ByteViewBuilder;
  seen: number;
  /** null until the first dump line tells. */
  hex: boolean | null;
}

/**
 * A --trace-ascii line being read: curl breaks a dump line at a CR LF (left out, the next line's offset
 * two past this one's end) or after 64 characters (the next line's offset right at its end: the same
 * SMTP line goes on there).
 */
interface AsciiLine {
  readonly kind: Kind;
  readonly direction: Direction;
  readonly line: number;
  /** The first dump line's characters: the line's span (one document line, as the rules read spans). */
  readonly start: number;
  readonly end: number;
  text: string;
  /** The dump offset of the next character. */
  next: number;
}

interface PendingRecord {
  readonly header: ByteView;
  readonly type: number;
  readonly length: number;
  readonly line: number;
  readonly bodies: { view: ByteView; line: number; endLine: number }[];
  shown: number;
  endLine: number;
}

interface SideState {
  pending: PendingRecord | null;
  /** Inner content type of the last encrypted record (TLS 1.3), for the dump after it. */
  inner: number | null;
  lastType: number | null;
}

export class CurlTraceReader implements LineReader {
  private block: Block | null = null;
  private ascii: AsciiLine | null = null;
  private readonly splitter: WireSplitter;
  private readonly sides: Record<Direction, SideState> = {
    client: { pending: null, inner: null, lastType: null },
    server: { pending: null, inner: null, lastType: null },
  };

  constructor(private readonly ctx: ReaderContext) {
    this.splitter = new WireSplitter(ctx.out, ctx.doc, 'curl-trace', 'decrypted-after-starttls');
  }

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    if (c === 61 || c === 60) {
      if (text.startsWith('== Info: ', s)) {
        this.endBlock();
        out.vote(this.format(), 1);
        readCurlInfo(this.ctx, i, s + 9, e);
        return i + 1;
      }
      const m = EVENT.exec(headOf(doc, i));
      if (!m) return -1;
      this.endBlock();
      out.vote(this.format(), 1);
      const kind: Kind = m[3] === 'SSL data' ? 'ssl' : m[3] === 'header' ? 'header' : 'data';
      const direction: Direction = m[2] === 'Send' ? 'client' : 'server';
      this.block = { kind, direction, count: Number(m[4]), line: i, endLine: i, builder: new ByteViewBuilder(), seen: 0, hex: null };
      return i + 1;
    }
    const b = this.block;
    if (!b || !isHexRun(text, s, 4, e) || text.charCodeAt(s + 4) !== 58 || text.charCodeAt(s + 5) !== 32) return -1;
    if (b.hex === null) {
      const want = Math.min(16, b.count);
      const probe = readFixedColumns(text, s + 6, e, TRACE_LAYOUT, want, () => undefined);
      b.hex = probe.count === want && want > 0;
    }
    out.vote(b.hex ? 'curl-trace' : 'curl-trace-ascii', 1);
    b.endLine = i;
    if (b.hex) {
      const builder = b.builder;
      const r = readFixedColumns(text, s + 6, e, TRACE_LAYOUT, b.count - b.seen, (byte, o) => builder.push(byte, o));
      b.seen += r.count;
      if (r.brokenAt >= 0) out.report(r.brokenAt, e, 'dump line cut short: not a hex byte');
    } else {
      this.readAsciiLine(b, i, parseHexNumber(text, s, s + 4), s + 6, e);
    }
    return i + 1;
  }

  private format(): 'curl-trace' | 'curl-trace-ascii' {
    return this.block?.hex === false ? 'curl-trace-ascii' : 'curl-trace';
  }

  /** --trace-ascii: SMTP lines, each on one dump line or more (at `offset` of the block); SSL data is not recoverable. */
  private readAsciiLine(b: Block, i: number, offset: number, cs: number, e: number): void {
    const { doc, out } = this.ctx;
    if (b.kind === 'ssl') {
      if (b.seen === 0) {
        out.add({ kind: 'gap', line: b.line, direction: b.direction, length: b.count, span: { start: doc.start(b.line), end: doc.end(b.line) } });
        b.seen = b.count;
      }
      return;
    }
    const a = this.ascii;
    if (a && offset > 0 && offset === a.next) {
      // The line before was cut after 64 characters: this one goes on with it.
      a.text += doc.text.slice(cs, e);
      a.next += e - cs;
      return;
    }
    this.endAsciiLine();
    this.ascii = { kind: b.kind, direction: b.direction, line: i, start: cs, end: e, text: doc.text.slice(cs, e), next: offset + (e - cs) };
  }

  /** The SMTP line being read is complete: a command or a reply line, its text joined over its dump lines. */
  private endAsciiLine(): void {
    const a = this.ascii;
    if (!a) return;
    this.ascii = null;
    const out = this.ctx.out;
    const inTls = out.session.afterStarttls;
    const span = { start: a.start, end: a.end };
    if (a.direction === 'client') out.addCommand(parseCommandText(a.text, a.line, span, inTls, a.kind === 'data' || out.session.inData));
    else out.addReplyLine(parseReplyText(a.text, a.line, span), inTls);
  }

  private endBlock(): void {
    this.endAsciiLine();
    const b = this.block;
    if (!b) return;
    this.block = null;
    if (!b.hex || b.builder.length === 0) return;
    const view = b.builder.build();
    if (b.kind !== 'ssl') {
      // Clear text as curl wrote or read it; after STARTTLS it is the decrypted content.
      this.splitter.addChunk(b.direction, view, b.line, b.endLine);
      return;
    }
    this.readSslDump(b.direction, view, b.line, b.endLine);
  }

  private readSslDump(direction: Direction, view: ByteView, line: number, endLine: number): void {
    const side = this.sides[direction];
    const bytes = view.bytes;
    const p = side.pending;
    // RFC 8446 section 5.1: a record header is type, legacy version 3.x, 2-byte length.
    const header = bytes.length === 5 && bytes[0] >= 20 && bytes[0] <= 24 && bytes[1] === 3 && bytes[2] <= 4;
    // A header starts the next record even while the last one is not all shown: OpenSSL shows an
    // encrypted TLS 1.2 record's plaintext only (its Finished: 16 of 40 bytes), and a received
    // ChangeCipherSpec's header alone. (No record body is shown in 5-byte pieces that read as a header.)
    if (p && p.type !== 23 && p.shown < p.length && !header) {
      p.bodies.push({ view, line, endLine });
      p.shown += bytes.length;
      p.endLine = endLine;
      if (p.shown === p.length) {
        side.pending = null;
        this.ctx.out.addBytes({
          kind: 'bytes', line: p.line, endLine, direction, view: concatByteViews([p.header, ...p.bodies.map((x) => x.view)]), layout: 'curl-trace', role: 'stream',
        });
      } else if (p.shown > p.length) {
        this.flushPending(direction);
      }
      return;
    }
    if (header) {
      this.flushPending(direction);
      side.pending = { header: view, type: bytes[0], length: (bytes[3] << 8) | bytes[4], line, bodies: [], shown: 0, endLine };
      side.lastType = bytes[0];
      side.inner = null;
      return;
    }
    if (bytes.length === 1 && side.lastType === 23 && side.inner === null) {
      // TLS 1.3 inner content type (RFC 8446 section 5.2), dumped on its own.
      this.flushPending(direction);
      side.inner = bytes[0];
      return;
    }
    this.flushPending(direction);
    const contentType = side.inner ?? side.lastType ?? undefined;
    this.ctx.out.addBytes({
      kind: 'bytes', line, endLine, direction, view, layout: 'curl-trace', role: 'decrypted', ...(contentType !== undefined ? { contentType } : {}),
    });
  }

  private flushPending(direction: Direction): void {
    const p = this.sides[direction].pending;
    if (!p) return;
    this.sides[direction].pending = null;
    const out = this.ctx.out;
    out.addBytes({ kind: 'bytes', line: p.line, endLine: p.line, direction, view: p.header, layout: 'curl-trace', role: 'record-header-only' });
    for (const body of p.bodies) {
      out.addBytes({ kind: 'bytes', line: body.line, endLine: body.endLine, direction, view: body.view, layout: 'curl-trace', role: 'decrypted', contentType: p.type });
    }
  }

  flush(): void {
    this.endBlock();
    this.flushPending('client');
    this.flushPending('server');
    this.splitter.flush();
  }
}
