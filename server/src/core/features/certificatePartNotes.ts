/**
 * On a byte of a certificate (cert_data), which part of the certificate it lies in and that
 * part's value as the certificate reading gives it: "subjectPublicKeyInfo: RSA, 1024 bits".
 */
import type { FieldNode } from '../model/tls';
import { CERTIFICATE_PARTS, locateCertificateParts, type CertificateLayout } from '../tls/certificateLayout';
import { readCertificate, type CertificateSummary } from '../tls/x509Summary';

function valueOf(part: keyof CertificateLayout, s: CertificateSummary): string {
  switch (part) {
    case 'version':
      return 'the X.509 version';
    case 'serialNumber':
      return s.serialNumber;
    case 'signature':
    case 'signatureAlgorithm':
      return s.signatureAlgorithm;
    case 'issuer':
      return s.issuer;
    case 'validity':
      return `${s.notBefore} to ${s.notAfter}`;
    case 'subject':
      return s.subject;
    case 'subjectPublicKeyInfo':
      return `${s.keyType}${s.namedCurve ? ` ${s.namedCurve}` : ''}, ${s.keyBits > 0 ? `${s.keyBits} bits` : 'size not read'}`;
    case 'subjectAltName':
      return s.subjectAltNames.join(', ');
    case 'extensions':
      return 'the certificate extensions';
    case 'signatureValue':
      return `the issuer's signature (${s.signatureAlgorithm})`;
  }
}

/**
 * "subjectPublicKeyInfo: RSA, 1024 bits" for byte `index` of a stream whose certificate field is
 * `field`; null when the certificate cannot be read or its bytes are not contiguous in the stream.
 */
export function describeCertificatePart(field: FieldNode, index: number): string | null {
  if (field.name !== 'cert_data' || typeof field.value !== 'string') return null;
  const der = Uint8Array.from(Buffer.from(field.value, 'hex'));
  // Reassembled from several records, the certificate's bytes have record headers between them.
  if (field.end - field.start !== der.length) return null;
  const reading = readCertificate(der);
  if (!('summary' in reading)) return null;
  const layout = locateCertificateParts(der);
  const at = index - field.start;
  let found: keyof CertificateLayout | null = null;
  for (const part of CERTIFICATE_PARTS) {
    const r = layout[part];
    if (r && r.start <= at && at < r.end) found = part;
  }
  return found ? `${found}: ${valueOf(found, reading.summary)}` : null;
}
