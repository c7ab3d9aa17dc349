/**
 * Dumped packets (tshark -x, tcpdump -X/-xx, Wireshark "Copy as Hex Dump") to sessions:
 * the frame headers are stripped to the TCP payload, the connection and the side come
 * from the headers (client = the side that connected, see ConnectionSides), each
 * connection is its own session with its server port, and the payload goes through a
 * WireSplitter (SMTP lines in clear, TLS records after STARTTLS, joined across segments
 * by the stream assembly after reading). A dump whose headers do not parse is kept as a
 * direction-less byte run.
 */
import { sliceByteView, type ByteView } from '../bytes/byteView';
import { ConnectionSides, parsePacket, TCP_ACK, TCP_SYN } from './packetHeaders';
import type { ReaderContext } from './readerContext';
import { WireSplitter } from './wireText';

export class PacketStreams {
  private readonly sides = new ConnectionSides();
  private readonly splitters = new Map<string, WireSplitter>();

  constructor(
    private readonly ctx: ReaderContext,
    private readonly layout: string,
  ) {}

  /**
   * One packet's bytes; `ipFirst` when the dump starts at the IP header; `cut` when the text ends
   * inside its dump at a forced cut (a packet whose headers the cut leaves short is passed over).
   */
  addPacket(view: ByteView, line: number, endLine: number, ipFirst: boolean, cut = false): void {
    const out = this.ctx.out;
    const seg = parsePacket(view.bytes, ipFirst);
    if (!seg) {
      if (cut) return;
      out.selectSession('');
      out.addBytes({ kind: 'bytes', line, endLine, direction: null, view, layout: this.layout, role: 'stream' });
      return;
    }
    const side = this.sides.sideOf(seg);
    const key = `tcp ${side.key}`;
    out.selectSession(key);
    let splitter = this.splitters.get(key);
    if ((seg.flags & (TCP_SYN | TCP_ACK)) === TCP_SYN && splitter) {
      // A new connection on the same address pair.
      splitter.flush();
      out.endSession();
      splitter = undefined;
    }
    if (!splitter) {
      splitter = new WireSplitter(out, this.ctx.doc, this.layout);
      this.splitters.set(key, splitter);
      // No SYN or SYN-ACK first: the connection began before the dump (or before a forced cut of it).
      if ((seg.flags & TCP_SYN) === 0) {
        out.markStartMissing();
        splitter.startsMidConnection();
      }
    }
    out.setPort(side.serverPort);
    if (seg.payloadEnd > seg.payloadStart) splitter.addChunk(side.direction, sliceByteView(view, seg.payloadStart, seg.payloadEnd), line, endLine);
    if (seg.missing > 0 && !cut) {
      // The dump shows fewer bytes than the IP header declares: the capture cut the frame (its
      // snapshot length). The bytes after it in the stream are not next to these.
      splitter.flushLine(side.direction);
      const at = view.offsets[Math.max(0, view.bytes.length - 1)];
      out.add({
        kind: 'gap', line: endLine, direction: side.direction, length: seg.missing, cause: 'not-captured',
        reason: `cut by the snapshot length: the dump shows ${seg.payloadEnd - seg.payloadStart} of the ${seg.payloadEnd - seg.payloadStart + seg.missing} payload bytes its IP header declares`,
        span: { start: at, end: at + 2 },
      });
    }
  }

  flush(): void {
    const out = this.ctx.out;
    for (const [key, splitter] of this.splitters) {
      out.selectSession(key);
      splitter.flush();
    }
    out.selectSession('');
  }
}
