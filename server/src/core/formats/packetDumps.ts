/**
 * Per-packet hex dumps:
 *   tshark -x        `0000  00 00 00 00 00 00 00 00 00 00 00 00 08 00 45 00   ..............E.`
 *                    (offsets of 5 digits in a frame of 64 KB or more, as loopback captures have)
 *                    (frames separated by blank lines; `Frame (74 bytes):` headings when a
 *                    packet has several data sources, of which only the frame is read)
 *   Wireshark "Copy as Hex Dump"  `0000   00 00 00 ...   ......` (three spaces)
 *   tcpdump -X / -x  `12:00:00.000000 IP 127.0.0.1.39650 > 127.0.0.1.25: Flags [P.], ...`
 *                    `\t0x0000:  4500 003c 7584 4000 ...  E..<u.@.`  (from the IP header)
 *   tcpdump -XX / -xx the same from the Ethernet header.
 * Each packet goes to PacketStreams, which strips the headers and splits the payload.
 */
import { ByteViewBuilder } from '../bytes/byteView';
import { GROUPED_LAYOUT, readFixedColumns, spacedLayout, isHexRun, type ColumnLayout } from './dumpColumns';
import { hexDigitValue, parseHexNumber } from './hexTokens';
import { PacketStreams } from './packetStreams';
import { headOf, lineBounds, type LineReader, type ReaderContext } from './readerContext';

const FRAME_LAYOUT = spacedLayout(' ', 0);
const SOURCE_HEADING = /^([A-Za-z][A-Za-z0-9 ./-]{0,60}) \(([0-9]{1,10}) bytes\):$/;
const TCPDUMP_HEADER = /^(?:[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})? |[0-9]{10}\.[0-9]{1,9} )?(?:[0-9a-f:]{17} > [0-9a-f:]{17}, [^:]{0,120}: )?(?:IP6?|ARP|[0-9a-f.:]{3,60} > )/;

/** The value of the `digits` hex digits at text[p]. */
function hexValue(text: string, p: number, digits: number): number {
  return parseHexNumber(text, p, p + digits);
}

/** Digits of a tshark -x offset: 4, or 5 in a frame of 64 KB or more (`0fff0`, `10000`); 0 otherwise (hexdump -C writes 8). */
function offsetDigits(text: string, s: number, e: number): number {
  let n = 0;
  while (n < 6 && s + n < e && hexDigitValue(text.charCodeAt(s + n)) >= 0) n++;
  return n === 4 || n === 5 ? n : 0;
}

/** tshark -x / Wireshark: column of the first byte after the offset (`XXXX`, `XXXXX`) and 2 or 3 spaces, or -1. */
function frameLineColumn(text: string, s: number, e: number): number {
  const n = offsetDigits(text, s, e);
  if (n === 0 || text.charCodeAt(s + n) !== 32 || text.charCodeAt(s + n + 1) !== 32) return -1;
  if (text.charCodeAt(s + n + 2) === 32) return isHexRun(text, s + n + 3, 2, e) ? s + n + 3 : -1;
  return isHexRun(text, s + n + 2, 2, e) && (s + n + 4 >= e || text.charCodeAt(s + n + 4) === 32) ? s + n + 2 : -1;
}

/** tcpdump: column of the first byte after `\t0x0000:  `, or -1. */
function tcpdumpLineColumn(text: string, s: number, e: number): number {
  let p = s;
  while (p < e && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
  if (p === s || text.charCodeAt(p) !== 48 || text.charCodeAt(p + 1) !== 120 || !isHexRun(text, p + 2, 4, e)) return -1;
  if (text.charCodeAt(p + 6) !== 58 || text.charCodeAt(p + 7) !== 32 || text.charCodeAt(p + 8) !== 32) return -1;
  return isHexRun(text, p + 9, 2, e) ? p + 9 : -1;
}

interface Packet {
  builder: ByteViewBuilder;
  line: number;
  endLine: number;
  expected: number;
  ipFirst: boolean;
  /** A non-frame data source (reassembled, decrypted): read but not used. */
  skip: boolean;
}

export class PacketDumpReader implements LineReader {
  private packet: Packet | null = null;
  private readonly tshark: PacketStreams;
  private readonly tcpdump: PacketStreams;
  /** The next dump belongs to this data source heading. */
  private heading: string | null = null;
  /** A packet was read (or begun) in this text. */
  private started = false;

  constructor(private readonly ctx: ReaderContext) {
    this.tshark = new PacketStreams(ctx, 'tshark-x');
    this.tcpdump = new PacketStreams(ctx, 'tcpdump-hex');
  }

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    if (c === 9 || c === 32) {
      const col = tcpdumpLineColumn(text, s, e);
      if (col < 0) return -1;
      const offset = hexValue(text, col - 7, 4);
      return this.readLine(i, col, e, offset, GROUPED_LAYOUT, true) ? i + 1 : -1;
    }
    const col = frameLineColumn(text, s, e);
    if (col >= 0) return this.readLine(i, col, e, hexValue(text, s, offsetDigits(text, s, e)), FRAME_LAYOUT, false) ? i + 1 : -1;
    if (hexDigitValue(c) >= 0 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      // Both headings need a dump line after them: that cheap test goes before the patterns.
      const hasNext = i + 1 < doc.count;
      const frameNext = hasNext && frameLineColumn(text, doc.start(i + 1), doc.end(i + 1)) >= 0;
      const h = frameNext ? SOURCE_HEADING.exec(headOf(doc, i)) : null;
      if (h) {
        this.endPacket();
        this.heading = h[1];
        out.vote('tshark-x', 1);
        return i + 1;
      }
      if (hasNext && tcpdumpLineColumn(text, doc.start(i + 1), doc.end(i + 1)) >= 0 && TCPDUMP_HEADER.test(headOf(doc, i))) {
        this.endPacket();
        out.vote('tcpdump-hex', 1);
        return i + 1;
      }
    }
    return -1;
  }

  private readLine(i: number, col: number, e: number, offset: number, layout: ColumnLayout, tcpdump: boolean): boolean {
    const { out } = this.ctx;
    let p = this.packet;
    if (p && (offset !== p.expected || p.ipFirst !== tcpdump)) {
      this.endPacket();
      p = null;
    }
    if (!p) {
      if (offset !== 0) {
        // The rest of a frame whose start is before the text (a chunk after a forced cut): its bytes
        // cannot be placed without the frame's headers, so its lines are passed over.
        if (this.started || !out.session.startMissing) return false;
        out.vote(tcpdump ? 'tcpdump-hex' : 'tshark-x', 1);
        return true;
      }
      this.started = true;
      const skip = this.heading !== null && this.heading !== 'Frame';
      this.heading = null;
      p = { builder: new ByteViewBuilder(), line: i, endLine: i, expected: 0, ipFirst: tcpdump, skip };
      this.packet = p;
    }
    const builder = p.builder;
    const r = readFixedColumns(this.ctx.doc.text, col, e, layout, 16, (b, o) => builder.push(b, o));
    if (r.brokenAt >= 0) out.report(r.brokenAt, e, 'packet dump line cut short: not a hex byte');
    p.expected += 16;
    p.endLine = i;
    out.vote(tcpdump ? 'tcpdump-hex' : 'tshark-x', 1);
    if (r.count < 16) this.endPacket();
    return true;
  }

  /** Ends the packet being read (a line of something else came). */
  endPacket(): void {
    const p = this.packet;
    if (!p) return;
    this.packet = null;
    if (p.skip || p.builder.length === 0) return;
    const streams = p.ipFirst ? this.tcpdump : this.tshark;
    // The last packet of a text that ends at a forced cut: the rest of its dump is after the cut.
    const doc = this.ctx.doc;
    let cut = this.ctx.endsAtCut === true;
    for (let j = p.endLine + 1; cut && j < doc.count; j++) cut = doc.isBlank(j) || doc.isComment(j);
    streams.addPacket(p.builder.build(), p.line, p.endLine, p.ipFirst, cut);
  }

  flush(): void {
    this.endPacket();
    this.tshark.flush();
    this.tcpdump.flush();
  }
}
