/**
 * Hover on OpenSSL's verdict on the peer's certificate chain, as s_client prints it:
 * `verify error:num=20:unable to get local issuer certificate` (each failed check, on stderr) and
 * `Verify return code: 20 (unable to get local issuer certificate)` (its summary). The texts are
 * libssl's own (X509_verify_cert_error_string; server/test/fixtures/certificates/verify-names.txt
 * is read from the installed library); the explanations are ours. s_client goes on with the
 * handshake whatever the verdict (unless `-verify_return_error`), so the session after it is no proof
 * that a verifying client would have accepted the certificate.
 */
import type { Analysis } from '../analysis/analyzeDocument';
import { refRfc, type Reference } from './references';
import type { PlacedNote } from './smtpNotes';

export type OpensslVerifyNote = PlacedNote;

const PATH = refRfc(5280, '6.1');
const IDENTITY = refRfc(7817, '3');

/** The verify results a mail handshake commonly shows, by X509_V_ERR number: libssl's text and what it means. */
export const VERIFY_RESULTS: ReadonlyMap<number, { readonly name: string; readonly about: string; readonly refs: readonly Reference[] }> = new Map([
  [0, { name: 'ok', about: 'The chain verified: it leads to a certificate authority the client trusts, and every certificate is valid now.', refs: [PATH] }],
  [2, { name: 'unable to get issuer certificate', about: 'The issuer of a certificate in the chain is neither sent by the server nor in the client\'s trust store: the chain stops short.', refs: [PATH] }],
  [7, { name: 'certificate signature failure', about: 'A certificate\'s signature does not verify with its issuer\'s key: the chain is broken or the certificate was altered.', refs: [PATH] }],
  [9, { name: 'certificate is not yet valid', about: 'A certificate\'s notBefore lies after the time of verification (a wrong clock on one side, or a certificate dated ahead).', refs: [refRfc(5280, '4.1.2.5')] }],
  [10, { name: 'certificate has expired', about: 'A certificate\'s notAfter lies before the time of verification: it has expired and must be renewed.', refs: [refRfc(5280, '4.1.2.5')] }],
  [18, { name: 'self-signed certificate', about: 'The server\'s certificate signs itself and the client does not trust it. Common on port 25, where relays encrypt without authenticating (opportunistic TLS); a submission client refuses it.', refs: [PATH, refRfc(7435)] }],
  [19, { name: 'self-signed certificate in certificate chain', about: 'The chain ends in a self-signed root that the client does not trust (a private CA, or a root missing from the trust store).', refs: [PATH] }],
  [20, { name: 'unable to get local issuer certificate', about: 'The client has no trusted certificate for the issuer of the last certificate sent: the server left out an intermediate, or the root is not in the client\'s trust store (s_client without -CAfile or -CApath trusts little).', refs: [PATH] }],
  [21, { name: 'unable to verify the first certificate', about: 'The server sent only its own certificate and the client cannot find its issuer: the intermediate certificate is missing from the server\'s chain.', refs: [refRfc(5246, '7.4.2')] }],
  [26, { name: 'unsuitable certificate purpose', about: 'The certificate\'s key usage or extended key usage does not allow TLS server authentication.', refs: [refRfc(5280, '4.2.1.12')] }],
  [62, { name: 'hostname mismatch', about: 'The certificate does not cover the host name the client checked (-verify_hostname); a client that checks the server identity refuses it.', refs: [IDENTITY] }],
  [64, { name: 'IP address mismatch', about: 'The certificate does not cover the IP address the client checked (-verify_ip).', refs: [IDENTITY] }],
  [66, { name: 'EE certificate key too weak', about: 'The server\'s key is shorter than the client\'s security level allows (under 2048 bits for RSA at level 2).', refs: [refRfc(7525, '4.3')] }],
  [67, { name: 'CA certificate key too weak', about: 'A certificate authority\'s key in the chain is shorter than the client\'s security level allows.', refs: [refRfc(7525, '4.3')] }],
  [68, { name: 'CA signature digest algorithm too weak', about: 'A certificate in the chain is signed with a digest (MD5, SHA-1) weaker than the client\'s security level allows.', refs: [refRfc(8446, '4.2.3')] }],
]);

const VERIFY_ERROR = /\bverify error:num=(\d{1,4}):([^\r\n]{0,200})/;
const RETURN_CODE = /\bVerify return code: (\d{1,4}) \(([^)\r\n]{0,200})\)/;

const CONTINUES = 's_client continues the handshake whatever the verdict (unless run with `-verify_return_error`), so what follows shows the session a non-verifying client gets.';

/** The note for a verify line under `offset`, or null. */
export function describeOpensslVerifyAt(analysis: Analysis, offset: number): OpensslVerifyNote | null {
  const line = analysis.lines.lineAt(offset);
  const start = analysis.lines.lineStart(line);
  const text = analysis.text.slice(start, Math.min(analysis.lines.lineEnd(line), start + 300));
  const m = VERIFY_ERROR.exec(text) ?? RETURN_CODE.exec(text);
  if (!m || offset < start + m.index || offset >= start + m.index + m[0].length) return null;
  const code = Number(m[1]);
  const known = VERIFY_RESULTS.get(code);
  const summary = m[0].startsWith('Verify return code');
  const about = known
    ? `${known.about}${code === 0 ? '' : ` ${CONTINUES}`}`
    : `OpenSSL's verification of the peer's certificate chain failed for this reason. ${CONTINUES}`;
  return {
    span: { start: start + m.index, end: start + m.index + m[0].length },
    title: `${summary ? 'OpenSSL verify result' : 'OpenSSL verify error'} ${code}: ${m[2].trim()}`,
    about,
    refs: known?.refs ?? [PATH],
  };
}
