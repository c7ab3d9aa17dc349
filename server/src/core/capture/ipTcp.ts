/**
 * IPv4 (RFC 791), IPv6 (RFC 8200, extension headers skipped boundedly) and TCP (RFC 9293)
 * headers: from the start of an IP packet to a TCP segment with its payload.
 */

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_ACK = 0x10;

const PROTO_TCP = 6;
/** IPv6 extension headers that may precede TCP (RFC 8200 §4.1, RFC 4302 AH). */
const IPV6_HOP_BY_HOP = 0;
const IPV6_ROUTING = 43;
const IPV6_FRAGMENT = 44;
const IPV6_AH = 51;
const IPV6_DEST_OPTIONS = 60;
const IPV6_NO_NEXT = 59;
/** More extension headers than this is not a real packet. */
const MAX_IPV6_EXTENSIONS = 8;

export interface TcpSegment {
  readonly ipVersion: 4 | 6;
  /** Addresses in their usual text form ("127.0.0.1", "::1"). */
  readonly srcAddr: string;
  readonly dstAddr: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  /** Captured TCP payload (a view into the frame). */
  readonly payload: Uint8Array;
  /** Payload bytes the IP header announces but the capture does not hold (snapshot length cut). */
  readonly missing: number;
}

/** Why a frame gives no TCP segment: not an error for frames that simply are not TCP. */
export type SkipReason = 'not-ip' | 'not-tcp' | 'fragment' | 'malformed';

export interface DecodeFailure {
  readonly skip: SkipReason;
  readonly detail: string;
}

/** Text of recently seen IPv4 addresses by their 32-bit value: a capture repeats few addresses, and every segment needs them. */
const ipv4Text = new Map<number, string>();
const MAX_CACHED_IPV4 = 4096;

function formatIpv4(d: Uint8Array, p: number): string {
  const value = ((d[p] << 24) | (d[p + 1] << 16) | (d[p + 2] << 8) | d[p + 3]) >>> 0;
  let text = ipv4Text.get(value);
  if (text === undefined) {
    if (ipv4Text.size >= MAX_CACHED_IPV4) ipv4Text.clear();
    text = `${d[p]}.${d[p + 1]}.${d[p + 2]}.${d[p + 3]}`;
    ipv4Text.set(value, text);
  }
  return text;
}

/** RFC 5952 text form: lower case, leading zeros dropped, the longest run of zero groups as "::". */
export function formatIpv6(d: Uint8Array, p: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((d[p + 2 * i] << 8) | d[p + 2 * i + 1]);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Decodes the IP and TCP headers of the packet at data[offset...]; ipVersion 0 = read it from the header. */
export function decodeTcpSegment(data: Uint8Array, offset: number, ipVersion: 0 | 4 | 6): TcpSegment | DecodeFailure {
  if (offset >= data.length) return { skip: 'malformed', detail: 'no IP header' };
  const version = data[offset] >> 4;
  if (ipVersion !== 0 && version !== ipVersion) return { skip: 'malformed', detail: `link layer says IPv${ipVersion} but the header says version ${version}` };
  if (version === 4) return decodeIpv4(data, offset);
  if (version === 6) return decodeIpv6(data, offset);
  return { skip: 'not-ip', detail: `IP version ${version}` };
}

function decodeIpv4(d: Uint8Array, p: number): TcpSegment | DecodeFailure {
  if (p + 20 > d.length) return { skip: 'malformed', detail: 'IPv4 header cut short' };
  const ihl = (d[p] & 0x0f) * 4;
  const total = (d[p + 2] << 8) | d[p + 3];
  if (ihl < 20) return { skip: 'malformed', detail: `IPv4 header length ${ihl}` };
  if (p + ihl > d.length) return { skip: 'malformed', detail: 'IPv4 options cut short' };
  const flagsFrag = (d[p + 6] << 8) | d[p + 7];
  if (d[p + 9] !== PROTO_TCP) return { skip: 'not-tcp', detail: `IP protocol ${d[p + 9]}` };
  // More-fragments flag or a fragment offset: IP reassembly is not done (TCP over fragments is rare).
  if ((flagsFrag & 0x2000) !== 0 || (flagsFrag & 0x1fff) !== 0) return { skip: 'fragment', detail: 'IPv4 fragment' };
  // TSO captures show total length 0; then the captured bytes are all there is.
  const end = total === 0 ? d.length : p + total;
  if (end < p + ihl) return { skip: 'malformed', detail: `IPv4 total length ${total} below its header length ${ihl}` };
  return decodeTcp(d, p + ihl, end, 4, formatIpv4(d, p + 12), formatIpv4(d, p + 16));
}

function decodeIpv6(d: Uint8Array, p: number): TcpSegment | DecodeFailure {
  if (p + 40 > d.length) return { skip: 'malformed', detail: 'IPv6 header cut short' };
  const payloadLength = (d[p + 4] << 8) | d[p + 5];
  // Payload length 0 is a jumbogram (RFC 2675) or TSO: use the captured bytes.
  const end = payloadLength === 0 ? d.length : p + 40 + payloadLength;
  let next = d[p + 6];
  let q = p + 40;
  for (let n = 0; next !== PROTO_TCP; n++) {
    if (n >= MAX_IPV6_EXTENSIONS) return { skip: 'malformed', detail: 'too many IPv6 extension headers' };
    if (next === IPV6_NO_NEXT) return { skip: 'not-tcp', detail: 'IPv6 no next header' };
    if (q + 8 > Math.min(end, d.length)) return { skip: 'malformed', detail: 'IPv6 extension header cut short' };
    if (next === IPV6_FRAGMENT) {
      const fragment = (d[q + 2] << 8) | d[q + 3];
      if ((fragment & 0xfff9) !== 0) return { skip: 'fragment', detail: 'IPv6 fragment' };
      next = d[q];
      q += 8;
    } else if (next === IPV6_HOP_BY_HOP || next === IPV6_ROUTING || next === IPV6_DEST_OPTIONS) {
      next = d[q];
      q += (d[q + 1] + 1) * 8;
    } else if (next === IPV6_AH) {
      next = d[q];
      q += (d[q + 1] + 2) * 4;
    } else {
      return { skip: 'not-tcp', detail: `IPv6 next header ${next}` };
    }
  }
  return decodeTcp(d, q, end, 6, formatIpv6(d, p + 8), formatIpv6(d, p + 24));
}

function decodeTcp(d: Uint8Array, p: number, end: number, ipVersion: 4 | 6, srcAddr: string, dstAddr: string): TcpSegment | DecodeFailure {
  if (p + 20 > d.length) return { skip: 'malformed', detail: 'TCP header cut short' };
  const dataOffset = (d[p + 12] >> 4) * 4;
  if (dataOffset < 20) return { skip: 'malformed', detail: `TCP header length ${dataOffset}` };
  if (p + dataOffset > end) return { skip: 'malformed', detail: 'TCP header longer than the IP packet' };
  if (p + dataOffset > d.length) return { skip: 'malformed', detail: 'TCP options cut short' };
  const payloadStart = p + dataOffset;
  const capturedEnd = Math.min(end, d.length);
  return {
    ipVersion,
    srcAddr,
    dstAddr,
    srcPort: (d[p] << 8) | d[p + 1],
    dstPort: (d[p + 2] << 8) | d[p + 3],
    seq: ((d[p + 4] << 24) | (d[p + 5] << 16) | (d[p + 6] << 8) | d[p + 7]) >>> 0,
    ack: ((d[p + 8] << 24) | (d[p + 9] << 16) | (d[p + 10] << 8) | d[p + 11]) >>> 0,
    flags: d[p + 13],
    payload: d.subarray(payloadStart, capturedEnd),
    missing: end - capturedEnd,
  };
}

export function isTcpSegment(r: TcpSegment | DecodeFailure): r is TcpSegment {
  return (r as DecodeFailure).skip === undefined;
}
