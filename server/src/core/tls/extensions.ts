/**
 * Hello extensions: the list framing (RFC 8446 §4.2, RFC 5246 §7.4.1.4) and
 * decoders for the extensions that matter to the analyser. Unknown and GREASE
 * extensions are kept as data; one bad extension does not hide the next.
 */
import type { FieldNode, TlsExtension } from '../model/tls';
import type { ByteCursor } from './byteCursor';
import type { ParseContext } from './parseContext';
import { isGreaseAlpn } from './registry/grease';
import {
  EXT_ALPN,
  EXT_EC_POINT_FORMATS,
  EXT_KEY_SHARE,
  EXT_PSK_KEY_EXCHANGE_MODES,
  EXT_RENEGOTIATION_INFO,
  EXT_SERVER_NAME,
  EXT_SIGNATURE_ALGORITHMS,
  EXT_SIGNATURE_ALGORITHMS_CERT,
  EXT_SUPPORTED_GROUPS,
  EXT_SUPPORTED_VERSIONS,
  lookupExtensionType,
} from './registry/extensionTypes';
import type { RegistryEntry } from './registry/entry';
import { lookupEcPointFormat, lookupPskKeyExchangeMode, lookupSupportedGroup } from './registry/supportedGroups';
import { lookupSignatureScheme } from './registry/signatureSchemes';
import { describeVersion, lookupVersion } from './registry/versions';

/** Which hello the extensions belong to: their formats differ (RFC 8446 §4.2.1, §4.2.8). */
export type HelloKind = 'client' | 'server' | 'hello_retry_request';

export interface ExtensionsResult {
  readonly extensions: TlsExtension[];
  /** extensions_length and the extensions list, for the message's FieldNode. */
  readonly nodes: FieldNode[];
  /** True when the bytes ran out inside the extensions. */
  cut: boolean;
  serverName: string | null;
  supportedVersions: number[] | null;
  selectedVersion: number | null;
  alpn: string[] | null;
  supportedGroups: number[] | null;
  ecPointFormats: number[] | null;
  signatureAlgorithms: number[] | null;
}

type Lookup = (value: number) => RegistryEntry;

interface ListResult {
  readonly values: number[];
  readonly nodes: FieldNode[];
}

/**
 * Reads a vector of 1- or 2-byte items. An item size that does not divide the
 * vector length is malformed at the length field; the whole items are kept.
 */
export function readNumberList(
  c: ByteCursor,
  ctx: ParseContext,
  lengthBytes: 1 | 2,
  itemBytes: 1 | 2,
  listName: string,
  itemName: string,
  lookup: Lookup,
  itemKind: 'enum' | 'version' = 'enum',
): ListResult {
  const values: number[] = [];
  const nodes: FieldNode[] = [];
  const vec = c.vector(lengthBytes, listName);
  if (!vec) {
    ctx.settle(c);
    return { values, nodes };
  }
  nodes.push(ctx.node(`${listName}_length`, vec.lengthSpan.start, vec.lengthSpan.end, { value: vec.length, kind: 'length' }));
  const items: FieldNode[] = [];
  const body = vec.body;
  while (body.remaining >= itemBytes) {
    const at = body.pos;
    const v = itemBytes === 1 ? body.u8(itemName) : body.u16(itemName);
    if (v === undefined) break;
    values.push(v);
    const entry = itemKind === 'version' ? lookupVersion(v) : lookup(v);
    items.push(ctx.node(`${itemName}[${items.length}]`, at, body.pos, { value: v, display: entry.name, kind: itemKind }));
  }
  if (!body.failed && body.remaining > 0 && body.present > 0) {
    // A partial item: the vector length is not a multiple of the item size.
    ctx.malformed(`${listName} length ${vec.length} is ${itemBytes === 2 ? 'odd' : 'not a whole number of items'}`, vec.lengthSpan.start, vec.lengthSpan.end);
    const tail = body.skipPresent();
    items.push(ctx.node(`${itemName}[${items.length}]`, tail.start, tail.end, { value: ctx.hex(tail), display: 'partial item', kind: 'opaque' }));
  }
  nodes.push(ctx.node(listName, body.end - vec.length, body.presentEnd, { kind: 'list', children: items }));
  return { values, nodes };
}

export function parseExtensions(c: ByteCursor, ctx: ParseContext, hello: HelloKind): ExtensionsResult {
  const result: ExtensionsResult = {
    extensions: [],
    nodes: [],
    cut: false,
    serverName: null,
    supportedVersions: null,
    selectedVersion: null,
    alpn: null,
    supportedGroups: null,
    ecPointFormats: null,
    signatureAlgorithms: null,
  };
  const vec = c.vector(2, 'extensions');
  if (!vec) {
    result.cut = ctx.settle(c);
    return result;
  }
  result.nodes.push(ctx.node('extensions_length', vec.lengthSpan.start, vec.lengthSpan.end, { value: vec.length, kind: 'length' }));
  const list = vec.body;
  const entries: FieldNode[] = [];
  const seen = new Set<number>();
  while (!list.atEnd && !list.failed) {
    const extStart = list.pos;
    const type = list.u16('extension_type');
    if (type === undefined) break;
    const entry = lookupExtensionType(type);
    const typeNode = ctx.node('extension_type', extStart, list.pos, { value: type, display: entry.name, kind: 'enum' });
    const data = list.vector(2, `extension ${entry.name}`, true);
    if (!data) {
      entries.push(ctx.node(`extensions[${entries.length}]`, extStart, list.presentEnd, { display: entry.name, kind: 'container', children: [typeNode] }));
      break;
    }
    // RFC 8446 §4.2 and RFC 5246 §7.4.1.4: an extension type appears at most once per message.
    if (seen.has(type)) ctx.malformed(`extension ${entry.name} appears twice`, extStart, extStart + 2);
    seen.add(type);
    const children: FieldNode[] = [
      typeNode,
      ctx.node('extension_data_length', data.lengthSpan.start, data.lengthSpan.end, { value: data.length, kind: 'length' }),
    ];
    children.push(...decodeExtensionData(type, data.body, ctx, hello, result));
    data.body.finish();
    if (ctx.settle(data.body)) result.cut = true;
    const extEnd = data.body.end;
    const span = ctx.loc.span(extStart, extEnd);
    result.extensions.push({ type, name: entry.name, start: span.start, end: span.end });
    entries.push(ctx.node(`extensions[${entries.length}]`, extStart, extEnd, { display: entry.name, kind: 'container', children }));
  }
  list.finish();
  if (ctx.settle(list)) result.cut = true;
  result.nodes.push(ctx.node('extensions', vec.lengthSpan.end, list.presentEnd, { kind: 'list', children: entries }));
  return result;
}

function decodeExtensionData(type: number, d: ByteCursor, ctx: ParseContext, hello: HelloKind, out: ExtensionsResult): FieldNode[] {
  switch (type) {
    case EXT_SERVER_NAME:
      // RFC 6066 §3: the server's extension_data is empty.
      return d.remaining === 0 ? [] : decodeServerName(d, ctx, out);
    case EXT_SUPPORTED_VERSIONS:
      if (hello === 'client') {
        // RFC 8446 §4.2.1: ProtocolVersion versions<2..254>.
        const list = readNumberList(d, ctx, 1, 2, 'versions', 'versions', lookupVersion, 'version');
        out.supportedVersions = list.values;
        return list.nodes;
      } else {
        // RFC 8446 §4.2.1: the server sends the one selected_version.
        const at = d.pos;
        const v = d.u16('selected_version');
        if (v === undefined) return [];
        out.selectedVersion = v;
        return [ctx.node('selected_version', at, d.pos, { value: v, display: describeVersion(v), kind: 'version' })];
      }
    case EXT_ALPN:
      return decodeAlpn(d, ctx, out);
    case EXT_SUPPORTED_GROUPS: {
      // RFC 8446 §4.2.7: NamedGroup named_group_list<2..2^16-1>.
      const list = readNumberList(d, ctx, 2, 2, 'named_group_list', 'named_group_list', lookupSupportedGroup);
      out.supportedGroups = list.values;
      return list.nodes;
    }
    case EXT_EC_POINT_FORMATS: {
      // RFC 8422 §5.1.2: ECPointFormat ec_point_format_list<1..2^8-1>.
      const list = readNumberList(d, ctx, 1, 1, 'ec_point_format_list', 'ec_point_format_list', lookupEcPointFormat);
      out.ecPointFormats = list.values;
      return list.nodes;
    }
    case EXT_SIGNATURE_ALGORITHMS: {
      // RFC 8446 §4.2.3: SignatureScheme supported_signature_algorithms<2..2^16-2>.
      const list = readNumberList(d, ctx, 2, 2, 'supported_signature_algorithms', 'supported_signature_algorithms', lookupSignatureScheme);
      out.signatureAlgorithms = list.values;
      return list.nodes;
    }
    case EXT_SIGNATURE_ALGORITHMS_CERT:
      return readNumberList(d, ctx, 2, 2, 'supported_signature_algorithms', 'supported_signature_algorithms', lookupSignatureScheme).nodes;
    case EXT_PSK_KEY_EXCHANGE_MODES:
      // RFC 8446 §4.2.9: PskKeyExchangeMode ke_modes<1..255>.
      return readNumberList(d, ctx, 1, 1, 'ke_modes', 'ke_modes', lookupPskKeyExchangeMode).nodes;
    case EXT_KEY_SHARE:
      return decodeKeyShare(d, ctx, hello);
    case EXT_RENEGOTIATION_INFO: {
      // RFC 5746 §3.2: opaque renegotiated_connection<0..255>.
      const v = d.vector(1, 'renegotiated_connection');
      if (!v) return [];
      const body = v.body.skipPresent();
      return [
        ctx.node('renegotiated_connection_length', v.lengthSpan.start, v.lengthSpan.end, { value: v.length, kind: 'length' }),
        ctx.node('renegotiated_connection', body.start, body.end, { value: ctx.hex(body), kind: 'opaque' }),
      ];
    }
    default: {
      if (d.remaining === 0) return [];
      const body = d.skipPresent();
      return [ctx.node('extension_data', body.start, body.end, { value: ctx.hex(body), kind: 'opaque' })];
    }
  }
}

function decodeServerName(d: ByteCursor, ctx: ParseContext, out: ExtensionsResult): FieldNode[] {
  // RFC 6066 §3: ServerName server_name_list<1..2^16-1>; NameType 0 = host_name.
  const vec = d.vector(2, 'server_name_list');
  if (!vec) return [];
  const nodes: FieldNode[] = [ctx.node('server_name_list_length', vec.lengthSpan.start, vec.lengthSpan.end, { value: vec.length, kind: 'length' })];
  const items: FieldNode[] = [];
  const list = vec.body;
  while (!list.atEnd && !list.failed) {
    const at = list.pos;
    const nameType = list.u8('name_type');
    if (nameType === undefined) break;
    const children: FieldNode[] = [ctx.node('name_type', at, at + 1, { value: nameType, display: nameType === 0 ? 'host_name' : `unknown (${nameType})`, kind: 'enum' })];
    const name = list.vector(2, 'HostName');
    if (name) {
      const span = name.body.skipPresent();
      const host = ctx.text(span);
      if (nameType === 0 && out.serverName === null) out.serverName = host;
      children.push(ctx.node('host_name_length', name.lengthSpan.start, name.lengthSpan.end, { value: name.length, kind: 'length' }));
      children.push(ctx.node('host_name', span.start, span.end, { value: host, kind: 'opaque' }));
    }
    items.push(ctx.node(`server_name_list[${items.length}]`, at, list.presentEnd > at ? Math.min(list.pos, list.presentEnd) : at, { kind: 'container', children }));
  }
  nodes.push(ctx.node('server_name_list', vec.lengthSpan.end, list.presentEnd, { kind: 'list', children: items }));
  return nodes;
}

function decodeAlpn(d: ByteCursor, ctx: ParseContext, out: ExtensionsResult): FieldNode[] {
  // RFC 7301 §3.1: ProtocolName protocol_name_list<2..2^16-1>; ProtocolName is opaque<1..2^8-1>.
  const vec = d.vector(2, 'protocol_name_list');
  if (!vec) return [];
  const names: string[] = [];
  const nodes: FieldNode[] = [ctx.node('protocol_name_list_length', vec.lengthSpan.start, vec.lengthSpan.end, { value: vec.length, kind: 'length' })];
  const items: FieldNode[] = [];
  const list = vec.body;
  while (!list.atEnd && !list.failed) {
    const at = list.pos;
    const name = list.vector(1, 'ProtocolName');
    if (!name) break;
    if (name.length === 0) ctx.malformed('ProtocolName is empty (RFC 7301 requires 1 to 255 bytes)', name.lengthSpan.start, name.lengthSpan.end);
    const span = name.body.skipPresent();
    const id = ctx.text(span);
    names.push(id);
    const grease = isGreaseAlpn(ctx.data.subarray(span.start, span.end));
    items.push(ctx.node(`protocol_name_list[${items.length}]`, at, span.end, { value: id, display: grease ? 'GREASE' : id, kind: 'opaque' }));
  }
  out.alpn = names;
  nodes.push(ctx.node('protocol_name_list', vec.lengthSpan.end, list.presentEnd, { kind: 'list', children: items }));
  return nodes;
}

function decodeKeyShare(d: ByteCursor, ctx: ParseContext, hello: HelloKind): FieldNode[] {
  const readEntry = (c: ByteCursor, name: string): FieldNode | null => {
    const at = c.pos;
    const group = c.u16('group');
    if (group === undefined) return null;
    const children = [ctx.node('group', at, at + 2, { value: group, display: lookupSupportedGroup(group).name, kind: 'enum' })];
    const key = c.vector(2, 'key_exchange');
    if (key) {
      const span = key.body.skipPresent();
      children.push(ctx.node('key_exchange_length', key.lengthSpan.start, key.lengthSpan.end, { value: key.length, kind: 'length' }));
      children.push(ctx.node('key_exchange', span.start, span.end, { value: ctx.hex(span), kind: 'opaque' }));
    }
    return ctx.node(name, at, Math.min(c.pos, c.presentEnd), { display: lookupSupportedGroup(group).name, kind: 'container', children });
  };
  if (hello === 'hello_retry_request') {
    // RFC 8446 §4.2.8: KeyShareHelloRetryRequest carries only selected_group.
    const at = d.pos;
    const group = d.u16('selected_group');
    if (group === undefined) return [];
    return [ctx.node('selected_group', at, d.pos, { value: group, display: lookupSupportedGroup(group).name, kind: 'enum' })];
  }
  if (hello === 'server') {
    // RFC 8446 §4.2.8: KeyShareServerHello is one KeyShareEntry.
    const entry = readEntry(d, 'server_share');
    return entry ? [entry] : [];
  }
  // RFC 8446 §4.2.8: KeyShareEntry client_shares<0..2^16-1>.
  const vec = d.vector(2, 'client_shares');
  if (!vec) return [];
  const items: FieldNode[] = [];
  while (!vec.body.atEnd && !vec.body.failed) {
    const entry = readEntry(vec.body, `client_shares[${items.length}]`);
    if (!entry) break;
    items.push(entry);
  }
  return [
    ctx.node('client_shares_length', vec.lengthSpan.start, vec.lengthSpan.end, { value: vec.length, kind: 'length' }),
    ctx.node('client_shares', vec.lengthSpan.end, vec.body.presentEnd, { kind: 'list', children: items }),
  ];
}
