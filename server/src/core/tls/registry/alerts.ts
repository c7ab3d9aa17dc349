/** TLS Alert registry (RFC 5246 §7.2, RFC 8446 §6, and later RFCs). */
import { createLookup, tableOf, type RegistryEntry } from './entry';

export const ALERT_WARNING = 1;
export const ALERT_FATAL = 2;

const LEVELS = tableOf([
  [1, 'warning'],
  [2, 'fatal'],
]);

const DESCRIPTIONS = tableOf([
  [0, 'close_notify'],
  [10, 'unexpected_message'],
  [20, 'bad_record_mac'],
  [21, 'decryption_failed'],
  [22, 'record_overflow'],
  [30, 'decompression_failure'],
  [40, 'handshake_failure'],
  [41, 'no_certificate'],
  [42, 'bad_certificate'],
  [43, 'unsupported_certificate'],
  [44, 'certificate_revoked'],
  [45, 'certificate_expired'],
  [46, 'certificate_unknown'],
  [47, 'illegal_parameter'],
  [48, 'unknown_ca'],
  [49, 'access_denied'],
  [50, 'decode_error'],
  [51, 'decrypt_error'],
  [52, 'too_many_cids_requested'],
  [60, 'export_restriction'],
  [70, 'protocol_version'],
  [71, 'insufficient_security'],
  [80, 'internal_error'],
  [86, 'inappropriate_fallback'],
  [90, 'user_canceled'],
  [100, 'no_renegotiation'],
  [109, 'missing_extension'],
  [110, 'unsupported_extension'],
  [111, 'certificate_unobtainable'],
  [112, 'unrecognized_name'],
  [113, 'bad_certificate_status_response'],
  [114, 'bad_certificate_hash_value'],
  [115, 'unknown_psk_identity'],
  [116, 'certificate_required'],
  [117, 'general_error'],
  [120, 'no_application_protocol'],
  [121, 'ech_required'],
]);

export const lookupAlertLevel: (value: number) => RegistryEntry = createLookup(LEVELS, 2);
export const lookupAlertDescription: (value: number) => RegistryEntry = createLookup(DESCRIPTIONS, 2);

const BY_NAME: ReadonlyMap<string, number> = new Map([...DESCRIPTIONS].map(([value, name]) => [name, value]));

/** An AlertDescription by its registry name (`handshake_failure` → 40), as Java names a received alert; undefined for another name. */
export function lookupAlertDescriptionByName(name: string): number | undefined {
  return BY_NAME.get(name);
}

/** `fatal handshake_failure (40)`: an alert's level (when known) and its description's name and value. */
export function describeAlert(description: number, level?: number): string {
  const kind = level === ALERT_FATAL ? 'fatal ' : level === ALERT_WARNING ? 'warning ' : '';
  return `${kind}${lookupAlertDescription(description).name} (${description})`;
}

/** What an alert description says went wrong, and the RFC (number, section) that defines it. */
const MEANINGS: ReadonlyMap<number, readonly [string, number, string]> = new Map([
  [0, ['The sender will send nothing more on this connection: the orderly end of a session.', 8446, '6.1']],
  [10, ['The sender received a message it did not expect at that point of the protocol.', 8446, '6.2']],
  [20, ['A record failed its integrity check or could not be decrypted.', 8446, '6.2']],
  [21, ['TLS 1.0\'s alert for a record that decrypted to bad padding; later versions send bad_record_mac instead and must not send this one.', 5246, '7.2.2']],
  [22, ['A record was longer than the protocol allows.', 8446, '6.2']],
  [30, ['Decompressing a record failed (compression is gone from TLS 1.3).', 5246, '7.2.2']],
  [40, ['The sender found no set of security parameters (version, cipher suite, group, signature algorithm) acceptable to it among those offered.', 8446, '6.2']],
  [41, ['SSL 3.0\'s answer of a client without a certificate to a certificate request; TLS implementations must not send it.', 5246, '7.2.2']],
  [42, ['A certificate was corrupt or its signature did not verify.', 8446, '6.2']],
  [43, ['A certificate of a type the sender does not support.', 8446, '6.2']],
  [44, ['A certificate was revoked by its signer.', 8446, '6.2']],
  [45, ['A certificate has expired or is not valid yet.', 8446, '6.2']],
  [46, ['Some other problem with a certificate made it unacceptable.', 8446, '6.2']],
  [47, ['A field of a handshake message was out of range or inconsistent with other fields.', 8446, '6.2']],
  [48, ['The certificate chain leads to no certificate authority the sender trusts (a self-signed or privately issued certificate, or a missing intermediate).', 8446, '6.2']],
  [49, ['The certificate was valid, but access control refused to go on with the negotiation.', 8446, '6.2']],
  [50, ['A message could not be parsed: a field out of range, or a length that does not fit.', 8446, '6.2']],
  [51, ['A cryptographic check of the handshake failed: a signature, a key exchange or the Finished message.', 8446, '6.2']],
  [60, ['An export-grade negotiation was refused; TLS 1.1 and later must not send it.', 5246, '7.2.2']],
  [70, ['The sender supports none of the protocol versions offered.', 8446, '6.2']],
  [71, ['The sender requires stronger cipher suites than those offered.', 8446, '6.2']],
  [80, ['A failure inside the sender, unrelated to the peer or the protocol.', 8446, '6.2']],
  [86, ['The client signalled a fallback (TLS_FALLBACK_SCSV) although the server supports a higher version than offered: a downgrade.', 7507, '3']],
  [90, ['The handshake is cancelled for a reason unrelated to a protocol failure.', 8446, '6.2']],
  [100, ['The sender refuses to renegotiate.', 5246, '7.2.2']],
  [109, ['A TLS 1.3 handshake message lacks an extension it must carry.', 8446, '6.2']],
  [110, ['A message carries an extension the receiver did not offer or that is not allowed in it.', 8446, '6.2']],
  [112, ['The server knows no host by the name the client asked for in server_name.', 6066, '3']],
  [113, ['The certificate status (OCSP) response the server sent is invalid or unacceptable.', 6066, '8']],
  [115, ['None of the pre-shared key identities the client offers is known to the server.', 8446, '6.2']],
  [116, ['The server requires a client certificate and none was sent.', 8446, '6.2']],
  [120, ['The server supports none of the application protocols the client offers (ALPN).', 7301, '3.2']],
]);

/** What alert description `value` means, and where it is defined; null for a value without a note. */
export function alertMeaning(value: number): { readonly text: string; readonly rfc: number; readonly section: string } | null {
  const m = MEANINGS.get(value);
  return m ? { text: m[0], rfc: m[1], section: m[2] } : null;
}
