/** Versions and names as tools write them in words, turned into wire values. */
import type { Direction, StatedEvent, StatedKeyExchange, TextSpan } from '../model/transcript';
import { parseGnutlsKeyExchange } from './keyExchangeFacts';

/**
 * "TLSv1.3", "TLSv1", "TLS 1.2", "SSLv3", "SSL 3.0", "TLS1.3" -> 0x0304, 0x0301, 0x0303,
 * 0x0300, 0x0300, 0x0304; undefined when not a version name.
 */
export function parseTlsVersionName(name: string): number | undefined {
  const m = /^(TLS|SSL|DTLS)[ v]?([0-9])(?:\.([0-9]))?$/i.exec(name.trim());
  if (!m) return undefined;
  const major = Number(m[2]);
  const minor = m[3] === undefined ? 0 : Number(m[3]);
  const kind = m[1].toUpperCase();
  if (kind === 'SSL') return major === 3 ? 0x0300 : major === 2 ? 0x0002 : undefined;
  if (kind === 'TLS' && major === 1 && minor <= 3) return 0x0301 + minor;
  return undefined;
}

/** gnutls' "3.3" (major.minor of the wire version) -> 0x0303. */
export function parseDottedVersion(text: string): number | undefined {
  const m = /^([0-9]{1,3})\.([0-9]{1,3})$/.exec(text);
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major < 256 && minor < 256 ? (major << 8) | minor : undefined;
}

/** "0x303" / "0x0303" -> 0x0303. */
export function parseHexValue(text: string): number | undefined {
  const m = /^0x([0-9A-Fa-f]{1,4})$/.exec(text);
  return m ? parseInt(m[1], 16) : undefined;
}

/** One group of GnuTLS's description: "(ARCFOUR-128)". */
const ALGORITHM_GROUPS = /^\([A-Z0-9][A-Z0-9-]{0,40}\)(?:-\([A-Z0-9][A-Z0-9-]{0,40}\)){0,5}$/;

/**
 * The algorithms of GnuTLS's session description (gnutls_session_get_desc, printed by gnutls-cli,
 * msmtp and Exim): in "(TLS1.2-X.509)-(RSA)-(ARCFOUR-128)-(SHA1)" the part after the version
 * group, "(RSA)-(ARCFOUR-128)-(SHA1)", with its offset in `text`; null when `text` from `at` is
 * no such description.
 */
export function describedAlgorithms(text: string, at: number): { value: string; start: number } | null {
  if (text.charCodeAt(at) !== 40) return null;
  const close = text.indexOf(')-(', at);
  if (close < 0 || close - at > 24) return null;
  const value = text.slice(close + 2).trimEnd();
  return ALGORITHM_GROUPS.test(value) ? { value, start: close + 2 } : null;
}

/** The groups of a GnuTLS description's algorithms: "(RSA)-(ARCFOUR-128)-(SHA1)" → RSA, ARCFOUR-128, SHA1. */
export function algorithmGroups(algorithms: string): string[] {
  return algorithms.replace(/^\(|\)$/g, '').split(')-(');
}

/** A value a tool states, where its text is in the document; `value` undefined when the text is no such value. */
export interface StatedText<T> {
  readonly value: T | undefined;
  readonly span: TextSpan;
}

/**
 * The stated event of a negotiation a tool or log reports in words ("TLSv1.2 with cipher RC4-SHA",
 * GnuTLS's description, Exim's X=): each fact given is kept with the span of its text (a fact
 * whose text is no value keeps only its span).
 */
export function statedNegotiation(
  line: number,
  span: TextSpan,
  text: string,
  facts: { readonly version?: StatedText<number>; readonly cipherName?: StatedText<string>; readonly cipherAlgorithms?: StatedText<string> },
  direction: Direction | null = null,
): StatedEvent {
  const valueSpans: Record<string, TextSpan> = {};
  const values: { version?: number; cipherName?: string; cipherAlgorithms?: string } = {};
  if (facts.version) {
    valueSpans.version = facts.version.span;
    if (facts.version.value !== undefined) values.version = facts.version.value;
  }
  if (facts.cipherName) {
    valueSpans.cipherName = facts.cipherName.span;
    if (facts.cipherName.value !== undefined) values.cipherName = facts.cipherName.value;
  }
  let keyExchange: StatedKeyExchange | null = null;
  if (facts.cipherAlgorithms) {
    const value = facts.cipherAlgorithms.value;
    // GnuTLS's first group is the key exchange (`(DHE-CUSTOM1024)`): its own value, whose words come first when hovered.
    keyExchange = value !== undefined ? parseGnutlsKeyExchange(value, facts.cipherAlgorithms.span.start) : null;
    if (keyExchange) valueSpans.keyExchange = keyExchange.span;
    valueSpans.cipherAlgorithms = facts.cipherAlgorithms.span;
    if (value !== undefined) values.cipherAlgorithms = value;
  }
  return { kind: 'stated', line, direction, statedByTool: true, subject: 'negotiated', span, text, ...values, ...(keyExchange ? { keyExchange } : {}), valueSpans };
}

/** The span of `length` characters from `start`. */
export function spanAt(start: number, length: number): TextSpan {
  return { start, end: start + length };
}

/** An alert a tool states in words: whether the printing program received it, its level and description, and where they are written. */
export interface AlertStatement {
  readonly received: boolean;
  /** 1 warning, 2 fatal; null when the tool does not say (gnutls-cli without its error line). */
  readonly level: number | null;
  readonly description: number;
  /** The description's text (the long name, or `SSL alert number N`). */
  readonly descriptionSpan: TextSpan;
  /** Stated by an error message (StatedEvent.byError). */
  readonly byError: boolean;
}

/**
 * The stated event of an alert a tool states (OpenSSL's words, GnuTLS's, an error code), on line `line` (span: the line or message);
 * `printerIsClient`: whether the program that printed it is the SMTP client (s_client,
 * posttls-finger, postfix/smtp) or the server (smtpd, Exim receiving).
 */
export function statedAlertEvent(line: number, span: TextSpan, text: string, alert: AlertStatement, printerIsClient: boolean): StatedEvent {
  const direction: Direction = alert.received === printerIsClient ? 'server' : 'client';
  return {
    kind: 'stated',
    line,
    direction,
    statedByTool: true,
    subject: 'alert',
    span,
    text,
    contentType: 21,
    ...(alert.level !== null ? { alertLevel: alert.level } : {}),
    alertDescription: alert.description,
    valueSpans: { alertDescription: alert.descriptionSpan },
    ...(alert.byError ? { byError: true as const } : {}),
  };
}
