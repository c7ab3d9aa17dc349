/**
 * Helpers for the capture tests: read fixtures, rebuild the byte streams a transcript
 * shows, parse tshark's follow,tcp,hex output, and re-wrap the frames of a real
 * capture in other link layers and containers (every transformation is documented byte by byte).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createBufferSource } from '../../src/core/capture/captureSource';
import { importCapture, type ImportOptions, type ImportResult } from '../../src/core/capture/importCapture';
import { readCaptureFrames } from '../../src/core/capture/readCapture';
import { REPO } from '../helpers/lspClient';

export const CAPTURE_FIXTURES = path.join(REPO, 'server/test/fixtures/capture');
export const CORPUS_SESSIONS = path.join(REPO, 'server/test/fixtures/corpus/sessions');
export const LIVE = path.join(REPO, 'server/test/fixtures/live');

export function readFixture(file: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(file));
}

export function importBytes(bytes: Uint8Array, options: ImportOptions = {}): ImportResult {
  return importCapture(createBufferSource(bytes), { name: 'test', ...options });
}

/** The transcript without its first line (which names the file) and the trailer of capture facts. */
export function transcriptBody(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('# smtptls import of') && !l.startsWith('# capture:') && !/^# session \d+: frames/.test(l))
    .join('\n');
}

/**
 * The bytes each side sent, rebuilt from a transcript written with every byte shown:
 * hex lines as bytes, SMTP lines plus CR LF (or LF after a "bare LF" comment), placeholders skipped.
 */
export function rebuildStreams(text: string): { client: number[]; server: number[] } {
  const out = { client: [] as number[], server: [] as number[] };
  let bareLf = false;
  let noEnding = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      if (line.includes('ends with a bare LF')) bareLf = true;
      if (line.includes('has no line ending')) noEnding = true;
      continue;
    }
    const m = /^([CS]): (.*)$/.exec(line);
    if (!m) continue;
    const side = m[1] === 'C' ? out.client : out.server;
    const content = m[2];
    if (/^<.*>$/.test(content)) continue;
    if (/^[0-9a-f]{2}( [0-9a-f]{2})*$/.test(content)) {
      for (const h of content.split(' ')) side.push(parseInt(h, 16));
    } else {
      side.push(...Buffer.from(content, 'utf8'));
      if (!noEnding) side.push(...(bareLf ? [0x0a] : [0x0d, 0x0a]));
    }
    bareLf = false;
    noEnding = false;
  }
  return out;
}

/** Node 0 and node 1 bytes of `tshark -q -z follow,tcp,hex,N` output (node 1 lines start with a TAB). */
export function parseFollowHex(text: string): { node0: string; node1: string; nodes: string[] } {
  let node0 = '';
  let node1 = '';
  const nodes: string[] = [];
  for (const line of text.split('\n')) {
    const n = /^Node [01]: (.*)$/.exec(line);
    if (n) nodes.push(n[1]);
    const m = /^(\t?)[0-9A-F]{8} {2}((?:[0-9a-f]{2} {1,2}){0,16})/.exec(line);
    if (!m) continue;
    const hex = m[2].replace(/ /g, '');
    if (m[1]) node1 += hex;
    else node0 += hex;
  }
  return { node0, node1, nodes };
}

export function toHexString(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += bytes[i].toString(16).padStart(2, '0');
  return s;
}

export interface RawFrame {
  seconds: number;
  micros: number;
  data: Uint8Array;
}

/** The frames of a capture (copied), in file order. */
export function listFrames(bytes: Uint8Array): RawFrame[] {
  const frames: RawFrame[] = [];
  readCaptureFrames(createBufferSource(bytes), (f) => frames.push({ seconds: f.seconds, micros: Math.floor(f.nanos / 1000), data: f.data.slice() }));
  return frames;
}

/** A little-endian microsecond pcap of the given frames and link type. */
export function writePcap(frames: readonly RawFrame[], linkType: number): Uint8Array {
  const parts: Buffer[] = [];
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(262144, 16);
  h.writeUInt32LE(linkType, 20);
  parts.push(h);
  for (const f of frames) {
    const r = Buffer.alloc(16);
    r.writeUInt32LE(f.seconds, 0);
    r.writeUInt32LE(f.micros, 4);
    r.writeUInt32LE(f.data.length, 8);
    r.writeUInt32LE(f.data.length, 12);
    parts.push(r, Buffer.from(f.data));
  }
  return new Uint8Array(Buffer.concat(parts));
}

/** Ethernet frames → the IP packet alone (the 14-byte Ethernet header dropped). */
export function stripEthernet(frames: readonly RawFrame[]): RawFrame[] {
  return frames.map((f) => ({ ...f, data: f.data.subarray(14) }));
}

/** Ethernet frames → a 4-byte address family (2 = AF_INET) in the given byte order, then the IP packet. */
export function toLoopback(frames: readonly RawFrame[], littleEndian: boolean): RawFrame[] {
  return frames.map((f) => {
    const fam = Buffer.alloc(4);
    if (littleEndian) fam.writeUInt32LE(2, 0);
    else fam.writeUInt32BE(2, 0);
    return { ...f, data: new Uint8Array(Buffer.concat([fam, Buffer.from(f.data.subarray(14))])) };
  });
}

/** Ethernet frames with VLAN tags inserted after the MAC addresses: each tag is TPID (2 bytes) + TCI (2 bytes). */
export function addVlanTags(frames: readonly RawFrame[], tags: readonly [tpid: number, vid: number][]): RawFrame[] {
  return frames.map((f) => {
    const tagBytes = Buffer.alloc(tags.length * 4);
    tags.forEach(([tpid, vid], i) => {
      tagBytes.writeUInt16BE(tpid, i * 4);
      tagBytes.writeUInt16BE(vid & 0x0fff, i * 4 + 2);
    });
    return { ...f, data: new Uint8Array(Buffer.concat([Buffer.from(f.data.subarray(0, 12)), tagBytes, Buffer.from(f.data.subarray(12))])) };
  });
}

/** A pcapng block: type, total length, body padded to 4, total length again. */
function block(type: number, body: Buffer, be: boolean): Buffer {
  const pad = (4 - (body.length % 4)) % 4;
  const total = 12 + body.length + pad;
  const b = Buffer.alloc(total);
  const w32 = (v: number, at: number): void => void (be ? b.writeUInt32BE(v, at) : b.writeUInt32LE(v, at));
  w32(type, 0);
  w32(total, 4);
  body.copy(b, 8);
  w32(total, total - 4);
  return b;
}

export interface PcapngInterface {
  linkType: number;
  /** if_tsresol option byte, or undefined for the default (microseconds). */
  tsresol?: number;
}

/**
 * A pcapng file: SHB (byte-order magic 1a2b3c4d, version 1.0, section length -1), the IDBs
 * (link type, snaplen 262144, if_tsresol option when given), then one EPB per frame on
 * interface `frameInterface[i]` — or SPBs when `simple` is set (single interface).
 */
export function writePcapng(frames: readonly RawFrame[], interfaces: readonly PcapngInterface[], options: { bigEndian: boolean; frameInterface?: (i: number) => number; simple?: boolean }): Uint8Array {
  const be = options.bigEndian;
  const u16 = (v: number): Buffer => {
    const b = Buffer.alloc(2);
    if (be) b.writeUInt16BE(v);
    else b.writeUInt16LE(v);
    return b;
  };
  const u32 = (v: number): Buffer => {
    const b = Buffer.alloc(4);
    if (be) b.writeUInt32BE(v >>> 0);
    else b.writeUInt32LE(v >>> 0);
    return b;
  };
  const parts: Buffer[] = [];
  parts.push(block(0x0a0d0d0a, Buffer.concat([u32(0x1a2b3c4d), u16(1), u16(0), u32(0xffffffff), u32(0xffffffff)]), be));
  for (const i of interfaces) {
    const opts: Buffer[] = [];
    if (i.tsresol !== undefined) opts.push(u16(9), u16(1), Buffer.from([i.tsresol, 0, 0, 0]), u16(0), u16(0));
    parts.push(block(1, Buffer.concat([u16(i.linkType), u16(0), u32(262144), ...opts]), be));
  }
  frames.forEach((f, n) => {
    const data = Buffer.from(f.data);
    const pad = Buffer.alloc((4 - (data.length % 4)) % 4);
    if (options.simple) {
      parts.push(block(3, Buffer.concat([u32(data.length), data, pad]), be));
      return;
    }
    const ifIndex = options.frameInterface ? options.frameInterface(n) : 0;
    const resol = interfaces[ifIndex].tsresol ?? 6;
    // Timestamp in the interface's units: 10^-resol s (or 2^-x s when the high bit is set).
    let ts: bigint;
    const t = BigInt(f.seconds) * 1_000_000n + BigInt(f.micros);
    if (resol & 0x80) ts = (t << BigInt(resol & 0x7f)) / 1_000_000n;
    else ts = resol >= 6 ? t * 10n ** BigInt(resol - 6) : t / 10n ** BigInt(6 - resol);
    parts.push(block(6, Buffer.concat([u32(ifIndex), u32(Number(ts >> 32n)), u32(Number(ts & 0xffffffffn)), u32(data.length), u32(data.length), data, pad]), be));
  });
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * `count` copies of one Ethernet/IPv4 TCP connection to port 25, each copy on its own client
 * port (from 1024 up; bytes 34-35 and 36-37 are the TCP source and destination ports behind the
 * 14-byte Ethernet and 20-byte IPv4 headers) and one second later than the one before.
 */
export function repeatConnection(frames: readonly RawFrame[], count: number): RawFrame[] {
  const out: RawFrame[] = [];
  for (let k = 0; k < count; k++) {
    for (const f of frames) {
      const d = Buffer.from(f.data);
      if (d.readUInt16BE(34) !== 25) d.writeUInt16BE(1024 + k, 34);
      if (d.readUInt16BE(36) !== 25) d.writeUInt16BE(1024 + k, 36);
      out.push({ seconds: f.seconds + k, micros: f.micros, data: new Uint8Array(d) });
    }
  }
  return out;
}

/**
 * Ethernet/IPv4 TCP frames with every payload longer than `mss` split into segments of at most
 * `mss` bytes, as a network with that segment size carries them (loopback captures carry up to
 * 64 KB per segment). Each piece keeps the frame's headers with the IPv4 total length (bytes
 * 16-17) and the TCP sequence number (bytes 4-7 of the TCP header) set for it; checksums are left.
 */
export function resegment(frames: readonly RawFrame[], mss: number): RawFrame[] {
  const out: RawFrame[] = [];
  for (const f of frames) {
    const d = Buffer.from(f.data);
    const ihl = (d[14] & 15) * 4;
    const tcp = 14 + ihl;
    const headers = tcp + (d[tcp + 12] >> 4) * 4;
    const payload = d.subarray(headers, 14 + d.readUInt16BE(16));
    if (d.readUInt16BE(12) !== 0x0800 || d[23] !== 6 || payload.length <= mss) {
      out.push(f);
      continue;
    }
    const seq = d.readUInt32BE(tcp + 4);
    for (let k = 0; k < payload.length; k += mss) {
      const piece = payload.subarray(k, k + mss);
      const p = Buffer.concat([d.subarray(0, headers), piece]);
      p.writeUInt16BE(headers - 14 + piece.length, 16);
      p.writeUInt32BE((seq + k) >>> 0, tcp + 4);
      out.push({ seconds: f.seconds, micros: f.micros, data: new Uint8Array(p) });
    }
  }
  return out;
}

/** TCP payload of an Ethernet/IPv4/TCP frame as [offset, length] (IHL and data offset read from the headers). */
export function payloadRange(f: RawFrame): [number, number] {
  const ip = 14;
  const ihl = (f.data[ip] & 0x0f) * 4;
  const total = (f.data[ip + 2] << 8) | f.data[ip + 3];
  const tcp = ip + ihl;
  const off = (f.data[tcp + 12] >> 4) * 4;
  return [tcp + off, total - ihl - off];
}

/** Frame `f` with only payload bytes [from, to) and the sequence number moved to match. */
export function slicePayload(f: RawFrame, from: number, to: number): RawFrame {
  const [off] = payloadRange(f);
  const d = new Uint8Array(off + (to - from));
  d.set(f.data.subarray(0, off));
  d.set(f.data.subarray(off + from, off + to), off);
  const v = new DataView(d.buffer);
  // IPv4 total length (offset 14 + 2) and TCP sequence number (offset 14 + 20 + 4); both headers are 20 bytes here.
  v.setUint16(16, d.length - 14);
  v.setUint32(38, (v.getUint32(38) + from) >>> 0);
  return { ...f, data: d };
}
