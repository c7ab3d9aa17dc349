/**
 * A cipher suite as logs and tools name it: IANA's name (TLS 1.3 everywhere, curl, swaks for TLS
 * 1.3) or OpenSSL's (postfix "with cipher ECDHE-RSA-AES256-GCM-SHA384", swaks and s_client for
 * TLS 1.2 and older). GnuTLS's own names (GNUTLS_ECDHE_RSA_AES_256_GCM_SHA384) are not resolved.
 */
import { cipherSuiteCodeOf } from './cipherSuites';
import { OPENSSL_CIPHER_NAMES } from './opensslCipherNames';

let openssl: Map<string, number> | null = null;

/** The suite's code, or undefined for a name neither IANA nor OpenSSL gives it. */
export function cipherSuiteByName(name: string): number | undefined {
  if (name.startsWith('TLS_')) return cipherSuiteCodeOf(name);
  openssl ??= new Map(OPENSSL_CIPHER_NAMES.map(([n, code]) => [n, code]));
  return openssl.get(name);
}
