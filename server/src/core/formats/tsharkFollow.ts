/**
 * `tshark -qz follow,tcp|tls,ascii|hex|raw,N` (FORMATS.md sections 14, 15):
 *   ===================================================================
 *   Follow: tcp,hex
 *   Filter: tcp.stream eq 0
 *   Node 0: 127.0.0.1:39650
 *   Node 1: 127.0.0.1:25
 *   \t00000000  32 32 30 20 6d 78 2e 66  65 61 73 2e 74 65 73 74  220 mx.f eas.test
 *   00000000  45 48 4c 4f 20 63 6c 69  65 6e 74 2e 66 65 61 73  EHLO cli ent.feas
 * Node 1's data is indented with a TAB. `raw` writes each chunk as one line of hex digits
 * (`\t3232302...`), without offsets or text column. The server is the node on an SMTP port, else
 * the node whose first data is a reply. Hex and raw data go through a WireSplitter; ascii data is
 * read line by line, and after STARTTLS its chunks (TLS shown as dots) become gaps. In
 * `follow,tls` the streams are decrypted: every line is inside TLS.
 */
import { ByteViewBuilder } from '../bytes/byteView';
import type { Direction } from '../model/transcript';
import { readFixedColumns, spacedLayout, isHexRun } from './dumpColumns';
import { decodeHexToken, isAllHex, parseHexNumber } from './hexTokens';
import { ConnectionSides } from './packetHeaders';
import { headOf, lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { looksLikeBareReply, parseCommandLine, parseReplyLine } from './smtpLines';
import { WireSplitter } from './wireText';

const FOLLOW = /^Follow: (tcp|tls|ssl|http2?|udp),(ascii|hex|raw)$/;
const MISSING = /^\[([0-9]{1,10}) bytes missing in capture file\]\.$/;
const NODE = /^Node ([01]): (.{0,80}):([0-9]{1,5})$/;
const BANNER = /^={20,}$/;
const HEX_LAYOUT = spacedLayout(' ', 1);

interface Stream {
  readonly decrypted: boolean;
  readonly hex: boolean;
  /** `follow,...,raw`: one chunk per line, hex digits only. */
  readonly raw: boolean;
  readonly ports: [number, number];
  /** Node number of the server, once known. */
  serverNode: number | null;
  splitter: WireSplitter | null;
  /** Hex chunk being collected. */
  chunk: { node: number; builder: ByteViewBuilder; line: number; endLine: number; next: number } | null;
  /** Ascii chunk: node, bytes still expected, whether it is TLS shown as dots, the last line read in it. */
  ascii: { node: number; remaining: number; gap: boolean; lastLine: number } | null;
}

/**
 * A follow,tcp,hex data line: an 8-digit offset, two spaces, the bytes in two groups of 8 and a
 * text column at column 60 (node 1's lines indented with a TAB); hexdump -C, of the same shape,
 * starts its text column with `|`.
 */
function isOrphanHexLine(text: string, s: number, e: number): boolean {
  const tab = text.charCodeAt(s) === 9;
  const p = tab ? s + 1 : s;
  if (!isHexRun(text, p, 8, e) || text.charCodeAt(p + 8) !== 32 || text.charCodeAt(p + 9) !== 32 || !isHexRun(text, p + 10, 2, e)) return false;
  return tab || (e > p + 60 && text.charCodeAt(p + 60) !== 124);
}

export class TsharkFollowReader implements LineReader {
  private stream: Stream | null = null;
  private pendingFollow: { decrypted: boolean; hex: boolean; raw: boolean; ports: [number, number] } | null = null;
  /** A stream was opened in this text. */
  private opened = false;

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    if (c === 61) {
      if (!BANNER.test(headOf(doc, i))) return -1;
      // Opening or closing banner.
      this.endStream();
      out.vote('tshark-follow-hex', 0);
      return i + 1;
    }
    if (c === 70 || c === 78) {
      const head = headOf(doc, i);
      const f = FOLLOW.exec(head);
      if (f) {
        this.endStream();
        this.pendingFollow = { decrypted: f[1] !== 'tcp' && f[1] !== 'udp', hex: f[2] === 'hex', raw: f[2] === 'raw', ports: [0, 0] };
        out.vote(f[2] === 'ascii' ? 'tshark-follow-ascii' : 'tshark-follow-hex', 2);
        return i + 1;
      }
      const n = this.pendingFollow ? NODE.exec(head) : null;
      if (n && this.pendingFollow) {
        this.pendingFollow.ports[Number(n[1])] = Number(n[3]);
        if (n[1] === '1') this.openStream();
        return i + 1;
      }
    }
    if (this.pendingFollow && text.startsWith('Filter: ', s)) return i + 1;
    let st = this.stream;
    if (!st) {
      if (this.opened || !out.session.startMissing || !isOrphanHexLine(text, s, e)) return -1;
      st = this.openOrphanStream();
    }
    const node = c === 9 ? 1 : 0;
    const p = node === 1 ? s + 1 : s;
    if (st.raw) return this.readRawLine(st, i, node, p, e);
    return st.hex ? this.readHexLine(st, i, node, p, e) : this.readAsciiLine(st, i, node, p, e);
  }

  /**
   * A text that starts inside a follow,tcp,hex stream (a chunk after a forced cut): its header
   * is before the text. The stream goes on with node 1 (the indented side) as the server, as
   * tshark numbers the side that sent first (the client) 0; the first bytes of each side tell
   * SMTP text from TLS (WireSplitter.startsMidConnection).
   */
  private openOrphanStream(): Stream {
    this.opened = true;
    const st: Stream = { decrypted: false, hex: true, raw: false, ports: [0, 0], serverNode: 1, splitter: null, chunk: null, ascii: null };
    st.splitter = new WireSplitter(this.ctx.out, this.ctx.doc, 'tshark-follow-hex', 'wire');
    st.splitter.startsMidConnection();
    this.stream = st;
    return st;
  }

  private openStream(): void {
    const pf = this.pendingFollow;
    if (!pf) return;
    this.opened = true;
    this.pendingFollow = null;
    const out = this.ctx.out;
    out.selectSession('');
    if (out.session.events.length > 0) out.endSession();
    const [p0, p1] = pf.ports;
    let serverNode: number | null = null;
    if (ConnectionSides.isSmtpPort(p0) !== ConnectionSides.isSmtpPort(p1)) serverNode = ConnectionSides.isSmtpPort(p0) ? 0 : 1;
    const serverPort = serverNode === null ? 0 : pf.ports[serverNode];
    if (serverPort > 0) out.setPort(serverPort);
    this.stream = { ...pf, serverNode, splitter: null, chunk: null, ascii: null };
  }

  private directionOf(st: Stream, node: number, firstText: string): Direction {
    if (st.serverNode === null) {
      // The first data tells: a reply comes from the server.
      const isReply = /^[2-5][0-9]{2}(?:[ -]|$)/.test(firstText);
      st.serverNode = isReply ? node : 1 - node;
    }
    return node === st.serverNode ? 'server' : 'client';
  }

  private readHexLine(st: Stream, i: number, node: number, p: number, e: number): number {
    const { doc, out } = this.ctx;
    const text = doc.text;
    if (!isHexRun(text, p, 8, e) || text.charCodeAt(p + 8) !== 32 || text.charCodeAt(p + 9) !== 32) return -1;
    const offset = parseHexNumber(text, p, p + 8);
    let ch = st.chunk;
    if (ch && (ch.node !== node || ch.next !== offset)) {
      this.endChunk(st);
      ch = null;
    }
    if (!ch) {
      ch = { node, builder: new ByteViewBuilder(), line: i, endLine: i, next: offset };
      st.chunk = ch;
    }
    const builder = ch.builder;
    const r = readFixedColumns(text, p + 10, e, HEX_LAYOUT, 16, (b, o) => builder.push(b, o));
    if (r.brokenAt >= 0) out.report(r.brokenAt, e, 'follow dump line cut short: not a hex byte');
    ch.next = offset + r.count;
    ch.endLine = i;
    out.vote('tshark-follow-hex', 1);
    return i + 1;
  }

  /** A `raw` line: one chunk of the node, as hex digits (an odd count or a stray character is reported). */
  private readRawLine(st: Stream, i: number, node: number, p: number, e: number): number {
    const { doc, out } = this.ctx;
    const text = doc.text;
    // Only hex digits (a last one without its pair is the reader's to report): anything else is no raw line.
    if (p >= e || !isAllHex(text, p, e)) return -1;
    this.endChunk(st);
    const builder = new ByteViewBuilder();
    decodeHexToken(text, p, e, builder, out);
    st.chunk = { node, builder, line: i, endLine: i, next: 0 };
    this.endChunk(st);
    out.vote('tshark-follow-hex', 1);
    return i + 1;
  }

  private endChunk(st: Stream): void {
    const ch = st.chunk;
    if (!ch) return;
    st.chunk = null;
    const view = ch.builder.build();
    if (view.bytes.length === 0) return;
    let first = '';
    for (let k = 0; k < Math.min(4, view.bytes.length); k++) first += String.fromCharCode(view.bytes[k]);
    const direction = this.directionOf(st, ch.node, first);
    if (!st.splitter) st.splitter = new WireSplitter(this.ctx.out, this.ctx.doc, 'tshark-follow-hex', st.decrypted ? 'decrypted' : 'wire');
    st.splitter.addChunk(direction, view, ch.line, ch.endLine);
  }

  private readAsciiLine(st: Stream, i: number, node: number, p: number, e: number): number {
    const { doc, out } = this.ctx;
    const text = doc.text;
    const a = st.ascii;
    // Lines of the chunk the readers pass over (an empty line or a "#" line of message text) still
    // stood for their characters and a line ending on the wire.
    if (a !== null) {
      for (let j = a.lastLine + 1; j < i && a.remaining > 0; j++) a.remaining -= doc.end(j) - doc.start(j) + 2;
      a.lastLine = i;
    }
    if (a === null || a.remaining <= 0) {
      // A chunk's byte count: "45" (node 0) or "\t45" (node 1).
      const head = text.slice(p, Math.min(e, p + 12));
      if (/^[0-9]{1,10}$/.test(head)) {
        st.ascii = { node, remaining: Number(head), gap: false, lastLine: i };
        out.vote('tshark-follow-ascii', 1);
        return i + 1;
      }
      // The empty line tshark prints after a chunk.
      if (e === doc.start(i)) return i + 1;
      if (a === null) return -1;
    }
    const chunk = st.ascii!;
    out.vote('tshark-follow-ascii', 1);
    const s = doc.start(i);
    const length = e - s;
    // Bytes the capture lost (a TCP hole): tshark's ascii output shows them as a chunk of its own whose
    // text is "[N bytes missing in capture file]." (the chunk's count is that text's length).
    const missing = chunk.remaining === length ? MISSING.exec(text.slice(s, e)) : null;
    if (missing) {
      chunk.remaining = 0;
      out.add({ kind: 'gap', line: i, direction: this.directionOf(st, chunk.node, ''), length: Number(missing[1]), cause: 'not-captured', reason: 'tshark follow: missing in the capture file', span: { start: s, end: e } });
      return i + 1;
    }
    const first = chunk.remaining > 0 && !chunk.gap;
    if (first && !st.decrypted && out.session.afterStarttls) {
      // TLS records shown as dots: not recoverable.
      chunk.gap = true;
      out.add({ kind: 'gap', line: i, direction: this.directionOf(st, chunk.node, ''), length: chunk.remaining, span: { start: s, end: e } });
    }
    // Each line stood for its characters and a CR LF (or LF) on the wire.
    chunk.remaining -= length + 2;
    if (chunk.gap) return i + 1;
    const direction = this.directionOf(st, chunk.node, text.slice(s, Math.min(e, s + 4)));
    const inTls = st.decrypted || out.session.afterStarttls;
    if (direction === 'server' && looksLikeBareReply(text, s, e)) out.addReplyLine(parseReplyLine(text, i, s, e), inTls);
    else if (direction === 'client') out.addCommand(parseCommandLine(text, i, s, e, inTls, out.session.inData));
    return i + 1;
  }

  private endStream(): void {
    const st = this.stream;
    if (!st) return;
    this.endChunk(st);
    st.splitter?.flush();
    this.stream = null;
  }

  flush(): void {
    this.endStream();
  }
}
