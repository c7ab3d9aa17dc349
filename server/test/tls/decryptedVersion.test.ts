/**
 * Decrypted content that openssl -msg prints ("<<< TLS 1.3, Handshake [length 033f], Certificate")
 * reaches the dissector with the version of its label, so TLS 1.3 messages decode in their
 * TLS 1.3 forms by the stated version rather than by guessing from lengths. The session is
 * server/test/fixtures/corpus/sessions/ossl-tls1_3-msg/openssl-s_client-msg.txt (openssl
 * s_client -msg against postfix, TLS 1.3).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assembleTlsStreams } from '../../src/core/analysis/tlsStreams';
import { readTranscript } from '../../src/core/formats/readTranscript';
import type { OtherHandshakeMessage } from '../../src/core/model/tls';
import type { ByteRunEvent } from '../../src/core/model/transcript';
import { decodeDecryptedContent } from '../../src/core/tls/decodeStream';
import { hex } from './helpers';

const FILE = join(__dirname, '..', 'fixtures', 'corpus', 'sessions', 'ossl-tls1_3-msg', 'openssl-s_client-msg.txt');

test('openssl -msg: decrypted runs carry the label version, and the TLS 1.3 messages decode in their TLS 1.3 forms', () => {
  const transcript = readTranscript(readFileSync(FILE, 'utf8'));
  assert.equal(transcript.sessions.length, 1);
  const session = transcript.sessions[0];
  const runs = session.events.filter((e): e is ByteRunEvent => e.kind === 'bytes' && e.role === 'decrypted');
  assert.ok(runs.length >= 6);
  // Every decrypted run follows a "TLS 1.3, ..." content label.
  assert.deepEqual([...new Set(runs.map((r) => r.tlsVersion))], [0x0304]);

  const decrypted = assembleTlsStreams(session).flatMap((s) => s.decoded.records.filter((r) => r.decrypted));
  assert.ok(decrypted.every((r) => r.version === 0x0304));
  const messages = decrypted.flatMap((r) => r.messages) as OtherHandshakeMessage[];
  const byName = (name: string): OtherHandshakeMessage => {
    const m = messages.find((x) => x.name === name);
    assert.ok(m, name);
    assert.equal(m.incomplete, undefined, name);
    return m;
  };
  assert.deepEqual(messages.map((m) => m.name), ['EncryptedExtensions', 'Certificate', 'CertificateVerify', 'Finished', 'Finished', 'NewSessionTicket']);
  assert.deepEqual(byName('EncryptedExtensions').details, { extensions: [] });
  const cert = byName('Certificate').details ?? {};
  assert.equal(cert.form, 'tls13');
  assert.equal(cert.certificateRequestContext, '');
  assert.equal((cert.certificates as { subject: string }[])[0].subject, 'CN=mx.feas.test');
  // RFC 8446 §4.4.3: a SignatureScheme before the signature.
  assert.deepEqual(byName('CertificateVerify').details, { signatureAlgorithm: 0x0804, signatureAlgorithmName: 'rsa_pss_rsae_sha256', signatureLength: 256 });
  // RFC 8446 §4.4.4: verify_data is Hash.length, 48 bytes for TLS_AES_256_GCM_SHA384.
  assert.equal(byName('Finished').details?.verifyDataLength, 48);
  assert.equal(byName('NewSessionTicket').details?.form, 'tls13');
  for (const s of assembleTlsStreams(session)) assert.deepEqual(s.decoded.problems, []);
});

test('decodeDecryptedContent follows the stated version, not the lengths', () => {
  const bytes = hex(`
    0d 00 00 0b // certificate_request, length 11
    00          // certificate_request_context: empty (RFC 8446 §4.3.2)
    00 08       // extensions length 8
    00 0d 00 04 // signature_algorithms, extension_data length 4
    00 02 08 04 // supported_signature_algorithms: rsa_pss_rsae_sha256
  `);
  const as13 = decodeDecryptedContent(bytes, 22, { version: 0x0304 });
  assert.deepEqual(as13.problems, []);
  const cr = as13.records[0].messages[0] as OtherHandshakeMessage;
  assert.deepEqual([cr.details?.form, cr.details?.signatureAlgorithms], ['tls13', [0x0804]]);
  // Stated as TLS 1.2, the same bytes are read in the RFC 5246 §7.4.4 form: an empty certificate_types list, then lengths that do not fit.
  const as12 = decodeDecryptedContent(bytes, 22, { version: 0x0303 });
  assert.equal((as12.records[0].messages[0] as OtherHandshakeMessage).details?.form, 'tls12');
  assert.equal(as12.problems[0]?.kind, 'malformed');
});
