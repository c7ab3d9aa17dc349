/** CertificateStatus bodies (RFC 6066 §8) and certificate compression ids (RFC 8879 §3). */
import type { FieldReader } from './fieldReader';

/** RFC 6066 §8: CertificateStatusType. */
export const describeStatusType = (v: number): string => (v === 1 ? 'ocsp' : v === 2 ? 'ocsp_multi' : `unknown (${v})`);

/** RFC 8879 §3: CertificateCompressionAlgorithm. */
export const describeCompressionAlgorithm = (v: number): string => (v === 1 ? 'zlib' : v === 2 ? 'brotli' : v === 3 ? 'zstd' : `unknown (${v})`);

/** RFC 6066 §8: status_type, then OCSPResponse ocsp_response<1..2^24-1> (also the body of a TLS 1.3 status_request entry extension). */
export function readCertificateStatusBody(r: FieldReader): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  const type = r.readU8('status_type', describeStatusType);
  if (type === undefined) return details;
  details.statusType = describeStatusType(type);
  if (type === 1) {
    const resp = r.readOpaque(3, 'ocsp_response', { nonEmpty: true });
    if (resp) details.ocspResponseLength = resp.length;
  } else {
    r.readRest('response');
  }
  return details;
}

