/**
 * BCP 195 (RFC 7525 §4.3): RSA (and DSA) keys of at least 2048 bits, finite-field Diffie-Hellman groups of at
 * least 2048 bits, no elliptic curves under 192 bits. The certificate rules and tls-weak-dh-group judge by these.
 */
export const MIN_RSA_BITS = 2048;
export const MIN_DH_BITS = 2048;
export const MIN_EC_BITS = 192;
