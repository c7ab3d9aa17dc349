/**
 * Link layers: where the IP packet starts inside a captured frame.
 * LINKTYPE values from https://www.tcpdump.org/linktypes.html.
 */

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
/** DLT_RAW as written by some systems (12 on most, 14 on OpenBSD) instead of LINKTYPE_RAW. */
export const DLT_RAW_12 = 12;
export const DLT_RAW_14 = 14;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
/** 802.1Q, 802.1ad (QinQ outer tag) and the pre-standard QinQ 0x9100. */
const VLAN_ETHERTYPES = new Set([0x8100, 0x88a8, 0x9100]);
const MAX_VLAN_TAGS = 4;

const LINK_NAMES: Readonly<Record<number, string>> = {
  [LINKTYPE_NULL]: 'BSD loopback (NULL)',
  [LINKTYPE_ETHERNET]: 'Ethernet',
  [DLT_RAW_12]: 'raw IP',
  [DLT_RAW_14]: 'raw IP',
  [LINKTYPE_RAW]: 'raw IP',
  [LINKTYPE_LOOP]: 'OpenBSD loopback (LOOP)',
  [LINKTYPE_LINUX_SLL]: 'Linux cooked (SLL)',
  [LINKTYPE_IPV4]: 'raw IPv4',
  [LINKTYPE_IPV6]: 'raw IPv6',
  [LINKTYPE_LINUX_SLL2]: 'Linux cooked v2 (SLL2)',
};

export function describeLinkType(linkType: number): string {
  const name = LINK_NAMES[linkType];
  return name ? `${name} (${linkType})` : `link type ${linkType}`;
}

export function isSupportedLinkType(linkType: number): boolean {
  return LINK_NAMES[linkType] !== undefined;
}

/** Where the IP header starts and which IP version the link layer announced (0: look at the header). */
export interface NetworkStart {
  readonly offset: number;
  readonly ipVersion: 0 | 4 | 6;
}

/** Follows an ethertype through VLAN tags (4 bytes each) to IPv4/IPv6; null for anything else. */
function followEthertype(data: Uint8Array, typeAt: number): NetworkStart | null {
  let p = typeAt;
  for (let tags = 0; tags <= MAX_VLAN_TAGS; tags++) {
    if (p + 2 > data.length) return null;
    const type = (data[p] << 8) | data[p + 1];
    if (type === ETHERTYPE_IPV4) return { offset: p + 2, ipVersion: 4 };
    if (type === ETHERTYPE_IPV6) return { offset: p + 2, ipVersion: 6 };
    if (!VLAN_ETHERTYPES.has(type)) return null;
    // Tag control information (2 bytes), then the next ethertype.
    p += 4;
  }
  return null;
}

/** Locates the IP packet in a frame of the given link type; null when it carries no IP (ARP, LLC, ...). */
export function locateNetworkLayer(linkType: number, data: Uint8Array): NetworkStart | null {
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      // Destination and source MAC (6 + 6), then the ethertype.
      return followEthertype(data, 12);
    case LINKTYPE_LINUX_SLL:
      // Packet type, ARPHRD type, address length, 8 address bytes, then the protocol (offset 14).
      return followEthertype(data, 14);
    case LINKTYPE_LINUX_SLL2:
      // Protocol first, then reserved, interface index, ARPHRD type, packet type, address length, address: 20 bytes.
      if (data.length < 20) return null;
      if (((data[0] << 8) | data[1]) === ETHERTYPE_IPV4) return { offset: 20, ipVersion: 4 };
      if (((data[0] << 8) | data[1]) === ETHERTYPE_IPV6) return { offset: 20, ipVersion: 6 };
      return null;
    case LINKTYPE_RAW:
    case DLT_RAW_12:
    case DLT_RAW_14:
      return { offset: 0, ipVersion: 0 };
    case LINKTYPE_IPV4:
      return { offset: 0, ipVersion: 4 };
    case LINKTYPE_IPV6:
      return { offset: 0, ipVersion: 6 };
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
      // A 4-byte address family: host byte order of the capturing machine for NULL, network order for LOOP.
      // Its values differ between systems (AF_INET6 is 10, 24, 28 or 30), so the IP header itself decides.
      return data.length >= 4 ? { offset: 4, ipVersion: 0 } : null;
    default:
      return null;
  }
}
