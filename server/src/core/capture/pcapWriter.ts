/**
 * Writes a classic pcap (LINKTYPE_ETHERNET, microseconds, little-endian) of synthetic
 * Ethernet/IPv4/TCP frames with valid IPv4 and TCP checksums, so that Wireshark and
 * tshark dissect them like a real capture.
 */
import { concatBytes } from '../bytes/concatBytes';

const PCAP_HEADER = 24;
const RECORD_HEADER = 16;
const ETHERNET = 14;
const IPV4 = 20;
const TCP = 20;
export const SNAPLEN = 262144;

export interface TcpFrameSpec {
  readonly srcIp: readonly [number, number, number, number];
  readonly dstIp: readonly [number, number, number, number];
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  /** TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10). */
  readonly flags: number;
  readonly payload: Uint8Array;
  /** Capture time in microseconds since the epoch. */
  readonly timeMicros: number;
}

/** Ones'-complement sum of 16-bit words (RFC 1071), folded. */
function sumWords(b: Uint8Array, start: number, end: number, initial: number): number {
  let sum = initial;
  for (let i = start; i + 1 < end; i += 2) sum += (b[i] << 8) | b[i + 1];
  if ((end - start) % 2 === 1) sum += b[end - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

export class PcapWriter {
  private readonly chunks: Uint8Array[] = [];
  private ipId = 1;

  constructor() {
    const h = new Uint8Array(PCAP_HEADER);
    const v = new DataView(h.buffer);
    v.setUint32(0, 0xa1b2c3d4, true);
    v.setUint16(4, 2, true);
    v.setUint16(6, 4, true);
    v.setUint32(16, SNAPLEN, true);
    v.setUint32(20, 1, true);
    this.chunks.push(h);
  }

  addTcpFrame(f: TcpFrameSpec): void {
    const frameLength = ETHERNET + IPV4 + TCP + f.payload.length;
    const rec = new Uint8Array(RECORD_HEADER + frameLength);
    const v = new DataView(rec.buffer);
    const seconds = Math.floor(f.timeMicros / 1e6);
    v.setUint32(0, seconds, true);
    v.setUint32(4, f.timeMicros - seconds * 1e6, true);
    v.setUint32(8, frameLength, true);
    v.setUint32(12, frameLength, true);
    let p = RECORD_HEADER;
    // Ethernet: locally administered MACs 02:00:00:00:00:01 (client) / :02 (server by address), type IPv4.
    rec.set([0x02, 0, 0, 0, 0, f.dstIp[3] & 0xff, 0x02, 0, 0, 0, 0, f.srcIp[3] & 0xff, 0x08, 0x00], p);
    p += ETHERNET;
    const ip = p;
    rec[ip] = 0x45;
    v.setUint16(ip + 2, IPV4 + TCP + f.payload.length);
    v.setUint16(ip + 4, this.ipId++ & 0xffff);
    rec[ip + 6] = 0x40; // don't fragment
    rec[ip + 8] = 64;
    rec[ip + 9] = 6;
    rec.set(f.srcIp, ip + 12);
    rec.set(f.dstIp, ip + 16);
    v.setUint16(ip + 10, ~sumWords(rec, ip, ip + IPV4, 0) & 0xffff);
    const tcp = ip + IPV4;
    v.setUint16(tcp, f.srcPort);
    v.setUint16(tcp + 2, f.dstPort);
    v.setUint32(tcp + 4, f.seq >>> 0);
    v.setUint32(tcp + 8, f.ack >>> 0);
    rec[tcp + 12] = (TCP / 4) << 4;
    rec[tcp + 13] = f.flags;
    v.setUint16(tcp + 14, 65535);
    rec.set(f.payload, tcp + TCP);
    // Pseudo-header: addresses, protocol, TCP length (RFC 9293 §3.1).
    const tcpLength = TCP + f.payload.length;
    let pseudo = sumWords(rec, ip + 12, ip + 20, 0);
    pseudo += 6 + tcpLength;
    v.setUint16(tcp + 16, ~sumWords(rec, tcp, tcp + tcpLength, pseudo) & 0xffff);
    this.chunks.push(rec);
  }

  /** The whole file. */
  toBytes(): Uint8Array {
    return concatBytes(this.chunks);
  }
}
