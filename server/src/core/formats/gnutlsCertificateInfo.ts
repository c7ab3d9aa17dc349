/**
 * gnutls-cli's one-line reading of each certificate the server sent (without --print-cert, its
 * default output):
 *   - Certificate[0] info:
 *    - subject `CN=weak.cert-lab.test', issuer `O=SMTP TLS Transcripts test,CN=Cert Lab Issuing CA',
 *      serial 0x138e…, RSA key 1024 bits, signed using RSA-SHA256, activated `2026-11-30 08:36:37 UTC',
 *      expires `2036-11-27 08:36:37 UTC', pin-sha256="…"
 * (one line). GnuTLS writes names in RFC 4514 order (the last RDN first); they are turned around to
 * the certificate's own order, as @peculiar/x509 and openssl print them. The line names no
 * subjectAltName and no key identifier, so the name a certificate covers is not judged from it.
 */
import type { CertificatePart, PrintedCertificate, TextSpan } from '../model/transcript';
import { signatureNameOf, type CertificateSummary } from '../tls/certificateFacts';

/** `- Certificate[1] info:`. */
export const GNUTLS_CERTIFICATE_ENTRY = /^- Certificate\[(\d{1,3})\] info:/;
const SUBJECT = " - subject `";
const ISSUER = "', issuer `";
const SERIAL = "', serial 0x";
/** The rest of the line after `serial 0x` (bounded, no nested repetition). */
const REST =
  /^([0-9a-f]{1,200}), (.{1,40}?) key ([0-9]{1,6}) bits, signed using ([A-Za-z0-9-]{1,40})(?: \(broken!\))?, activated `([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}) UTC', expires `([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}) UTC'/d;

/** GnuTLS's names of signature algorithms (gnutls_sign_get_name) by the OID the certificate holds. */
const SIGNATURES: Readonly<Record<string, string>> = {
  'RSA-MD2': '1.2.840.113549.1.1.2',
  'RSA-MD5': '1.2.840.113549.1.1.4',
  'RSA-SHA1': '1.2.840.113549.1.1.5',
  'RSA-SHA224': '1.2.840.113549.1.1.14',
  'RSA-SHA256': '1.2.840.113549.1.1.11',
  'RSA-SHA384': '1.2.840.113549.1.1.12',
  'RSA-SHA512': '1.2.840.113549.1.1.13',
  'ECDSA-SHA1': '1.2.840.10045.4.1',
  'ECDSA-SHA224': '1.2.840.10045.4.3.1',
  'ECDSA-SHA256': '1.2.840.10045.4.3.2',
  'ECDSA-SHA384': '1.2.840.10045.4.3.3',
  'ECDSA-SHA512': '1.2.840.10045.4.3.4',
  'DSA-SHA1': '1.2.840.10040.4.3',
  'DSA-SHA224': '2.16.840.1.101.3.4.3.1',
  'DSA-SHA256': '2.16.840.1.101.3.4.3.2',
  'RSA-PSS-SHA256': '1.2.840.113549.1.1.10',
  'RSA-PSS-SHA384': '1.2.840.113549.1.1.10',
  'RSA-PSS-SHA512': '1.2.840.113549.1.1.10',
  'EdDSA-Ed25519': '1.3.101.112',
  'EdDSA-Ed448': '1.3.101.113',
};

/** GnuTLS's names of key algorithms (gnutls_pk_get_name) as the certificate readings name them. */
const KEYS: Readonly<Record<string, string>> = {
  RSA: 'RSA',
  'RSA-PSS': 'RSA-PSS',
  'EC/ECDSA': 'EC',
  DSA: 'DSA',
  'EdDSA (Ed25519)': 'Ed25519',
  'EdDSA (Ed448)': 'Ed448',
};

/** "CN=Cert Lab Issuing CA, O=SMTP TLS Transcripts test" for GnuTLS's "O=SMTP TLS Transcripts test,CN=Cert Lab Issuing CA". */
export function fromRfc4514Order(dn: string): string {
  const rdns: string[] = [];
  let from = 0;
  for (let i = 0; i < dn.length; i++) {
    if (dn.charCodeAt(i) === 92) i++;
    else if (dn.charCodeAt(i) === 44) {
      rdns.push(dn.slice(from, i));
      from = i + 1;
    }
  }
  rdns.push(dn.slice(from));
  return rdns.reverse().join(', ');
}

/** The certificate a ` - subject `…'` line describes, with where each part is (the line starts at `offset`); null for another line. */
export function readGnutlsCertificateInfo(line: string, offset: number): PrintedCertificate | null {
  // The names are found by their delimiters, left to right (one pass; no pattern backtracks over them).
  if (!line.startsWith(SUBJECT)) return null;
  const subjectEnd = line.indexOf(ISSUER, SUBJECT.length);
  const issuerEnd = subjectEnd < 0 ? -1 : line.indexOf(SERIAL, subjectEnd + ISSUER.length);
  if (issuerEnd < 0) return null;
  const restAt = issuerEnd + SERIAL.length;
  const m = REST.exec(line.slice(restAt));
  if (!m || !m.indices) return null;
  const at = (k: number): TextSpan => ({ start: offset + restAt + m.indices![k]![0], end: offset + restAt + m.indices![k]![1] });
  const subjectText = line.slice(SUBJECT.length, subjectEnd);
  const issuerText = line.slice(subjectEnd + ISSUER.length, issuerEnd);
  const subject = fromRfc4514Order(subjectText);
  const issuer = fromRfc4514Order(issuerText);
  const signatureAlgorithmOid = SIGNATURES[m[4]] ?? m[4];
  const summary: CertificateSummary = {
    subject,
    issuer,
    notBefore: `${m[5].replace(' ', 'T')}.000Z`,
    notAfter: `${m[6].replace(' ', 'T')}.000Z`,
    subjectAltNames: [],
    subjectAltNamesUnread: true,
    keyType: KEYS[m[2]] ?? m[2],
    keyBits: Number(m[3]),
    signatureAlgorithm: SIGNATURES[m[4]] ? signatureNameOf(signatureAlgorithmOid) : m[4],
    signatureAlgorithmOid,
    serialNumber: m[1],
    selfSigned: subject === issuer,
  };
  const parts: Partial<Record<CertificatePart, TextSpan>> = {
    subject: { start: offset + SUBJECT.length, end: offset + subjectEnd },
    issuer: { start: offset + subjectEnd + ISSUER.length, end: offset + issuerEnd },
    serialNumber: at(1),
    subjectPublicKeyInfo: { start: at(2).start, end: at(3).end + ' bits'.length },
    signatureAlgorithm: at(4),
    validity: { start: at(5).start, end: at(6).end + ' UTC'.length },
  };
  return { tool: 'gnutls-cli', summary, parts };
}
