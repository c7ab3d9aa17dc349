/**
 * status_request (RFC 6066 §8, RFC 8446 §4.4.2.1) by message: empty in ServerHello and in a
 * TLS 1.3 CertificateRequest; a CertificateStatusRequest in ClientHello; a CertificateStatus
 * (status_type, OCSPResponse ocsp_response<1..2^24-1>) in a TLS 1.3 CertificateEntry. Empty
 * extension_data where content is required is malformed at extension_data_length. The
 * CertificateEntry case is what sample-lengths found in fixtures/tls/tls13-ocsp-keyupdate.msg.txt.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { DecodedTlsStream } from '../../src/core/model/tls';
import { decodeDecryptedContent, decodeTlsStream } from '../../src/core/tls/decodeStream';
import { cat, clientHelloRecord, ext, handshake, hex, record, u16, u24, u8, vec16, vec24, vec8 } from './helpers';

const EXT_STATUS_REQUEST = 5;
const problems = (d: DecodedTlsStream): string[] => d.problems.map((p) => `${p.kind} [${p.start}, ${p.end}): ${p.message}`);

/** TLS 1.3 Certificate (decrypted content) with one entry: cert_data (stand-in bytes) and `extensions`. */
function certificate13(extensions: Uint8Array): { bytes: Uint8Array; extensionsAt: number } {
  const certData = vec24(hex('30 03 02 01 00'));
  const body = cat(vec8(), vec24(cat(certData, extensions)));
  // handshake header 4, context length 1, list length 3, then cert_data.
  return { bytes: handshake(11, body), extensionsAt: 4 + 1 + 3 + certData.length };
}

const OCSP_STATUS = cat(u8(1), vec24(hex('30 01 00'))); // status_type ocsp, ocsp_response length 3

test('CertificateEntry status_request: a CertificateStatus decodes; empty extension_data is malformed at extension_data_length', () => {
  const good = certificate13(vec16(ext(EXT_STATUS_REQUEST, OCSP_STATUS)));
  assert.deepEqual(problems(decodeDecryptedContent(good.bytes, 22, { version: 0x0304 })), []);
  const empty = certificate13(vec16(ext(EXT_STATUS_REQUEST)));
  const d = decodeDecryptedContent(empty.bytes, 22, { version: 0x0304 });
  // extensions length (2), extension_type (2), then extension_data_length.
  const at = empty.extensionsAt + 4;
  assert.deepEqual(
    d.problems.map((p) => [p.kind, p.start, p.end]),
    [['malformed', at, at + 2]],
    problems(d).join(' | '),
  );
  assert.match(d.problems[0].message, /status_request extension_data is empty; in a certificate entry it carries a CertificateStatus/);
});

test('CertificateEntry status_request with an empty ocsp_response (OCSPResponse<1..2^24-1>): malformed at its length', () => {
  const c = certificate13(vec16(ext(EXT_STATUS_REQUEST, cat(u8(1), u24(0)))));
  const d = decodeDecryptedContent(c.bytes, 22, { version: 0x0304 });
  const at = c.extensionsAt + 2 + 4 + 1;
  assert.deepEqual(
    d.problems.map((p) => [p.kind, p.start, p.end]),
    [['malformed', at, at + 3]],
    problems(d).join(' | '),
  );
  assert.match(d.problems[0].message, /ocsp_response is empty/);
});

test('ClientHello status_request: a CertificateStatusRequest decodes; empty is malformed at extension_data_length', () => {
  assert.deepEqual(problems(decodeTlsStream(clientHelloRecord({ extensions: [ext(EXT_STATUS_REQUEST, hex('01 00 00 00 00'))] }))), []);
  const bytes = clientHelloRecord({ extensions: [ext(EXT_STATUS_REQUEST)] });
  const d = decodeTlsStream(bytes);
  // The extension is the last 4 bytes: type, then extension_data_length 00 00.
  assert.deepEqual(
    d.problems.map((p) => [p.kind, p.start, p.end]),
    [['malformed', bytes.length - 2, bytes.length]],
    problems(d).join(' | '),
  );
  assert.match(d.problems[0].message, /in ClientHello it carries a CertificateStatusRequest/);
});

test('status_request empty where it must be: ServerHello (TLS 1.2) and TLS 1.3 CertificateRequest stay clean', () => {
  const sh = handshake(2, cat(u16(0x0303), new Uint8Array(32).fill(0x22), vec8(), u16(0xc02f), u8(0), vec16(ext(EXT_STATUS_REQUEST))));
  assert.deepEqual(problems(decodeTlsStream(record(22, 0x0303, sh), { direction: 'server' })), []);
  // CertificateRequest (RFC 8446 §4.3.2): context, extensions with signature_algorithms and an empty status_request.
  const cr = handshake(13, cat(vec8(), vec16(ext(13, vec16(u16(0x0804))), ext(EXT_STATUS_REQUEST))));
  assert.deepEqual(problems(decodeDecryptedContent(cr, 22, { version: 0x0304 })), []);
});
