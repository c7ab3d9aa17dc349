/**
 * The remaining handshake messages: HelloRequest, ServerHelloDone,
 * EndOfEarlyData (empty), NewSessionTicket (RFC 5077 §3.3, RFC 8446 §4.6.1),
 * CertificateRequest (RFC 5246 §7.4.4, RFC 8446 §4.3.2), EncryptedExtensions
 * (RFC 8446 §4.3.1), Finished (RFC 5246 §7.4.9, RFC 8446 §4.4.4),
 * CertificateStatus (RFC 6066 §8), KeyUpdate (RFC 8446 §4.6.3),
 * CompressedCertificate (RFC 8879 §4).
 */
import type { FieldNode, OtherHandshakeMessage } from '../model/tls';
import type { ByteCursor } from './byteCursor';
import { parseExtensions, readNumberList } from './extensions';
import { FieldReader } from './fieldReader';
import { finishMessage } from './keyExchange';
import type { MessageFrame } from './messageFrame';
import type { ParseContext } from './parseContext';
import { lookupSignatureScheme } from './registry/signatureSchemes';
import { TLS_1_2, TLS_1_3 } from './registry/versions';
import type { SessionHints } from './sessionHints';
import { readDistinguishedName } from './x509Summary';
import { describeCompressionAlgorithm, readCertificateStatusBody } from './certificateStatus';
import { indexedName } from './indexedName';
import { HS_NEW_SESSION_TICKET, HS_ENCRYPTED_EXTENSIONS, HS_CERTIFICATE_REQUEST, HS_FINISHED, HS_CERTIFICATE_STATUS, HS_KEY_UPDATE, HS_COMPRESSED_CERTIFICATE } from './registry/handshakeTypes';


/** RFC 5246 §7.4.4 (and RFC 8422 §5.5): ClientCertificateType. */
const CLIENT_CERTIFICATE_TYPES: ReadonlyMap<number, string> = new Map([
  [1, 'rsa_sign'],
  [2, 'dss_sign'],
  [3, 'rsa_fixed_dh'],
  [4, 'dss_fixed_dh'],
  [5, 'rsa_ephemeral_dh'],
  [6, 'dss_ephemeral_dh'],
  [20, 'fortezza_dms'],
  [64, 'ecdsa_sign'],
  [65, 'rsa_fixed_ecdh'],
  [66, 'ecdsa_fixed_ecdh'],
  [67, 'gost_sign256'],
  [68, 'gost_sign512'],
]);

const describeCertificateType = (v: number): string => CLIENT_CERTIFICATE_TYPES.get(v) ?? `unknown (${v})`;

/** Messages with an empty body (RFC 5246 §7.4.1.1, §7.4.5; RFC 8446 §4.5). */
export function parseEmptyMessage(type: number, name: string, c: ByteCursor, ctx: ParseContext, frame: MessageFrame): OtherHandshakeMessage {
  const r = new FieldReader(c, ctx);
  if (!c.atEnd) {
    r.readRest('unexpected_body');
    ctx.malformed(`${name} must be empty but has ${c.end - frame.bodyStart} bytes`, frame.start + 1, frame.start + 4);
  }
  return finishMessage(type, name, r, ctx, frame, {});
}

export function parseNewSessionTicket(c: ByteCursor, ctx: ParseContext, frame: MessageFrame, hints: SessionHints): OtherHandshakeMessage {
  const r = new FieldReader(c, ctx);
  let tls13: boolean;
  if (hints.version !== null) tls13 = hints.version === TLS_1_3;
  else {
    // RFC 5077 §3.3: lifetime(4) ticket<0..2^16-1>: the ticket length is the rest.
    const at = c.pos + 4;
    tls13 = !(at + 2 <= c.presentEnd && ((c.data[at] << 8) | c.data[at + 1]) === c.remaining - 6);
  }
  const details: Record<string, unknown> = { form: tls13 ? 'tls13' : 'tls12' };
  parse: {
    const lifetime = r.readU32(tls13 ? 'ticket_lifetime' : 'ticket_lifetime_hint', (v) => `${v} s`);
    if (lifetime === undefined) break parse;
    details.ticketLifetime = lifetime;
    if (tls13) {
      // RFC 8446 §4.6.1: ticket_age_add, ticket_nonce<0..255>, ticket<1..2^16-1>, extensions<0..2^16-2>.
      const ageAdd = r.readU32('ticket_age_add');
      if (ageAdd === undefined) break parse;
      details.ticketAgeAdd = ageAdd;
      const nonce = r.readOpaque(1, 'ticket_nonce');
      if (!nonce) break parse;
      details.ticketNonce = nonce.hex;
      const ticket = r.readOpaque(2, 'ticket');
      if (!ticket) break parse;
      details.ticketLength = ticket.length;
      const ext = parseExtensions(c, ctx, 'new_session_ticket');
      r.nodes.push(...ext.nodes);
      details.extensions = ext.extensions.map((x) => ({ type: x.type, name: x.name, ...(x.details ?? {}) }));
    } else {
      const ticket = r.readOpaque(2, 'ticket');
      if (!ticket) break parse;
      details.ticketLength = ticket.length;
    }
  }
  return finishMessage(HS_NEW_SESSION_TICKET, 'NewSessionTicket', r, ctx, frame, details);
}

export function parseCertificateRequest(c: ByteCursor, ctx: ParseContext, frame: MessageFrame, hints: SessionHints): OtherHandshakeMessage {
  const r = new FieldReader(c, ctx);
  let tls13: boolean;
  if (hints.version !== null) tls13 = hints.version === TLS_1_3;
  else {
    // TLS 1.3: context<0..255> then extensions<2..2^16-1> that end the message.
    const at = c.pos;
    const contextLength = at < c.presentEnd ? c.data[at] : -1;
    const e = at + 1 + contextLength;
    tls13 = contextLength >= 0 && e + 2 <= c.presentEnd && ((c.data[e] << 8) | c.data[e + 1]) === c.remaining - 3 - contextLength;
  }
  const details: Record<string, unknown> = { form: tls13 ? 'tls13' : 'tls12' };
  parse: {
    if (tls13) {
      const context = r.readOpaque(1, 'certificate_request_context');
      if (!context) break parse;
      details.certificateRequestContext = context.hex;
      const ext = parseExtensions(c, ctx, 'certificate_request');
      r.nodes.push(...ext.nodes);
      details.extensions = ext.extensions.map((x) => ({ type: x.type, name: x.name, ...(x.details ?? {}) }));
      if (ext.signatureAlgorithms) details.signatureAlgorithms = ext.signatureAlgorithms;
      break parse;
    }
    // RFC 5246 §7.4.4: ClientCertificateType certificate_types<1..2^8-1>.
    const types = readNumberList(c, ctx, 1, 1, 'certificate_types', 'certificate_types', (v) => ({ value: v, name: describeCertificateType(v), known: CLIENT_CERTIFICATE_TYPES.has(v), iana: CLIENT_CERTIFICATE_TYPES.has(v), grease: false }));
    r.nodes.push(...types.nodes);
    if (c.failed) break parse;
    details.certificateTypes = types.values;
    // RFC 5246 §7.4.4: supported_signature_algorithms<2..2^16-2>, TLS 1.2 only.
    const withAlgorithms = hints.version !== null ? hints.version >= TLS_1_2 : !looksLikeDnList(c);
    if (withAlgorithms) {
      const algs = readNumberList(c, ctx, 2, 2, 'supported_signature_algorithms', 'supported_signature_algorithms', lookupSignatureScheme);
      r.nodes.push(...algs.nodes);
      if (c.failed) break parse;
      details.signatureAlgorithms = algs.values;
    }
    // DistinguishedName certificate_authorities<0..2^16-1>; DistinguishedName is opaque<1..2^16-1>.
    const cas = r.readOpaque(2, 'certificate_authorities', { structured: true });
    if (!cas) break parse;
    const names: string[] = [];
    const items: FieldNode[] = [];
    while (!cas.body.atEnd && !cas.body.failed) {
      const at = cas.body.pos;
      const dn = cas.body.vector(2, 'DistinguishedName');
      if (!dn) break;
      const span = dn.body.skipPresent();
      const text = span.end === dn.body.end ? readDistinguishedName(ctx.data.subarray(span.start, span.end)) : null;
      if (text !== null) names.push(text);
      items.push(ctx.node(indexedName('certificate_authorities', items.length), at, span.end, { value: ctx.hex(span), ...(text !== null ? { display: text } : {}), kind: 'opaque' }));
    }
    cas.body.finish();
    ctx.settle(cas.body);
    r.add(ctx.node('certificate_authorities', cas.span.start, cas.span.end, { kind: 'list', children: items }));
    details.certificateAuthorities = names;
  }
  return finishMessage(HS_CERTIFICATE_REQUEST, 'CertificateRequest', r, ctx, frame, details);
}

/** TLS 1.0/1.1 CertificateRequest: after the types comes a DN list that ends the message. */
function looksLikeDnList(c: ByteCursor): boolean {
  const at = c.pos;
  return at + 2 <= c.presentEnd && ((c.data[at] << 8) | c.data[at + 1]) === c.remaining - 2;
}

export function parseEncryptedExtensions(c: ByteCursor, ctx: ParseContext, frame: MessageFrame): OtherHandshakeMessage {
  const r = new FieldReader(c, ctx);
  // RFC 8446 §4.3.1: Extension extensions<0..2^16-1>.
  const ext = parseExtensions(c, ctx, 'encrypted_extensions');
  r.nodes.push(...ext.nodes);
  const details: Record<string, unknown> = { extensions: ext.extensions.map((x) => ({ type: x.type, name: x.name, ...(x.details ?? {}) })) };
  if (ext.alpn) details.alpn = ext.alpn;
  return finishMessage(HS_ENCRYPTED_EXTENSIONS, 'EncryptedExtensions', r, ctx, frame, details);
}

export function parseFinished(c: ByteCursor, ctx: ParseContext, frame: MessageFrame): OtherHandshakeMessage {
  const r = new FieldReader(c, ctx);
  // RFC 5246 §7.4.9: verify_data[verify_data_length] (12 unless the suite says otherwise); RFC 8446 §4.4.4: Hash.length.
  const v = r.readRest('verify_data');
  return finishMessage(HS_FINISHED, 'Finished', r, ctx, frame, { verifyDataLength: v.length, verifyData: v.hex });
}

export function parseCertificateStatus(c: ByteCursor, ctx: ParseContext, frame: MessageFrame): OtherHandshakeMessage {
  const r = new FieldReader(c, ctx);
  const details = readCertificateStatusBody(r);
  return finishMessage(HS_CERTIFICATE_STATUS, 'CertificateStatus', r, ctx, frame, details);
}

export function parseKeyUpdate(c: ByteCursor, ctx: ParseContext, frame: MessageFrame): OtherHandshakeMessage {
  const r = new FieldReader(c, ctx);
  const describe = (v: number): string => (v === 0 ? 'update_not_requested' : v === 1 ? 'update_requested' : `unknown (${v})`);
  const details: Record<string, unknown> = {};
  // RFC 8446 §4.6.3: KeyUpdateRequest request_update.
  const v = r.readU8('request_update', describe);
  if (v !== undefined) {
    details.requestUpdate = describe(v);
    if (v > 1) ctx.malformed(`KeyUpdate request_update ${v} is neither 0 nor 1 (illegal_parameter)`, c.pos - 1, c.pos);
  }
  return finishMessage(HS_KEY_UPDATE, 'KeyUpdate', r, ctx, frame, details);
}

export function parseCompressedCertificate(c: ByteCursor, ctx: ParseContext, frame: MessageFrame): OtherHandshakeMessage {
  const r = new FieldReader(c, ctx);
  const details: Record<string, unknown> = {};
  parse: {
    // RFC 8879 §4: algorithm, uint24 uncompressed_length, opaque compressed_certificate_message<1..2^24-1>.
    const alg = r.readU16('algorithm', describeCompressionAlgorithm);
    if (alg === undefined) break parse;
    details.algorithm = describeCompressionAlgorithm(alg);
    const at = c.pos;
    const len = c.u24('uncompressed_length');
    if (len === undefined) break parse;
    r.add(ctx.node('uncompressed_length', at, c.pos, { value: len, kind: 'length' }));
    details.uncompressedLength = len;
    const body = r.readOpaque(3, 'compressed_certificate_message');
    if (body) details.compressedLength = body.length;
  }
  return finishMessage(HS_COMPRESSED_CERTIFICATE, 'CompressedCertificate', r, ctx, frame, details);
}
