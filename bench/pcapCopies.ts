/**
 * Large captures made of copies of real ones: each copy of a template capture (classic
 * little-endian pcap, Ethernet/IPv4/TCP, one SMTP connection on port 25) gets its own client
 * port and starts 10 ms after the one before, keeping its template's own frame spacing. Frames
 * are written copy by copy (bounded memory). Used by the capture benchmark and by
 * `node --import tsx bench/make-big-capture.ts` (the 200 MB and 1 GB import figures).
 */
import * as fs from 'node:fs';

export interface Frame {
  readonly sec: number;
  readonly usec: number;
  readonly data: Buffer;
}

/** Offsets of the TCP ports behind a 14-byte Ethernet and a 20-byte IPv4 header. */
const SRC_PORT = 34;
const DST_PORT = 36;
const SERVER_PORT = 25;
/** Client ports used, from 1024 up; copies past that many reuse them (a new connection each time). */
export const DISTINCT_PORTS = 60000;

/** The frames of a classic little-endian Ethernet pcap. */
export function readTemplateFrames(file: string): Frame[] {
  const b = fs.readFileSync(file);
  // Magic a1b2c3d4 read little-endian (microseconds), LINKTYPE_ETHERNET.
  if (b.readUInt32LE(0) !== 0xa1b2c3d4 || b.readUInt32LE(20) !== 1) throw new Error(`${file}: not a little-endian Ethernet pcap`);
  const frames: Frame[] = [];
  for (let at = 24; at + 16 <= b.length; ) {
    const len = b.readUInt32LE(at + 8);
    frames.push({ sec: b.readUInt32LE(at), usec: b.readUInt32LE(at + 4), data: b.subarray(at + 16, at + 16 + len) });
    at += 16 + len;
  }
  return frames;
}

/**
 * Writes copies to `file` while `more(copies, bytes)` says so; `pick()` chooses each copy's
 * template. Returns the number of copies and the file size.
 */
export function writeCaptureCopies(file: string, templates: readonly Frame[][], pick: () => number, more: (copies: number, bytes: number) => boolean): { copies: number; bytes: number } {
  const fd = fs.openSync(file, 'w');
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(1, 20);
  fs.writeSync(fd, header);
  let bytes = 24;
  let k = 0;
  const t0 = 1_800_000_000;
  try {
    for (; more(k, bytes); k++) {
      const frames = templates[pick()];
      const port = 1024 + (k % DISTINCT_PORTS);
      const start = frames[0].sec * 1e6 + frames[0].usec;
      const chunks: Buffer[] = [];
      for (const f of frames) {
        const d = Buffer.from(f.data);
        if (d.readUInt16BE(SRC_PORT) !== SERVER_PORT) d.writeUInt16BE(port, SRC_PORT);
        if (d.readUInt16BE(DST_PORT) !== SERVER_PORT) d.writeUInt16BE(port, DST_PORT);
        const micros = k * 10_000 + (f.sec * 1e6 + f.usec - start);
        const h = Buffer.alloc(16);
        h.writeUInt32LE(t0 + Math.floor(micros / 1e6), 0);
        h.writeUInt32LE(micros % 1e6, 4);
        h.writeUInt32LE(d.length, 8);
        h.writeUInt32LE(d.length, 12);
        chunks.push(h, d);
        bytes += 16 + d.length;
      }
      fs.writeSync(fd, Buffer.concat(chunks));
    }
  } finally {
    fs.closeSync(fd);
  }
  return { copies: k, bytes };
}
