/**
 * OpenSSL's words for the verify results about a certificate's dates (X509_verify_cert_error_string:
 * X509_V_ERR_CERT_HAS_EXPIRED, X509_V_ERR_CERT_NOT_YET_VALID), which curl and sendmail log as they are.
 */
import type { CertificateVerdict } from '../model/transcript';

export const OPENSSL_DATE_RESULTS: ReadonlyArray<readonly [string, CertificateVerdict['problem']]> = [
  ['certificate has expired', 'expired'],
  ['certificate is not yet valid', 'not-yet-valid'],
];
