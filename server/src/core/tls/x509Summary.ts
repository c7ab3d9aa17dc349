/**
 * The facts a reviewer wants from one DER certificate, read through
 * @peculiar/x509 (synchronous parsing; no hand-written ASN.1 here). Never
 * throws: a certificate the library cannot read comes back with `error`.
 */
// tsyringe, which @peculiar/x509 uses internally, needs the Reflect metadata API.
import 'reflect-metadata';
import { AuthorityKeyIdentifierExtension, Name, SubjectAlternativeNameExtension, SubjectKeyIdentifierExtension, X509Certificate } from '@peculiar/x509';
import { fromBER, ObjectIdentifier } from 'asn1js';
import { lookupNamedCurve } from './namedCurves';
import { fixedKeyBits, keyTypeOf, signatureNameOf, type CertificateSummary } from './certificateFacts';

export type { CertificateSummary };

export type CertificateReading = { readonly summary: CertificateSummary } | { readonly error: string };

/** Exposes the parsed ASN.1 structure, which X509Certificate keeps protected. */
class CertificateView extends X509Certificate {
  get signatureOid(): string {
    return this.asn.signatureAlgorithm.algorithm;
  }

  get keyOid(): string {
    return this.asn.tbsCertificate.subjectPublicKeyInfo.algorithm.algorithm;
  }

  /** The key algorithm's parameters (an EC key's namedCurve OID), DER, or null. */
  get keyParameters(): ArrayBuffer | null {
    return this.asn.tbsCertificate.subjectPublicKeyInfo.algorithm.parameters ?? null;
  }
}

/** The OID a DER OBJECT IDENTIFIER holds, or null for anything else. */
function readOid(der: ArrayBuffer | null): string | null {
  if (!der) return null;
  const { offset, result } = fromBER(der);
  return offset !== -1 && result instanceof ObjectIdentifier ? result.valueBlock.toString() : null;
}

function describeSans(cert: X509Certificate): string[] {
  const ext = cert.getExtension(SubjectAlternativeNameExtension);
  if (!ext) return [];
  const labels: Record<string, string> = { dns: 'DNS', ip: 'IP', email: 'email', url: 'URI', dn: 'DirName', guid: 'GUID', upn: 'UPN', id: 'RID' };
  return ext.names.items.map((n) => `${labels[n.type] ?? n.type}:${n.value}`);
}

/** The certificate's subject and authority key identifiers, where it has them. */
function readKeyIds(cert: X509Certificate): { subjectKeyId?: string; authorityKeyId?: string } {
  const ski = cert.getExtension(SubjectKeyIdentifierExtension)?.keyId;
  const aki = cert.getExtension(AuthorityKeyIdentifierExtension)?.keyId;
  return { ...(ski ? { subjectKeyId: ski.toLowerCase() } : {}), ...(aki ? { authorityKeyId: aki.toLowerCase() } : {}) };
}

function readKey(cert: CertificateView): { keyType: string; keyBits: number; namedCurve?: string } {
  const keyType = keyTypeOf(cert.keyOid);
  const fixed = fixedKeyBits(keyType);
  if (fixed !== undefined) return { keyType, keyBits: fixed };
  if (keyType === 'EC') {
    // Its namedCurve OID (RFC 5480 §2.1.1), whether WebCrypto knows the curve or not (brainpool, secp160r1).
    const curve = lookupNamedCurve(readOid(cert.keyParameters) ?? '');
    return curve ? { keyType, keyBits: curve.bits, namedCurve: curve.name } : { keyType, keyBits: 0 };
  }
  try {
    const alg = cert.publicKey.algorithm as { modulusLength?: number };
    if (typeof alg.modulusLength === 'number') return { keyType, keyBits: alg.modulusLength };
  } catch {
    // A key algorithm the library does not model (DSA, GOST): type only.
  }
  return { keyType, keyBits: 0 };
}

/**
 * Readings of recently seen certificates by their DER bytes: a relay log repeats the
 * same server certificate in every session, and X.509 parsing is the costliest step of
 * decoding a flight. Bounded; the oldest entry goes first.
 */
const READINGS = new Map<string, CertificateReading>();
const MAX_READINGS = 256;

/** Reads one DER certificate (readings are frozen and shared between equal certificates). */
export function readCertificate(der: Uint8Array): CertificateReading {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1');
  const cached = READINGS.get(key);
  if (cached) return cached;
  const reading = Object.freeze(parseCertificate(der));
  if (READINGS.size >= MAX_READINGS) READINGS.delete(READINGS.keys().next().value as string);
  READINGS.set(key, reading);
  return reading;
}

function parseCertificate(der: Uint8Array): CertificateReading {
  try {
    const cert = new CertificateView(der);
    const key = readKey(cert);
    const signatureAlgorithmOid = cert.signatureOid;
    return {
      summary: {
        subject: cert.subject,
        issuer: cert.issuer,
        notBefore: cert.notBefore.toISOString(),
        notAfter: cert.notAfter.toISOString(),
        subjectAltNames: describeSans(cert),
        ...key,
        signatureAlgorithm: signatureNameOf(signatureAlgorithmOid),
        signatureAlgorithmOid,
        serialNumber: cert.serialNumber,
        selfSigned: cert.subject === cert.issuer,
        ...readKeyIds(cert),
      },
    };
  } catch (e) {
    return { error: `not a readable X.509 certificate: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** A DER DistinguishedName (CertificateRequest certificate_authorities) as text, or null. */
export function readDistinguishedName(der: Uint8Array): string | null {
  try {
    return new Name(der).toString();
  } catch {
    return null;
  }
}
