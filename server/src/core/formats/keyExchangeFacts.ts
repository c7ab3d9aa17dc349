/**
 * The key exchange's group as tools state it in words:
 *   Postfix (smtpd, postfix/smtp, posttls-finger), in its `TLS connection established` line:
 *     ... with cipher DHE-RSA-AES256-GCM-SHA384 (256/256 bits) key-exchange DHE (1024 bits) server-signature ...
 *     ... key-exchange X25519 ...    ... key-exchange ECDHE (prime256v1) ...
 *   openssl s_client, after the handshake (and with -brief):
 *     Server Temp Key: DH, 1024 bits    Server Temp Key: ECDH, prime256v1, 256 bits    Server Temp Key: X25519, 253 bits
 *   GnuTLS's session description (gnutls-cli, msmtp, Exim), its key exchange group first:
 *     (TLS1.2-X.509)-(DHE-CUSTOM1024)-(RSA-SHA256)-(AES-256-GCM)    (DHE-FFDHE2048)    (ECDHE-SECP256R1)    (ECDHE-X25519)
 */
import type { StatedEvent, StatedKeyExchange, TextSpan } from '../model/transcript';

/** Whether a key exchange's name is a finite-field Diffie-Hellman one (RFC 5246's DHE, RFC 7919's ffdhe groups). */
function isFiniteField(name: string): boolean {
  return name === 'DHE' || name === 'DH' || /^ffdhe[0-9]{4}$/i.test(name);
}

/**
 * The size in bits of a prime of `length` bytes whose first byte a tool prints (`dh_p (len=128): B58C...`), or
 * its declared size when the first byte is not given or is zero.
 */
export function primeBits(length: number, firstByte: number | null): number {
  return length * 8 - (firstByte !== null && firstByte > 0 ? Math.clz32(firstByte) - 24 : 0);
}

/** Postfix's ` key-exchange NAME`, then ` (N bits)` or ` (CURVE)`. */
const POSTFIX_KEY_EXCHANGE = / key-exchange ([A-Za-z0-9_-]{1,24})(?: \((?:([0-9]{1,6}) bits|([A-Za-z0-9_-]{1,40}))\))?/;

/** The key exchange an established line (document text from `start` to `end`) states, or null. */
export function parsePostfixKeyExchange(text: string, start: number, end: number): StatedKeyExchange | null {
  const at = text.indexOf(' key-exchange ', start);
  if (at < 0 || at >= end) return null;
  const m = POSTFIX_KEY_EXCHANGE.exec(text.slice(at, Math.min(end, at + 120)));
  if (!m || m.index !== 0) return null;
  const wordsStart = at + ' key-exchange '.length;
  return { name: m[1], finiteField: isFiniteField(m[1]), bits: m[2] !== undefined ? Number(m[2]) : null, curve: m[3] ?? null, span: { start: wordsStart, end: at + m[0].length } };
}

const TEMP_KEY = 'Server Temp Key: ';
/** `DH, 1024 bits`, `ECDH, prime256v1, 256 bits`, `X25519, 253 bits` after s_client's label. */
const TEMP_KEY_VALUE = /^([A-Za-z0-9_-]{1,24})(?:, ([A-Za-z0-9_-]{1,40}))?, ([0-9]{1,6}) bits[ \t\r]*$/;

/** s_client's `Server Temp Key:` line (document text from `s` to the line end `e`), or null for any other line. */
export function parseServerTempKey(text: string, s: number, e: number): StatedKeyExchange | null {
  if (!text.startsWith(TEMP_KEY, s)) return null;
  const vs = s + TEMP_KEY.length;
  const m = TEMP_KEY_VALUE.exec(text.slice(vs, Math.min(e, vs + 100)));
  if (!m) return null;
  const words = m[0].trimEnd();
  return { name: m[1], finiteField: isFiniteField(m[1]), bits: Number(m[3]), curve: m[2] ?? null, span: { start: vs, end: vs + words.length } };
}

/** GnuTLS's key exchange group: DHE with a group of its own (CUSTOM and its bits) or RFC 7919's, ECDHE with a curve. */
const GNUTLS_GROUP = /^\((DHE|ECDHE)-(CUSTOM([0-9]{3,5})|FFDHE[0-9]{4}|[A-Z0-9]{3,20})\)/;

/**
 * The key exchange GnuTLS's description of the algorithms states (`(DHE-CUSTOM1024)-(RSA-SHA256)-(AES-256-GCM)`,
 * starting at document offset `start`), or null when its first group names none (RSA key transport, TLS 1.3's `(RSA-PSS-RSAE-SHA256)`).
 */
export function parseGnutlsKeyExchange(algorithms: string, start: number): StatedKeyExchange | null {
  const m = GNUTLS_GROUP.exec(algorithms);
  if (!m) return null;
  const finiteField = m[1] === 'DHE';
  // GnuTLS names curves in capitals (SECP256R1, X25519); the curve table knows OpenSSL's lower-case names.
  const group = m[2];
  const bits = m[3] !== undefined ? Number(m[3]) : /^FFDHE/.test(group) ? Number(group.slice(5)) : null;
  return { name: `${m[1]}-${group}`, finiteField, bits, curve: finiteField ? null : group.toLowerCase(), span: { start: start + 1, end: start + m[0].length - 1 } };
}

/** The stated event of a key exchange a tool states on a line of its own (s_client's `Server Temp Key:`). */
export function statedKeyExchangeEvent(line: number, span: TextSpan, text: string, keyExchange: StatedKeyExchange): StatedEvent {
  return { kind: 'stated', line, direction: 'server', statedByTool: true, subject: 'key-exchange', span, text, keyExchange, valueSpans: { keyExchange: keyExchange.span } };
}
