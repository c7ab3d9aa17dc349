/**
 * The certificate rules on real handshakes (server/test/fixtures/certificates/make-fixtures.sh:
 * openssl s_server on port 465 serving a throwaway PKI's chains, openssl s_client -msg, each
 * captured, tshark's dissection of every handshake message as the oracle): the chain in the
 * wrong order, a 1024-bit key, a SHA-1 signature, a name the certificate does not cover, and the
 * near misses (the right chain, a common name standing in for a missing subjectAltName).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { createBufferSource } from '../../src/core/capture/captureSource';
import { importCapture } from '../../src/core/capture/importCapture';
import { computeHover } from '../../src/core/features/hover';
import { registerTlsDifferential } from '../tls/tsharkCompare';
import { isIpLiteral } from '../../src/core/rules/checks/helloContent';
import { assertCertificateRun, CERTIFICATE_RUNS, certificateFindings, readRunCapture, readRunOutput, ruleAndSeverity as summary } from '../helpers/certificateRuns';

const DIR = join(__dirname, '..', 'fixtures', 'certificates');
const msgText = (name: string): string => readRunOutput(DIR, name);
const captureText = (name: string): string => readRunCapture(DIR, name);

for (const [name, want] of Object.entries(CERTIFICATE_RUNS)) {
  test(`certificates: ${name}: s_client's outputs and the capture give ${want.capture.join(', ') || 'no certificate finding'}`, () => {
    assertCertificateRun(DIR, name);
  });
}

test('certificates: the chain-order finding points at the misplaced certificate, with the issuer it should have been', () => {
  const text = msgText('wrong-order-tls12');
  const [f] = certificateFindings(text);
  assert.match(f.message, /^Certificate 1 of the chain \(CN=Cert Lab Root CA, O=SMTP TLS Transcripts test\) follows the server's certificate \(CN=mx\.cert-lab\.test\), which was issued by CN=Cert Lab Issuing CA/);
  assert.match(f.message, /RFC 5246 §7\.4\.2/);
  // The span is the root's subject name: in DER a SEQUENCE (30) of the RDNs; the related location is the leaf's issuer name.
  assert.match(text.slice(f.span.start, f.span.end), /^30 /);
  assert.equal(f.related?.length, 1);
  assert.match(f.related?.[0].message ?? '', /^issuer of certificate 0: CN=Cert Lab Issuing CA/);
  // The hover on the span names the certificate field it lies in.
  const hover = computeHover(analyzeDocument(text), f.span.start + 1)?.markdown ?? '';
  assert.match(hover, /cert_data/);
  assert.match(hover, /CN=Cert Lab Root CA/);
});

test('certificates: the weak key points at the subjectPublicKeyInfo and the SHA-1 signature at the outer signatureAlgorithm', () => {
  const weak = msgText('weak-key');
  const [k] = certificateFindings(weak);
  assert.match(k.message, /^The server's certificate \(CN=weak\.cert-lab\.test\) has a 1024-bit RSA key; BCP 195 \(RFC 7525 §4\.3\) asks for RSA keys of at least 2048 bits\.$/);
  // SubjectPublicKeyInfo of a 1024-bit RSA key: SEQUENCE of 159 bytes (30 81 9f), then rsaEncryption's AlgorithmIdentifier.
  assert.match(weak.slice(k.span.start, k.span.end).replace(/\s+/g, ' '), /^30 81 9f 30 0d 06 09 2a 86 48 86 f7 0d 01 01 01 05 00 /);
  // Hovering any byte of it says which part of the certificate it is.
  assert.match(computeHover(analyzeDocument(weak), k.span.start + 1)?.markdown ?? '', /\| In the certificate \| subjectPublicKeyInfo: RSA, 1024 bits \|/);
  const sha1 = msgText('sha1-signed');
  const [s] = certificateFindings(sha1);
  assert.match(s.message, /is signed by CN=Cert Lab Issuing CA, O=SMTP TLS Transcripts test with sha1WithRSAEncryption \(SHA-1\)/);
  // AlgorithmIdentifier sha1WithRSAEncryption (1.2.840.113549.1.1.5) with NULL parameters.
  assert.equal(sha1.slice(s.span.start, s.span.end).replace(/\s+/g, ' '), '30 0d 06 09 2a 86 48 86 f7 0d 01 01 05 05 00');
});

test('certificates: the name mismatch lists what the certificate covers and relates the client\'s server_name', () => {
  const [f] = certificateFindings(captureText('name-mismatch'));
  assert.equal(
    f.message,
    'The server\'s certificate does not cover "smtp.other-lab.test", the name the client sent in server_name: its subjectAltName names mx.cert-lab.test, mail.cert-lab.test. On submission port 465 the client must check the name (RFC 7817 §3).',
  );
  assert.match(f.related?.[0].message ?? '', /^server_name "smtp\.other-lab\.test" sent by the client$/);
  // On port 25 (a relay) the same certificate is information.
  const relay = `# smtptls-port: 25\n${msgText('name-mismatch')}`;
  assert.deepEqual(summary(certificateFindings(relay)), ['tls-certificate-name-mismatch information']);
});

test('certificates: the rfc3207 baseline leaves key size and signature hash alone, not the chain order', () => {
  const settings = { baseline: 'rfc3207' as const };
  assert.deepEqual(summary(certificateFindings(msgText('weak-key'), settings)), []);
  assert.deepEqual(summary(certificateFindings(msgText('sha1-signed'), settings)), []);
  assert.deepEqual(summary(certificateFindings(msgText('wrong-order-tls12'), settings)), ['tls-certificate-chain-order error']);
});

// Every handshake message of these runs, certificates included (issuer, subject, names, signature algorithm, key), as tshark reads it.
registerTlsDifferential(DIR, { label: 'certificate fixtures', minCases: 8, minFields: 300 });

test('certificates: an address literal in server_name is tls-sni-invalid only, not a name the certificate fails to cover', () => {
  // msmtp connecting to 127.0.0.1:465 sends "127.0.0.1" as server_name (server/test/fixtures/msmtp).
  const pcap = readFileSync(join(__dirname, '..', 'fixtures', 'msmtp', 'msmtp-implicit-tls11.pcap'));
  const text = importCapture(createBufferSource(new Uint8Array(pcap)), { name: 'msmtp' }).text;
  const rules = analyzeDocument(text).findings.map((f) => f.rule);
  assert.ok(rules.includes('tls-sni-invalid'));
  assert.ok(!rules.includes('tls-certificate-name-mismatch'));
  assert.equal(isIpLiteral('127.0.0.1'), true);
  assert.equal(isIpLiteral('[::1]'), true);
  assert.equal(isIpLiteral('::1'), true);
  assert.equal(isIpLiteral('mx.example.test'), false);
});
