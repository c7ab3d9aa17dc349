/**
 * What Postfix logs of the certificates it verifies, judged where the text shows no certificate that
 * can be dated (server/test/fixtures/mta-verdicts/make-fixtures.sh: real posttls-finger runs and a real
 * mail log of postfix/smtp delivering to the mail lab's servers on 2527 (certificate expired in 2021),
 * 2528 (1024-bit RSA key) and 2529 (valid from 2099)):
 * - tls-certificate-expired from `server certificate verification failed for ...: certificate has expired`;
 * - tls-certificate-weak-key from the established line's `server-signature RSA-PSS (1024 bits)`;
 * - tls-certificate-name-mismatch from posttls-finger's, curl's and s_client's verdicts on a name (against port 25).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import type { Finding } from '../../src/core/rules/types';
import { DEFAULT_SETTINGS } from '../../src/core/rules/types';
import { computeHover } from '../../src/core/features/hover';
import { assertMtaVerdictRuns, locatedFindings as located } from '../helpers/mtaVerdictRuns';

const DIR = join(__dirname, '..', 'fixtures', 'mta-verdicts');
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');
const POSTTLS_DEFAULT = join(__dirname, '..', 'fixtures', 'posttls-finger', 'default.txt');

test('every output of the runs gives its findings, each verdict in the session of the server it names', () => {
  assertMtaVerdictRuns(DIR);
});

const certificateFindings = (text: string): Finding[] => analyzeDocument(text).findings.filter((f) => f.rule.startsWith('tls-certificate-'));

test('posttls-finger: its verdicts "certificate has expired" and "certificate not yet valid" are the findings, on its words', () => {
  for (const [name, reason, what] of [
    ['posttls-finger-expired.txt', 'certificate has expired', 'had expired'],
    ['posttls-finger-future.txt', 'certificate not yet valid', 'was not yet valid'],
  ] as const) {
    const text = read(name);
    const findings = certificateFindings(text);
    assert.deepEqual(located(text, findings), [`tls-certificate-expired warning: ${reason}`], name);
    assert.equal(findings[0].message, `posttls-finger states that the server's certificate ${what} when it verified it during the session ("${reason}"); RFC 5280 §6.1.3 accepts a certificate only within its validity period.`);
  }
});

test('posttls-finger: the 1024-bit key that signed the handshake is the weak-key finding; under rfc3207 it is off', () => {
  const text = read('posttls-finger-weak.txt');
  const findings = certificateFindings(text);
  assert.deepEqual(located(text, findings), ['tls-certificate-weak-key warning: RSA-PSS (1024 bits)']);
  assert.match(findings[0].message, /^The log states that the server signed the handshake with a 1024-bit RSA key \(RSA-PSS\), the key of its certificate; BCP 195 \(RFC 7525 §4\.3\) asks for RSA keys of at least 2048 bits\.$/);
  assert.deepEqual(analyzeDocument(text, { ...DEFAULT_SETTINGS, baseline: 'rfc3207' }).findings.filter((f) => f.rule === 'tls-certificate-weak-key'), []);
});

test('negative: the lab\'s 2048-bit keys, the expired run\'s 2048-bit key, a self-signed verdict: no certificate finding', () => {
  // posttls-finger's default run against the lab's port 25 (fixtures/posttls-finger): "self-signed certificate", RSA-PSS (2048 bits).
  const fallback = readFileSync(POSTTLS_DEFAULT, 'utf8');
  assert.match(fallback, /self-signed certificate/);
  assert.match(fallback, /server-signature RSA-PSS \(2048 bits\)/);
  assert.deepEqual(certificateFindings(fallback), []);
  // The expired run states a 2048-bit key: only the verdict.
  assert.deepEqual(certificateFindings(read('posttls-finger-expired.txt')).map((f) => f.rule), ['tls-certificate-expired']);
});

test('signing keys: a curve is sized by its name; bits at the floor pass (crafted from the weak run\'s line)', () => {
  const text = read('posttls-finger-weak.txt');
  const judge = (words: string): string[] => located(text.replace('RSA-PSS (1024 bits)', words), certificateFindings(text.replace('RSA-PSS (1024 bits)', words)));
  assert.deepEqual(judge('RSA-PSS (2048 bits)'), []);
  assert.deepEqual(judge('RSA (2047 bits)'), ['tls-certificate-weak-key warning: RSA (2047 bits)']);
  assert.deepEqual(judge('ECDSA (prime256v1)'), []);
  assert.deepEqual(judge('ECDSA (secp160r1)'), ['tls-certificate-weak-key warning: ECDSA (secp160r1)']);
  assert.match(certificateFindings(text.replace('RSA-PSS (1024 bits)', 'ECDSA (secp160r1)'))[0].message, /160-bit key on secp160r1 \(ECDSA\)/);
  // A curve the table does not know, and EdDSA, name no size: not judged.
  assert.deepEqual(judge('ECDSA (unknowncurve1)'), []);
  assert.deepEqual(judge('ED25519'), []);
});

test('posttls-finger -C: with the chain in PEM but no time of the session, the verdict; with a time, the certificate itself', () => {
  const text = read('posttls-finger-expired-chain.txt');
  assert.match(text, /-----BEGIN CERTIFICATE-----/);
  assert.deepEqual(located(text, certificateFindings(text)), ['tls-certificate-expired warning: certificate has expired']);
  const dated = `# smtptls-time: 2026-11-30T13:35:54Z\n${text}`;
  const findings = certificateFindings(dated);
  assert.equal(findings.length, 1);
  assert.match(findings[0].message, /^The server's certificate \(CN=expired\.cert-lab\.test\) expired on 2021-01-01 00:00 UTC, 2,159 days before the session/);
});

test('a mail log: postfix/smtp\'s verdicts and signing keys, each in the session of its connection, the smtpd side\'s key too', () => {
  const text = read('postfix-deliveries.log');
  const analysis = analyzeDocument(text);
  const findings = analysis.findings.filter((f) => f.rule.startsWith('tls-certificate-'));
  assert.deepEqual(located(text, findings), [
    'tls-certificate-expired warning: certificate has expired',
    // The same 1024-bit key, stated by the SMTP client (postfix/smtp) and by the server (lab2528/smtpd).
    'tls-certificate-weak-key warning: RSA-PSS (1024 bits)',
    'tls-certificate-weak-key warning: RSA-PSS (1024 bits)',
    'tls-certificate-expired warning: certificate not yet valid',
  ]);
  assert.match(findings[0].message, /^Postfix states that the server's certificate had expired/);
  // One postfix/smtp process delivered to 2527 and then to 2529: each verdict is in the session of its own server.
  const portOf = (f: Finding): number | null => {
    const s = analysis.sessions.find((x) => x.session.events.some((e) => e.kind === 'stated' && e.verdict && e.span.start <= f.span.start && f.span.end <= e.span.end));
    return s ? s.session.port : null;
  };
  assert.deepEqual([portOf(findings[0]), portOf(findings[3])], [2527, 2529]);
});

test('a mail log grepped for one postfix/smtp process: without its dialogue, a verdict after an established line starts the next connection', () => {
  const full = read('postfix-deliveries.log');
  const pid = /postfix\/smtp\[([0-9]+)\]: server certificate verification failed/.exec(full)![1];
  const text = full
    .split('\n')
    .filter((l) => l.includes(`postfix/smtp[${pid}]: `))
    .join('\n');
  assert.doesNotMatch(text, / < 127\.0\.0\.1/, 'the lab logs no dialogue for the labverify transport');
  const analysis = analyzeDocument(text);
  const verdictSessions = analysis.sessions.filter((s) => s.session.events.some((e) => e.kind === 'stated' && e.verdict));
  assert.equal(verdictSessions.length, 2);
  assert.deepEqual(
    verdictSessions.map((s) => s.session.events.filter((e) => e.kind === 'stated').map((e) => (e.kind === 'stated' ? e.subject : ''))),
    [
      ['certificate-verdict', 'negotiated'],
      ['certificate-verdict', 'negotiated'],
    ],
  );
  assert.deepEqual(located(text, analysis.findings.filter((f) => f.rule === 'tls-certificate-expired')), [
    'tls-certificate-expired warning: certificate has expired',
    'tls-certificate-expired warning: certificate not yet valid',
  ]);
});

test('name verdicts: posttls-finger\'s `num=62:hostname mismatch`, curl\'s `SSL: no alternative certificate subject name ...`, s_client\'s verify error 62, each on its words with a hover on what the tool compared', () => {
  const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
    ['posttls-finger-name-mismatch.txt', 'num=62:hostname mismatch', /posttls-finger compares the names given after the destination/],
    ['curl-name-mismatch-strict.txt', 'no alternative certificate subject name', /curl compares the host name of its URL/],
    ['sclient-name-mismatch-brief.txt', 'hostname mismatch', /does not cover the host name the client checked \(-verify_hostname\)/],
  ];
  for (const [file, words, hover] of cases) {
    const text = read(file);
    const a = analyzeDocument(text);
    const f = a.findings.find((x) => x.rule === 'tls-certificate-name-mismatch');
    assert.ok(f, file);
    assert.ok(text.slice(f.span.start, f.span.end).startsWith(words), file);
    const h = computeHover(a, f.span.start + 2);
    assert.ok(h && hover.test(h.markdown), `${file}: ${h?.markdown}`);
  }
  // The name curl expected is in its message; Postfix's is its policy's, not in the line.
  const curl = read('curl-name-mismatch-strict.txt');
  assert.match(analyzeDocument(curl).findings[0].message, /curl states that the server's certificate does not cover "localhost", the name the client expected/);
  // Not a date: tls-certificate-expired says nothing of a name verdict.
  for (const file of ['posttls-finger-name-mismatch.txt', 'curl-name-mismatch-strict.txt']) {
    assert.deepEqual(analyzeDocument(read(file)).findings.filter((x) => x.rule === 'tls-certificate-expired'), [], file);
  }
});

test('name verdicts: where the session\'s certificate is judged against its server_name, s_client\'s verify error 62 adds no second finding', () => {
  // certificates/name-mismatch.msg.txt (s_client -msg -servername smtp.other-lab.test, chain for mx.cert-lab.test) with the
  // line s_client adds under -verify_hostname (as in sclient-name-mismatch-brief.txt) after its verify error 20.
  const original = readFileSync(join(__dirname, '..', 'fixtures', 'certificates', 'name-mismatch.msg.txt'), 'utf8');
  const text = original.replace('verify error:num=20:unable to get local issuer certificate\n', 'verify error:num=20:unable to get local issuer certificate\nverify error:num=62:hostname mismatch\n');
  assert.notEqual(text, original);
  const found = analyzeDocument(text).findings.filter((f) => f.rule === 'tls-certificate-name-mismatch');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /^The server's certificate does not cover "smtp\.other-lab\.test", the name the client sent in server_name/);
});
