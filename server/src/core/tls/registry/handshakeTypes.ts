/** TLS HandshakeType registry (RFC 5246 §7.4, RFC 8446 §4, and later RFCs). */
import { createLookup, tableOf, type RegistryEntry } from './entry';

/** RFC 8446 §4.1.3: a HelloRetryRequest is a ServerHello whose random is SHA-256("HelloRetryRequest"). */
export const HELLO_RETRY_REQUEST_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

export const HS_CLIENT_HELLO = 1;
export const HS_SERVER_HELLO = 2;
export const HS_HELLO_REQUEST = 0;
export const HS_NEW_SESSION_TICKET = 4;
export const HS_END_OF_EARLY_DATA = 5;
export const HS_ENCRYPTED_EXTENSIONS = 8;
export const HS_CERTIFICATE = 11;
export const HS_SERVER_KEY_EXCHANGE = 12;
export const HS_CERTIFICATE_REQUEST = 13;
export const HS_SERVER_HELLO_DONE = 14;
export const HS_CERTIFICATE_VERIFY = 15;
export const HS_CLIENT_KEY_EXCHANGE = 16;
export const HS_FINISHED = 20;
export const HS_CERTIFICATE_STATUS = 22;
export const HS_KEY_UPDATE = 24;
export const HS_COMPRESSED_CERTIFICATE = 25;

const HANDSHAKE_TYPES = tableOf([
  [0, 'hello_request'],
  [1, 'client_hello'],
  [2, 'server_hello'],
  [3, 'hello_verify_request'],
  [4, 'new_session_ticket'],
  [5, 'end_of_early_data'],
  [6, 'hello_retry_request'],
  [8, 'encrypted_extensions'],
  [9, 'request_connection_id'],
  [10, 'new_connection_id'],
  [11, 'certificate'],
  [12, 'server_key_exchange'],
  [13, 'certificate_request'],
  [14, 'server_hello_done'],
  [15, 'certificate_verify'],
  [16, 'client_key_exchange'],
  [17, 'client_certificate_request'],
  [20, 'finished'],
  [21, 'certificate_url'],
  [22, 'certificate_status'],
  [23, 'supplemental_data'],
  [24, 'key_update'],
  [25, 'compressed_certificate'],
  [26, 'ekt_key'],
  [254, 'message_hash'],
]);

/** Message names as the RFCs' prose and the CLI use them ("ServerHelloDone"). */
const MESSAGE_NAMES = tableOf([
  [0, 'HelloRequest'],
  [1, 'ClientHello'],
  [2, 'ServerHello'],
  [3, 'HelloVerifyRequest'],
  [4, 'NewSessionTicket'],
  [5, 'EndOfEarlyData'],
  [6, 'HelloRetryRequest'],
  [8, 'EncryptedExtensions'],
  [9, 'RequestConnectionId'],
  [10, 'NewConnectionId'],
  [11, 'Certificate'],
  [12, 'ServerKeyExchange'],
  [13, 'CertificateRequest'],
  [14, 'ServerHelloDone'],
  [15, 'CertificateVerify'],
  [16, 'ClientKeyExchange'],
  [17, 'ClientCertificateRequest'],
  [20, 'Finished'],
  [21, 'CertificateURL'],
  [22, 'CertificateStatus'],
  [23, 'SupplementalData'],
  [24, 'KeyUpdate'],
  [25, 'CompressedCertificate'],
  [26, 'EktKey'],
  [254, 'MessageHash'],
]);

export const lookupHandshakeType: (value: number) => RegistryEntry = createLookup(HANDSHAKE_TYPES, 2);

/** "ServerHelloDone" for 14; `unknown (0x63)` for unassigned types. */
export function handshakeMessageName(value: number): string {
  return MESSAGE_NAMES.get(value) ?? lookupHandshakeType(value).name;
}
