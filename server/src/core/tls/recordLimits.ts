/** Record length limits (no dependencies: the capture importer uses them without the decoder). */

/** RFC 5246 §6.2.1 / RFC 8446 §5.1: TLSPlaintext.length MUST NOT exceed 2^14. */
export const MAX_PLAINTEXT = 1 << 14;
/** RFC 5246 §6.2.3: TLSCiphertext.length MUST NOT exceed 2^14 + 2048. */
export const MAX_CIPHERTEXT = (1 << 14) + 2048;
