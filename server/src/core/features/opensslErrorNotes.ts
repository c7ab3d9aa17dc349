/**
 * Hover on an OpenSSL error in a log or a tool's output: what the error means for the handshake.
 * OpenSSL prints its errors as `error:0A0000C1:SSL routines::no shared cipher` (3.x; 1.x names the
 * function between the two colons), postfix after `warning: TLS library problem:`, s_client on its
 * own line, swaks and curl inside their messages; Python as `[SSL: NO_SHARED_CIPHER] no shared
 * cipher (_ssl.c:1006)`. The reasons are libssl's own strings (server/test/fixtures/stated-alerts:
 * all of them, read from the library); the explanations are ours. A received alert's error is
 * described by the alert it states (statedValueNotes.ts).
 */
import { refRfc, type Reference } from './references';
import type { PlacedNote } from './smtpNotes';
import { findOpensslErrors } from '../formats/opensslAlerts';

export type OpensslErrorNote = PlacedNote;

/** What the common libssl errors of a failed mail handshake mean, by reason string. */
const REASONS: ReadonlyMap<string, { readonly about: string; readonly refs?: readonly Reference[] }> = new Map([
  ['no shared cipher', { about: 'The server found no cipher suite it supports, and can use with its certificate and key, among those the client offered. It answers with a handshake_failure alert.', refs: [refRfc(8446, '4.1.1')] }],
  ['unsupported protocol', { about: 'The peer offered, or selected, only protocol versions this side has disabled: a client that goes no higher than TLS 1.0 against a server whose minimum is TLS 1.2, for example. The answer is a protocol_version alert.', refs: [refRfc(8996)] }],
  ['version too low', { about: 'The version the peer offered or selected is below the lowest this side accepts (an SSL 3.0 hello against a server that requires TLS 1.0 or later, for example).', refs: [refRfc(7568, '3'), refRfc(8996)] }],
  ['wrong version number', { about: 'The bytes received do not start a TLS record of a version this side accepts: often no TLS at all, such as an SMTP line where the handshake was expected, or TLS on a port that speaks plain SMTP first.', refs: [refRfc(8446, '5.1')] }],
  ['http request', { about: 'An HTTP request arrived where a TLS handshake was expected.' }],
  ['packet length too long', { about: 'A record declares more bytes than a TLS record may hold: usually the bytes are not TLS at all.', refs: [refRfc(8446, '5.1')] }],
  ['certificate verify failed', { about: 'This side could not verify the peer\'s certificate chain (an issuer it does not trust, an expired certificate, a name that does not match); s_client\'s `verify error:num=...` line says which check failed.' }],
  ['unexpected eof while reading', { about: 'The peer closed the TCP connection without a close_notify alert: the session may have been cut short.', refs: [refRfc(8446, '6.1')] }],
  ['no suitable signature algorithm', { about: 'No signature algorithm that both sides accept fits the certificate\'s key.', refs: [refRfc(8446, '4.2.3')] }],
  ['no shared signature algorithms', { about: 'The two sides have no signature algorithm in common.', refs: [refRfc(8446, '4.2.3')] }],
  ['legacy sigalg disallowed or unsupported', { about: 'The peer signed with a legacy algorithm (SHA-1 or MD5 based) that this side\'s security level refuses.', refs: [refRfc(9155)] }],
  ['bad key share', { about: 'The peer\'s key share is not a valid key for its group.', refs: [refRfc(8446, '4.2.8')] }],
  ['no suitable key share', { about: 'The server found no key share for a group it supports and no way to ask for one.', refs: [refRfc(8446, '4.2.8')] }],
  ['unsafe legacy renegotiation disabled', { about: 'The peer does not support secure renegotiation (renegotiation_info) and this side requires it.', refs: [refRfc(5746)] }],
  ['dh key too small', { about: 'The server\'s Diffie-Hellman group is smaller than this side\'s security level allows.', refs: [refRfc(7919)] }],
  ['ee key too small', { about: 'The key of the end-entity certificate is smaller than this side\'s security level allows.' }],
  ['ca key too small', { about: 'The key of a certificate authority in the chain is smaller than this side\'s security level allows.' }],
  ['ca md too weak', { about: 'A certificate in the chain is signed with a digest (MD5, SHA-1) weaker than this side\'s security level allows.' }],
  ['unknown protocol', { about: 'The peer\'s hello is in a protocol this side does not speak at all: an SSLv2-compatible hello that offers only SSL 2.0, for example.', refs: [refRfc(6176, '3')] }],
  ['error in received cipher list', { about: 'The cipher-suite list of the peer\'s hello cannot be read (a length that does not fit, an odd number of bytes).', refs: [refRfc(8446, '4.1.2')] }],
  ['no protocols available', { about: 'This side has every protocol version disabled (its minimum above its maximum): no handshake can start.' }],
]);

/** How much of a line is searched for an error. */
const LINE_SCAN = 2048;

/** The note on the OpenSSL error at document offset `offset` of the line text[lineStart, lineEnd), or null. */
export function describeOpensslErrorAt(text: string, lineStart: number, lineEnd: number, offset: number): OpensslErrorNote | null {
  const line = text.slice(lineStart, Math.min(lineEnd, lineStart + LINE_SCAN));
  if (!line.includes('error:') && !line.includes('[SSL: ')) return null;
  const error = findOpensslErrors(line, lineStart).find((e) => e.start <= offset && offset < e.end);
  const reason = error?.reason.trim();
  const known = reason !== undefined ? REASONS.get(reason) : undefined;
  if (!error || !known) return null;
  const code = error.code !== null ? ` (${error.code})` : '';
  return { span: { start: error.start, end: error.end }, title: `OpenSSL error: ${reason}${code}`, about: known.about, refs: known.refs ?? [] };
}

/** The reason strings explained (for tests: each must be one libssl gives). */
export const EXPLAINED_OPENSSL_REASONS: readonly string[] = [...REASONS.keys()];
