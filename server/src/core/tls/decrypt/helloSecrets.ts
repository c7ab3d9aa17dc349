/**
 * What decryption needs from the hellos, read defensively (never throws; malformed → undefined):
 * ClientHello.random (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2), the SSLv2-format CLIENT-HELLO challenge
 * as the client random left-padded with zeros to 32 bytes (RFC 5246 App. E.2), and from the
 * ServerHello its random, cipher suite, version (the supported_versions extension when present,
 * RFC 8446 §4.2.1), encrypt_then_mac (RFC 7366 §2, extension 22) and whether it is a
 * HelloRetryRequest (RFC 8446 §4.1.3: random = SHA-256("HelloRetryRequest")).
 */

import { EXT_ENCRYPT_THEN_MAC, EXT_SUPPORTED_VERSIONS } from '../registry/extensionTypes';
import { HELLO_RETRY_REQUEST_RANDOM } from '../registry/handshakeTypes';

/** RFC 8446 §4.1.3: the random of a HelloRetryRequest. */
const HRR_RANDOM = Uint8Array.from(HELLO_RETRY_REQUEST_RANDOM.match(/../g)!.map((h) => parseInt(h, 16)));

export interface ServerHelloInfo {
  readonly random: Uint8Array;
  readonly cipherSuite: number;
  /** The negotiated version: supported_versions when present, else legacy_version. */
  readonly version: number;
  readonly encryptThenMac: boolean;
  readonly helloRetryRequest: boolean;
}

function u16(b: Uint8Array, p: number): number {
  return (b[p] << 8) | b[p + 1];
}

/** ClientHello body (after the 4-byte handshake header): its 32-byte random. */
export function clientHelloRandom(body: Uint8Array): Uint8Array | undefined {
  if (body.length < 34) return undefined;
  return body.slice(2, 34);
}

/** ServerHello body (after the 4-byte handshake header). */
export function readServerHello(body: Uint8Array): ServerHelloInfo | undefined {
  if (body.length < 38) return undefined;
  let version = u16(body, 0);
  const random = body.slice(2, 34);
  const sidLength = body[34];
  let p = 35 + sidLength;
  if (p + 3 > body.length) return undefined;
  const cipherSuite = u16(body, p);
  p += 3; // suite + compression method
  let encryptThenMac = false;
  if (p + 2 <= body.length) {
    const end = Math.min(body.length, p + 2 + u16(body, p));
    p += 2;
    while (p + 4 <= end) {
      const type = u16(body, p);
      const len = u16(body, p + 2);
      const data = p + 4;
      if (data + len > end) break;
      if (type === EXT_ENCRYPT_THEN_MAC) encryptThenMac = true;
      if (type === EXT_SUPPORTED_VERSIONS && len === 2) version = u16(body, data);
      p = data + len;
    }
  }
  const helloRetryRequest = random.every((b, i) => b === HRR_RANDOM[i]);
  return { random, cipherSuite, version, encryptThenMac, helloRetryRequest };
}

/**
 * An SSLv2-format CLIENT-HELLO record (2-byte header with the high bit set, msg_type 1): the
 * challenge (16..32 bytes) left-padded with zeros to 32 bytes, which TLS uses as ClientHello.random.
 */
export function sslv2ClientHelloRandom(record: Uint8Array): Uint8Array | undefined {
  if (record.length < 11 || (record[0] & 0x80) === 0 || record[2] !== 1) return undefined;
  const length = ((record[0] & 0x7f) << 8) | record[1];
  const end = Math.min(record.length, 2 + length);
  const specs = u16(record, 5);
  const sid = u16(record, 7);
  const challenge = u16(record, 9);
  const at = 11 + specs + sid;
  if (challenge < 16 || challenge > 32 || at + challenge > end) return undefined;
  const random = new Uint8Array(32);
  random.set(record.subarray(at, at + challenge), 32 - challenge);
  return random;
}
