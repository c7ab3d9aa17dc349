/**
 * The key exchange's group as tools state it in words:
 *   Postfix (smtpd, postfix/smtp, posttls-finger), in its `TLS connection established` line:
 *     ... with cipher DHE-RSA-AES256-GCM-SHA384 (256/256 bits) key-exchange DHE (1024 bits) server-signature ...
 *     ... key-exchange X25519 ...    ... key-exchange ECDHE (prime256v1) ...
 *   openssl s_client, after the handshake (and with -brief):
 *     Server Temp Key: DH, 1024 bits    Server Temp Key: ECDH, prime256v1, 256 bits    Server Temp Key: X25519, 253 bits
 */
import type { StatedEvent, StatedKeyExchange, TextSpan } from '../model/transcript';

/** Whether a key exchange's name is a finite-field Diffie-Hellman one (RFC 5246's DHE, RFC 7919's ffdhe groups). */
function isFiniteField(name: string): boolean {
  return name === 'DHE' || name === 'DH' || /^ffdhe[0-9]{4}$/i.test(name);
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

/** The stated event of a key exchange a tool states on a line of its own (s_client's `Server Temp Key:`). */
export function statedKeyExchangeEvent(line: number, span: TextSpan, text: string, keyExchange: StatedKeyExchange): StatedEvent {
  return { kind: 'stated', line, direction: 'server', statedByTool: true, subject: 'key-exchange', span, text, keyExchange, valueSpans: { keyExchange: keyExchange.span } };
}
