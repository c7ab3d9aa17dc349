/**
 * TCP reassembly around holes (RFC 9293 §3.4): segments held out of order behind a hole are
 * delivered, after the hole's gap, when the hole is declared lost — by the peer acknowledging
 * past it, by the end of the capture, or by the hold limits — and are never counted as
 * retransmitted unless they really arrived twice. Sequence numbers wrap at 2^32.
 *
 * A segment held out of order whose end the snapshot length cut keeps the hole before it open
 * (its bytes may still come): only the cut bytes are known lost, a gap of their own when the
 * stream reaches them, unless a retransmission held meanwhile brings them.
 *
 * Most cases drive TcpConnection directly (side 0 sends the data, side 1 only acknowledges);
 * the capture cases build one from the real swaks session.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { TCP_ACK, TCP_FIN, TCP_SYN, type TcpSegment } from '../../src/core/capture/ipTcp';
import { MAX_PENDING_BYTES, TcpConnection, type StreamEvent } from '../../src/core/capture/tcpReassembly';
import { CORPUS_SESSIONS, importBytes, listFrames, readFixture, rebuildStreams, toHexString, payloadRange, slicePayload, writePcap } from './helpers';

const TWO_32 = 4294967296;

/** Byte at stream offset i: distinct enough to see any misplaced byte. */
function streamBytes(from: number, to: number): Uint8Array {
  const b = new Uint8Array(to - from);
  for (let i = from; i < to; i++) b[i - from] = i % 251;
  return b;
}

type Ev = ['data', number, number] | ['gap', number, number] | ['close', number];

class Harness {
  readonly events: StreamEvent[] = [];
  readonly tcp = new TcpConnection((e) => this.events.push(e.kind === 'data' ? { ...e, bytes: e.bytes.slice() } : e));
  private frame = 0;

  /** `base` is the sequence number of stream offset 0; with `syn` the connection starts with a handshake. */
  constructor(
    readonly base: number,
    syn = true,
  ) {
    if (syn) {
      this.send(0, { seq: (base - 1 + TWO_32) % TWO_32, flags: TCP_SYN });
      this.send(1, { seq: 7000, ack: base, flags: TCP_SYN | TCP_ACK });
    }
  }

  private send(side: 0 | 1, s: { seq: number; ack?: number; flags: number; payload?: Uint8Array; missing?: number }): void {
    const seg: TcpSegment = {
      ipVersion: 4,
      srcAddr: side === 0 ? '10.0.0.1' : '10.0.0.2',
      dstAddr: side === 0 ? '10.0.0.2' : '10.0.0.1',
      srcPort: side === 0 ? 40000 : 25,
      dstPort: side === 0 ? 25 : 40000,
      seq: s.seq,
      ack: s.ack ?? 0,
      flags: s.flags,
      payload: s.payload ?? new Uint8Array(0),
      missing: s.missing ?? 0,
    };
    this.tcp.addSegment(side, seg, { frame: ++this.frame, seconds: 0, nanos: 0 });
  }

  /** Side 0 sends stream offsets [from, to); with `missing`, that many more bytes the snapshot length cut. */
  data(from: number, to: number, flags = TCP_ACK, missing = 0): void {
    this.send(0, { seq: (this.base + from) % TWO_32, ack: 7001, flags, payload: streamBytes(from, to), missing });
  }

  /** Side 1 acknowledges stream offsets up to `upTo` (a bare ACK). */
  ack(upTo: number): void {
    this.send(1, { seq: 7001, ack: (this.base + upTo) % TWO_32, flags: TCP_ACK });
  }

  /** Side 0's events, data as [from, to) stream offsets (checked byte for byte), gaps likewise. */
  stream(): Ev[] {
    const out: Ev[] = [];
    let at = 0;
    for (const e of this.events) {
      if (e.side !== 0) continue;
      if (e.kind === 'data') {
        assert.equal(toHexString(e.bytes), toHexString(streamBytes(at, at + e.bytes.length)), `bytes at offset ${at}`);
        out.push(['data', at, (at += e.bytes.length)]);
      } else if (e.kind === 'gap') {
        out.push(['gap', at, (at += e.length)]);
      } else {
        out.push(['close', at]);
      }
    }
    return out;
  }

  /** Side 0's gap reasons, in order. */
  whys(): string[] {
    return this.events.flatMap((e) => (e.side === 0 && e.kind === 'gap' ? [e.why] : []));
  }

  /** Consecutive data pieces joined (how the segments were cut does not matter, only what is delivered). */
  merged(): Ev[] {
    const out: Ev[] = [];
    for (const e of this.stream()) {
      const last = out[out.length - 1];
      if (last && last[0] === 'data' && e[0] === 'data' && last[2] === e[1]) last[2] = e[2];
      else out.push(e[0] === 'close' ? e : [e[0], e[1], e[2]]);
    }
    return out;
  }
}

// Bases to run every case with: an ordinary one, and ones that put the wrap inside A, inside the hole, inside C.
const BASES: [string, number][] = [
  ['ordinary sequence numbers', 1000],
  ['sequence wrapping inside A', TWO_32 - 50],
  ['sequence wrapping inside the hole B', TWO_32 - 150],
  ['sequence wrapping between B and C', TWO_32 - 200],
  ['sequence wrapping inside C', TWO_32 - 250],
];

for (const [name, base] of BASES) {
  for (const syn of [true, false]) {
    const label = `${name}, ${syn ? 'with a handshake' : 'started mid-connection'}`;

    test(`${label}: A, C held, the peer acknowledges past C → A, gap of 100, C (not retransmitted)`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 300);
      h.ack(300);
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['gap', 100, 200],
        ['data', 200, 300],
      ]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 1, gapBytes: 100 });
      const gap = h.events.find((e) => e.kind === 'gap');
      assert.ok(gap && gap.kind === 'gap' && /acknowledged by the peer/.test(gap.why));
    });

    test(`${label}: A, C held, the peer acknowledges the hole only → A, gap of 100, C`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 300);
      h.ack(200);
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['gap', 100, 200],
        ['data', 200, 300],
      ]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 1, gapBytes: 100 });
    });

    test(`${label}: A, C held, the capture ends → A, gap of 100, C`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 300);
      h.tcp.flush();
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['gap', 100, 200],
        ['data', 200, 300],
      ]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 1, gapBytes: 100 });
    });

    test(`${label}: A, C, C again (a real retransmission), ack past C → C delivered once, 100 bytes retransmitted`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 300);
      h.data(200, 300);
      h.ack(300);
      // C once more after the gap: an old duplicate, dropped.
      h.data(200, 300);
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['gap', 100, 200],
        ['data', 200, 300],
      ]);
      assert.equal(h.tcp.stats.retransmittedBytes, 200);
      assert.equal(h.tcp.stats.gapBytes, 100);
    });

    test(`${label}: A, C, C again, the capture ends → C delivered once, 100 bytes retransmitted`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 300);
      h.data(200, 300);
      h.tcp.flush();
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['gap', 100, 200],
        ['data', 200, 300],
      ]);
      assert.deepEqual([h.tcp.stats.retransmittedBytes, h.tcp.stats.gapBytes], [100, 100]);
    });

    test(`${label}: several held segments behind two holes, ack past all → each hole its gap, every held byte delivered`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      // Holes [100, 200) and [300, 350); held: [400, 450) first, then [200, 300) and [350, 400).
      h.data(400, 450);
      h.data(200, 300);
      h.data(350, 400);
      h.ack(450);
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['gap', 100, 200],
        ['data', 200, 300],
        ['gap', 300, 350],
        ['data', 350, 400],
        ['data', 400, 450],
      ]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 3, gapBytes: 150 });
      // More data continues right after.
      h.data(450, 500);
      assert.deepEqual(h.merged().slice(-1), [['data', 350, 500]]);
    });

    test(`${label}: the ack falls between held segments → gaps up to it, later held data still waits for its hole`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 300);
      h.data(400, 500);
      // The peer has everything up to 300: hole [100, 200) lost, [300, 400) may still come.
      h.ack(300);
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['gap', 100, 200],
        ['data', 200, 300],
      ]);
      h.data(300, 400);
      assert.deepEqual(h.merged(), [
        ['data', 0, 100],
        ['gap', 100, 200],
        ['data', 200, 500],
      ]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 2, gapBytes: 100 });
    });

    test(`${label}: a held segment straddling the acknowledged point is delivered whole`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 400);
      h.ack(300);
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['gap', 100, 200],
        ['data', 200, 400],
      ]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 1, gapBytes: 100 });
    });

    test(`${label}: overlapping held segments, ack past them → the overlap trimmed, each byte once`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(250, 350);
      h.data(200, 300);
      h.data(220, 260);
      h.ack(350);
      assert.deepEqual(h.merged(), [
        ['data', 0, 100],
        ['gap', 100, 200],
        ['data', 200, 350],
      ]);
      // Overlap: [250, 300) of the first held segment, and all 40 bytes of [220, 260).
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 90, outOfOrderSegments: 3, gapBytes: 100 });
    });

    test(`${label}: overlapping held segments, the capture ends → the overlap trimmed, each byte once`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(250, 350);
      h.data(200, 300);
      h.tcp.flush();
      assert.deepEqual(h.merged(), [
        ['data', 0, 100],
        ['gap', 100, 200],
        ['data', 200, 350],
      ]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 50, outOfOrderSegments: 2, gapBytes: 100 });
    });

    test(`${label}: a held segment that begins inside the hole → gap only up to it`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(150, 300);
      h.ack(300);
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['gap', 100, 150],
        ['data', 150, 300],
      ]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 1, gapBytes: 50 });
    });

    test(`${label}: the hole filled late (B after C) → A B C in order, no gap, nothing retransmitted`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 300);
      h.data(100, 200);
      h.ack(300);
      h.tcp.flush();
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['data', 100, 200],
        ['data', 200, 300],
      ]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 1, gapBytes: 0 });
    });

    test(`${label}: C out of order and cut by the snapshot length, B never captured → its captured bytes delivered between the gaps`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 250, TCP_ACK, 50);
      h.ack(300);
      h.tcp.flush();
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['gap', 100, 200],
        ['data', 200, 250],
        ['gap', 250, 300],
      ]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 1, gapBytes: 150 });
      assert.deepEqual(h.whys(), [ACKED, CUT]);
    });

    test(`${label}: C held, then C's FIN, then the peer acknowledges the FIN → A, gap, C, close`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 300, TCP_ACK | TCP_FIN);
      h.ack(301);
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['gap', 100, 200],
        ['data', 200, 300],
        ['close', 300],
      ]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 1, gapBytes: 100 });
    });
  }
}

const CUT = 'cut by the snapshot length';
const ACKED = 'acknowledged by the peer but not in the capture';
const NEVER = 'never retransmitted in the capture';

// Snapshot-length cuts on segments held out of order: A [0, 100), B [100, 200), C [200, 300) cut
// after 250 (50 bytes captured, 50 missing), or C cut whole (0 captured, 100 missing), D [300, 400).
// One more base puts the wrap inside C's cut bytes.
for (const [name, base] of [...BASES, ['sequence wrapping inside the cut bytes', TWO_32 - 275] as [string, number]]) {
  for (const syn of [true, false]) {
    const label = `${name}, ${syn ? 'with a handshake' : 'started mid-connection'}`;

    test(`${label}: A, C cut and held, then B → A B C in order, one gap of the 50 cut bytes, D continues`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 250, TCP_ACK, 50);
      // B has not come yet: the hole before C is not declared lost.
      assert.deepEqual(h.stream(), [['data', 0, 100]]);
      h.data(100, 200);
      h.data(300, 400);
      h.ack(400);
      h.tcp.flush();
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['data', 100, 200],
        ['data', 200, 250],
        ['gap', 250, 300],
        ['data', 300, 400],
      ]);
      assert.deepEqual(h.whys(), [CUT]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 1, gapBytes: 50 });
      // The gap is C's: reported with C's frame.
      const fromC = h.events.filter((e) => e.side === 0 && e.kind !== 'close').map((e) => e.at.frame);
      assert.equal(fromC[3], fromC[2]);
    });

    test(`${label}: A, C cut whole (no byte captured) and held, then B → A B, a gap of 100, D continues`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 200, TCP_ACK, 100);
      assert.deepEqual(h.stream(), [['data', 0, 100]]);
      h.data(100, 200);
      h.data(300, 400);
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['data', 100, 200],
        ['gap', 200, 300],
        ['data', 300, 400],
      ]);
      assert.deepEqual(h.whys(), [CUT]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 1, gapBytes: 100 });
    });

    test(`${label}: A, C cut, D held, then B → every captured byte in order, only the cut is a gap`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(300, 400);
      h.data(200, 250, TCP_ACK, 50);
      h.data(100, 200);
      assert.deepEqual(h.merged(), [
        ['data', 0, 250],
        ['gap', 250, 300],
        ['data', 300, 400],
      ]);
      assert.deepEqual(h.whys(), [CUT]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 2, gapBytes: 50 });
    });

    test(`${label}: A, C cut and held, B never comes, the capture ends → the hole's gap, C's bytes, then the cut's gap`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 250, TCP_ACK, 50);
      h.tcp.flush();
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['gap', 100, 200],
        ['data', 200, 250],
        ['gap', 250, 300],
      ]);
      assert.deepEqual(h.whys(), [NEVER, CUT]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 1, gapBytes: 150 });
    });

    test(`${label}: A, C cut whole and held, the capture ends → two adjacent gaps, each with its own reason (not merged)`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 200, TCP_ACK, 100);
      h.tcp.flush();
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['gap', 100, 200],
        ['gap', 200, 300],
      ]);
      assert.deepEqual(h.whys(), [NEVER, CUT]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 1, gapBytes: 200 });
    });

    test(`${label}: A, C cut and held, the peer acknowledges only the hole → the hole's gap, C, the cut's gap`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 250, TCP_ACK, 50);
      h.ack(200);
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['gap', 100, 200],
        ['data', 200, 250],
        ['gap', 250, 300],
      ]);
      assert.deepEqual(h.whys(), [ACKED, CUT]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 1, gapBytes: 150 });
    });

    test(`${label}: A, C cut, C again whole (a retransmission), then B → no gap at all, C's 50 captured bytes retransmitted`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 250, TCP_ACK, 50);
      h.data(200, 300);
      h.data(100, 200);
      h.tcp.flush();
      assert.deepEqual(h.merged(), [['data', 0, 300]]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 50, outOfOrderSegments: 2, gapBytes: 0 });
    });

    test(`${label}: A, C cut, C again whole, the capture ends → the hole's gap, then all of C`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 250, TCP_ACK, 50);
      h.data(200, 300);
      h.tcp.flush();
      assert.deepEqual(h.merged(), [
        ['data', 0, 100],
        ['gap', 100, 200],
        ['data', 200, 300],
      ]);
      assert.deepEqual(h.whys(), [NEVER]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 50, outOfOrderSegments: 2, gapBytes: 100 });
    });

    test(`${label}: C whole first, then C cut (a cut retransmission), then B → no gap, C's 50 captured bytes retransmitted`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 300);
      h.data(200, 250, TCP_ACK, 50);
      h.data(100, 200);
      assert.deepEqual(h.merged(), [['data', 0, 300]]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 50, outOfOrderSegments: 2, gapBytes: 0 });
    });

    test(`${label}: C cut after 250, again cut after 280, then B → the second copy's 30 extra bytes kept, a gap of 20`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 250, TCP_ACK, 50);
      h.data(200, 280, TCP_ACK, 20);
      h.data(200, 250, TCP_ACK, 50);
      h.data(100, 200);
      assert.deepEqual(h.merged(), [
        ['data', 0, 280],
        ['gap', 280, 300],
      ]);
      assert.deepEqual(h.whys(), [CUT]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 50 + 50, outOfOrderSegments: 3, gapBytes: 20 });
    });

    test(`${label}: captured bytes held inside C's cut range (before or after C) → the cut is a gap only around them`, () => {
      for (const dFirst of [false, true]) {
        const h = new Harness(base, syn);
        h.data(0, 100);
        if (dFirst) h.data(260, 280);
        h.data(200, 250, TCP_ACK, 50);
        if (!dFirst) h.data(260, 280);
        h.data(100, 200);
        assert.deepEqual(h.merged(), [
          ['data', 0, 250],
          ['gap', 250, 260],
          ['data', 260, 280],
          ['gap', 280, 300],
        ]);
        assert.deepEqual(h.whys(), [CUT, CUT]);
        assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 2, gapBytes: 30 });
      }
    });

    test(`${label}: A, C cut and held, B then C again whole → the cut was reported when the stream reached it; the late copy is retransmitted`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 250, TCP_ACK, 50);
      h.data(100, 200);
      h.data(200, 300);
      assert.deepEqual(h.merged(), [
        ['data', 0, 250],
        ['gap', 250, 300],
      ]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 100, outOfOrderSegments: 1, gapBytes: 50 });
    });

    test(`${label}: A, C cut and held, then B longer than the hole (covering some cut bytes) → only the rest of the cut is a gap`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 250, TCP_ACK, 50);
      h.data(100, 270);
      assert.deepEqual(h.merged(), [
        ['data', 0, 270],
        ['gap', 270, 300],
      ]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 50, outOfOrderSegments: 1, gapBytes: 30 });
    });

    test(`${label}: A, C cut with a FIN and held, then B → A B C, the cut's gap, close`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(200, 250, TCP_ACK | TCP_FIN, 50);
      assert.deepEqual(h.stream(), [['data', 0, 100]]);
      h.data(100, 200);
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['data', 100, 200],
        ['data', 200, 250],
        ['gap', 250, 300],
        ['close', 300],
      ]);
      assert.equal(h.tcp.halves[0].closed, true);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 1, gapBytes: 50 });
    });

    test(`${label}: B cut in order → its cut bytes are a gap at once, as before; a later C still fills the hole after them`, () => {
      const h = new Harness(base, syn);
      h.data(0, 100);
      h.data(300, 400);
      h.data(100, 150, TCP_ACK, 50);
      assert.deepEqual(h.stream(), [
        ['data', 0, 100],
        ['data', 100, 150],
        ['gap', 150, 200],
      ]);
      assert.deepEqual(h.whys(), [CUT]);
      h.data(200, 300);
      // B whole again, too late: the cut was already a gap.
      h.data(100, 200);
      assert.deepEqual(h.merged(), [
        ['data', 0, 150],
        ['gap', 150, 200],
        ['data', 200, 400],
      ]);
      assert.deepEqual(h.tcp.stats, { retransmittedBytes: 100, outOfOrderSegments: 1, gapBytes: 50 });
    });
  }
}

test('too much data held behind a cut segment held out of order: the hole, then its bytes, the cut, and the rest', () => {
  const h = new Harness(5000);
  h.data(0, 100);
  h.data(200, 250, TCP_ACK, 50);
  const seg = 64 * 1024;
  let at = 300;
  while (at - 300 <= MAX_PENDING_BYTES) {
    h.data(at, at + seg);
    at += seg;
  }
  assert.deepEqual(h.merged(), [
    ['data', 0, 100],
    ['gap', 100, 200],
    ['data', 200, 250],
    ['gap', 250, 300],
    ['data', 300, at],
  ]);
  assert.deepEqual(h.whys(), ['too much data waiting behind it', CUT]);
  // C and 64 segments held (the 64th passes the byte limit); the 65th came in order.
  assert.equal((at - 300) / seg, 65);
  assert.deepEqual(h.tcp.stats, { retransmittedBytes: 0, outOfOrderSegments: 1 + 64, gapBytes: 150 });
});

test('too many cut segments held: bounded by the segment limit, each cut its own gap', () => {
  const h = new Harness(TWO_32 - 7);
  h.data(0, 100);
  // 3,000 segments of 10 captured bytes cut 65,000 bytes short each: 6,000 held entries.
  const step = 10 + 65000;
  for (let i = 0; i < 3000; i++) h.data(200 + i * step, 210 + i * step, TCP_ACK, 65000);
  const s = h.stream();
  assert.deepEqual(s.slice(0, 4), [
    ['data', 0, 100],
    ['gap', 100, 200],
    ['data', 200, 210],
    ['gap', 210, 200 + step],
  ]);
  assert.ok(h.tcp.halves[0].pending.length <= 4096);
  assert.equal(h.tcp.stats.retransmittedBytes, 0);
  h.tcp.flush();
  const all = h.stream();
  assert.deepEqual(all[all.length - 1], ['gap', 200 + 2999 * step + 10, 200 + 3000 * step]);
  assert.equal(h.tcp.stats.gapBytes, 100 + 3000 * 65000);
});

test('too much data held behind a hole: the hole becomes a gap and the held data is delivered, not dropped', () => {
  const h = new Harness(5000);
  h.data(0, 100);
  const seg = 64 * 1024;
  let at = 200;
  while (at - 200 <= MAX_PENDING_BYTES) {
    h.data(at, at + seg);
    at += seg;
  }
  const s = h.merged();
  assert.deepEqual(s[0], ['data', 0, 100]);
  assert.deepEqual(s[1], ['gap', 100, 200]);
  assert.deepEqual(s[2], ['data', 200, at]);
  assert.equal(h.tcp.stats.retransmittedBytes, 0);
  assert.equal(h.tcp.stats.gapBytes, 100);
});

test('an ACK far beyond anything sent (a forged or garbled one) allocates nothing by its length', () => {
  const h = new Harness(TWO_32 - 10);
  h.data(0, 100);
  h.data(200, 300);
  // 2^31 - 1 bytes ahead: the farthest a 32-bit sequence difference reaches forward.
  h.ack(100 + 0x7fffffff);
  const s = h.stream();
  assert.deepEqual(s.slice(0, 3), [
    ['data', 0, 100],
    ['gap', 100, 200],
    ['data', 200, 300],
  ]);
  assert.equal(h.tcp.stats.retransmittedBytes, 0);
});

// The reviewer's capture, rebuilt from the real swaks session: the ClientHello (frame 11, 517 bytes)
// in three pieces A, B, C sent A C, B never captured; the server's reply (frame 12) acknowledges all of it.
const SWAKS = path.join(CORPUS_SESSIONS, 'swaks-starttls/capture.pcap');

test('capture: a segment held behind a lost one is shown after the gap, not counted as retransmitted', () => {
  const frames = listFrames(readFixture(SWAKS));
  const full = rebuildStreams(importBytes(writePcap(frames, 1), { elideApplicationData: false }).text);
  const f = frames[10];
  const [, len] = payloadRange(f);
  assert.equal(len, 517);
  const a = slicePayload(f, 0, 200);
  const c = slicePayload(f, 400, len);
  const r = importBytes(writePcap([...frames.slice(0, 10), a, c, ...frames.slice(11)], 1), { elideApplicationData: false });
  assert.match(r.text, /^C: <200 bytes not captured \(acknowledged by the peer but not in the capture\)>$/m);
  assert.doesNotMatch(r.text, /bytes retransmitted/);
  assert.match(r.text, /1 segment out of order/);
  assert.equal(r.sessions[0].gapBytes, 200);
  // The client's bytes: everything but B.
  const s = rebuildStreams(r.text);
  const before = toHexString(full.client);
  const [off] = payloadRange(f);
  const helloHex = toHexString(f.data.subarray(off, off + len));
  const at = before.indexOf(helloHex);
  assert.ok(at >= 0);
  const expected = before.slice(0, at) + helloHex.slice(0, 400) + helloHex.slice(800) + before.slice(at + helloHex.length);
  assert.equal(toHexString(s.client), expected);
  assert.equal(toHexString(s.server), toHexString(full.server));
});

test('capture: a segment cut by the snapshot length and held behind a reordered one loses only its cut bytes', () => {
  // The ClientHello (frame 11, 517 bytes) in three pieces A [0, 200), C [400, 517), B [200, 400) sent
  // A C B, C's frame cut 50 bytes into its payload (its IP header still says 117).
  const frames = listFrames(readFixture(SWAKS));
  const full = rebuildStreams(importBytes(writePcap(frames, 1), { elideApplicationData: false }).text);
  const f = frames[10];
  const [off, len] = payloadRange(f);
  const a = slicePayload(f, 0, 200);
  const b = slicePayload(f, 200, 400);
  const c = slicePayload(f, 400, len);
  const cCut = { ...c, data: c.data.subarray(0, off + 50) };
  const r = importBytes(writePcap([...frames.slice(0, 10), a, cCut, b, ...frames.slice(11)], 1), { elideApplicationData: false });
  assert.match(r.text, new RegExp(`^C: <${len - 450} bytes not captured \\(cut by the snapshot length\\)>$`, 'm'));
  assert.doesNotMatch(r.text, /bytes retransmitted/);
  assert.doesNotMatch(r.text, /acknowledged by the peer but not in the capture/);
  assert.match(r.text, /1 segment out of order/);
  assert.equal(r.sessions[0].gaps, 1);
  assert.equal(r.sessions[0].gapBytes, len - 450);
  // The client's bytes: everything but the ClientHello's last 67.
  const s = rebuildStreams(r.text);
  const before = toHexString(full.client);
  const helloHex = toHexString(f.data.subarray(off, off + len));
  const at = before.indexOf(helloHex);
  assert.ok(at >= 0);
  assert.equal(toHexString(s.client), before.slice(0, at) + helloHex.slice(0, 900) + before.slice(at + helloHex.length));
  assert.equal(toHexString(s.server), toHexString(full.server));
});
