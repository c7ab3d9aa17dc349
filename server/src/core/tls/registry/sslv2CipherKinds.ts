/**
 * SSL 2.0 cipher kinds (24-bit), and the 24-bit V2CipherSpec form of TLS
 * suites: {0x00, suite} (RFC 5246 App. E.2, RFC 6101 App. E).
 */
import { createLookup, hexOf, memoizeLookup, tableOf, type RegistryEntry } from './entry';
import { lookupCipherSuite } from './cipherSuites';

const SSL2_KINDS = tableOf([
  [0x010080, 'SSL2_RC4_128_WITH_MD5'],
  [0x020080, 'SSL2_RC4_128_EXPORT40_WITH_MD5'],
  [0x030080, 'SSL2_RC2_128_CBC_WITH_MD5'],
  [0x040080, 'SSL2_RC2_128_CBC_EXPORT40_WITH_MD5'],
  [0x050080, 'SSL2_IDEA_128_CBC_WITH_MD5'],
  [0x060040, 'SSL2_DES_64_CBC_WITH_MD5'],
  [0x0700c0, 'SSL2_DES_192_EDE3_CBC_WITH_MD5'],
  [0x080080, 'SSL2_RC4_64_WITH_MD5'],
]);

/** SSL 2.0 kinds were never an IANA registry; `iana` stays false for them. */
const lookupKind = createLookup(new Map(), 6, { privateNames: SSL2_KINDS });

export interface CipherSpecEntry extends RegistryEntry {
  /** True for an SSL 2.0-only cipher kind (usable only with SSL 2.0). */
  readonly sslv2Only: boolean;
}

/** Names a 24-bit cipher spec of an SSLv2-format hello. */
export const lookupCipherSpec: (value: number) => CipherSpecEntry = memoizeLookup((value: number): CipherSpecEntry => {
  if (value >>> 16 === 0) {
    // RFC 5246 App. E.2: a TLS suite is written as {0x00, CipherSuite}.
    const suite = lookupCipherSuite(value & 0xffff);
    return { ...suite, value, sslv2Only: false };
  }
  const kind = lookupKind(value);
  return { ...kind, name: kind.known ? kind.name : `unknown (${hexOf(value, 6)})`, sslv2Only: true };
});
