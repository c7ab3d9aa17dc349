/**
 * Dumped packets (tshark -x, tcpdump -X/-xx, Wireshark "Copy as Hex Dump") to sessions:
 * the frame headers are stripped to the TCP payload, the connection and the side come
 * from the headers (client = the side that connected, see ConnectionSides), each
 * connection is its own session with its server port. Each side's payload is put in
 * sequence order as the capture import does (capture/tcpReassembly.ts: retransmissions and
 * overlaps trimmed, segments out of order held back, missing bytes a gap: a frame the
 * snapshot length cut, a segment the peer acknowledged that the dump does not show) and goes
 * through a WireSplitter (SMTP lines in clear, TLS records after STARTTLS, joined across
 * segments by the stream assembly after reading). A dump whose headers do not parse is kept
 * as a direction-less byte run.
 */
import { sliceByteView, type ByteView } from '../bytes/byteView';
import { TcpConnection, type Side, type StreamEvent } from '../capture/tcpReassembly';
import type { Direction } from '../model/transcript';
import { ConnectionSides, parsePacket, TCP_ACK, TCP_SYN, type TcpSegment } from './packetHeaders';
import type { ReaderContext } from './readerContext';
import { WireSplitter } from './wireText';

/** A dumped packet: its payload's bytes and where its dump is. */
interface DumpedPacket {
  readonly payload: ByteView;
  readonly line: number;
  readonly endLine: number;
}

interface Connection {
  readonly key: string;
  readonly splitter: WireSplitter;
  readonly tcp: TcpConnection;
  /** Packets by number (the reassembly's frame): where delivered bytes and gaps are in the text. */
  readonly packets: Map<number, DumpedPacket>;
  last: DumpedPacket | null;
}

const DIRECTIONS: readonly Direction[] = ['client', 'server'];
const SIDES: Record<Direction, Side> = { client: 0, server: 1 };

export class PacketStreams {
  private readonly sides = new ConnectionSides();
  private readonly connections = new Map<string, Connection>();
  private packetCount = 0;

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
    let conn = this.connections.get(key);
    if ((seg.flags & (TCP_SYN | TCP_ACK)) === TCP_SYN && conn) {
      // A new connection on the same address pair.
      this.end(conn);
      out.endSession();
      conn = undefined;
    }
    conn ??= this.open(key, seg);
    out.setPort(side.serverPort);
    const n = ++this.packetCount;
    const packet: DumpedPacket = { payload: sliceByteView(view, seg.payloadStart, seg.payloadEnd), line, endLine };
    conn.packets.set(n, packet);
    conn.last = packet;
    // At a forced cut the dump's end is the text's, not the capture's: no bytes are missing.
    conn.tcp.addSegment(SIDES[side.direction], { ...seg.tcp, missing: cut ? 0 : seg.tcp.missing }, { frame: n, seconds: 0, nanos: 0 });
  }

  flush(): void {
    const out = this.ctx.out;
    for (const conn of this.connections.values()) {
      out.selectSession(conn.key);
      this.end(conn);
    }
    this.connections.clear();
    out.selectSession('');
  }

  private open(key: string, seg: TcpSegment): Connection {
    const splitter = new WireSplitter(this.ctx.out, this.ctx.doc, this.layout);
    const conn: Connection = { key, splitter, tcp: new TcpConnection((e) => this.deliver(conn, e)), packets: new Map(), last: null };
    this.connections.set(key, conn);
    // No SYN or SYN-ACK first: the connection began before the dump (or before a forced cut of it).
    if ((seg.flags & TCP_SYN) === 0) {
      this.ctx.out.markStartMissing();
      splitter.startsMidConnection();
    }
    return conn;
  }

  /** What the dump leaves open of a connection: holes become gaps, lines waiting for their end are read. */
  private end(conn: Connection): void {
    conn.tcp.flush();
    conn.splitter.flush();
    conn.packets.clear();
  }

  private deliver(conn: Connection, e: StreamEvent): void {
    if (e.kind === 'close') return;
    const direction = DIRECTIONS[e.side];
    const packet = conn.packets.get(e.at.frame) ?? conn.last;
    if (!packet) return;
    if (e.kind === 'data') {
      // A delivered piece is the rest of one packet's payload (what came before it was delivered already).
      const payload = packet.payload;
      const from = payload.bytes.length - e.bytes.length;
      conn.splitter.addChunk(direction, from === 0 ? payload : sliceByteView(payload, from, payload.bytes.length), packet.line, packet.endLine);
      return;
    }
    conn.splitter.flushLine(direction);
    const doc = this.ctx.doc;
    this.ctx.out.add({
      kind: 'gap', line: packet.line, direction, length: e.length, cause: 'not-captured', reason: e.why,
      span: { start: doc.start(packet.line), end: doc.end(packet.line) },
    });
  }
}

