/**
 * TCP reassembly of one connection (RFC 9293 §3.4 sequence numbers): each direction's
 * payload delivered in sequence order, once, with out-of-order segments held back
 * (boundedly), retransmissions and overlaps trimmed, and missing bytes reported as gaps.
 *
 * A hole becomes a gap when the peer acknowledges past it (it received bytes the capture
 * lost), when too much data waits behind it, or when the connection ends. Bytes the snapshot
 * length cut off a segment are a gap where they belong: at once for a segment in order; for one
 * held out of order, when the stream reaches them (a retransmission held meanwhile fills them),
 * while the hole before them still waits for its bytes.
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

const CUT = 'cut by the snapshot length';
const NO_BYTES = new Uint8Array(0);

/**
 * Held out of order: captured bytes, or (`lost` > 0, `bytes` empty) a range the snapshot length
 * cut. Sorted by start; a lost range never overlaps another held entry (held data overlaps freely).
 */
interface Pending {
  start: number;
  bytes: Uint8Array;
  lost: number;
  at: FrameRef;
}

const endOf = (p: Pending): number => p.start + p.bytes.length + p.lost;

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
      if (start > half.next) {
        this.hold(half, side, start, seg.payload, seg.missing, at);
      } else {
        this.addData(half, side, start, seg.payload, at);
        // Snapshot length cut the payload: the rest is a gap, right where it belongs.
        const cutStart = start + seg.payload.length;
        if (seg.missing > 0 && cutStart >= half.next) this.declareLost(half, side, cutStart + seg.missing, at, CUT);
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

  /** Bytes from `start` (at or before the next byte to deliver): what is new continues the stream. */
  private addData(half: HalfStream, side: Side, start: number, bytes: Uint8Array, at: FrameRef): void {
    const end = start + bytes.length;
    if (end <= half.next) {
      this.stats.retransmittedBytes += bytes.length;
      return;
    }
    const skip = half.next - start;
    this.stats.retransmittedBytes += skip;
    this.deliver(half, side, bytes.subarray(skip), at);
    this.drain(half, side);
  }

  /**
   * Out of order (`start` beyond the next byte to deliver): holds a copy of the captured bytes (the
   * frame buffer is reused) and the `missing` bytes after them the snapshot length cut, until the
   * hole before them fills or is declared lost. Only held entries are allocated, never `missing`.
   */
  private hold(half: HalfStream, side: Side, start: number, bytes: Uint8Array, missing: number, at: FrameRef): void {
    this.stats.outOfOrderSegments++;
    if (bytes.length > 0) {
      this.unmarkLost(half, start, start + bytes.length);
      this.insert(half, { start, bytes: bytes.slice(), lost: 0, at });
      half.pendingBytes += bytes.length;
    }
    if (missing > 0) this.markLost(half, start + bytes.length, start + bytes.length + missing, at);
    while (half.pendingBytes > MAX_PENDING_BYTES || half.pending.length > MAX_PENDING_SEGMENTS) {
      this.declareLost(half, side, half.pending[0].start, at, 'too much data waiting behind it');
    }
  }

  private insert(half: HalfStream, p: Pending): void {
    let i = half.pending.length;
    while (i > 0 && half.pending[i - 1].start > p.start) i--;
    half.pending.splice(i, 0, p);
  }

  /** The snapshot length cut [from, to): holds as lost the parts no held entry covers already. */
  private markLost(half: HalfStream, from: number, to: number, at: FrameRef): void {
    const parts: Pending[] = [];
    let cursor = from;
    for (const p of half.pending) {
      if (p.start >= to) break;
      if (p.start > cursor) parts.push({ start: cursor, bytes: NO_BYTES, lost: p.start - cursor, at });
      cursor = Math.max(cursor, endOf(p));
    }
    if (cursor < to) parts.push({ start: cursor, bytes: NO_BYTES, lost: to - cursor, at });
    for (const p of parts) this.insert(half, p);
  }

  /** Captured bytes [from, to) are held: held lost ranges give those bytes up (a retransmission fills a cut). */
  private unmarkLost(half: HalfStream, from: number, to: number): void {
    const pending = half.pending;
    for (let i = 0; i < pending.length && pending[i].start < to; i++) {
      const p = pending[i];
      const end = endOf(p);
      if (p.lost === 0 || end <= from) continue;
      // Nothing else held starts inside a lost range, so moving its start up to `to` keeps the order.
      if (p.start >= from && end <= to) {
        pending.splice(i--, 1);
      } else if (p.start >= from) {
        p.start = to;
        p.lost = end - to;
      } else {
        p.lost = from - p.start;
        if (end > to) pending.splice(++i, 0, { start: to, bytes: NO_BYTES, lost: end - to, at: p.at });
      }
    }
  }

  /** Delivers queued segments that now continue the stream, and reports the cut ranges it reaches. */
  private drain(half: HalfStream, side: Side): void {
    while (half.pending.length > 0 && half.pending[0].start <= half.next) {
      const p = half.pending.shift()!;
      const end = endOf(p);
      if (p.lost > 0) {
        // Less what bytes delivered meanwhile covered (a retransmission in order).
        if (end > half.next) this.gap(half, side, end - half.next, p.at, CUT);
        continue;
      }
      half.pendingBytes -= p.bytes.length;
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
   * delivered in order between those gaps; held cut ranges are gaps of their own, for their own
   * reason (each step consumes a held entry, so this is bounded).
   */
  private declareLost(half: HalfStream, side: Side, upTo: number, at: FrameRef, why: string): void {
    if (upTo <= half.next) return;
    while (half.next < upTo) {
      const heldAt = half.pending.length > 0 && half.pending[0].start < upTo ? half.pending[0].start : upTo;
      if (heldAt > half.next) this.gap(half, side, heldAt - half.next, at, why);
      this.drain(half, side);
    }
    this.closeIfComplete(half, side, at);
  }

  /** The next `length` bytes will not come: a gap, and the stream continues after it. */
  private gap(half: HalfStream, side: Side, length: number, at: FrameRef, why: string): void {
    this.stats.gapBytes += length;
    half.next += length;
    this.emit({ kind: 'gap', side, length, at, why });
    this.closeIfComplete(half, side, at);
  }

  private closeIfComplete(half: HalfStream, side: Side, at: FrameRef): void {
    if (half.fin !== null && !half.closed && half.next >= half.fin) {
      half.closed = true;
      this.emit({ kind: 'close', side, how: 'fin', at });
    }
  }
}
