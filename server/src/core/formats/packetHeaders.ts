/**
 * Frame headers in front of the TCP payload of a dumped packet: Ethernet (tshark -x,
 * tcpdump -xx/-XX, Wireshark "Copy as Hex Dump"), Linux cooked capture, BSD loopback,
 * or a bare IP header (tcpdump -x/-X). The IP and TCP headers (IHL, IPv6 extension
 * headers, data offset and options, IP length against Ethernet padding) are decoded by
 * the capture reader's decodeTcpSegment. Every read is bounded by the bytes present.
 */

import { decodeTcpSegment, isTcpSegment, TCP_ACK, TCP_SYN, type TcpSegment as DecodedTcpSegment } from '../capture/ipTcp';

export { TCP_ACK, TCP_SYN };

export interface TcpSegment {
  readonly srcAddress: string;
  readonly dstAddress: string;
  readonly srcPort: number;
  readonly dstPort: number;
  /** TCP flags byte (0x02 SYN, 0x10 ACK, 0x01 FIN, 0x04 RST). */
  readonly flags: number;
  /** Index of the first payload byte in the dumped bytes. */
  readonly payloadStart: number;
  /** Index just after the payload (IP length honoured: Ethernet padding is not payload). */
  readonly payloadEnd: number;
  /** The segment as the capture reader decodes it (sequence numbers; `missing`: payload bytes the IP length declares past the dump). */
  readonly tcp: DecodedTcpSegment;
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;

function u16(b: Uint8Array, i: number): number {
  return (b[i] << 8) | b[i + 1];
}

/** Where the IP header starts after a link-layer header, or -1. */
function findIpStart(b: Uint8Array): number {
  const n = b.length;
  // Ethernet II (optionally one 802.1Q tag).
  if (n >= 14 + 20) {
    let type = u16(b, 12);
    let at = 14;
    if (type === ETHERTYPE_VLAN && n >= 18 + 20) {
      type = u16(b, 16);
      at = 18;
    }
    if ((type === ETHERTYPE_IPV4 && b[at] >> 4 === 4) || (type === ETHERTYPE_IPV6 && b[at] >> 4 === 6)) return at;
  }
  // Linux cooked capture v1: 16 bytes, protocol at 14.
  if (n >= 16 + 20) {
    const type = u16(b, 14);
    if ((type === ETHERTYPE_IPV4 && b[16] >> 4 === 4) || (type === ETHERTYPE_IPV6 && b[16] >> 4 === 6)) return 16;
  }
  // Linux cooked capture v2 (`tcpdump -i any` since libpcap 1.10): 20 bytes, protocol first.
  if (n >= 20 + 20) {
    const type = u16(b, 0);
    if ((type === ETHERTYPE_IPV4 && b[20] >> 4 === 4) || (type === ETHERTYPE_IPV6 && b[20] >> 4 === 6)) return 20;
  }
  // BSD loopback: 4-byte address family in host order (2 = IPv4; 24, 28, 30 = IPv6).
  if (n >= 4 + 20 && b[1] === 0 && b[2] === 0 && (b[0] === 2 || b[0] === 24 || b[0] === 28 || b[0] === 30) && b[4] >> 4 === (b[0] === 2 ? 4 : 6)) return 4;
  if (n >= 4 + 20 && b[0] === 0 && b[1] === 0 && b[2] === 0 && (b[3] === 2 || b[3] === 24 || b[3] === 28 || b[3] === 30) && b[4] >> 4 === (b[3] === 2 ? 4 : 6)) return 4;
  return -1;
}

/** The IP and TCP headers at `at` (decoded by the capture reader's decoder); null when they are not there. */
function parseIpTcp(b: Uint8Array, at: number): TcpSegment | null {
  const r = decodeTcpSegment(b, at, 0);
  if (!isTcpSegment(r)) return null;
  const payloadStart = r.payload.byteOffset - b.byteOffset;
  return {
    srcAddress: r.srcAddr,
    dstAddress: r.dstAddr,
    srcPort: r.srcPort,
    dstPort: r.dstPort,
    flags: r.flags,
    payloadStart,
    payloadEnd: payloadStart + r.payload.length,
    tcp: r,
  };
}

/**
 * The TCP segment in a dumped packet. `ipFirst`: the dump starts at the IP header
 * (tcpdump -x/-X); otherwise a link-layer header is looked for first.
 */
export function parsePacket(bytes: Uint8Array, ipFirst: boolean): TcpSegment | null {
  if (ipFirst) {
    const direct = parseIpTcp(bytes, 0);
    if (direct) return direct;
  }
  const at = findIpStart(bytes);
  if (at >= 0) {
    const seg = parseIpTcp(bytes, at);
    if (seg) return seg;
  }
  return ipFirst ? null : parseIpTcp(bytes, 0);
}

/** Ports SMTP servers listen on (RFC 5321, RFC 6409, RFC 8314, and the lab's 2525/2526). */
const SMTP_PORTS = new Set([25, 26, 465, 587, 2525, 2526]);

/**
 * Tells client from server for the packets of each connection: the side that sent a
 * SYN without ACK connected (it is the client); without a handshake in the dump, the
 * side on a well-known SMTP port, else the lower port, is the server.
 */
export class ConnectionSides {
  private readonly servers = new Map<string, string>();

  /** A stable key of the connection a segment belongs to. */
  static keyOf(seg: { srcAddress: string; dstAddress: string; srcPort: number; dstPort: number }): string {
    const a = `${seg.srcAddress}:${seg.srcPort}`;
    const b = `${seg.dstAddress}:${seg.dstPort}`;
    return a < b ? `${a}|${b}` : `${b}|${a}`;
  }

  /** Direction of a segment and the server port of its connection. */
  sideOf(seg: { srcAddress: string; dstAddress: string; srcPort: number; dstPort: number; flags: number }): { direction: 'client' | 'server'; serverPort: number; key: string } {
    const key = ConnectionSides.keyOf(seg);
    const src = `${seg.srcAddress}:${seg.srcPort}`;
    const dst = `${seg.dstAddress}:${seg.dstPort}`;
    let server = this.servers.get(key);
    if ((seg.flags & (TCP_SYN | TCP_ACK)) === TCP_SYN) {
      server = dst;
      this.servers.set(key, server);
    } else if ((seg.flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK)) {
      server = src;
      this.servers.set(key, server);
    }
    if (server === undefined) {
      const srcIsServer = SMTP_PORTS.has(seg.srcPort) !== SMTP_PORTS.has(seg.dstPort) ? SMTP_PORTS.has(seg.srcPort) : seg.srcPort < seg.dstPort;
      server = srcIsServer ? src : dst;
      this.servers.set(key, server);
    }
    const fromServer = server === src;
    return { direction: fromServer ? 'server' : 'client', serverPort: fromServer ? seg.srcPort : seg.dstPort, key };
  }

  /** Whether `port` is one an SMTP server listens on. */
  static isSmtpPort(port: number): boolean {
    return SMTP_PORTS.has(port);
  }
}
