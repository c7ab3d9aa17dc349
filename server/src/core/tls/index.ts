/** The TLS dissector of the pure core. */
export { decodeTlsStream, decodeRecordHeaderOnly, decodeDecryptedContent, type DecodeOptions, MAX_PLAINTEXT, MAX_CIPHERTEXT } from './decodeStream';
export { ja3, ja3String, ja3s, ja3sString, ja4, ja4Raw, type ClientHelloFacts } from './fingerprints';
export { HELLO_RETRY_REQUEST_RANDOM } from './serverHello';
export { ByteCursor, type Span, type CursorFailure } from './byteCursor';
export * from './registry';
