/**
 * SSL 2.0 record bodies: the SSLv2-compatible CLIENT-HELLO (RFC 5246 App. E.2,
 * RFC 2246 App. E, RFC 6101 App. E) and, minimally, SERVER-HELLO (the SSL 2.0
 * draft, which RFC 6101 App. E refers to).
 */
import type { ClientHelloMessage, FieldNode, OtherHandshakeMessage } from '../model/tls';
import type { ByteCursor, Span } from './byteCursor';
import { ja3, ja4, sslv2CipherCodes, memo } from './fingerprints';
import type { ParseContext } from './parseContext';
import { describeSummary } from './certificate';
import { readCertificate } from './x509Summary';
import { lookupCipherSpec } from './registry/sslv2CipherKinds';
import { readVersionField } from './messageFrame';
import { indexedName } from './indexedName';

export const SSL2_MT_CLIENT_HELLO = 1;
export const SSL2_MT_SERVER_HELLO = 4;

const SSL2_MESSAGE_TYPES: ReadonlyMap<number, string> = new Map([
  [0, 'ERROR'],
  [1, 'CLIENT-HELLO'],
  [2, 'CLIENT-MASTER-KEY'],
  [3, 'CLIENT-FINISHED'],
  [4, 'SERVER-HELLO'],
  [5, 'SERVER-VERIFY'],
  [6, 'SERVER-FINISHED'],
  [7, 'REQUEST-CERTIFICATE'],
  [8, 'CLIENT-CERTIFICATE'],
]);

export function sslv2MessageName(type: number): string {
  return SSL2_MESSAGE_TYPES.get(type) ?? `unknown (${type})`;
}

interface Lengths {
  readonly value: number;
  readonly span: Span;
}

/** Reads a 2-byte length field that declares a later region of the message. */
function readLength(c: ByteCursor, ctx: ParseContext, name: string, kids: FieldNode[]): Lengths | undefined {
  const at = c.pos;
  const v = c.u16(name);
  if (v === undefined) return undefined;
  kids.push(ctx.node(name, at, c.pos, { value: v, kind: 'length' }));
  return { value: v, span: { start: at, end: c.pos } };
}

/**
 * CLIENT-HELLO: msg_type, version, cipher_spec_length, session_id_length,
 * challenge_length, then the three regions they declare (RFC 5246 App. E.2).
 */
export function parseSslv2ClientHello(c: ByteCursor, ctx: ParseContext): ClientHelloMessage {
  const start = c.pos;
  const kids: FieldNode[] = [];
  let version = 0;
  let versionSpan = ctx.loc.span(start, start);
  const specs: number[] = [];
  let sessionId = '';
  let challenge = '';
  parse: {
    const type = c.u8('msg_type');
    if (type === undefined) break parse;
    kids.push(ctx.node('msg_type', start, c.pos, { value: type, display: sslv2MessageName(type), kind: 'enum' }));
    const v = readVersionField(c, ctx, 'version', kids);
    if (!v) break parse;
    version = v.value;
    versionSpan = v.span;
    const csLen = readLength(c, ctx, 'cipher_spec_length', kids);
    if (!csLen) break parse;
    const sidLen = readLength(c, ctx, 'session_id_length', kids);
    if (!sidLen) break parse;
    const chLen = readLength(c, ctx, 'challenge_length', kids);
    if (!chLen) break parse;

    // RFC 5246 App. E.2: cipher_spec_length is a multiple of 3 (V2CipherSpec is 3 bytes).
    if (csLen.value % 3 !== 0) ctx.malformed(`cipher_spec_length ${csLen.value} is not a multiple of 3`, csLen.span.start, csLen.span.end);
    const cs = c.region(csLen.value, 'cipher_specs', csLen.span);
    if (!cs) break parse;
    const items: FieldNode[] = [];
    while (cs.remaining >= 3) {
      const at = cs.pos;
      const hi = cs.u8('cipher_specs');
      const lo = cs.u16('cipher_specs');
      if (hi === undefined || lo === undefined) break;
      const spec = (hi << 16) | lo;
      specs.push(spec);
      items.push(ctx.node(indexedName('cipher_specs', items.length), at, cs.pos, { value: spec, display: lookupCipherSpec(spec).name, kind: 'enum' }));
    }
    if (!cs.failed && cs.remaining > 0) cs.skipPresent();
    kids.push(ctx.node('cipher_specs', cs.end - csLen.value, cs.presentEnd, { kind: 'list', children: items }));

    const sid = c.region(sidLen.value, 'session_id', sidLen.span);
    if (!sid) break parse;
    const sidSpan = sid.skipPresent();
    sessionId = ctx.hex(sidSpan);
    kids.push(ctx.node('session_id', sidSpan.start, sidSpan.end, { value: sessionId, kind: 'opaque' }));

    const ch = c.region(chLen.value, 'challenge', chLen.span);
    if (!ch) break parse;
    const chSpan = ch.skipPresent();
    challenge = ctx.hex(chSpan);
    kids.push(ctx.node('challenge', chSpan.start, chSpan.end, { value: challenge, kind: 'opaque' }));
    c.finish();
  }
  const cut = ctx.settle(c);
  const facts = {
    version,
    cipherSuites: [],
    extensions: [],
    supportedGroups: null,
    ecPointFormats: null,
    supportedVersions: null,
    alpn: null,
    signatureAlgorithms: null,
  };
  const ja3Facts = { ...facts, cipherSuites: specs };
  const span = ctx.loc.span(start, c.end);
  // RFC 5246 App. E.2: the challenge becomes ClientHello.random, right-aligned and zero-padded to 32 bytes.
  const random = challenge.length <= 64 ? challenge.padStart(64, '0') : challenge;
  return {
    type: 1,
    name: 'ClientHello',
    form: 'sslv2',
    version,
    versionSpan,
    random,
    sessionId,
    cipherSpecs: specs,
    challenge,
    compressionMethods: [],
    extensions: [],
    serverName: null,
    supportedVersions: null,
    alpn: null,
    get ja3(): string {
      return memo(this, 'ja3', () => ja3(ja3Facts));
    },
    get ja4(): string {
      return memo(this, 'ja4', () => ja4(facts, { cipherCodes: sslv2CipherCodes(specs) }));
    },
    start: span.start,
    end: span.end,
    field: ctx.node('ClientHello', start, c.end, { display: 'SSLv2-compatible ClientHello', kind: 'container', children: kids }),
    ...(cut ? { incomplete: true } : {}),
  };
}

/**
 * SERVER-HELLO: msg_type, session_id_hit, certificate_type, server_version,
 * certificate_length, cipher_specs_length, connection_id_length, then the
 * certificate, cipher specs and connection id. An X.509 certificate
 * (certificate_type 1, SSL2_CT_X509_CERTIFICATE) is summarised through the
 * same @peculiar/x509 path as a TLS Certificate message.
 */
export function parseSslv2ServerHello(c: ByteCursor, ctx: ParseContext): OtherHandshakeMessage {
  const start = c.pos;
  const kids: FieldNode[] = [];
  const details: Record<string, unknown> = {};
  parse: {
    const type = c.u8('msg_type');
    if (type === undefined) break parse;
    kids.push(ctx.node('msg_type', start, c.pos, { value: type, display: sslv2MessageName(type), kind: 'enum' }));
    const hitAt = c.pos;
    const hit = c.u8('session_id_hit');
    if (hit === undefined) break parse;
    details.sessionIdHit = hit;
    kids.push(ctx.node('session_id_hit', hitAt, c.pos, { value: hit, kind: 'enum' }));
    const ctAt = c.pos;
    const certType = c.u8('certificate_type');
    if (certType === undefined) break parse;
    details.certificateType = certType;
    kids.push(ctx.node('certificate_type', ctAt, c.pos, { value: certType, display: certType === 1 ? 'X509_CERTIFICATE' : `unknown (${certType})`, kind: 'enum' }));
    const v = readVersionField(c, ctx, 'server_version', kids);
    if (!v) break parse;
    details.version = v.value;
    details.versionSpan = v.span;
    const certLen = readLength(c, ctx, 'certificate_length', kids);
    if (!certLen) break parse;
    const csLen = readLength(c, ctx, 'cipher_specs_length', kids);
    if (!csLen) break parse;
    const idLen = readLength(c, ctx, 'connection_id_length', kids);
    if (!idLen) break parse;
    const cert = c.region(certLen.value, 'certificate', certLen.span);
    if (!cert) break parse;
    const certSpan = cert.skipPresent();
    let certDisplay: string | undefined;
    if (certSpan.end < cert.end) certDisplay = 'certificate cut short';
    else if (certType === 1 && certLen.value > 0) {
      const reading = readCertificate(ctx.data.subarray(certSpan.start, certSpan.end));
      if ('summary' in reading) {
        details.certificate = { length: certLen.value, ...reading.summary };
        certDisplay = describeSummary(reading.summary);
      } else {
        details.certificate = { length: certLen.value, error: reading.error };
        certDisplay = reading.error;
      }
    }
    kids.push(ctx.node('certificate', certSpan.start, certSpan.end, { value: ctx.hex(certSpan), ...(certDisplay !== undefined ? { display: certDisplay } : {}), kind: 'opaque' }));
    if (csLen.value % 3 !== 0) ctx.malformed(`cipher_specs_length ${csLen.value} is not a multiple of 3`, csLen.span.start, csLen.span.end);
    const cs = c.region(csLen.value, 'cipher_specs', csLen.span);
    if (!cs) break parse;
    const specs: number[] = [];
    const items: FieldNode[] = [];
    while (cs.remaining >= 3) {
      const at = cs.pos;
      const hi = cs.u8('cipher_specs');
      const lo = cs.u16('cipher_specs');
      if (hi === undefined || lo === undefined) break;
      specs.push((hi << 16) | lo);
      items.push(ctx.node(indexedName('cipher_specs', items.length), at, cs.pos, { value: (hi << 16) | lo, display: lookupCipherSpec((hi << 16) | lo).name, kind: 'enum' }));
    }
    if (!cs.failed && cs.remaining > 0) cs.skipPresent();
    details.cipherSpecs = specs;
    kids.push(ctx.node('cipher_specs', cs.end - csLen.value, cs.presentEnd, { kind: 'list', children: items }));
    const id = c.region(idLen.value, 'connection_id', idLen.span);
    if (!id) break parse;
    const idSpan = id.skipPresent();
    details.connectionId = ctx.hex(idSpan);
    kids.push(ctx.node('connection_id', idSpan.start, idSpan.end, { value: ctx.hex(idSpan), kind: 'opaque' }));
    c.finish();
  }
  const cut = ctx.settle(c);
  const span = ctx.loc.span(start, c.end);
  return {
    type: SSL2_MT_SERVER_HELLO,
    name: 'SSLv2 SERVER-HELLO',
    start: span.start,
    end: span.end,
    field: ctx.node('ServerHello', start, c.end, { display: 'SSLv2 SERVER-HELLO', kind: 'container', children: kids }),
    details,
    ...(cut ? { incomplete: true } : {}),
  };
}
