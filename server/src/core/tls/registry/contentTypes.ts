/** TLS ContentType registry (RFC 5246 §6.2.1, RFC 8446 §5.1, RFC 6520, RFC 9146, RFC 9147). */
import { createLookup, tableOf, type RegistryEntry } from './entry';

export const CONTENT_CHANGE_CIPHER_SPEC = 20;
export const CONTENT_ALERT = 21;
export const CONTENT_HANDSHAKE = 22;
export const CONTENT_APPLICATION_DATA = 23;
export const CONTENT_HEARTBEAT = 24;

const CONTENT_TYPES = tableOf([
  [20, 'change_cipher_spec'],
  [21, 'alert'],
  [22, 'handshake'],
  [23, 'application_data'],
  [24, 'heartbeat'],
  [25, 'tls12_cid'],
  [26, 'ACK'],
  [27, 'return_routability_check'],
]);

export const lookupContentType: (value: number) => RegistryEntry = createLookup(CONTENT_TYPES, 2);

/** Content types that may start a TLS (not DTLS) record on the wire. */
export function isTlsRecordContentType(value: number): boolean {
  return value >= CONTENT_CHANGE_CIPHER_SPEC && value <= CONTENT_HEARTBEAT;
}
