/**
 * What earlier messages of a stream tell the parser of later ones: the
 * negotiated version decides the form of Certificate, CertificateRequest and
 * NewSessionTicket (RFC 8446 §4.4.2 vs RFC 5246 §7.4.2), the cipher suite the
 * contents of ServerKeyExchange and ClientKeyExchange (RFC 5246 §7.4.3).
 * null means not known; parsers then tell the forms apart by their lengths.
 */
export interface SessionHints {
  /** Negotiated version (ServerHello supported_versions, else server_version). */
  version: number | null;
  /** Cipher suite the ServerHello selected. */
  cipherSuite: number | null;
}

export function createSessionHints(version: number | null = null): SessionHints {
  return { version, cipherSuite: null };
}
