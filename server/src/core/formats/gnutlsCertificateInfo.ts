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
const INFO =
  /^ - subject `(.{0,1000}?)', issuer `(.{0,1000}?)', serial 0x([0-9a-f]{1,200}), (.{1,40}?) key ([0-9]{1,6}) bits, signed using ([A-Za-z0-9-]{1,40})(?: \(broken!\))?, activated `([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}) UTC', expires `([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}) UTC'/d;

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
  const m = INFO.exec(line);
  if (!m || !m.indices) return null;
  const at = (k: number): TextSpan => ({ start: offset + m.indices![k]![0], end: offset + m.indices![k]![1] });
  const subject = fromRfc4514Order(m[1]);
  const issuer = fromRfc4514Order(m[2]);
  const signatureAlgorithmOid = SIGNATURES[m[6]] ?? m[6];
  const summary: CertificateSummary = {
    subject,
    issuer,
    notBefore: `${m[7].replace(' ', 'T')}.000Z`,
    notAfter: `${m[8].replace(' ', 'T')}.000Z`,
    subjectAltNames: [],
    subjectAltNamesUnread: true,
    keyType: KEYS[m[4]] ?? m[4],
    keyBits: Number(m[5]),
    signatureAlgorithm: SIGNATURES[m[6]] ? signatureNameOf(signatureAlgorithmOid) : m[6],
    signatureAlgorithmOid,
    serialNumber: m[3],
    selfSigned: subject === issuer,
  };
  const parts: Partial<Record<CertificatePart, TextSpan>> = {
    subject: at(1),
    issuer: at(2),
    serialNumber: at(3),
    subjectPublicKeyInfo: { start: at(4).start, end: at(5).end + ' bits'.length },
    signatureAlgorithm: at(6),
    validity: { start: at(7).start, end: at(8).end + ' UTC'.length },
  };
  return { tool: 'gnutls-cli', summary, parts };
}
