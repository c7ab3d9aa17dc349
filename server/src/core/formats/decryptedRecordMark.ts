/**
 * The mark a capture import writes before the bytes of a TLS record it decrypted with a key log
 * (FORMATS.md §23, as this project extends it): `S: <decrypted TLS 1.3 record: handshake (22)>`,
 * then the plaintext as hex lines of the same side. The C:/S: reader turns those lines into a
 * `decrypted` byte run of that content type and version (what openssl s_client -msg shows of an
 * encrypted record), so decrypted handshake messages (a TLS 1.3 certificate) are decoded like any other.
 */

const VERSION_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0300, 'SSL 3.0'],
  [0x0301, 'TLS 1.0'],
  [0x0302, 'TLS 1.1'],
  [0x0303, 'TLS 1.2'],
  [0x0304, 'TLS 1.3'],
]);
const VERSION_CODES: ReadonlyMap<string, number> = new Map([...VERSION_NAMES].map(([code, name]) => [name, code]));

const CONTENT_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [20, 'change_cipher_spec'],
  [21, 'alert'],
  [22, 'handshake'],
  [23, 'application_data'],
  [24, 'heartbeat'],
]);

const MARK = /^<decrypted (SSL 3\.0|TLS 1\.[0-3]) record: [a-z_]{1,40} \(([0-9]{1,3})\)>$/;

/** The mark for a record of `contentType` decrypted in a connection of `version` (0x0304 ...). */
export function describeDecryptedRecord(version: number, contentType: number): string {
  const v = VERSION_NAMES.get(version) ?? 'TLS 1.2';
  return `<decrypted ${v} record: ${CONTENT_TYPE_NAMES.get(contentType) ?? 'unknown'} (${contentType})>`;
}

/** The content type and version a mark states, or null when `text` is no such mark. */
export function parseDecryptedRecordMark(text: string): { readonly contentType: number; readonly version: number } | null {
  if (text.length > 80) return null;
  const m = MARK.exec(text);
  if (!m) return null;
  const contentType = Number(m[2]);
  if (contentType > 255) return null;
  return { contentType, version: VERSION_CODES.get(m[1])! };
}
