/**
 * Hello extensions: the list framing (RFC 8446 §4.2, RFC 5246 §7.4.1.4) and
 * decoders for the extensions that matter to the analyser. Unknown and GREASE
 * extensions are kept as data; one bad extension does not hide the next.
 */
import type { FieldNode, TlsExtension } from '../model/tls';
import type { ByteCursor } from './byteCursor';
import { FieldReader } from './fieldReader';
import { describeCompressionAlgorithm, readCertificateStatusBody } from './certificateStatus';
import type { ParseContext } from './parseContext';
import { isGrease16, isGreaseAlpn } from './registry/grease';
import {
  EXT_ALPN,
  EXT_COMPRESS_CERTIFICATE,
  EXT_COOKIE,
  EXT_EARLY_DATA,
  EXT_EC_POINT_FORMATS,
  EXT_ENCRYPT_THEN_MAC,
  EXT_ENCRYPTED_CLIENT_HELLO,
  EXT_EXTENDED_MASTER_SECRET,
  EXT_HEARTBEAT,
  EXT_MAX_FRAGMENT_LENGTH,
  EXT_PADDING,
  EXT_POST_HANDSHAKE_AUTH,
  EXT_PRE_SHARED_KEY,
  EXT_RECORD_SIZE_LIMIT,
  EXT_SESSION_TICKET,
  EXT_SIGNED_CERTIFICATE_TIMESTAMP,
  EXT_STATUS_REQUEST,
  EXT_STATUS_REQUEST_V2,
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
import { indexedName } from './indexedName';

/**
 * Which message the extensions belong to: their formats differ (RFC 8446 §4.2
 * table: CH, SH, HRR, EE, CT, CR, NST).
 */
export type HelloKind = 'client' | 'server' | 'hello_retry_request' | 'encrypted_extensions' | 'certificate' | 'certificate_request' | 'new_session_ticket';

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
    items.push(ctx.node(indexedName(itemName, items.length), at, body.pos, { value: v, display: entry.name, kind: itemKind }));
  }
  if (!body.failed && body.remaining > 0 && body.present > 0) {
    // A partial item: the vector length is not a multiple of the item size.
    ctx.malformed(`${listName} length ${vec.length} is ${itemBytes === 2 ? 'odd' : 'not a whole number of items'}`, vec.lengthSpan.start, vec.lengthSpan.end);
    const tail = body.skipPresent();
    items.push(ctx.node(indexedName(itemName, items.length), tail.start, tail.end, { value: ctx.hex(tail), display: 'partial item', kind: 'opaque' }));
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
      entries.push(ctx.node(indexedName('extensions', entries.length), extStart, list.presentEnd, { display: entry.name, kind: 'container', children: [typeNode] }));
      break;
    }
    // RFC 8446 §4.2 and RFC 5246 §7.4.1.4: an extension type appears at most once per message.
    if (seen.has(type)) ctx.malformed(`extension ${entry.name} appears twice`, extStart, extStart + 2);
    seen.add(type);
    const children: FieldNode[] = [
      typeNode,
      ctx.node('extension_data_length', data.lengthSpan.start, data.lengthSpan.end, { value: data.length, kind: 'length' }),
    ];
    const decoded = decodeExtensionData(type, data.body, ctx, hello, result);
    children.push(...decoded.nodes);
    data.body.finish();
    // Decoders that skip what is present do not notice a cut inside the extension: the bounds do.
    if (ctx.settle(data.body) || data.body.end > data.body.available) result.cut = true;
    const extEnd = data.body.end;
    const span = ctx.loc.span(extStart, extEnd);
    result.extensions.push({ type, name: entry.name, start: span.start, end: span.end, ...(decoded.details ? { details: decoded.details } : {}) });
    entries.push(ctx.node(indexedName('extensions', entries.length), extStart, extEnd, { display: entry.name, kind: 'container', children }));
  }
  list.finish();
  if (ctx.settle(list)) result.cut = true;
  result.nodes.push(ctx.node('extensions', vec.lengthSpan.end, list.presentEnd, { kind: 'list', children: entries }));
  return result;
}

/** What one extension decoder returns: its FieldNodes and its typed facts for JSON. */
interface DecodedExtension {
  readonly nodes: FieldNode[];
  readonly details?: Record<string, unknown>;
}

const only = (nodes: FieldNode[], details?: Record<string, unknown>): DecodedExtension => ({ nodes, ...(details ? { details } : {}) });

function decodeExtensionData(type: number, d: ByteCursor, ctx: ParseContext, hello: HelloKind, out: ExtensionsResult): DecodedExtension {
  switch (type) {
    case EXT_SERVER_NAME: {
      // RFC 6066 §3: the server's extension_data is empty.
      if (d.remaining === 0) return only([]);
      const names: string[] = [];
      const nodes = decodeServerName(d, ctx, out, names);
      return only(nodes, { hostNames: names });
    }
    case EXT_SUPPORTED_VERSIONS:
      if (hello === 'client') {
        // RFC 8446 §4.2.1: ProtocolVersion versions<2..254>.
        const list = readNumberList(d, ctx, 1, 2, 'versions', 'versions', lookupVersion, 'version');
        out.supportedVersions = list.values;
        return only(list.nodes, { versions: list.values });
      } else {
        // RFC 8446 §4.2.1: the server sends the one selected_version.
        const at = d.pos;
        const v = d.u16('selected_version');
        if (v === undefined) return only([]);
        out.selectedVersion = v;
        return only([ctx.node('selected_version', at, d.pos, { value: v, display: describeVersion(v), kind: 'version' })], { selectedVersion: v });
      }
    case EXT_ALPN: {
      const nodes = decodeAlpn(d, ctx, out);
      return only(nodes, { protocols: [...(out.alpn ?? [])] });
    }
    case EXT_SUPPORTED_GROUPS: {
      // RFC 8446 §4.2.7: NamedGroup named_group_list<2..2^16-1>.
      const list = readNumberList(d, ctx, 2, 2, 'named_group_list', 'named_group_list', lookupSupportedGroup);
      out.supportedGroups = list.values;
      return only(list.nodes, { groups: list.values });
    }
    case EXT_EC_POINT_FORMATS: {
      // RFC 8422 §5.1.2: ECPointFormat ec_point_format_list<1..2^8-1>.
      const list = readNumberList(d, ctx, 1, 1, 'ec_point_format_list', 'ec_point_format_list', lookupEcPointFormat);
      out.ecPointFormats = list.values;
      return only(list.nodes, { formats: list.values });
    }
    case EXT_SIGNATURE_ALGORITHMS: {
      // RFC 8446 §4.2.3: SignatureScheme supported_signature_algorithms<2..2^16-2>.
      const list = readNumberList(d, ctx, 2, 2, 'supported_signature_algorithms', 'supported_signature_algorithms', lookupSignatureScheme);
      out.signatureAlgorithms = list.values;
      return only(list.nodes, { schemes: list.values });
    }
    case EXT_SIGNATURE_ALGORITHMS_CERT: {
      const list = readNumberList(d, ctx, 2, 2, 'supported_signature_algorithms', 'supported_signature_algorithms', lookupSignatureScheme);
      return only(list.nodes, { schemes: list.values });
    }
    case EXT_PSK_KEY_EXCHANGE_MODES: {
      // RFC 8446 §4.2.9: PskKeyExchangeMode ke_modes<1..255>.
      const list = readNumberList(d, ctx, 1, 1, 'ke_modes', 'ke_modes', lookupPskKeyExchangeMode);
      return only(list.nodes, { modes: list.values });
    }
    case EXT_KEY_SHARE:
      return decodeKeyShare(d, ctx, hello);
    case EXT_RENEGOTIATION_INFO: {
      // RFC 5746 §3.2: opaque renegotiated_connection<0..255>.
      const r = new FieldReader(d, ctx);
      const v = r.readOpaque(1, 'renegotiated_connection');
      return only(r.nodes, v ? { renegotiatedConnection: v.hex } : undefined);
    }
    case EXT_STATUS_REQUEST:
      return decodeStatusRequest(d, ctx, hello);
    case EXT_STATUS_REQUEST_V2:
      return decodeStatusRequestV2(d, ctx);
    case EXT_SIGNED_CERTIFICATE_TIMESTAMP:
      return decodeSignedCertificateTimestamps(d, ctx);
    case EXT_MAX_FRAGMENT_LENGTH: {
      // RFC 6066 §4: enum { 2^9(1), 2^10(2), 2^11(3), 2^12(4) } MaxFragmentLength.
      const r = new FieldReader(d, ctx);
      const v = r.readU8('max_fragment_length', (x) => (x >= 1 && x <= 4 ? `2^${8 + x}` : `unknown (${x})`));
      return only(r.nodes, v !== undefined ? { maxFragmentLength: v >= 1 && v <= 4 ? 1 << (8 + v) : null, code: v } : undefined);
    }
    case EXT_HEARTBEAT: {
      // RFC 6520 §2: HeartbeatMode mode; 1 peer_allowed_to_send, 2 peer_not_allowed_to_send.
      const r = new FieldReader(d, ctx);
      const describe = (x: number): string => (x === 1 ? 'peer_allowed_to_send' : x === 2 ? 'peer_not_allowed_to_send' : `unknown (${x})`);
      const v = r.readU8('mode', describe);
      return only(r.nodes, v !== undefined ? { mode: describe(v) } : undefined);
    }
    case EXT_PADDING: {
      // RFC 7685 §3: zero bytes; the content is not checked by the receiver.
      const r = new FieldReader(d, ctx);
      const rest = r.readRest('padding');
      let zeros = true;
      for (let i = rest.span.start; i < rest.span.end; i++) if (ctx.data[i] !== 0) zeros = false;
      return only(r.nodes, { paddingLength: rest.length, allZero: zeros });
    }
    case EXT_ENCRYPT_THEN_MAC:
    case EXT_EXTENDED_MASTER_SECRET:
    case EXT_POST_HANDSHAKE_AUTH:
      // RFC 7366 §2, RFC 7627 §5.1, RFC 8446 §4.2.6: extension_data is empty.
      return decodeEmpty(d, ctx, lookupExtensionType(type).name);
    case EXT_EARLY_DATA: {
      // RFC 8446 §4.2.10: empty in ClientHello and EncryptedExtensions; uint32 max_early_data_size in NewSessionTicket.
      if (hello !== 'new_session_ticket') return decodeEmpty(d, ctx, 'early_data');
      const r = new FieldReader(d, ctx);
      const v = r.readU32('max_early_data_size', (x) => `${x} bytes`);
      return only(r.nodes, v !== undefined ? { maxEarlyDataSize: v } : undefined);
    }
    case EXT_COOKIE: {
      // RFC 8446 §4.2.2: opaque cookie<1..2^16-1>.
      const r = new FieldReader(d, ctx);
      const v = r.readOpaque(2, 'cookie');
      return only(r.nodes, v ? { cookieLength: v.length } : undefined);
    }
    case EXT_SESSION_TICKET: {
      // RFC 5077 §3.2: the ticket, or empty to ask for one.
      const r = new FieldReader(d, ctx);
      const v = r.readRest('ticket');
      return only(r.nodes, { ticketLength: v.length });
    }
    case EXT_RECORD_SIZE_LIMIT: {
      // RFC 8449 §4: uint16 RecordSizeLimit, at least 64.
      const r = new FieldReader(d, ctx);
      const v = r.readU16('record_size_limit', (x) => (x < 64 ? `${x} (below the minimum 64)` : `${x} bytes`), 'length');
      return only(r.nodes, v !== undefined ? { recordSizeLimit: v } : undefined);
    }
    case EXT_COMPRESS_CERTIFICATE: {
      // RFC 8879 §3: CertificateCompressionAlgorithm algorithms<2..2^8-2>.
      const describe = (x: number): RegistryEntry => ({ value: x, name: describeCompressionAlgorithm(x), known: x >= 1 && x <= 3, iana: x >= 1 && x <= 3, grease: isGrease16(x) });
      const list = readNumberList(d, ctx, 1, 2, 'algorithms', 'algorithms', describe);
      return only(list.nodes, { algorithms: list.values });
    }
    case EXT_PRE_SHARED_KEY:
      return decodePreSharedKey(d, ctx, hello);
    case EXT_ENCRYPTED_CLIENT_HELLO:
      return decodeEncryptedClientHello(d, ctx, hello);
    default: {
      if (d.remaining === 0) return only([]);
      const body = d.skipPresent();
      return only([ctx.node('extension_data', body.start, body.end, { value: ctx.hex(body), kind: 'opaque' })], { data: ctx.hex(body) });
    }
  }
}

function decodeEmpty(d: ByteCursor, ctx: ParseContext, name: string): DecodedExtension {
  if (d.remaining === 0) return only([]);
  const at = d.pos;
  const body = d.skipPresent();
  // Reported at extension_data_length, the field that declares bytes where there must be none.
  const where = d.lengthField ?? { start: at, end: Math.max(at + 1, body.end) };
  ctx.malformed(`${name} extension_data must be empty but has ${d.end - at} bytes`, where.start, where.end);
  return only([ctx.node('extension_data', body.start, body.end, { value: ctx.hex(body), kind: 'opaque' })]);
}

function decodeStatusRequest(d: ByteCursor, ctx: ParseContext, hello: HelloKind): DecodedExtension {
  // RFC 6066 §8: empty in ServerHello; RFC 8446 §4.4.2.1: empty in CertificateRequest, a
  // CertificateStatus in a certificate entry; RFC 6066 §8: a CertificateStatusRequest in ClientHello.
  if (d.remaining === 0) {
    if ((hello === 'certificate' || hello === 'client') && d.lengthField) {
      const what = hello === 'certificate' ? 'a CertificateStatus (RFC 8446 §4.4.2.1: status_type and an OCSPResponse)' : 'a CertificateStatusRequest (RFC 6066 §8)';
      ctx.malformed(`status_request extension_data is empty; in ${hello === 'certificate' ? 'a certificate entry' : 'ClientHello'} it carries ${what}`, d.lengthField.start, d.lengthField.end);
    }
    return only([]);
  }
  const r = new FieldReader(d, ctx);
  if (hello === 'certificate') return only(r.nodes, readCertificateStatusBody(r));
  // RFC 6066 §8: CertificateStatusRequest: status_type, then OCSPStatusRequest (responder_id_list<0..2^16-1>, request_extensions<0..2^16-1>).
  const details: Record<string, unknown> = {};
  const type = r.readU8('status_type', (x) => (x === 1 ? 'ocsp' : `unknown (${x})`));
  if (type === undefined) return only(r.nodes, details);
  details.statusType = type === 1 ? 'ocsp' : type;
  if (type === 1) {
    const ids = r.readOpaque(2, 'responder_id_list');
    if (ids) details.responderIdListLength = ids.length;
    const ext = ids ? r.readOpaque(2, 'request_extensions') : undefined;
    if (ext) details.requestExtensionsLength = ext.length;
  } else {
    r.readRest('request');
  }
  return only(r.nodes, details);
}

function decodeStatusRequestV2(d: ByteCursor, ctx: ParseContext): DecodedExtension {
  // RFC 6961 §2.2: CertificateStatusRequestItemV2 certificate_status_req_list<1..2^16-1>; each: status_type, request<2>.
  if (d.remaining === 0) return only([]);
  const r = new FieldReader(d, ctx);
  const list = r.readOpaque(2, 'certificate_status_req_list', { structured: true });
  if (!list) return only(r.nodes);
  const items: FieldNode[] = [];
  const types: number[] = [];
  const lc = list.body;
  while (!lc.atEnd && !lc.failed) {
    const at = lc.pos;
    const ir = new FieldReader(lc, ctx);
    const t = ir.readU8('status_type', (x) => (x === 1 ? 'ocsp' : x === 2 ? 'ocsp_multi' : `unknown (${x})`));
    if (t === undefined) break;
    types.push(t);
    ir.readOpaque(2, 'request');
    items.push(ctx.node(indexedName('certificate_status_req_list', items.length), at, Math.min(lc.pos, lc.presentEnd), { kind: 'container', children: ir.nodes }));
  }
  lc.finish();
  ctx.settle(lc);
  r.add(ctx.node('certificate_status_req_list', list.span.start, list.span.end, { kind: 'list', children: items }));
  return only(r.nodes, { statusTypes: types });
}

function decodeSignedCertificateTimestamps(d: ByteCursor, ctx: ParseContext): DecodedExtension {
  // RFC 6962 §3.3: empty in ClientHello; SerializedSCT sct_list<1..2^16-1>, SerializedSCT opaque<1..2^16-1>.
  if (d.remaining === 0) return only([]);
  const r = new FieldReader(d, ctx);
  const list = r.readOpaque(2, 'signed_certificate_timestamp_list', { structured: true });
  if (!list) return only(r.nodes);
  const items: FieldNode[] = [];
  const scts: Record<string, unknown>[] = [];
  const lc = list.body;
  while (!lc.atEnd && !lc.failed) {
    const at = lc.pos;
    const sct = lc.vector(2, 'SerializedSCT');
    if (!sct) break;
    // RFC 6962 §3.2: sct_version(1) log_id(32) timestamp(8) extensions<0..2^16-1> digitally-signed.
    const sr = new FieldReader(sct.body, ctx);
    const fact: Record<string, unknown> = { length: sct.length };
    const version = sr.readU8('sct_version', (x) => (x === 0 ? 'v1' : `unknown (${x})`));
    if (version !== undefined) {
      fact.version = version;
      const logId = sr.readFixed(32, 'log_id');
      if (logId !== undefined) {
        fact.logId = logId;
        const tAt = sct.body.pos;
        const t = sct.body.take(8, 'timestamp');
        if (t) {
          const d8 = ctx.data;
          let ms = 0;
          for (let i = t.start; i < t.end; i++) ms = ms * 256 + d8[i];
          fact.timestamp = ms;
          const iso = Number.isSafeInteger(ms) && ms < 8.64e15 ? new Date(ms).toISOString() : String(ms);
          sr.add(ctx.node('timestamp', tAt, t.end, { value: ms, display: iso, kind: 'enum' }));
        }
      }
    }
    sct.body.skipPresent();
    items.push(ctx.node(indexedName('signed_certificate_timestamp_list', items.length), at, sct.body.presentEnd, { kind: 'container', children: [ctx.node('sct_length', sct.lengthSpan.start, sct.lengthSpan.end, { value: sct.length, kind: 'length' }), ...sr.nodes] }));
    scts.push(fact);
  }
  lc.finish();
  ctx.settle(lc);
  r.add(ctx.node('signed_certificate_timestamp_list', list.span.start, list.span.end, { kind: 'list', children: items }));
  return only(r.nodes, { scts });
}

function decodePreSharedKey(d: ByteCursor, ctx: ParseContext, hello: HelloKind): DecodedExtension {
  const r = new FieldReader(d, ctx);
  if (hello !== 'client') {
    // RFC 8446 §4.2.11: the server's uint16 selected_identity.
    const v = r.readU16('selected_identity', undefined, 'enum');
    return only(r.nodes, v !== undefined ? { selectedIdentity: v } : undefined);
  }
  // RFC 8446 §4.2.11: OfferedPsks: PskIdentity identities<7..2^16-1>, PskBinderEntry binders<33..2^16-1>.
  const details: Record<string, unknown> = {};
  const ids = r.readOpaque(2, 'identities', { structured: true });
  if (!ids) return only(r.nodes, details);
  const identities: Record<string, unknown>[] = [];
  const idNodes: FieldNode[] = [];
  const ic = ids.body;
  while (!ic.atEnd && !ic.failed) {
    const at = ic.pos;
    const ir = new FieldReader(ic, ctx);
    const id = ir.readOpaque(2, 'identity');
    if (!id) break;
    const age = ir.readU32('obfuscated_ticket_age');
    identities.push({ identityLength: id.length, ...(age !== undefined ? { obfuscatedTicketAge: age } : {}) });
    idNodes.push(ctx.node(indexedName('identities', idNodes.length), at, Math.min(ic.pos, ic.presentEnd), { kind: 'container', children: ir.nodes }));
  }
  ic.finish();
  ctx.settle(ic);
  r.add(ctx.node('identities', ids.span.start, ids.span.end, { kind: 'list', children: idNodes }));
  details.identities = identities;
  const binders = r.readOpaque(2, 'binders', { structured: true });
  if (!binders) return only(r.nodes, details);
  const lengths: number[] = [];
  const bNodes: FieldNode[] = [];
  const bc = binders.body;
  while (!bc.atEnd && !bc.failed) {
    const at = bc.pos;
    const br = new FieldReader(bc, ctx);
    const b = br.readOpaque(1, 'binder');
    if (!b) break;
    lengths.push(b.length);
    bNodes.push(ctx.node(indexedName('binders', bNodes.length), at, Math.min(bc.pos, bc.presentEnd), { kind: 'container', children: br.nodes }));
  }
  bc.finish();
  ctx.settle(bc);
  r.add(ctx.node('binders', binders.span.start, binders.span.end, { kind: 'list', children: bNodes }));
  details.binderLengths = lengths;
  return only(r.nodes, details);
}

function decodeEncryptedClientHello(d: ByteCursor, ctx: ParseContext, hello: HelloKind): DecodedExtension {
  const r = new FieldReader(d, ctx);
  if (hello === 'hello_retry_request') {
    // draft-ietf-tls-esni §7.2.1: 8 bytes of confirmation.
    const v = r.readFixed(8, 'confirmation');
    return only(r.nodes, v !== undefined ? { confirmation: v } : undefined);
  }
  if (hello !== 'client') {
    // draft-ietf-tls-esni §5: retry_configs (an ECHConfigList), kept as data.
    const v = r.readRest('retry_configs');
    return only(r.nodes, { retryConfigsLength: v.length });
  }
  // draft-ietf-tls-esni §5: ECHClientHelloType type; outer(0): cipher_suite, config_id, enc<0..2^16-1>, payload<1..2^16-1>; inner(1): empty.
  const describe = (x: number): string => (x === 0 ? 'outer' : x === 1 ? 'inner' : `unknown (${x})`);
  const type = r.readU8('type', describe);
  if (type === undefined) return only(r.nodes);
  const details: Record<string, unknown> = { echType: describe(type) };
  if (type === 0) {
    const kdf = r.readU16('kdf_id', (x) => (x === 1 ? 'HKDF-SHA256' : x === 2 ? 'HKDF-SHA384' : x === 3 ? 'HKDF-SHA512' : `unknown (${x})`));
    const aead = kdf !== undefined ? r.readU16('aead_id', (x) => (x === 1 ? 'AES-128-GCM' : x === 2 ? 'AES-256-GCM' : x === 3 ? 'ChaCha20Poly1305' : `unknown (${x})`)) : undefined;
    const configId = aead !== undefined ? r.readU8('config_id', (x) => String(x)) : undefined;
    const enc = configId !== undefined ? r.readOpaque(2, 'enc') : undefined;
    const payload = enc ? r.readOpaque(2, 'payload') : undefined;
    Object.assign(details, {
      ...(kdf !== undefined ? { kdfId: kdf } : {}),
      ...(aead !== undefined ? { aeadId: aead } : {}),
      ...(configId !== undefined ? { configId } : {}),
      ...(enc ? { encLength: enc.length } : {}),
      ...(payload ? { payloadLength: payload.length } : {}),
    });
  } else if (type !== 1) {
    r.readRest('data');
  }
  return only(r.nodes, details);
}

function decodeServerName(d: ByteCursor, ctx: ParseContext, out: ExtensionsResult, names: string[]): FieldNode[] {
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
      if (nameType === 0) names.push(host);
      children.push(ctx.node('host_name_length', name.lengthSpan.start, name.lengthSpan.end, { value: name.length, kind: 'length' }));
      children.push(ctx.node('host_name', span.start, span.end, { value: host, kind: 'opaque' }));
    }
    items.push(ctx.node(indexedName('server_name_list', items.length), at, list.presentEnd > at ? Math.min(list.pos, list.presentEnd) : at, { kind: 'container', children }));
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
    items.push(ctx.node(indexedName('protocol_name_list', items.length), at, span.end, { value: id, display: grease ? 'GREASE' : id, kind: 'opaque' }));
  }
  out.alpn = names;
  nodes.push(ctx.node('protocol_name_list', vec.lengthSpan.end, list.presentEnd, { kind: 'list', children: items }));
  return nodes;
}

function decodeKeyShare(d: ByteCursor, ctx: ParseContext, hello: HelloKind): DecodedExtension {
  const shares: { group: number; keyExchangeLength: number }[] = [];
  const readEntry = (c: ByteCursor, name: string): FieldNode | null => {
    const at = c.pos;
    const group = c.u16('group');
    if (group === undefined) return null;
    const children = [ctx.node('group', at, at + 2, { value: group, display: lookupSupportedGroup(group).name, kind: 'enum' })];
    const key = c.vector(2, 'key_exchange');
    if (key) {
      shares.push({ group, keyExchangeLength: key.length });
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
    if (group === undefined) return only([]);
    return only([ctx.node('selected_group', at, d.pos, { value: group, display: lookupSupportedGroup(group).name, kind: 'enum' })], { selectedGroup: group });
  }
  if (hello === 'server') {
    // RFC 8446 §4.2.8: KeyShareServerHello is one KeyShareEntry.
    const entry = readEntry(d, 'server_share');
    return only(entry ? [entry] : [], shares.length > 0 ? { serverShare: shares[0] } : undefined);
  }
  // RFC 8446 §4.2.8: KeyShareEntry client_shares<0..2^16-1>.
  const vec = d.vector(2, 'client_shares');
  if (!vec) return only([]);
  const items: FieldNode[] = [];
  while (!vec.body.atEnd && !vec.body.failed) {
    const entry = readEntry(vec.body, indexedName('client_shares', items.length));
    if (!entry) break;
    items.push(entry);
  }
  return only(
    [
      ctx.node('client_shares_length', vec.lengthSpan.start, vec.lengthSpan.end, { value: vec.length, kind: 'length' }),
      ctx.node('client_shares', vec.lengthSpan.end, vec.body.presentEnd, { kind: 'list', children: items }),
    ],
    { clientShares: shares },
  );
}
