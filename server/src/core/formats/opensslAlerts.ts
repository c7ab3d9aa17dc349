/**
 * Alerts OpenSSL states in words, wherever a program built on it prints them:
 *
 * - its info callback (postfix and posttls-finger at TLS log level 2, `openssl s_client -state`):
 *     SSL3 alert write:fatal:handshake failure
 *     SSL3 alert read:warning:close notify
 *   `read` is an alert the printing program received, `write` one it sent; the level and the
 *   description are OpenSSL's long names (SSL_alert_type_string_long, SSL_alert_desc_string_long);
 * - its error stack, when a fatal alert was received (postfix's `warning: TLS library problem:`,
 *   s_client's error lines, swaks's `*** TLS startup failed`, curl's `* OpenSSL/3.0.19: error:...`):
 *     error:0A000410:SSL routines::sslv3 alert handshake failure:../ssl/record/rec_layer_s3.c:1605:SSL alert number 40
 *   OpenSSL raises a received fatal alert as the error reason 1000 + its description (0x410 here),
 *   with the data `SSL alert number N` where the whole error is printed.
 *
 * Both become a stated alert event (model/transcript.ts StatedEvent, subject 'alert'), judged by
 * tls-alert as an alert decoded from bytes is. The error strings themselves (findOpensslErrors, with
 * Python's form of them) are also what the hover on an error explains (features/opensslErrorNotes.ts).
 */
import type { AlertStatement } from './statedFacts';

/**
 * SSL_alert_desc_string_long of libssl 3.0 → the AlertDescription value. Every name it returns other
 * than "unknown" (server/test/fixtures/stated-alerts: the table read from the library itself).
 */
export const OPENSSL_ALERT_NAMES: ReadonlyMap<string, number> = new Map([
  ['close notify', 0],
  ['unexpected_message', 10],
  ['bad record mac', 20],
  ['decryption failed', 21],
  ['record overflow', 22],
  ['decompression failure', 30],
  ['handshake failure', 40],
  ['no certificate', 41],
  ['bad certificate', 42],
  ['unsupported certificate', 43],
  ['certificate revoked', 44],
  ['certificate expired', 45],
  ['certificate unknown', 46],
  ['illegal parameter', 47],
  ['unknown CA', 48],
  ['access denied', 49],
  ['decode error', 50],
  ['decrypt error', 51],
  ['export restriction', 60],
  ['protocol version', 70],
  ['insufficient security', 71],
  ['internal error', 80],
  ['user canceled', 90],
  ['no renegotiation', 100],
  ['unsupported extension', 110],
  ['certificate unobtainable', 111],
  ['unrecognized name', 112],
  ['bad certificate status response', 113],
  ['bad certificate hash value', 114],
  ['unknown PSK identity', 115],
  ['no application protocol', 120],
]);

/**
 * The reason strings of the errors libssl raises for a fatal alert it received (ERR_reason_error_string,
 * libssl 3.0: server/test/fixtures/stated-alerts/alert-names.txt) → the AlertDescription value. For
 * outputs that print the reason without the code: Python's `ssl.SSLError: [SSL: ...] sslv3 alert
 * handshake failure (_ssl.c:1006)`.
 */
export const OPENSSL_ALERT_REASONS: ReadonlyMap<string, number> = new Map([
  ['sslv3 alert unexpected message', 10],
  ['sslv3 alert bad record mac', 20],
  ['tlsv1 alert decryption failed', 21],
  ['tlsv1 alert record overflow', 22],
  ['sslv3 alert decompression failure', 30],
  ['sslv3 alert handshake failure', 40],
  ['sslv3 alert no certificate', 41],
  ['sslv3 alert bad certificate', 42],
  ['sslv3 alert unsupported certificate', 43],
  ['sslv3 alert certificate revoked', 44],
  ['sslv3 alert certificate expired', 45],
  ['sslv3 alert certificate unknown', 46],
  ['sslv3 alert illegal parameter', 47],
  ['tlsv1 alert unknown ca', 48],
  ['tlsv1 alert access denied', 49],
  ['tlsv1 alert decode error', 50],
  ['tlsv1 alert decrypt error', 51],
  ['tlsv1 alert export restriction', 60],
  ['tlsv1 alert protocol version', 70],
  ['tlsv1 alert insufficient security', 71],
  ['tlsv1 alert internal error', 80],
  ['tlsv1 alert inappropriate fallback', 86],
  ['tlsv1 alert user cancelled', 90],
  ['tlsv1 alert no renegotiation', 100],
  ['tlsv13 alert missing extension', 109],
  ['tlsv1 unsupported extension', 110],
  ['tlsv1 certificate unobtainable', 111],
  ['tlsv1 unrecognized name', 112],
  ['tlsv1 bad certificate status response', 113],
  ['tlsv1 bad certificate hash value', 114],
  ['tlsv1 alert unknown psk identity', 115],
  ['tlsv13 alert certificate required', 116],
  ['tlsv1 alert no application protocol', 120],
]);

/** SSL_alert_type_string_long → AlertLevel. */
const LEVELS: Readonly<Record<string, number>> = { warning: 1, fatal: 2 };

const STATE_ALERT = /^SSL3 alert (read|write):(warning|fatal):([A-Za-z_ ]{1,40})$/;

/**
 * The info callback's line `SSL3 alert read:fatal:handshake failure` at text[start, end) (the
 * message, after any log prefix); null when it is no such line or names a description OpenSSL
 * calls "unknown" (it has no name for it, so the value is not in the text).
 */
export function parseStateAlert(text: string, start: number, end: number): AlertStatement | null {
  if (end - start < 20 || !text.startsWith('SSL3 alert ', start)) return null;
  const m = STATE_ALERT.exec(text.slice(start, Math.min(end, start + 80)).trimEnd());
  if (!m) return null;
  const description = OPENSSL_ALERT_NAMES.get(m[3]);
  if (description === undefined) return null;
  const at = start + m[0].length - m[3].length;
  return { received: m[1] === 'read', level: LEVELS[m[2]], description, descriptionSpan: { start: at, end: at + m[3].length }, byError: false };
}

/** An OpenSSL error code in an error string: `error:0A000410:` (3.x) or `error:14094410:` (1.x). */
const ERROR_CODE = /error:([0-9A-F]{8}):/;
const ALERT_NUMBER = /:SSL alert number ([0-9]{1,3})(?![0-9])/;
/** OpenSSL's library number of libssl (ERR_LIB_SSL). */
const LIB_SSL = 20;
/** libssl raises a fatal alert it received as the error reason SSL_AD_REASON_OFFSET + its description. */
const SSL_AD_REASON_OFFSET = 1000;
/** How far into a line an error is looked for: OpenSSL's error lines are short, a log prefix and a file path add some. */
const ERROR_SCAN = 600;

/**
 * The alert a libssl error code stands for: `0A000410` (3.x: the library in bits 23-30, the reason in
 * bits 0-22) or `14094410` (1.x: the library in bits 24-31, the function in 12-23, the reason in 0-11)
 * with reason 1040 is a received fatal alert 40. Null for any other error.
 */
export function alertOfErrorCode(code: number): number | null {
  let reason: number;
  if (code >>> 24 === LIB_SSL) reason = code & 0xfff;
  else if (code >>> 23 === LIB_SSL) reason = code & 0x7fffff;
  else return null;
  const description = reason - SSL_AD_REASON_OFFSET;
  return description >= 0 && description < 256 ? description : null;
}

/**
 * A received fatal alert in an OpenSSL error string at text[start, end): its code (`error:0A000410:`,
 * what every program that prints OpenSSL's errors shows: s_client, postfix, swaks, curl) or the data
 * `SSL alert number 40` that ERR_print_errors adds; null when the line states none.
 */
export function parseErrorAlert(text: string, start: number, end: number): AlertStatement | null {
  const slice = text.slice(start, Math.min(end, start + ERROR_SCAN));
  const code = ERROR_CODE.exec(slice);
  if (!code) return null;
  const number = ALERT_NUMBER.exec(slice);
  if (number) {
    const description = Number(number[1]);
    if (description > 255) return null;
    const at = start + number.index + 1;
    return { received: true, level: 2, description, descriptionSpan: { start: at, end: at + number[0].length - 1 }, byError: true };
  }
  const description = alertOfErrorCode(parseInt(code[1], 16));
  if (description === null) return null;
  // The error string from `error:` through its reason; to the end of what was read when it is cut short.
  const whole = findOpensslErrors(slice, start).find((e) => e.start === start + code.index);
  return { received: true, level: 2, description, descriptionSpan: { start: start + code.index, end: whole ? whole.end : start + slice.length }, byError: true };
}

/**
 * OpenSSL's error string: `error:CODE:LIBRARY:FUNCTION:REASON` (the reason ends at `:`, a file following, `)`, the ` [FILE line N]`
 * PHP appends, or the line's end).
 */
const ERROR_STRING = /error:([0-9A-F]{8}):([^:\r\n]{0,40}):([^:\r\n]{0,60}):([^:)[\r\n]{1,80})/g;
/** Python's form of it: `[SSL: NO_SHARED_CIPHER] no shared cipher (_ssl.c:1006)`, the reason without the code. */
const PYTHON_ERROR = /\[SSL: [A-Z0-9_]{1,60}\] ([a-z0-9 ]{1,80}) \(_ssl\.c:[0-9]{1,6}\)/g;

/** An OpenSSL error in a line: the whole error, its code (none in Python's form) and its reason (libssl's string, as written: spaces around it kept). */
export interface OpensslError {
  readonly start: number;
  readonly end: number;
  readonly code: string | null;
  readonly reason: string;
  readonly reasonStart: number;
}

/** The OpenSSL errors in `line` (offsets plus `offset`): its error strings, then Python's forms of them. */
export function findOpensslErrors(line: string, offset = 0): OpensslError[] {
  const out: OpensslError[] = [];
  for (const m of line.matchAll(ERROR_STRING)) {
    const reasonStart = offset + m.index + m[0].length - m[4].length;
    // The space before PHP's ` [FILE line N]` is not the error's.
    const reason = line.charCodeAt(m.index + m[0].length) === 91 ? m[4].trimEnd() : m[4];
    out.push({ start: offset + m.index, end: reasonStart + reason.length, code: m[1], reason, reasonStart });
  }
  for (const m of line.matchAll(PYTHON_ERROR)) {
    const reasonStart = offset + m.index + m[0].indexOf(m[1], m[0].indexOf(']'));
    out.push({ start: offset + m.index, end: offset + m.index + m[0].length, code: null, reason: m[1], reasonStart });
  }
  return out;
}

/** Python's ssl exception, `ssl.SSLError: [SSL: SSLV3_ALERT_HANDSHAKE_FAILURE] sslv3 alert handshake failure (_ssl.c:1006)`: up to the error. */
const PYTHON_SSL_EXCEPTION = /^ssl\.SSL[A-Za-z]{0,30}Error: /;

/** A received fatal alert in Python's ssl exception line at text[start, end); null for any other line or error. */
export function parsePythonSslError(text: string, start: number, end: number): AlertStatement | null {
  if (!text.startsWith('ssl.SSL', start)) return null;
  const head = text.slice(start, Math.min(end, start + 200));
  const exception = PYTHON_SSL_EXCEPTION.exec(head);
  const error = exception ? findOpensslErrors(head, start).find((e) => e.code === null && e.start === start + exception[0].length) : undefined;
  const description = error ? OPENSSL_ALERT_REASONS.get(error.reason) : undefined;
  if (!error || description === undefined) return null;
  return { received: true, level: 2, description, descriptionSpan: { start: error.reasonStart, end: error.reasonStart + error.reason.length }, byError: true };
}
