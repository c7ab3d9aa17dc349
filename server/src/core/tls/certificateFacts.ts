/**
 * What the certificate rules and hovers know of a certificate, whoever read it: @peculiar/x509
 * from its DER (x509Summary.ts), or a tool that prints its fields (tshark -V), and the names of
 * the OIDs in it.
 */

export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  /** ISO 8601 (UTC). */
  readonly notBefore: string;
  readonly notAfter: string;
  /** "DNS:mx.example.test", "IP:127.0.0.1", "email:...", "URI:..." as openssl prints them. */
  readonly subjectAltNames: string[];
  /** The reading could not see the subjectAltName (a tool's one-line description): the names it covers are unknown. */
  readonly subjectAltNamesUnread?: true;
  /** "RSA", "EC", "Ed25519", "Ed448", "DSA", or the key algorithm OID. */
  readonly keyType: string;
  /** Modulus bits (RSA, DSA), curve size (EC, EdDSA); 0 when unknown. */
  readonly keyBits: number;
  /** Curve name for EC keys ("P-256"). */
  readonly namedCurve?: string;
  /** "sha256WithRSAEncryption", "ecdsa-with-SHA256", ... (the OID when unnamed). */
  readonly signatureAlgorithm: string;
  readonly signatureAlgorithmOid: string;
  readonly serialNumber: string;
  readonly selfSigned: boolean;
  /** subjectKeyIdentifier (RFC 5280 §4.2.1.2), lowercase hex, when the certificate has one. */
  readonly subjectKeyId?: string;
  /** authorityKeyIdentifier's keyIdentifier (RFC 5280 §4.2.1.1): the issuer's subjectKeyIdentifier, lowercase hex. */
  readonly authorityKeyId?: string;
}

/** Signature algorithm OIDs (RFC 8017 App. C, RFC 5758 §3, RFC 8410 §3, RFC 3279 §2.2) by the names openssl and tshark print. */
const SIGNATURE_OIDS: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.1.1.2', 'md2WithRSAEncryption'],
  ['1.2.840.113549.1.1.4', 'md5WithRSAEncryption'],
  ['1.2.840.113549.1.1.5', 'sha1WithRSAEncryption'],
  ['1.2.840.113549.1.1.10', 'rsassa-pss'],
  ['1.2.840.113549.1.1.11', 'sha256WithRSAEncryption'],
  ['1.2.840.113549.1.1.12', 'sha384WithRSAEncryption'],
  ['1.2.840.113549.1.1.13', 'sha512WithRSAEncryption'],
  ['1.2.840.113549.1.1.14', 'sha224WithRSAEncryption'],
  ['1.2.840.10045.4.1', 'ecdsa-with-SHA1'],
  ['1.2.840.10045.4.3.1', 'ecdsa-with-SHA224'],
  ['1.2.840.10045.4.3.2', 'ecdsa-with-SHA256'],
  ['1.2.840.10045.4.3.3', 'ecdsa-with-SHA384'],
  ['1.2.840.10045.4.3.4', 'ecdsa-with-SHA512'],
  ['1.2.840.10040.4.3', 'dsa-with-sha1'],
  ['2.16.840.1.101.3.4.3.1', 'dsa-with-sha224'],
  ['2.16.840.1.101.3.4.3.2', 'dsa-with-sha256'],
  ['1.3.101.112', 'ed25519'],
  ['1.3.101.113', 'ed448'],
]);

/** Public key algorithm OIDs (RFC 3279 §2.3, RFC 8410 §3). */
const KEY_OIDS: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.1.1.1', 'RSA'],
  ['1.2.840.113549.1.1.10', 'RSA-PSS'],
  ['1.2.840.10045.2.1', 'EC'],
  ['1.2.840.10040.4.1', 'DSA'],
  ['1.3.101.110', 'X25519'],
  ['1.3.101.111', 'X448'],
  ['1.3.101.112', 'Ed25519'],
  ['1.3.101.113', 'Ed448'],
]);

const FIXED_KEY_BITS: ReadonlyMap<string, number> = new Map([
  ['Ed25519', 256],
  ['X25519', 256],
  ['Ed448', 456],
  ['X448', 448],
]);

/** DistinguishedName attribute types by the short names @peculiar/x509 and openssl print (RFC 4519, RFC 4514 §3). */
const ATTRIBUTE_NAMES: ReadonlyMap<string, string> = new Map([
  ['2.5.4.3', 'CN'],
  ['2.5.4.7', 'L'],
  ['2.5.4.8', 'ST'],
  ['2.5.4.10', 'O'],
  ['2.5.4.11', 'OU'],
  ['2.5.4.6', 'C'],
  ['0.9.2342.19200300.100.1.25', 'DC'],
  ['1.2.840.113549.1.9.1', 'E'],
  ['2.5.4.42', 'G'],
  ['2.5.4.43', 'I'],
  ['2.5.4.4', 'SN'],
  ['2.5.4.12', 'T'],
]);

/** "sha256WithRSAEncryption" for its OID; the OID itself when unnamed. */
export function signatureNameOf(oid: string): string {
  return SIGNATURE_OIDS.get(oid) ?? oid;
}

/** The OID of a signature algorithm by the name openssl prints ("sha256WithRSAEncryption", "ED25519"), or undefined. */
export function signatureOidOf(name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [oid, n] of SIGNATURE_OIDS) if (n.toLowerCase() === lower) return oid;
  return undefined;
}

/** "RSA", "EC", "Ed25519"... for a subjectPublicKeyInfo algorithm OID; the OID itself when unnamed. */
export function keyTypeOf(oid: string): string {
  return KEY_OIDS.get(oid) ?? oid;
}

/** The size of keys of a type that has only one (Ed25519: 256), or undefined. */
export function fixedKeyBits(keyType: string): number | undefined {
  return FIXED_KEY_BITS.get(keyType);
}

/** "CN" for 2.5.4.3: a name attribute's short name, or undefined. */
export function attributeShortName(oid: string): string | undefined {
  return ATTRIBUTE_NAMES.get(oid);
}

/** "2026-11-30 08:36:37 UTC" for an ISO 8601 time ("2026-11-30T08:36:37.000Z"); other text as it is. */
function formatUtc(iso: string): string {
  const m = /^([0-9]{4,}-[0-9]{2}-[0-9]{2})T([0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.[0-9]+)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** "2026-11-30 08:36:37 UTC to 2036-11-27 08:36:37 UTC": a certificate's validity period, for people. */
export function describeValidity(s: Pick<CertificateSummary, 'notBefore' | 'notAfter'>): string {
  return `${formatUtc(s.notBefore)} to ${formatUtc(s.notAfter)}`;
}

/** "95:FA:A3:4F": a key identifier as openssl prints it. */
export function formatKeyId(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

/** "subject 95:FA:…, authority 4C:33:…": the certificate's key identifiers (RFC 5280 §4.2.1.1, §4.2.1.2), or null without any. */
export function describeKeyIds(s: Pick<CertificateSummary, 'subjectKeyId' | 'authorityKeyId'>): string | null {
  const parts = [s.subjectKeyId ? `subject ${formatKeyId(s.subjectKeyId)}` : '', s.authorityKeyId ? `authority ${formatKeyId(s.authorityKeyId)}` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : null;
}
