/**
 * Alerts GnuTLS names in words (gnutls_alert_get_name), as programs built on it print them: Exim's
 * main log (`TLS error on connection from ... (gnutls_handshake): CA is unknown`, a delivery's
 * `TLS session: (gnutls_handshake): Handshake failed`) and gnutls-cli (`*** Received alert [40]:
 * Handshake failed`).
 */
import type { AlertStatement } from './statedFacts';

/**
 * gnutls_alert_get_name of GnuTLS 3.7 → the AlertDescription value; every name it returns
 * (server/test/fixtures/stated-alerts/alert-names.txt: the table read from the library itself).
 * None ends with a period, as gnutls_strerror's messages do ("Decryption has failed.").
 */
export const GNUTLS_ALERT_NAMES: ReadonlyMap<string, number> = new Map([
  ['Close notify', 0],
  ['Unexpected message', 10],
  ['Bad record MAC', 20],
  ['Decryption failed', 21],
  ['Record overflow', 22],
  ['Decompression failed', 30],
  ['Handshake failed', 40],
  ['No certificate (SSL 3.0)', 41],
  ['Certificate is bad', 42],
  ['Certificate is not supported', 43],
  ['Certificate was revoked', 44],
  ['Certificate is expired', 45],
  ['Unknown certificate', 46],
  ['Illegal parameter', 47],
  ['CA is unknown', 48],
  ['Access was denied', 49],
  ['Decode error', 50],
  ['Decrypt error', 51],
  ['Export restriction', 60],
  ['Error in protocol version', 70],
  ['Insufficient security', 71],
  ['Internal error', 80],
  ['Inappropriate fallback', 86],
  ['User canceled', 90],
  ['No renegotiation is allowed', 100],
  ['An extension was expected but was not seen', 109],
  ['An unsupported extension was sent', 110],
  ['Could not retrieve the specified certificate', 111],
  ['The server name sent was not recognized', 112],
  ['The SRP/PSK username is missing or not known', 115],
  ['Certificate is required', 116],
  ['No supported application protocol could be negotiated', 120],
]);

/**
 * An alert received, named by GnuTLS, as the whole of text[start, end) (trailing spaces aside);
 * null for any other text (an error message of GnuTLS's own ends with a period).
 */
export function parseGnutlsAlertName(text: string, start: number, end: number): AlertStatement | null {
  let stop = end;
  while (stop > start && (text.charCodeAt(stop - 1) === 32 || text.charCodeAt(stop - 1) === 9)) stop--;
  if (stop - start > 60) return null;
  const description = GNUTLS_ALERT_NAMES.get(text.slice(start, stop));
  if (description === undefined) return null;
  return { received: true, level: 2, description, descriptionSpan: { start, end: stop }, byError: true };
}
