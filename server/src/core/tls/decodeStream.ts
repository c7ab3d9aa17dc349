/**
 * TLS stream decoder: records back to back from byte 0 or a given offset (RFC 5246 §6.2,
 * RFC 8446 §5.1), SSLv2 records (RFC 5246 App. E.2, RFC 6101 App. E), the
 * handshake layer on top, and the two partial views tools print: a record
 * header without its body, and decrypted content without its header.
 * Never throws; every span is a byte index into the input.
 */
import type { DecodedTlsStream, FieldNode, HandshakeMessage, TlsAlert, TlsRecord } from '../model/tls';
import { parseAlert } from './alert';
import { ByteCursor } from './byteCursor';
import { FieldReader } from './fieldReader';
import { HandshakeAssembler, type FragmentOwner } from './handshake';
import { Locator, ParseContext, ProblemList } from './parseContext';
import { createSessionHints, type SessionHints } from './sessionHints';
import {
  CONTENT_ALERT,
  CONTENT_APPLICATION_DATA,
  CONTENT_CHANGE_CIPHER_SPEC,
  CONTENT_HANDSHAKE,
  CONTENT_HEARTBEAT,
  isTlsRecordContentType,
  lookupContentType,
} from './registry/contentTypes';
import { describeVersion, SSL_2_0, TLS_1_3 } from './registry/versions';
import { parseSslv2ClientHello, parseSslv2ServerHello, SSL2_MT_CLIENT_HELLO, SSL2_MT_SERVER_HELLO, sslv2MessageName } from './sslv2';

export interface DecodeOptions {
  /** Who sent the bytes, when the transcript says so. */
  readonly direction?: 'client' | 'server' | null;
  /** Where the first record starts (the bytes before it end a record begun before them); default 0. */
  readonly from?: number;
  /**
   * The stream began before the bytes shown (a capture started inside the connection), so whether
   * a ChangeCipherSpec came is unknown: until a hello is seen, an alert that is not 2 bytes and a
   * handshake record that starts no ClientHello or ServerHello are taken as protected.
   */
  readonly midConnection?: boolean;
}

import { MAX_CIPHERTEXT, MAX_PLAINTEXT } from './recordLimits';
export { MAX_CIPHERTEXT, MAX_PLAINTEXT };

interface RecordDraft extends FragmentOwner {
  readonly format: 'tls' | 'sslv2';
  readonly contentType: number;
  readonly version: number;
  readonly length: number;
  readonly start: number;
  readonly end: number;
  readonly display: string;
  alert?: TlsAlert;
  encrypted?: boolean;
  bodyNotShown?: boolean;
  decrypted?: boolean;
}

class StreamState {
  readonly problems = new ProblemList();
  readonly drafts: RecordDraft[] = [];
  readonly assembler: HandshakeAssembler;
  readonly ctx: ParseContext;
  /** A ChangeCipherSpec was seen: later records of this direction are protected (TLS 1.2 and earlier). */
  afterCcs = false;
  /** A hello of this stream offered or selected TLS 1.3. */
  tls13 = false;
  /** An SSL 2.0 exchange is under way: later high-bit records are SSLv2 records. */
  sslv2Session = false;
  /** Version and suite the ServerHello of this stream selected, for the messages after it. */
  readonly hints: SessionHints;

  constructor(
    readonly bytes: Uint8Array,
    readonly options: DecodeOptions,
    version: number | null = null,
  ) {
    this.ctx = new ParseContext(bytes, Locator.identity(bytes.length), this.problems);
    this.hints = createSessionHints(version);
    this.assembler = new HandshakeAssembler(bytes, this.problems, (m) => this.noteMessage(m), this.hints);
  }

  /** A ClientHello or ServerHello was decoded: the handshake is in the stream. */
  sawHello = false;

  private noteMessage(m: HandshakeMessage): void {
    if (m.type === 1 || m.type === 2) this.sawHello = true;
    if (m.type === 1 && 'form' in m && m.supportedVersions?.includes(TLS_1_3)) this.tls13 = true;
    if (m.type === 2 && 'selectedVersion' in m) {
      if (m.selectedVersion === TLS_1_3) this.tls13 = true;
      // RFC 8446 §4.2.1: supported_versions overrides legacy_version; a HelloRetryRequest fixes the version too.
      if (!m.incomplete || m.selectedVersion !== null) this.hints.version = m.selectedVersion ?? m.version;
      if (m.name === 'ServerHello' && !m.incomplete) this.hints.cipherSuite = m.cipherSuite;
    }
  }

  result(): DecodedTlsStream {
    const records: TlsRecord[] = this.drafts.map((d) => finishRecord(this.ctx, d));
    return { records, problems: this.problems.items };
  }
}

function finishRecord(ctx: ParseContext, d: RecordDraft): TlsRecord {
  const field: FieldNode = ctx.node('record', d.start, d.end, { display: d.display, kind: 'container', children: d.children });
  const span = ctx.loc.span(d.start, d.end);
  return {
    format: d.format,
    contentType: d.contentType,
    version: d.version,
    length: d.length,
    start: span.start,
    end: span.end,
    ...(d.bodyNotShown ? { bodyNotShown: true } : {}),
    ...(d.decrypted ? { decrypted: true } : {}),
    ...(d.encrypted ? { encrypted: true } : {}),
    messages: d.messages,
    ...(d.alert ? { alert: d.alert } : {}),
    field,
  };
}

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

export function decodeTlsStream(bytes: Uint8Array, options: DecodeOptions = {}): DecodedTlsStream {
  const st = new StreamState(bytes, options);
  let pos = Math.max(0, Math.min(bytes.length, options.from ?? 0));
  while (pos < bytes.length) {
    const kind = classifyRecordStart(st, pos);
    if (kind === 'tls') pos = decodeTlsRecord(st, pos);
    else if (kind === 'sslv2-2' || kind === 'sslv2-3') pos = decodeSslv2Record(st, pos, kind === 'sslv2-2' ? 2 : 3);
    else if (kind === 'sslv2-cut') {
      st.assembler.flush(null);
      st.problems.add({
        kind: 'truncated',
        message: `SSLv2 record header is cut: ${bytes.length - pos} byte${bytes.length - pos === 1 ? '' : 's'} present`,
        start: bytes.length - 1,
        end: bytes.length,
        missing: 3 - (bytes.length - pos),
      });
      break;
    } else {
      st.assembler.flush(null);
      st.problems.add({
        kind: 'malformed',
        message: `byte 0x${hex2(bytes[pos])} at offset ${pos} starts neither a TLS record (content type 20-24) nor an SSLv2 record`,
        start: pos,
        end: pos + 1,
      });
      break;
    }
  }
  // The stream ends after a whole record. A message still open is one the next record would
  // have continued (RFC 5246 §6.2.1): a cut, even inside its 4-byte header when those bytes
  // began a record; 1-3 bytes after a message in the same record stay malformed.
  st.assembler.flush(null, st.assembler.pendingStartsFragment);
  return st.result();
}

type RecordStart = 'tls' | 'sslv2-2' | 'sslv2-3' | 'sslv2-cut' | 'neither';

/** Decides the record form by its first bytes. */
function classifyRecordStart(st: StreamState, pos: number): RecordStart {
  const bytes = st.bytes;
  const b0 = bytes[pos];
  // RFC 5246 §6.2.1: a TLS record starts with its ContentType.
  if (isTlsRecordContentType(b0)) return 'tls';
  const left = bytes.length - pos;
  const sslv2Allowed = pos === 0 || st.sslv2Session;
  if (b0 & 0x80) {
    // RFC 5246 App. E.2: 2-byte header with the high bit set, then msg_type.
    if (left < 3) return sslv2Allowed ? 'sslv2-cut' : 'neither';
    const type = bytes[pos + 2];
    if (type === SSL2_MT_CLIENT_HELLO || type === SSL2_MT_SERVER_HELLO || st.sslv2Session) return 'sslv2-2';
    return 'neither';
  }
  // RFC 6101 App. E / SSL 2.0: 3-byte header (high bit clear, padding length), then msg_type.
  if (sslv2Allowed && left >= 4 && (bytes[pos + 3] === SSL2_MT_CLIENT_HELLO || bytes[pos + 3] === SSL2_MT_SERVER_HELLO)) return 'sslv2-3';
  return 'neither';
}

function decodeTlsRecord(st: StreamState, pos: number): number {
  const { bytes, ctx, problems } = st;
  const n = bytes.length;
  if (n - pos < 5) {
    // A handshake header fragment still pending waits for this cut record: a cut, not stray bytes.
    st.assembler.flush(null, true);
    problems.add({
      kind: 'truncated',
      message: `record header is cut: ${n - pos} of 5 bytes present`,
      start: n - 1,
      end: n,
      missing: 5 - (n - pos),
    });
    return n;
  }
  const contentType = bytes[pos];
  const version = (bytes[pos + 1] << 8) | bytes[pos + 2];
  const length = (bytes[pos + 3] << 8) | bytes[pos + 4];
  const bodyStart = pos + 5;
  const declaredEnd = bodyStart + length;
  const presentEnd = Math.min(declaredEnd, n);
  const ct = lookupContentType(contentType);

  const encrypted = isProtected(st, contentType, length, bodyStart);
  const header = ctx.node('record_header', pos, bodyStart, {
    kind: 'header',
    children: [
      ctx.node('content_type', pos, pos + 1, { value: contentType, display: ct.name, kind: 'enum' }),
      ctx.node('version', pos + 1, pos + 3, { value: version, display: describeVersion(version), kind: 'version' }),
      ctx.node('length', pos + 3, pos + 5, { value: length, kind: 'length' }),
    ],
  });
  const draft: RecordDraft = {
    format: 'tls',
    contentType,
    version,
    length,
    start: pos,
    end: presentEnd,
    display: `${ct.name} record${encrypted ? ' (encrypted)' : ''}`,
    messages: [],
    children: [header],
    ...(encrypted ? { encrypted: true } : {}),
  };
  st.drafts.push(draft);

  // RFC 5246 §6.2.1, §6.2.3 / RFC 8446 §5.1, §5.2: record_overflow.
  const limit = encrypted ? MAX_CIPHERTEXT : MAX_PLAINTEXT;
  if (length > limit) {
    problems.add({
      kind: 'malformed',
      message: `record length ${length} exceeds ${encrypted ? '2^14 + 2048' : '2^14'} (record_overflow)`,
      start: pos + 3,
      end: pos + 5,
    });
  }
  if (declaredEnd > n) {
    if (contentType !== CONTENT_HANDSHAKE || encrypted) st.assembler.flush(null);
    problems.add({
      kind: 'truncated',
      message: `record declares ${length} bytes but the dump ends after ${n - bodyStart}: ${declaredEnd - n} bytes missing (a cut capture or dump)`,
      start: pos + 3,
      end: pos + 5,
      missing: declaredEnd - n,
    });
  }

  const lengthField = { start: pos + 3, end: pos + 5 };
  if (length === 0) {
    // Judged as for a header shown alone (decodeRecordHeaderOnly), and reported once: the
    // body decoders below would each say it differently, or (Handshake, protected) not at all.
    const empty = emptyRecordProblem(contentType, encrypted);
    if (empty) {
      ctx.malformed(empty, lengthField.start, lengthField.end);
      if (st.assembler.pending && (contentType !== CONTENT_HANDSHAKE || encrypted)) st.assembler.flush(ct.name);
      if (contentType === CONTENT_CHANGE_CIPHER_SPEC) st.afterCcs = true;
      return declaredEnd;
    }
  }
  if (contentType === CONTENT_HANDSHAKE && !encrypted) {
    st.assembler.push(bodyStart, presentEnd, draft);
    return declaredEnd;
  }
  if (st.assembler.pending) st.assembler.flush(ct.name);
  const body = ByteCursor.over(bytes, bodyStart, declaredEnd, { label: `${ct.name} record`, lengthField });
  if (encrypted) {
    const span = body.skipPresent();
    draft.children.push(ctx.node('encrypted_data', span.start, span.end, { value: ctx.hex(span), kind: 'opaque' }));
    return declaredEnd;
  }
  if (contentType === CONTENT_CHANGE_CIPHER_SPEC) {
    // RFC 5246 §7.1: one byte of value 1 (an empty record is reported above).
    const at = body.pos;
    const v = body.u8('change_cipher_spec');
    if (v !== undefined) {
      draft.children.push(ctx.node('change_cipher_spec', at, at + 1, { value: v, display: v === 1 ? 'change_cipher_spec' : `unknown (${v})`, kind: 'enum' }));
      if (v !== 1) ctx.malformed(`ChangeCipherSpec value ${v} is not 1`, at, at + 1);
    }
    body.finish();
    ctx.settle(body);
    st.afterCcs = true;
    return declaredEnd;
  }
  if (contentType === CONTENT_ALERT) {
    const parsed = parseAlert(body, ctx);
    draft.children.push(parsed.node);
    if (parsed.alert) draft.alert = parsed.alert;
    return declaredEnd;
  }
  if (contentType === CONTENT_HEARTBEAT) {
    draft.children.push(...parseHeartbeat(body, ctx));
    return declaredEnd;
  }
  // application_data is always protected (handled above); other types stay opaque.
  const span = body.skipPresent();
  if (span.end > span.start) draft.children.push(ctx.node(`${ct.name}_data`, span.start, span.end, { value: ctx.hex(span), kind: 'opaque' }));
  return declaredEnd;
}

/**
 * A plaintext HeartbeatMessage (RFC 6520 §4): type, uint16 payload_length,
 * payload, then at least 16 bytes of padding. A payload_length reaching past
 * the record is the over-read of CVE-2014-0160: malformed at payload_length.
 */
function parseHeartbeat(body: ByteCursor, ctx: ParseContext): FieldNode[] {
  const r = new FieldReader(body, ctx);
  const describe = (v: number): string => (v === 1 ? 'heartbeat_request' : v === 2 ? 'heartbeat_response' : `unknown (${v})`);
  parse: {
    if (r.readU8('type', describe) === undefined) break parse;
    const at = body.pos;
    const length = body.u16('payload_length');
    if (length === undefined) break parse;
    const lengthSpan = { start: at, end: body.pos };
    r.add(ctx.node('payload_length', at, body.pos, { value: length, kind: 'length' }));
    if (length > body.remaining) {
      body.fail('malformed', `heartbeat payload_length ${length} exceeds the ${body.remaining} bytes left in the record`, lengthSpan);
      break parse;
    }
    const payload = body.region(length, 'payload', lengthSpan);
    if (!payload) break parse;
    const span = payload.skipPresent();
    r.add(ctx.node('payload', span.start, span.end, { value: ctx.hex(span), kind: 'opaque' }));
    // RFC 6520 §4: padding_length MUST be at least 16.
    const padding = body.remaining;
    r.readRest('padding');
    if (padding < 16 && body.presentEnd >= body.end) body.fail('malformed', `heartbeat padding is ${padding} bytes; RFC 6520 §4 requires at least 16`, lengthSpan);
  }
  ctx.settle(body);
  return r.nodes;
}

/**
 * Why a wire record of length 0 is malformed, or null when it may be empty. Plaintext:
 * RFC 5246 §6.2.1 forbids zero-length Handshake, Alert and ChangeCipherSpec fragments
 * (RFC 8446 §5.1 likewise); a HeartbeatMessage has at least 19 bytes (RFC 6520 §4).
 * Protected (application data always, RFC 5246 appendix A.5: the null cipher is never
 * negotiated; RFC 8446 §5.2): a MAC or AEAD tag makes even an empty fragment, which
 * RFC 5246 §6.2.1 allows for application data, a non-empty record (§6.2.3).
 */
export function emptyRecordProblem(contentType: number, protectedRecord: boolean): string | null {
  const name = lookupContentType(contentType).name;
  if (contentType === CONTENT_APPLICATION_DATA) return `${name} record of length 0: application data is always protected, and its MAC or AEAD tag takes bytes`;
  if (protectedRecord) return `${name} record of length 0: a protected record is never empty, its MAC or AEAD tag takes bytes`;
  if (contentType === CONTENT_CHANGE_CIPHER_SPEC) return `${name} record of length 0: a ChangeCipherSpec record carries one byte of value 1 (RFC 5246 §7.1)`;
  if (contentType === CONTENT_ALERT || contentType === CONTENT_HANDSHAKE) return `${name} record of length 0: Handshake, Alert and ChangeCipherSpec records are never empty`;
  if (contentType === CONTENT_HEARTBEAT) return `${name} record of length 0: a HeartbeatMessage has at least 19 bytes`;
  return null;
}

/** Whether a record's body is protected and must not be decoded. */
function isProtected(st: StreamState, contentType: number, length: number, bodyStart: number): boolean {
  if (contentType === CONTENT_APPLICATION_DATA) return true;
  if (st.options.midConnection && !st.sawHello && !st.afterCcs) {
    if (contentType === CONTENT_ALERT) return length !== 2;
    if (contentType === CONTENT_HANDSHAKE) return length > 0 && st.bytes[bodyStart] !== 1 && st.bytes[bodyStart] !== 2;
  }
  if (!st.afterCcs) return false;
  // RFC 8446 §5.2: TLS 1.3 protected records carry the outer type application_data;
  // a ChangeCipherSpec there is only for middlebox compatibility (App. D.4).
  if (st.hints.version === TLS_1_3) return false;
  // An alert of exactly 2 bytes cannot carry a MAC or AEAD tag: it is plaintext.
  if (contentType === CONTENT_ALERT) return length !== 2;
  // RFC 8446 App. D.4: in middlebox compatibility mode a client sends ChangeCipherSpec
  // before its second ClientHello, which is still plaintext.
  if (contentType === CONTENT_HANDSHAKE && st.tls13 && st.options.direction !== 'server' && st.bytes[bodyStart] === 1) return false;
  return true;
}

function decodeSslv2Record(st: StreamState, pos: number, headerLength: 2 | 3): number {
  const { bytes, ctx, problems } = st;
  const n = bytes.length;
  if (st.assembler.pending) st.assembler.flush('SSLv2');
  if (n - pos < headerLength) {
    problems.add({ kind: 'truncated', message: `SSLv2 record header is cut: ${n - pos} of ${headerLength} bytes present`, start: n - 1, end: n, missing: headerLength - (n - pos) });
    return n;
  }
  const b0 = bytes[pos];
  const b1 = bytes[pos + 1];
  // RFC 6101 App. E / SSL 2.0: 15-bit length (2-byte header) or 14-bit length plus padding (3-byte header).
  const length = headerLength === 2 ? ((b0 & 0x7f) << 8) | b1 : ((b0 & 0x3f) << 8) | b1;
  const bodyStart = pos + headerLength;
  const declaredEnd = bodyStart + length;
  const presentEnd = Math.min(declaredEnd, n);
  const lengthField = { start: pos, end: pos + 2 };
  const headerKids: FieldNode[] = [ctx.node('record_length', pos, pos + 2, { value: length, kind: 'length' })];
  if (headerLength === 3) headerKids.push(ctx.node('padding_length', pos + 2, pos + 3, { value: bytes[pos + 2], kind: 'length' }));
  const draft: RecordDraft = {
    format: 'sslv2',
    contentType: CONTENT_HANDSHAKE,
    version: SSL_2_0,
    length,
    start: pos,
    end: presentEnd,
    display: `SSLv2 record (${headerLength}-byte header)`,
    messages: [],
    children: [ctx.node('record_header', pos, bodyStart, { kind: 'header', children: headerKids })],
  };
  st.drafts.push(draft);
  if (declaredEnd > n) {
    problems.add({ kind: 'truncated', message: `SSLv2 record declares ${length} bytes but the dump ends after ${n - bodyStart}: ${declaredEnd - n} bytes missing (a cut capture or dump)`, start: pos, end: pos + 2, missing: declaredEnd - n });
  }
  const body = ByteCursor.over(bytes, bodyStart, declaredEnd, { label: 'SSLv2 record', lengthField });
  const type = bodyStart < n ? bytes[bodyStart] : -1;
  if (type === SSL2_MT_CLIENT_HELLO && !st.sslv2Session) {
    const hello = parseSslv2ClientHello(body, ctx);
    draft.messages.push(hello);
    draft.children.push(hello.field);
    if (hello.version === SSL_2_0) st.sslv2Session = true;
  } else if (type === SSL2_MT_SERVER_HELLO && !st.sslv2Session) {
    const hello = parseSslv2ServerHello(body, ctx);
    draft.messages.push(hello);
    draft.children.push(hello.field);
    st.sslv2Session = true;
  } else {
    // Later SSL 2.0 messages: shown, not decoded (most are encrypted).
    const span = body.skipPresent();
    draft.encrypted = true;
    draft.children.push(ctx.node('sslv2_data', span.start, span.end, { value: ctx.hex(span), display: type >= 0 ? `SSLv2 data (first byte ${sslv2MessageName(type)} if plaintext)` : undefined, kind: 'opaque' }));
  }
  return declaredEnd;
}

/**
 * A record header shown without its body (openssl -msg prints the header of
 * an encrypted record apart): the header is decoded, the absent body is not a
 * truncation.
 */
export function decodeRecordHeaderOnly(bytes: Uint8Array): DecodedTlsStream {
  const st = new StreamState(bytes, {});
  const { ctx, problems } = st;
  const n = bytes.length;
  if (n === 0) return st.result();
  if (!isTlsRecordContentType(bytes[0])) {
    problems.add({ kind: 'malformed', message: `byte 0x${hex2(bytes[0])} does not start a TLS record header (content type 20-24)`, start: 0, end: 1 });
    return st.result();
  }
  if (n < 5) {
    problems.add({ kind: 'truncated', message: `record header is cut: ${n} of 5 bytes present`, start: n - 1, end: n, missing: 5 - n });
    return st.result();
  }
  const contentType = bytes[0];
  const version = (bytes[1] << 8) | bytes[2];
  const length = (bytes[3] << 8) | bytes[4];
  const ct = lookupContentType(contentType);
  // The header is the wire's; whether the record was protected is not known here beyond its type.
  const protectedType = contentType === CONTENT_APPLICATION_DATA;
  const empty = length === 0 ? emptyRecordProblem(contentType, protectedType) : null;
  if (empty) ctx.malformed(empty, 3, 5);
  st.drafts.push({
    format: 'tls',
    contentType,
    version,
    length,
    start: 0,
    end: 5,
    display: `${ct.name} record header${protectedType ? ' (encrypted)' : ''} (body not shown)`,
    messages: [],
    bodyNotShown: true,
    // RFC 5246 §6.2.3, RFC 8446 §5.2: application_data is always protected; its length is a ciphertext's.
    ...(protectedType ? { encrypted: true } : {}),
    children: [
      ctx.node('record_header', 0, 5, {
        kind: 'header',
        children: [
          ctx.node('content_type', 0, 1, { value: contentType, display: ct.name, kind: 'enum' }),
          ctx.node('version', 1, 3, { value: version, display: describeVersion(version), kind: 'version' }),
          ctx.node('length', 3, 5, { value: length, kind: 'length' }),
        ],
      }),
    ],
  });
  if (length > MAX_CIPHERTEXT) {
    problems.add({ kind: 'malformed', message: `record length ${length} exceeds 2^14 + 2048 (record_overflow)`, start: 3, end: 5 });
  }
  if (n > 5) problems.add({ kind: 'malformed', message: `${n - 5} byte${n - 5 === 1 ? '' : 's'} after the record header`, start: 5, end: n });
  return st.result();
}

/**
 * Decrypted record content without a wire header (openssl -msg shows the
 * inner plaintext of protected records): handshake messages are decoded from
 * the content alone.
 */
export function decodeDecryptedContent(bytes: Uint8Array, contentType: number, options: { readonly version?: number } = {}): DecodedTlsStream {
  // The version the tool printed, when given, tells TLS 1.3 message forms from TLS 1.2 ones.
  const st = new StreamState(bytes, {}, options.version ?? null);
  const { ctx } = st;
  const ct = lookupContentType(contentType);
  const draft: RecordDraft = {
    format: 'tls',
    contentType,
    version: options.version ?? 0,
    length: bytes.length,
    start: 0,
    end: bytes.length,
    display: `decrypted ${ct.name} content`,
    messages: [],
    children: [],
    decrypted: true,
  };
  st.drafts.push(draft);
  const body = ByteCursor.over(bytes, 0, bytes.length, { label: `${ct.name} content` });
  if (contentType === CONTENT_HANDSHAKE) {
    st.assembler.push(0, bytes.length, draft);
    st.assembler.flush(null, true);
  } else if (contentType === CONTENT_ALERT) {
    const parsed = parseAlert(body, ctx);
    draft.children.push(parsed.node);
    if (parsed.alert) draft.alert = parsed.alert;
  } else if (contentType === CONTENT_CHANGE_CIPHER_SPEC && bytes.length > 0) {
    draft.children.push(ctx.node('change_cipher_spec', 0, 1, { value: bytes[0], kind: 'enum' }));
  } else if (bytes.length > 0) {
    const span = body.skipPresent();
    draft.children.push(ctx.node(`${ct.name}_data`, span.start, span.end, { value: ctx.hex(span), kind: 'opaque' }));
  }
  return st.result();
}
