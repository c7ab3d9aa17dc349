/**
 * TCP reassembly of one connection (RFC 9293 §3.4 sequence numbers): each direction's
 * payload delivered in sequence order, once, with out-of-order segments held back
 * (boundedly), retransmissions and overlaps trimmed, and missing bytes reported as gaps.
 *
 * A hole becomes a gap when the peer acknowledges past it (it received bytes the capture
 * lost), when too much data waits behind it, or when the connection ends.
 */
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpSegment } from './ipTcp';

export type Side = 0 | 1;

/** Where a delivered piece came from. */
export interface FrameRef {
  readonly frame: number;
  readonly seconds: number;
  readonly nanos: number;
}

export type StreamEvent =
  | { readonly kind: 'data'; readonly side: Side; readonly bytes: Uint8Array; readonly at: FrameRef }
  | { readonly kind: 'gap'; readonly side: Side; readonly length: number; readonly at: FrameRef; readonly why: string }
  | { readonly kind: 'close'; readonly side: Side; readonly how: 'fin' | 'rst'; readonly at: FrameRef };

/** Data held back behind a hole, per direction. */
export const MAX_PENDING_BYTES = 4 * 1024 * 1024;
const MAX_PENDING_SEGMENTS = 4096;
const TWO_32 = 4294967296;

interface Pending {
  start: number;
  bytes: Uint8Array;
  at: FrameRef;
}

export interface ReassemblyStats {
  retransmittedBytes: number;
  outOfOrderSegments: number;
  gapBytes: number;
}

class HalfStream {
  /** Sequence number of stream offset 0 (ISN + 1 after a SYN). */
  base: number | null = null;
  /** Stream offset of the next byte to deliver. */
  next = 0;
  pending: Pending[] = [];
  pendingBytes = 0;
  /** Stream offset of the FIN, when seen. */
  fin: number | null = null;
  closed = false;

  /** Stream offset of a sequence number, near the current position (32-bit wrap handled). */
  offsetOf(seq: number): number {
    const expected = (this.base! + this.next) % TWO_32;
    return this.next + ((seq - expected) | 0);
  }
}

export class TcpConnection {
  readonly halves: [HalfStream, HalfStream] = [new HalfStream(), new HalfStream()];
  /** Side that sent the SYN (the client), when seen. */
  synSide: Side | null = null;
  reset = false;
  readonly stats: ReassemblyStats = { retransmittedBytes: 0, outOfOrderSegments: 0, gapBytes: 0 };

  constructor(private readonly emit: (event: StreamEvent) => void) {}

  get finished(): boolean {
    return this.reset || (this.halves[0].closed && this.halves[1].closed);
  }

  /** Feeds one segment sent by `side`. */
  addSegment(side: Side, seg: TcpSegment, at: FrameRef): void {
    if (this.reset) return;
    const half = this.halves[side];
    const peer = this.halves[side === 0 ? 1 : 0];
    const flags = seg.flags;
    if (flags & TCP_SYN) {
      if (!(flags & TCP_ACK)) this.synSide = side;
      else if (this.synSide === null) this.synSide = side === 0 ? 1 : 0;
      if (half.base === null || half.next === 0) {
        half.base = (seg.seq + 1) % TWO_32;
        half.next = 0;
      }
    }
    const length = seg.payload.length + seg.missing;
    if (half.base === null && (length > 0 || flags & TCP_FIN)) half.base = seg.seq;

    // The peer acknowledged bytes of ours the capture never showed: they are lost.
    if (flags & TCP_ACK && peer.base !== null && !peer.closed) {
      let acked = peer.offsetOf(seg.ack);
      if (peer.fin !== null && acked > peer.fin) acked = peer.fin;
      // A bare ACK one past our data may acknowledge a FIN the capture lost; data-carrying ones are sure.
      if (acked > peer.next && (length > 0 || acked > peer.next + 1)) this.declareLost(peer, side === 0 ? 1 : 0, acked, at, 'acknowledged by the peer but not in the capture');
    }

    if (length > 0 && half.base !== null && !half.closed) {
      const start = half.offsetOf(seg.seq);
      this.addData(half, side, start, seg.payload, at);
      if (seg.missing > 0) {
        // Snapshot length cut the payload: the rest is a gap, right where it belongs.
        const cutStart = start + seg.payload.length;
        if (cutStart >= half.next && cutStart + seg.missing > half.next) {
          this.declareLost(half, side, cutStart + seg.missing, at, 'cut by the snapshot length');
        }
      }
    }
    if (flags & TCP_FIN && half.base !== null && half.fin === null) {
      half.fin = half.offsetOf(seg.seq) + length;
      this.closeIfComplete(half, side, at);
    }
    if (flags & TCP_RST) {
      this.flush(at);
      if (!half.closed) {
        half.closed = true;
        this.emit({ kind: 'close', side, how: 'rst', at });
      }
      this.reset = true;
    }
  }

  /** End of capture (or a forced end): remaining holes become gaps, queued data is delivered. */
  flush(at?: FrameRef): void {
    for (const side of [0, 1] as const) {
      const half = this.halves[side];
      while (half.pending.length > 0) {
        const first = half.pending[0];
        this.declareLost(half, side, first.start, at ?? first.at, 'never retransmitted in the capture');
      }
      if (half.fin !== null && half.next < half.fin && !half.closed) this.declareLost(half, side, half.fin, at ?? { frame: 0, seconds: 0, nanos: 0 }, 'before the FIN, not in the capture');
    }
  }

  private addData(half: HalfStream, side: Side, start: number, bytes: Uint8Array, at: FrameRef): void {
    const end = start + bytes.length;
    if (end <= half.next) {
      this.stats.retransmittedBytes += bytes.length;
      return;
    }
    if (start <= half.next) {
      const skip = half.next - start;
      this.stats.retransmittedBytes += skip;
      this.deliver(half, side, bytes.subarray(skip), at);
      this.drain(half, side);
      return;
    }
    // Out of order: hold a copy (the frame buffer is reused) until the hole fills.
    this.stats.outOfOrderSegments++;
    const copy = bytes.slice();
    let i = half.pending.length;
    while (i > 0 && half.pending[i - 1].start > start) i--;
    half.pending.splice(i, 0, { start, bytes: copy, at });
    half.pendingBytes += copy.length;
    while (half.pendingBytes > MAX_PENDING_BYTES || half.pending.length > MAX_PENDING_SEGMENTS) {
      this.declareLost(half, side, half.pending[0].start, at, 'too much data waiting behind it');
    }
  }

  /** Delivers queued segments that now continue the stream. */
  private drain(half: HalfStream, side: Side): void {
    while (half.pending.length > 0 && half.pending[0].start <= half.next) {
      const p = half.pending.shift()!;
      half.pendingBytes -= p.bytes.length;
      const end = p.start + p.bytes.length;
      if (end <= half.next) {
        this.stats.retransmittedBytes += p.bytes.length;
        continue;
      }
      const skip = half.next - p.start;
      this.stats.retransmittedBytes += skip;
      this.deliver(half, side, p.bytes.subarray(skip), p.at);
    }
  }

  private deliver(half: HalfStream, side: Side, bytes: Uint8Array, at: FrameRef): void {
    if (bytes.length === 0) return;
    half.next += bytes.length;
    this.emit({ kind: 'data', side, bytes, at });
    this.closeIfComplete(half, side, at);
  }

  /**
   * Bytes [next, upTo) will not come: report them as a gap and continue after them. Segments
   * held inside that range were captured: only the holes between them are gaps, and they are
   * delivered in order between those gaps (each step consumes a held segment, so this is bounded).
   */
  private declareLost(half: HalfStream, side: Side, upTo: number, at: FrameRef, why: string): void {
    if (upTo <= half.next) return;
    while (half.next < upTo) {
      const heldAt = half.pending.length > 0 && half.pending[0].start < upTo ? half.pending[0].start : upTo;
      if (heldAt > half.next) {
        const length = heldAt - half.next;
        this.stats.gapBytes += length;
        half.next = heldAt;
        this.emit({ kind: 'gap', side, length, at, why });
      }
      this.drain(half, side);
    }
    this.closeIfComplete(half, side, at);
  }

  private closeIfComplete(half: HalfStream, side: Side, at: FrameRef): void {
    if (half.fin !== null && !half.closed && half.next >= half.fin) {
      half.closed = true;
      this.emit({ kind: 'close', side, how: 'fin', at });
    }
  }
}
