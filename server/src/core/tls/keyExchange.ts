/**
 * ServerKeyExchange, ClientKeyExchange (RFC 5246 §7.4.3, §7.4.7; RFC 8422
 * §5.4, §5.7; RFC 4279 §2-4; RFC 5054 §2.8) and CertificateVerify
 * (RFC 5246 §7.4.8, RFC 8446 §4.4.3). Their contents follow the key exchange
 * of the selected cipher suite; when the stream did not show it, the form
 * whose lengths fit the message is taken.
 */
import type { OtherHandshakeMessage } from '../model/tls';
import type { ByteCursor } from './byteCursor';
import { FieldReader } from './fieldReader';
import { frameNode, frameSpan, type MessageFrame } from './messageFrame';
import type { ParseContext } from './parseContext';
import { describeCipherSuite } from './registry/cipherSuiteProperties';
import { lookupSignatureScheme } from './registry/signatureSchemes';
import { lookupSupportedGroup } from './registry/supportedGroups';
import { SSL_3_0, TLS_1_2 } from './registry/versions';
import type { SessionHints } from './sessionHints';

/** RFC 8422 §5.4: ECCurveType. */
export const EC_CURVE_TYPE_EXPLICIT_PRIME = 1;
export const EC_CURVE_TYPE_EXPLICIT_CHAR2 = 2;
export const EC_CURVE_TYPE_NAMED_CURVE = 3;

function describeCurveType(v: number): string {
  if (v === EC_CURVE_TYPE_EXPLICIT_PRIME) return 'explicit_prime';
  if (v === EC_CURVE_TYPE_EXPLICIT_CHAR2) return 'explicit_char2';
  if (v === EC_CURVE_TYPE_NAMED_CURVE) return 'named_curve';
  return `unknown (${v})`;
}

/** Key exchange families whose messages share a layout. */
type Family = 'rsa' | 'dh' | 'ec' | 'psk' | 'dh_psk' | 'ec_psk' | 'rsa_psk' | 'srp' | 'unknown';

function familyOf(hints: SessionHints): Family {
  if (hints.cipherSuite === null) return 'unknown';
  const kx = describeCipherSuite(hints.cipherSuite).keyExchange;
  switch (kx) {
    case 'RSA':
      return 'rsa';
    case 'DHE':
    case 'DH':
      return 'dh';
    case 'ECDHE':
    case 'ECDH':
      return 'ec';
    case 'PSK':
      return 'psk';
    case 'DHE_PSK':
      return 'dh_psk';
    case 'ECDHE_PSK':
      return 'ec_psk';
    case 'RSA_PSK':
      return 'rsa_psk';
    case 'SRP':
      return 'srp';
    default:
      return 'unknown';
  }
}

const NON_EMPTY = { nonEmpty: true } as const;

const u16At = (c: ByteCursor, i: number): number | null => (i + 2 <= c.presentEnd ? (c.data[i] << 8) | c.data[i + 1] : null);

function finishMessage(type: number, name: string, r: FieldReader, ctx: ParseContext, frame: MessageFrame, details: Record<string, unknown>): OtherHandshakeMessage {
  const c = r.c;
  if (!c.failed) c.finish();
  const cut = ctx.settle(c) || c.presentEnd < c.end;
  const span = frameSpan(ctx, frame);
  return {
    type,
    name,
    start: span.start,
    end: span.end,
    field: frameNode(ctx, frame, name, r.nodes),
    details,
    ...(cut ? { incomplete: true } : {}),
  };
}

/**
 * digitally-signed (RFC 5246 §4.7): TLS 1.2 and 1.3 put a SignatureScheme
 * before the signature, TLS 1.0/1.1 and SSL 3.0 do not.
 */
function readSignature(r: FieldReader, hints: SessionHints, details: Record<string, unknown>): void {
  const c = r.c;
  let withAlgorithm: boolean;
  if (hints.version !== null) withAlgorithm = hints.version >= TLS_1_2;
  else withAlgorithm = u16At(c, c.pos) !== c.remaining - 2;
  if (withAlgorithm) {
    const alg = r.readU16('signature_algorithm', lookupSignatureScheme);
    if (alg === undefined) return;
    details.signatureAlgorithm = alg;
    details.signatureAlgorithmName = lookupSignatureScheme(alg).name;
  }
  const sig = r.readOpaque(2, 'signature');
  if (sig) details.signatureLength = sig.length;
}

/** ServerECDHParams (RFC 8422 §5.4): curve, then the point. */
function readEcParams(r: FieldReader, details: Record<string, unknown>): boolean {
  const at = r.c.pos;
  const type = r.readU8('curve_type', describeCurveType);
  if (type === undefined) return false;
  details.curveType = describeCurveType(type);
  if (type === EC_CURVE_TYPE_EXPLICIT_PRIME || type === EC_CURVE_TYPE_EXPLICIT_CHAR2) {
    // RFC 4492 §5.4 (removed by RFC 8422): explicit curve parameters.
    if (!readExplicitCurve(r, type, details)) return false;
  } else if (type === EC_CURVE_TYPE_NAMED_CURVE) {
    const group = r.readU16('named_curve', lookupSupportedGroup);
    if (group === undefined) return false;
    details.namedGroup = group;
    details.namedGroupName = lookupSupportedGroup(group).name;
  } else {
    // Nothing after an unknown curve type can be read: the layout fits no ECDHE key exchange.
    r.ctx.malformed(`curve_type ${type} is none of explicit_prime (1), explicit_char2 (2), named_curve (3) (RFC 8422 §5.4)`, at, at + 1);
    r.readRest('curve_parameters_and_public');
    return false;
  }
  // RFC 8422 §5.4: ECPoint point<1..2^8-1>.
  const point = r.readOpaque(1, 'public', NON_EMPTY);
  if (!point) return false;
  details.publicKeyLength = point.length;
  details.publicKey = point.hex;
  return true;
}

/**
 * RFC 4492 §5.4 ECParameters of an explicit curve: explicit_prime carries
 * prime_p; explicit_char2 carries m, the basis and its k values; both then
 * ECCurve (a, b), the base point, order and cofactor, each opaque<1..2^8-1>.
 */
function readExplicitCurve(r: FieldReader, type: number, details: Record<string, unknown>): boolean {
  const lengths: Record<string, number> = {};
  // RFC 4492 §5.4: every one of these is opaque<1..2^8-1> (the base point an ECPoint of the same bounds).
  const opaque = (name: string): boolean => {
    const v = r.readOpaque(1, name, NON_EMPTY);
    if (v) lengths[name] = v.length;
    return v !== undefined;
  };
  if (type === EC_CURVE_TYPE_EXPLICIT_PRIME) {
    if (!opaque('prime_p')) return false;
  } else {
    const m = r.readU16('m', (v) => String(v), 'length');
    if (m === undefined) return false;
    details.m = m;
    // RFC 4492 §5.4: ECBasisType ec_basis_trinomial(1) with k, ec_basis_pentanomial(2) with k1, k2, k3.
    const basisAt = r.c.pos;
    const basis = r.readU8('basis', (v) => (v === 1 ? 'ec_basis_trinomial' : v === 2 ? 'ec_basis_pentanomial' : `unknown (${v})`));
    if (basis === undefined) return false;
    details.basis = basis;
    for (const k of basis === 1 ? ['k'] : basis === 2 ? ['k1', 'k2', 'k3'] : []) if (!opaque(k)) return false;
    if (basis !== 1 && basis !== 2) {
      r.ctx.malformed(`basis ${basis} is neither ec_basis_trinomial (1) nor ec_basis_pentanomial (2) (RFC 4492 §5.4)`, basisAt, basisAt + 1);
      r.readRest('curve_parameters_and_public');
      return false;
    }
  }
  for (const name of ['a', 'b', 'base', 'order', 'cofactor']) if (!opaque(name)) return false;
  details.explicitCurve = lengths;
  return true;
}

/** ServerDHParams (RFC 5246 §7.4.3): p, g, Ys, each opaque<1..2^16-1>; pBits, the size of the group's prime. */
function readDhParams(r: FieldReader, details: Record<string, unknown>): boolean {
  for (const [name, key] of [['dh_p', 'pLength'], ['dh_g', 'gLength'], ['dh_Ys', 'ysLength']] as const) {
    const v = r.readOpaque(2, name, NON_EMPTY);
    if (!v) return false;
    details[key] = v.length;
    if (name === 'dh_p') details.pBits = bitLength(v.body, v.length);
  }
  return true;
}

/**
 * The size in bits of a big-endian unsigned number of `length` bytes whose present bytes `body` starts
 * with (leading zero bytes and bits not counted); its declared size when no non-zero byte is present.
 */
export function bitLength(body: ByteCursor, length: number): number {
  const start = body.pos;
  const end = Math.min(body.presentEnd, start + length);
  for (let i = start; i < end; i++) {
    const b = body.data[i];
    if (b !== 0) return (length - (i - start) - 1) * 8 + (32 - Math.clz32(b));
  }
  return end > start && end - start === length ? 0 : length * 8;
}

export function parseServerKeyExchange(c: ByteCursor, ctx: ParseContext, frame: MessageFrame, hints: SessionHints): OtherHandshakeMessage {
  const r = new FieldReader(c, ctx);
  let family = familyOf(hints);
  if (family === 'unknown') {
    // Named-curve ECDHE starts 03 <group> <point length>; DHE with a short p is rare enough.
    const at = c.pos;
    const pointLength = at + 3 < c.presentEnd ? c.data[at + 3] : -1;
    family = at < c.presentEnd && c.data[at] === EC_CURVE_TYPE_NAMED_CURVE && pointLength > 0 && pointLength + 4 <= c.remaining ? 'ec' : 'dh';
  }
  const suite = hints.cipherSuite !== null ? describeCipherSuite(hints.cipherSuite) : null;
  const details: Record<string, unknown> = { keyExchange: suite?.keyExchange ?? (family === 'ec' ? 'ECDHE' : 'DHE') };
  parse: {
    if (family === 'psk' || family === 'dh_psk' || family === 'ec_psk' || family === 'rsa_psk') {
      // RFC 4279 §2, §3, §4; RFC 5489 §2: psk_identity_hint<0..2^16-1> first.
      const hint = r.readOpaque(2, 'psk_identity_hint');
      if (!hint) break parse;
      details.pskIdentityHint = ctx.text(hint.span);
      if (family === 'psk' || family === 'rsa_psk') break parse;
      if (!(family === 'ec_psk' ? readEcParams(r, details) : readDhParams(r, details))) break parse;
      break parse; // PSK key exchanges are not signed.
    }
    if (family === 'rsa') {
      // RFC 2246 §7.4.3: ServerRSAParams of export suites, rsa_modulus<1..2^16-1>, rsa_exponent<1..2^16-1>.
      if (!r.readOpaque(2, 'rsa_modulus', NON_EMPTY)) break parse;
      if (!r.readOpaque(2, 'rsa_exponent', NON_EMPTY)) break parse;
    } else if (family === 'srp') {
      // RFC 5054 §2.8: ServerSRPParams, every one <1..2^N-1>.
      if (!r.readOpaque(2, 'srp_N', NON_EMPTY) || !r.readOpaque(2, 'srp_g', NON_EMPTY) || !r.readOpaque(1, 'srp_s', NON_EMPTY) || !r.readOpaque(2, 'srp_B', NON_EMPTY)) break parse;
    } else if (family === 'ec') {
      if (!readEcParams(r, details)) break parse;
    } else if (!readDhParams(r, details)) break parse;
    // RFC 5246 §7.4.3: anonymous key exchanges carry no signature.
    if (suite?.flags.anon) break parse;
    if (suite === null && c.atEnd) break parse;
    readSignature(r, hints, details);
  }
  return finishMessage(12, 'ServerKeyExchange', r, ctx, frame, details);
}

export function parseClientKeyExchange(c: ByteCursor, ctx: ParseContext, frame: MessageFrame, hints: SessionHints): OtherHandshakeMessage {
  const r = new FieldReader(c, ctx);
  const family = familyOf(hints);
  const details: Record<string, unknown> = {};
  parse: {
    if (family === 'psk' || family === 'dh_psk' || family === 'ec_psk' || family === 'rsa_psk') {
      // RFC 4279 §2-4: psk_identity<0..2^16-1> first.
      const id = r.readOpaque(2, 'psk_identity');
      if (!id) break parse;
      details.pskIdentity = ctx.text(id.span);
      if (family === 'psk') break parse;
    }
    if (family === 'ec' || family === 'ec_psk') {
      // RFC 8422 §5.7: ECPoint ecdh_Yc<1..2^8-1>.
      const p = r.readOpaque(1, 'ecdh_Yc', NON_EMPTY);
      if (p) Object.assign(details, { form: 'ecdh', publicKeyLength: p.length, publicKey: p.hex });
      break parse;
    }
    if (family === 'dh' || family === 'dh_psk') {
      // RFC 5246 §7.4.7.2: opaque dh_Yc<1..2^16-1> (explicit).
      const y = r.readOpaque(2, 'dh_Yc', NON_EMPTY);
      if (y) Object.assign(details, { form: 'dh', publicKeyLength: y.length });
      break parse;
    }
    if (family === 'rsa' || family === 'rsa_psk') {
      // RFC 5246 §7.4.7.1: EncryptedPreMasterSecret; SSL 3.0 sends it without a length (RFC 6101 §5.6.7.1).
      if (hints.version === SSL_3_0) {
        const rest = r.readRest('encrypted_pre_master_secret');
        Object.assign(details, { form: 'rsa', encryptedPreMasterSecretLength: rest.length });
      } else {
        const e = r.readOpaque(2, 'encrypted_pre_master_secret');
        if (e) Object.assign(details, { form: 'rsa', encryptedPreMasterSecretLength: e.length });
      }
      break parse;
    }
    if (family === 'srp') {
      // RFC 5054 §2.8: opaque srp_A<1..2^16-1>.
      r.readOpaque(2, 'srp_A', NON_EMPTY);
      break parse;
    }
    // Key exchange not known here (the client's stream does not carry the
    // ServerHello): a one-byte length covering the body is an EC point, a
    // two-byte length an RSA-encrypted secret or a DH value.
    const at = c.pos;
    if (at < c.presentEnd && c.data[at] === c.remaining - 1 && c.remaining > 1) {
      const p = r.readOpaque(1, 'ecdh_Yc');
      if (p) Object.assign(details, { form: 'ecdh', publicKeyLength: p.length, publicKey: p.hex });
    } else if (u16At(c, at) === c.remaining - 2) {
      const e = r.readOpaque(2, 'exchange_keys', { display: 'RSA-encrypted premaster secret or DH public value' });
      if (e) Object.assign(details, { form: 'rsa-or-dh', exchangeKeysLength: e.length });
    } else {
      const fits = fitsPskLayout(c, at) || isUnprefixedRsaBlock(c.remaining);
      const rest = r.readRest('exchange_keys');
      Object.assign(details, { form: 'unknown', exchangeKeysLength: rest.length });
      if (!fits && c.data.length >= frame.end) {
        ctx.malformed(
          `ClientKeyExchange body of ${rest.length} bytes fits no key exchange: no 1-byte length (EC point) or 2-byte length (RSA secret, DH value) covers it, nor a PSK identity followed by one, and it is no unprefixed SSL 3.0 RSA block`,
          at,
          Math.min(at + 2, c.end),
        );
      }
    }
  }
  return finishMessage(16, 'ClientKeyExchange', r, ctx, frame, details);
}

/** RFC 4279 §2–4, RFC 5489: psk_identity<0..2^16-1>, then nothing, a 1-byte-length EC point or a 2-byte-length value, covering the body. */
function fitsPskLayout(c: ByteCursor, at: number): boolean {
  const idLength = u16At(c, at);
  if (idLength === null) return false;
  const rest = c.remaining - 2 - idLength;
  if (rest < 0) return false;
  if (rest === 0) return true;
  const after = at + 2 + idLength;
  if (after < c.presentEnd && c.data[after] === rest - 1) return true;
  return u16At(c, after) === rest - 2;
}

/** SSL 3.0 sends the RSA-encrypted premaster secret without a length (RFC 6101 §5.6.7.1): one block of a usual modulus size. */
function isUnprefixedRsaBlock(length: number): boolean {
  return length >= 64 && length <= 1024 && length % 32 === 0;
}

export function parseCertificateVerify(c: ByteCursor, ctx: ParseContext, frame: MessageFrame, hints: SessionHints): OtherHandshakeMessage {
  const r = new FieldReader(c, ctx);
  const details: Record<string, unknown> = {};
  readSignature(r, hints, details);
  return finishMessage(15, 'CertificateVerify', r, ctx, frame, details);
}

export { finishMessage };
