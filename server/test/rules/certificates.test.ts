/**
 * The certificate rules on real handshakes (server/test/fixtures/certificates/make-fixtures.sh:
 * openssl s_server on port 465 serving a throwaway PKI's chains, openssl s_client -msg, each
 * captured, tshark's dissection of every handshake message as the oracle): the chain in the
 * wrong order, a 1024-bit key, a SHA-1 signature, a name the certificate does not cover, and the
 * near misses (the right chain, a common name standing in for a missing subjectAltName).
 */
import { findVerifyVerdicts, verdictsBetween } from '../../src/core/rules/opensslVerdicts';
import { LineIndex } from '../../src/core/text/lineIndex';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { createBufferSource } from '../../src/core/capture/captureSource';
import { importCapture } from '../../src/core/capture/importCapture';
import { computeHover } from '../../src/core/features/hover';
import { registerTlsDifferential } from '../tls/tsharkCompare';
import { checkInChunks } from '../../src/core/analysis/chunkedCheck';
import { IncrementalAnalysis } from '../../src/core/analysis/incrementalAnalysis';
import { findChunkStarts } from '../../src/core/analysis/documentChunks';
import { DEFAULT_SETTINGS } from '../../src/core/rules/types';
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

test('certificates: an expired certificate is judged at the session\'s time, from s_client\'s Start Time or the capture\'s first frame', () => {
  const text = msgText('expired');
  const [f] = certificateFindings(text);
  assert.match(f.message, /^The server's certificate \(CN=expired\.cert-lab\.test\) expired on 2021-01-01 00:00 UTC, [\d,]+ days before the session \(20\d\d-\d\d-\d\d \d\d:\d\d UTC, as the tool states it\); RFC 5280 §6\.1\.3/);
  // The finding is on the certificate's validity (a SEQUENCE of two UTCTimes: 30 1e 17 0d ...), the related place s_client's Start Time.
  assert.match(text.slice(f.span.start, f.span.end).replace(/\s+/g, ' '), /^30 1e 17 0d 32 30 30 31 30 31/);
  assert.match(text.slice(f.related![0].span.start, f.related![0].span.end), /^Start Time: \d{10}$/);
  // The import writes the session's time from its first frame.
  assert.match(captureText('expired'), /^# smtptls-time: 20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
  const [c] = certificateFindings(captureText('expired'));
  assert.match(c.message, /before the session \(20\d\d-\d\d-\d\d \d\d:\d\d UTC, from the `# smtptls-time:` line\)/);
  const [n] = certificateFindings(msgText('not-yet-valid'));
  assert.match(n.message, /^The server's certificate \(CN=future\.cert-lab\.test\) becomes valid only on 2099-01-01 00:00 UTC, [\d,]+ days after the session/);
});

test('certificates: without a time nothing is judged; a reviewer\'s `# smtptls-time:` line above a log sets one', () => {
  // gnutls-cli states no time.
  const gnutls = readRunOutput(DIR, 'expired', 'gnutls');
  assert.deepEqual(certificateFindings(gnutls), []);
  // Written above the output: the server's certificate was valid on 2020-06-01 (its issuing CA, made by the
  // fixtures script on the day of the run, was not yet) and had expired by 2030-01-01.
  const before = certificateFindings(`# smtptls-time: 2020-06-01T00:00:00Z\n${gnutls}`);
  assert.deepEqual(summary(before), ['tls-certificate-expired warning']);
  assert.match(before[0].message, /^Certificate 1 of the chain \(CN=Cert Lab Issuing CA, O=SMTP TLS Transcripts test\) becomes valid only on 20\d\d-/);
  const later = certificateFindings(`# smtptls-time: 2030-01-01T00:00:00.123456Z\n${gnutls}`);
  assert.deepEqual(summary(later), ['tls-certificate-expired warning']);
  assert.match(later[0].message, /^The server's certificate \(CN=expired\.cert-lab\.test\) expired on 2021-01-01 00:00 UTC, 3,287 days before the session \(2030-01-01 00:00 UTC, from the `# smtptls-time:` line\)/);
  // A time that is no ISO 8601 UTC time is no directive.
  assert.deepEqual(certificateFindings(`# smtptls-time: yesterday\n${gnutls}`), []);
  assert.deepEqual(certificateFindings(`# smtptls-time: 2022-01-01 00:00:00\n${gnutls}`), []);
});

test('certificates: a `# smtptls-time:` line in an earlier chunk is in force for the chunks after it, in the CLI\'s streaming check and the editor\'s incremental analysis alike', () => {
  // The capture's transcript with its own time line replaced by one at the top of the file, before the session's chunk.
  const own = captureText('expired');
  const text = `# smtptls-time: 2030-01-01T00:00:00Z\n${own.replace(/^# smtptls-time: .*\n/m, '')}`;
  assert.ok(findChunkStarts(text, 0, text.length).length >= 1, 'the session is a chunk of its own');
  const whole = analyzeDocument(text).findings.filter((f) => f.rule === 'tls-certificate-expired');
  assert.equal(whole.length, 1);
  assert.match(whole[0].message, /before the session \(2030-01-01 00:00 UTC, from the `# smtptls-time:` line\)/);
  // (as JSON: the engine's `related: undefined` is no difference)
  const same = (fs: readonly unknown[]): string => JSON.stringify(fs);
  const streamed = checkInChunks(text, DEFAULT_SETTINGS).findings.filter((f) => f.rule === 'tls-certificate-expired');
  assert.equal(same(streamed), same(whole));
  const inc = new IncrementalAnalysis(DEFAULT_SETTINGS);
  inc.setText(text);
  assert.equal(same(inc.findings().filter((f) => f.rule === 'tls-certificate-expired')), same(whole));
  // An edit of the time line reaches the later chunk: 2020-06-01 is before the certificate expired (its issuer, made today, not yet valid).
  const at = text.indexOf('2030-01-01');
  assert.ok(inc.applyEdit(at, at + 4, '2020', `${text.slice(0, at)}2020${text.slice(at + 4)}`));
  const after = inc.findings().filter((f) => f.rule === 'tls-certificate-expired');
  assert.ok(after.every((f) => !f.message.includes('expired.cert-lab.test')), after.map((f) => f.message).join('\n'));
});

test('certificates: an issuing CA under the right name with another key is out of order, by key identifier (tshark -V states both)', () => {
  const [f] = certificateFindings(msgText('rekeyed-intermediate'));
  assert.equal(f.rule, 'tls-certificate-chain-order');
  // tshark's dissection of the same run: the leaf's authorityKeyIdentifier and the CA certificate's subjectKeyIdentifier.
  const dissection = readRunOutput(DIR, 'rekeyed-intermediate', 'tshark-V');
  const aki = /^ +keyIdentifier: ([0-9a-f]+)$/m.exec(dissection)?.[1] ?? '';
  const skis = [...dissection.matchAll(/^ +SubjectKeyIdentifier: ([0-9a-f]+)$/gm)].map((m) => m[1]);
  const colons = (hex: string): string => (hex.toUpperCase().match(/../g) ?? []).join(':');
  assert.equal(skis.length, 2);
  assert.notEqual(aki, skis[1]);
  assert.ok(
    f.message.includes(`was signed by key ${colons(aki)} (its authorityKeyIdentifier), not by certificate 1's key ${colons(skis[1])} (subjectKeyIdentifier)`),
    f.message,
  );
  // The same names, the good chain: no finding (its key identifiers agree).
  assert.deepEqual(certificateFindings(msgText('good-chain')), []);
});

test('certificates: s_client -brief prints no certificate; its verify error 10 is the finding, on the reason, related to the depth line', () => {
  const text = readRunOutput(DIR, 'expired', 'brief');
  const [f] = certificateFindings(text);
  assert.equal(f.rule, 'tls-certificate-expired');
  assert.equal(text.slice(f.span.start, f.span.end), 'certificate has expired');
  assert.match(f.message, /^openssl s_client states that the server's certificate \(CN = expired\.cert-lab\.test\) had expired when it verified it during the session/);
  assert.equal(text.slice(f.related![0].span.start, f.related![0].span.end), 'depth=0 CN = expired.cert-lab.test');
  // With the certificate printed (plain s_client), the certificate is judged and the verdict is not reported again.
  const plain = certificateFindings(readRunOutput(DIR, 'expired', 'plain'));
  assert.equal(plain.length, 1);
  assert.match(plain[0].message, /^The server's certificate \(CN=expired\.cert-lab\.test\) expired on 2021-01-01 00:00 UTC/);
});

test('findVerifyVerdicts and verdictsBetween: each failed check of s_client with its depth and subject, once between two lines; only at a line start', () => {
  const text = readRunOutput(DIR, 'expired', 'brief');
  const lines = new LineIndex(text);
  const verdicts = verdictsBetween(findVerifyVerdicts(text, lines), 0, lines.lineCount - 1);
  assert.deepEqual(
    verdicts.map((v) => [v.depth, v.code, v.reason, v.subject]),
    [
      [1, 20, 'unable to get local issuer certificate', 'CN = Cert Lab Issuing CA, O = SMTP TLS Transcripts test'],
      [0, 10, 'certificate has expired', 'CN = expired.cert-lab.test'],
    ],
  );
  // Twice in the text: found twice, each (depth, code) once between two lines; the second copy alone from its first line.
  const twice = `${text}\n${text}`;
  const all = findVerifyVerdicts(twice, new LineIndex(twice));
  assert.equal(all.length, 4);
  assert.equal(verdictsBetween(all, 0, Number.MAX_SAFE_INTEGER).length, 2);
  assert.deepEqual(verdictsBetween(all, all[2].line, Number.MAX_SAFE_INTEGER), all.slice(2));
  assert.deepEqual(verdictsBetween(all, all[3].line + 1, Number.MAX_SAFE_INTEGER), []);
  const quoted = 'S: 250 see "verify error:num=10:certificate has expired"\n';
  assert.deepEqual(findVerifyVerdicts(quoted, new LineIndex(quoted)), []);
  const bare = 'verify error:num=9:certificate is not yet valid\n';
  assert.deepEqual(findVerifyVerdicts(bare, new LineIndex(bare)).map((v) => [v.line, v.depth, v.subject, v.code]), [[0, null, null, 9]]);
});
