/**
 * What PHP's streams say of a TLS connection they could not set up, as PHPMailer and other PHP mailers print
 * the warning: PHP checks the peer's name itself (ext/openssl's `verify_peer_name`) and words a mismatch
 *   Peer certificate subjectAltName did not match expected name `smtp.other.test'
 *   Peer certificate CN=`mx.example.test' did not match expected CN=`127.0.0.1'
 * (the second for a certificate with no DNS name in a subjectAltName). OpenSSL's own errors (`error:0A000086:SSL
 * routines::certificate verify failed`) come as OpenSSL prints them.
 */
import type { CertificateVerdict } from '../model/transcript';

/** Group 1 the expected name in either wording (backquote, name, quote as PHP writes it). */
const NAME_MISMATCH = /Peer certificate (?:subjectAltName did not match expected name|CN=`[^`'\r\n]{0,255}' did not match expected CN=)[ =]?`([^`'\r\n]{1,255})'/;

/** PHP's verdict that the server's certificate does not cover the expected name, in text[start, end); null when the text states none. */
export function parsePhpNameVerdict(text: string, start: number, end: number): CertificateVerdict | null {
  // Searched within the line only: a search to the document's end per line would make a log of failures quadratic.
  const line = text.slice(start, Math.min(end, start + 2048));
  const at = line.indexOf('Peer certificate ');
  if (at < 0) return null;
  const from = start + at;
  const m = NAME_MISMATCH.exec(text.slice(from, Math.min(end, from + 640)));
  if (!m || m.index !== 0) return null;
  return { tool: 'PHP', of: 'server', problem: 'name-mismatch', reason: m[0], reasonSpan: { start: from, end: from + m[0].length }, expectedName: m[1] };
}
