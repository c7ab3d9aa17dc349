/**
 * `tcpdump -A` (each packet's header line, then the packet as text: bytes that are not printable
 * shown as ".", CR LF as a line break), as postmasters watch a port in clear:
 *   12:54:03.493872 IP 127.0.0.1.25 > 127.0.0.1.58818: Flags [P.], seq 1:49, ack 1, win 64, options [...], length 48
 *   E..d..@.@................XW.6pW....@.X.....
 *   F+^..).&220 mx.example.test ESMTP Postfix (Debian/GNU)
 * The IP and TCP headers come out as text too, glued before the payload; the header line's
 * `length` is the payload's size, so the payload is the packet text's end: counted back from the
 * end, a line break standing for CR LF (2 bytes), or for LF alone where that count does not work
 * out. Its lines are SMTP commands and replies, by the side that sent them; after STARTTLS the
 * payload is TLS, which this text cannot show (a gap of its length). One session per TCP
 * connection.
 *
 * A packet cut by the snapshot length shows only the start of its payload: that start is found
 * by counting the IP and TCP headers forward (the IP header's length from its first byte, the
 * TCP header's from the options the header line lists), its lines are read as SMTP (the last
 * one, cut, as it is: what `smtptls import` does with the capture itself), and the rest of the
 * payload is a gap of the bytes not captured.
 */
import type { Direction } from '../model/transcript';
import { ConnectionSides } from './packetHeaders';
import { HEAD_SCAN, lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { parseCommandLine, parseReplyLine } from './smtpLines';

/** `[time ]IP[6] SRC.PORT > DST.PORT: Flags [F], ... length N[: SMTP: first line]` (tcpdump's TCP line). */
const HEADER =
  /^(?:[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})? )?IP6? ([0-9A-Fa-f.:]{2,60})\.([0-9]{1,5}) > ([0-9A-Fa-f.:]{2,60})\.([0-9]{1,5}): Flags \[([A-Za-z.]{1,8})\][^\r\n]{0,300}?, length ([0-9]{1,6})(?:$|: (?:SMTP: ([^\r\n]{1,300}))?)/;

interface Packet {
  readonly srcPort: number;
  readonly length: number;
  /** tcpdump marked the packet cut short (`[|smtp]`: the snapshot length). */
  readonly cut: boolean;
  /** The payload's first line as tcpdump's SMTP printer names it on the header line ('' when it does not). */
  readonly firstLine: string;
  /** Bytes of TCP header the header line's options make (-1: options this reader does not size). */
  readonly tcpHeader: number;
}

interface Connection {
  /** The port of the server side (the SMTP port, or the side that greeted), 0 until known. */
  serverPort: number;
}

/** The side a packet from `srcPort` comes from (the client while the server is not known). */
const sideOf = (conn: Connection, srcPort: number): Direction => (conn.serverPort !== 0 && srcPort === conn.serverPort ? 'server' : 'client');

/** tcpdump's header line `i` of `doc` matched, or null (a first character that cannot start one is looked at first). */
function matchHeader(doc: ReaderContext['doc'], i: number): RegExpExecArray | null {
  const { text, s, e, c } = lineBounds(doc, i);
  if (c !== 73 && (c < 48 || c > 57)) return null; // "IP..." or a time
  return HEADER.exec(text.slice(s, Math.min(e, s + HEAD_SCAN + 200)));
}

export class TcpdumpAsciiReader implements LineReader {
  private readonly connections = new Map<string, Connection>();
  /** The header line found where the last packet's text ended, matched already. */
  private next: { readonly line: number; readonly m: RegExpExecArray } | null = null;

  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e } = lineBounds(doc, i);
    const m = this.next?.line === i ? this.next.m : matchHeader(doc, i);
    this.next = null;
    if (!m) return -1;
    const [srcPort, dstPort] = [Number(m[2]), Number(m[4])];
    const key = ConnectionSides.keyOf({ srcAddress: m[1], dstAddress: m[3], srcPort, dstPort });
    let conn = this.connections.get(key);
    const flags = m[5];
    out.selectSession(key);
    if (!conn || flags === 'S') {
      // A new connection (its SYN), or one whose start is not in the text.
      conn = { serverPort: ConnectionSides.isSmtpPort(dstPort) ? dstPort : ConnectionSides.isSmtpPort(srcPort) ? srcPort : 0 };
      this.connections.set(key, conn);
      if (out.session.events.length > 0) {
        out.endSession();
        out.selectSession(key);
      }
      if (flags !== 'S') out.markStartMissing();
    }
    out.vote('tcpdump-ascii', 1);
    if (conn.serverPort > 0) out.setPort(conn.serverPort);
    const length = Number(m[6]);
    // The packet's text runs to the next header line; the readers never see those lines.
    let end = i + 1;
    for (; end < doc.count; end++) {
      const h = matchHeader(doc, end);
      if (h) {
        this.next = { line: end, m: h };
        break;
      }
    }
    if (length > 0) {
      // The options come before ", length N"; what follows may be the payload's first line.
      const header = text.slice(s, Math.min(e, s + HEAD_SCAN + 400));
      const beforeLength = header.slice(0, Math.max(0, header.indexOf(', length ')));
      this.readPayload({ srcPort, length, cut: header.includes(' [|'), firstLine: m[7] ?? '', tcpHeader: tcpHeaderBytes(beforeLength) }, conn, i + 1, end);
    }
    if (flags.includes('F') || flags.includes('R')) {
      out.add({ kind: 'note', line: i, note: 'connection-closed', text: text.slice(s, e), span: { start: s, end: e } });
    }
    return end;
  }

  /**
   * The payload at the end of the packet's text (lines first..end, up to the line break tcpdump
   * ends every packet with): its SMTP lines, or a gap.
   */
  private readPayload(p: Packet, conn: Connection, first: number, end: number): void {
    const { doc, out } = this.ctx;
    if (first >= doc.count) {
      // The text ends with the packet's header line: its payload is not in the text (no loss the capture made).
      const at = doc.end(first - 1);
      out.add({ kind: 'gap', line: first - 1, direction: sideOf(conn, p.srcPort), length: p.length, span: { start: at, end: at } });
      return;
    }
    const text = doc.text;
    const from = doc.start(first);
    const to = end < doc.count ? doc.start(end) - 1 : doc.end(end - 1);
    const span = { start: from, end: Math.max(from, to) };
    const gap = (lost: boolean): void =>
      out.add({ kind: 'gap', line: first, direction: sideOf(conn, p.srcPort), length: p.length, span, ...(lost ? { cause: 'not-captured' as const, reason: 'cut by the snapshot length' } : {}) });
    // After a 220 to STARTTLS both sides speak TLS, which this text cannot show.
    if (out.session.afterStarttls) return gap(false);
    const whole = p.cut || to <= from ? -1 : payloadStart(text, from, to, p.length, p.firstLine);
    // A packet cut short shows the start of its payload, after headers counted forward.
    const start = whole >= 0 ? whole : cutPayloadStart(text, from, to, p, sideOf(conn, p.srcPort) === 'server');
    if (start < 0) return gap(true);
    // Bytes that are mostly not printable are no SMTP text (TLS seen from the middle of a connection).
    if (!looksLikeText(text, start, to)) return gap(false);
    const missing = whole >= 0 ? 0 : p.length - printedBytes(text, start, to);
    // A first reply names the server when no port did.
    if (conn.serverPort === 0 && /^220[ -]/.test(text.slice(start, start + 4))) {
      conn.serverPort = p.srcPort;
      out.setPort(p.srcPort);
    }
    const direction = sideOf(conn, p.srcPort);
    for (let ls = start; ls < to; ) {
      const nl = text.indexOf('\n', ls);
      const le = nl < 0 || nl > to ? to : nl;
      if (le > ls || direction === 'client') this.addLine(direction, doc.lineAt(ls), ls, le);
      ls = le + 1;
    }
    if (missing > 0) {
      out.add({ kind: 'gap', line: doc.lineAt(to), direction, length: missing, span: { start: to, end: to }, cause: 'not-captured', reason: 'cut by the snapshot length' });
    }
  }

  private addLine(direction: Direction, line: number, s: number, e: number): void {
    const { doc, out } = this.ctx;
    const inTls = out.session.afterStarttls;
    if (direction === 'server') out.addReplyLine(parseReplyLine(doc.text, line, s, e), inTls);
    else out.addCommand(parseCommandLine(doc.text, line, s, e, inTls, out.session.inData));
  }

  flush(): void {
    this.connections.clear();
    this.next = null;
  }
}

/** Whether at most half of text[start, end) is "." (what tcpdump prints for a byte it cannot show). */
export function looksLikeText(text: string, start: number, end: number): boolean {
  let dots = 0;
  for (let p = start; p < end; p++) if (text.charCodeAt(p) === 46) dots++;
  return dots * 2 <= end - start;
}

/**
 * Where a payload of `length` bytes starts in a packet's text [from, to): counted back from the
 * end, each line break standing for CR LF, or else for LF alone; where tcpdump's header line
 * names the payload's first line (`: SMTP: 220 ...`), the start must be that line. -1 when
 * neither fits the text.
 */
export function payloadStart(text: string, from: number, to: number, length: number, firstLine = ''): number {
  for (const lineBreak of [2, 1]) {
    let bytes = 0;
    let p = to;
    while (p > from && bytes < length) {
      p--;
      bytes += text.charCodeAt(p) === 10 ? lineBreak : 1;
    }
    if (bytes === length && text.startsWith(firstLine, p)) return p;
  }
  return -1;
}

/** TCP option sizes by tcpdump's names (RFC 9293 §3.2, RFC 7323, RFC 2018; `sack N {..}` is 2 + 8N). */
const OPTION_BYTES: ReadonlyMap<string, number> = new Map([
  ['nop', 1],
  ['eol', 1],
  ['mss', 4],
  ['wscale', 3],
  ['sackOK', 2],
  ['TS', 10],
]);

/**
 * Bytes of the TCP header of a packet, from tcpdump's header line: 20, and the options it lists
 * (`options [nop,nop,TS val 1 ecr 2]` → 32); -1 for an option whose size this does not know.
 */
export function tcpHeaderBytes(headerLine: string): number {
  const open = headerLine.indexOf(', options [');
  if (open < 0) return 20;
  const close = headerLine.indexOf(']', open);
  if (close < 0) return -1;
  let bytes = 20;
  for (const option of headerLine.slice(open + 11, close).split(',')) {
    const sack = /^sack ([1-4]) /.exec(option);
    const size = sack ? 2 + 8 * Number(sack[1]) : OPTION_BYTES.get(option.split(' ', 1)[0]);
    if (size === undefined) return -1;
    bytes += size;
  }
  return bytes <= 60 ? bytes : -1;
}

/** Link-layer headers tcpdump may print before the IP header of a packet it cut short: none, Ethernet, Linux cooked v1 and v2, BSD loopback (each tried; more than one fitting is no answer). */
const LINK_HEADERS = [0, 14, 16, 20, 4];

/**
 * Where the payload of a packet cut short starts: after its IP header (IPv4 without options, "E":
 * 20 bytes; IPv6: 40) and TCP header, each character a byte. When tcpdump
 * stopped inside the first line (`[|smtp]`) it prints the link-layer header too, so the IP header
 * is looked for after each link header it may be. -1 when the sizes are not known, the text ends
 * there, or the payload does not start as the header line says (its first line) or as a reply
 * (`server`: three digits, as many as are shown) or a command (a letter) does.
 */
function cutPayloadStart(text: string, from: number, to: number, p: Packet, server: boolean): number {
  if (p.tcpHeader < 0) return -1;
  let found = -1;
  for (const link of p.cut ? LINK_HEADERS : [0]) {
    // An IPv4 header without options ("E": 20 bytes), or IPv6 ("`": 40).
    const c = text.charCodeAt(from + link);
    const ip = c === 0x45 ? 20 : c === 0x60 ? 40 : -1;
    if (ip < 0) continue;
    const start = from + link + ip + p.tcpHeader;
    if (start >= to) continue;
    const fits = p.firstLine !== '' ? text.startsWith(p.firstLine, start) : startsLikeSmtp(text, start, to, server);
    if (!fits || printedBytes(text, start, to) >= p.length) continue;
    // Two link headers that both fit (a MAC address printed as "E..."): no guess, a gap.
    if (found >= 0) return -1;
    found = start;
  }
  return found;
}

function startsLikeSmtp(text: string, start: number, to: number, server: boolean): boolean {
  if (!server) return /[A-Za-z]/.test(text[start]);
  for (let q = start; q < Math.min(to, start + 3); q++) if (!/[0-9]/.test(text[q])) return false;
  return true;
}

/** The payload bytes text[start, end) stands for, each line break a CR LF. */
function printedBytes(text: string, start: number, end: number): number {
  let bytes = 0;
  for (let q = start; q < end; q++) bytes += text.charCodeAt(q) === 10 ? 2 : 1;
  return bytes;
}

