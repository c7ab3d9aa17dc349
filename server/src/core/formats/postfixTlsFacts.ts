/**
 * What Postfix (its smtp client, smtpd, posttls-finger) says of the certificates of a TLS session,
 * beside the version and cipher of its `TLS connection established` line:
 *   server certificate verification failed for mx.example.test[192.0.2.1]:25: certificate has expired
 *   CA certificate verification failed for mx.example.test[192.0.2.1]:25: certificate not yet valid
 *   ... established to ...: TLSv1.3 with cipher ... key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256
 * The first names whose certificate failed which check (Postfix's tls_verify.c: "server" or "client"
 * for the peer's own certificate, "CA" for one above it); the second the key that signed the handshake,
 * which is the key of that side's certificate.
 */
import type { CertificateVerdict, Direction, StatedEvent, StatedSigningKey, TextSpan } from '../model/transcript';

const VERIFICATION_FAILED = ' certificate verification failed for ';
/**
 * The two checks of a certificate's dates, as Postfix words them (its own texts, not OpenSSL's), and the name checks,
 * which it logs as OpenSSL's numbered results (X509_V_ERR_HOSTNAME_MISMATCH 62, X509_V_ERR_IP_ADDRESS_MISMATCH 64).
 */
const PROBLEMS: ReadonlyArray<readonly [string, CertificateVerdict['problem']]> = [
  ['certificate has expired', 'expired'],
  ['certificate not yet valid', 'not-yet-valid'],
  ['num=62:hostname mismatch', 'name-mismatch'],
  ['num=64:IP address mismatch', 'name-mismatch'],
];
const WHOSE: ReadonlyArray<CertificateVerdict['of']> = ['server', 'client', 'CA'];

/**
 * The verdict of a line whose message (from document offset `ms` to the line end `e`) is Postfix's
 * `server certificate verification failed for NAME[ADDR]:PORT: certificate has expired` (or `num=62:hostname mismatch`:
 * the name Postfix matched, from its policy, is not in the line); null for any other message (an untrusted issuer is not read here).
 */
export function parseCertificateVerdict(text: string, ms: number, e: number, tool: CertificateVerdict['tool']): CertificateVerdict | null {
  const of = WHOSE.find((w) => text.startsWith(w, ms) && text.startsWith(VERIFICATION_FAILED, ms + w.length));
  if (!of) return null;
  // The reason ends the line; the peer's name and address before it may hold colons (IPv6, the port).
  let end = e;
  while (end > ms && (text.charCodeAt(end - 1) === 13 || text.charCodeAt(end - 1) === 32)) end--;
  for (const [words, problem] of PROBLEMS) {
    const at = end - words.length;
    if (at - 2 <= ms + of.length + VERIFICATION_FAILED.length || !text.startsWith(': ' + words, at - 2)) continue;
    return { tool, of, problem, reason: words, reasonSpan: { start: at, end } };
  }
  return null;
}

/**
 * Which certificate a verdict is about, in words: "the server's certificate", "a CA certificate of the
 * server's chain", "a certificate of the server's chain" (`side`: whose chain, the statement's direction).
 */
export function describeVerdictSubject(v: CertificateVerdict, side: Direction | null): string {
  const chain = `the ${side ?? 'peer'}'s chain`;
  if (v.of === 'CA') return `a CA certificate of ${chain}`;
  if (v.of === 'chain') return `a certificate of ${chain}`;
  return `the ${v.of}'s certificate`;
}

/** `server-signature RSA-PSS (2048 bits)`, `client-signature ECDSA (prime256v1)`, `server-signature ED25519`. */
const SIGNATURE = / (server|client)-signature ([A-Za-z0-9-]{1,24})(?: \((?:([0-9]{1,6}) bits|([A-Za-z0-9_-]{1,40}))\))?/g;

/** The signing keys an established line (document text from `start` to `end`) states, each with its words' span. */
export function parseSigningKeys(text: string, start: number, end: number): StatedSigningKey[] {
  const at = text.indexOf('-signature ', start);
  if (at < 0 || at >= end) return [];
  // The facts follow the cipher: from a little before the first `-signature`, to the line end (bounded by the line).
  const from = Math.max(start, at - 8);
  const slice = text.slice(from, end);
  const out: StatedSigningKey[] = [];
  SIGNATURE.lastIndex = 0;
  for (let m = SIGNATURE.exec(slice); m !== null; m = SIGNATURE.exec(slice)) {
    const side: Direction = m[1] === 'server' ? 'server' : 'client';
    const wordsStart = from + m.index + m[1].length + ' -signature '.length;
    out.push({ side, algorithm: m[2], bits: m[3] !== undefined ? Number(m[3]) : null, curve: m[4] ?? null, span: { start: wordsStart, end: from + m.index + m[0].length } });
  }
  return out;
}

/**
 * The stated event of a verdict on line `line` (`span`: the message); `printerIsClient`: whether the
 * program that verified is the SMTP client (postfix/smtp, posttls-finger: the certificates are the
 * server's) or smtpd (a client certificate and its CAs).
 */
export function statedVerdictEvent(line: number, span: TextSpan, text: string, verdict: CertificateVerdict, printerIsClient: boolean): StatedEvent {
  const direction: Direction = printerIsClient ? 'server' : 'client';
  return { kind: 'stated', line, direction, statedByTool: true, subject: 'certificate-verdict', span, text, verdict, valueSpans: { reason: verdict.reasonSpan } };
}
