/**
 * The receiving domain's TLS policy (rules/policyContext.ts), declared by `# smtptls-policy: mta-sts|dane|none` or the
 * `policy` setting, and what it changes: policy-tls-required (RFC 8461 §5, RFC 7672 §2.2) and, under MTA-STS, the
 * certificate rules' severity on port 25 (RFC 8461 §4.2). Real logs from fixtures/policy/make-fixtures.sh (swaks
 * against the mail lab's port 25, with and without STARTTLS) and fixtures/mta-verdicts (posttls-finger's name check);
 * crafted C:/S: dialogues for a server that does not offer STARTTLS or refuses it (the lab's servers all offer it): each
 * line is what a Postfix without smtpd_tls_security_level would answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { findPolicyDirectives } from '../../src/core/rules/directives';
import { resolveSessionPolicy } from '../../src/core/rules/policyContext';
import { LineIndex } from '../../src/core/text/lineIndex';
import { computeHover } from '../../src/core/features/hover';
import { assertPolicyRuns, locatedOf as located, policyFindings } from '../helpers/policyRuns';

const FIXTURES = join(__dirname, '..', 'fixtures');
const read = (path: string): string => readFileSync(join(FIXTURES, path), 'utf8');

/** A server that offers no STARTTLS (Postfix without smtpd_tls_security_level), and a client that delivers anyway. */
const NO_STARTTLS = [
  'S: 220 mx.example.test ESMTP Postfix',
  'C: EHLO client.example.test',
  'S: 250-mx.example.test',
  'S: 250-PIPELINING',
  'S: 250 8BITMIME',
  'C: MAIL FROM:<a@client.example.test>',
  'S: 250 2.1.0 Ok',
  'C: QUIT',
  'S: 221 2.0.0 Bye',
].join('\n');
/** A server that advertises STARTTLS and refuses it (a Postfix whose key it cannot read answers 454), the client quitting. */
const REFUSED = [
  'S: 220 mx.example.test ESMTP Postfix',
  'C: EHLO client.example.test',
  'S: 250-mx.example.test',
  'S: 250 STARTTLS',
  'C: STARTTLS',
  'S: 454 4.7.0 TLS not available due to local problem',
  'C: QUIT',
  'S: 221 2.0.0 Bye',
].join('\n');

test('findPolicyDirectives: mta-sts, dane and none, in any case; anything else is no directive', () => {
  const text = ['# smtptls-policy: mta-sts', '  #smtptls-policy:DANE  ', '# smtptls-policy: none', '# smtptls-policy: enforce', 'C: NOOP # smtptls-policy: dane'].join('\n');
  assert.deepEqual(findPolicyDirectives(text, new LineIndex(text)), [
    { line: 0, policy: 'mta-sts' },
    { line: 1, policy: 'dane' },
    { line: 2, policy: 'none' },
  ]);
});

test('resolveSessionPolicy: the last comment at or before the session\'s end, then the setting; none under rfc3207', () => {
  const text = [NO_STARTTLS, '', '# smtptls-policy: mta-sts', NO_STARTTLS, '', '# smtptls-policy: none', NO_STARTTLS].join('\n');
  const a = analyzeDocument(text);
  assert.equal(a.sessions.length, 3);
  const directives = findPolicyDirectives(text, a.lines);
  assert.deepEqual(
    a.sessions.map((s) => resolveSessionPolicy(s, directives, { baseline: 'current' })),
    ['none', 'mta-sts', 'none'],
  );
  assert.deepEqual(
    a.sessions.map((s) => resolveSessionPolicy(s, directives, { baseline: 'current', policy: 'dane' })),
    ['dane', 'mta-sts', 'none'],
  );
  assert.deepEqual(
    a.sessions.map((s) => resolveSessionPolicy(s, directives, { baseline: 'rfc3207', policy: 'dane' })),
    ['none', 'none', 'none'],
  );
});

test('policy-tls-required: a server that offers no STARTTLS, and MAIL sent outside TLS, under MTA-STS and DANE; nothing without a policy', () => {
  assert.deepEqual(policyFindings(NO_STARTTLS), []);
  for (const [policy, cites] of [['mta-sts', /RFC 8461 §5/], ['dane', /RFC 7672 §2\.2/]] as const) {
    const text = `# smtptls-policy: ${policy}\n${NO_STARTTLS}`;
    assert.deepEqual(policyFindings(text), ['error: 250-mx.example.test', 'error: MAIL FROM:<a@client.example.test>'], policy);
    const messages = analyzeDocument(text).findings.filter((f) => f.rule === 'policy-tls-required').map((f) => f.message);
    assert.match(messages[0], /^The server's EHLO reply does not offer STARTTLS, yet the domain publishes /);
    assert.match(messages[1], /^"MAIL FROM:<a@client\.example\.test>" is sent outside TLS, yet /);
    for (const m of messages) assert.match(m, cites);
    // The setting does the same; the comment `none` lifts it.
    assert.deepEqual(policyFindings(NO_STARTTLS, { baseline: 'current', policy }), policyFindings(text), policy);
    assert.deepEqual(policyFindings(`# smtptls-policy: none\n${NO_STARTTLS}`, { baseline: 'current', policy }), []);
    // Off under rfc3207; not judged on the submission ports, where policies do not apply.
    assert.deepEqual(policyFindings(text, { baseline: 'rfc3207' }), []);
    assert.deepEqual(policyFindings(`# smtptls-port: 587\n${text}`), []);
  }
});

test('policy-tls-required after HELO: its reply lists no extensions, so only the client\'s MAIL in the clear is the finding', () => {
  const helo = NO_STARTTLS.replace('C: EHLO client.example.test', 'C: HELO client.example.test').replace('S: 250-mx.example.test\nS: 250-PIPELINING\nS: 250 8BITMIME', 'S: 250 mx.example.test');
  assert.notEqual(helo, NO_STARTTLS);
  assert.deepEqual(policyFindings(`# smtptls-policy: mta-sts\n${helo}`), ['error: MAIL FROM:<a@client.example.test>']);
});

test('policy-tls-required: a refused STARTTLS, the client quitting: the refusal only (the client delivered nothing)', () => {
  assert.deepEqual(policyFindings(REFUSED), []);
  const text = `# smtptls-policy: mta-sts\n${REFUSED}`;
  assert.deepEqual(policyFindings(text), ['error: 454 4.7.0 TLS not available due to local problem']);
  assert.match(analyzeDocument(text).findings.find((f) => f.rule === 'policy-tls-required')!.message, /^The server refuses STARTTLS \(454\), yet the domain publishes MTA-STS \(enforce\)/);
});

test('policy-tls-required on real swaks runs against the lab\'s port 25: MAIL without STARTTLS found, the STARTTLS run clean', () => {
  assertPolicyRuns(join(FIXTURES, 'policy'));
});

test('Under MTA-STS a certificate that does not cover the MX name is an error on port 25 (posttls-finger\'s verdict); under DANE it stays information', () => {
  const text = read('mta-verdicts/posttls-finger-name-mismatch.txt');
  const rule = 'tls-certificate-name-mismatch';
  assert.deepEqual(located(text, analyzeDocument(text).findings, rule), ['information: num=62:hostname mismatch']);
  const sts = `# smtptls-policy: mta-sts\n${text}`;
  const found = analyzeDocument(sts).findings.filter((f) => f.rule === rule);
  assert.deepEqual(located(sts, found, rule), ['error: num=62:hostname mismatch']);
  assert.match(found[0].message, /The domain publishes MTA-STS in enforce mode: the MX host's certificate must be valid for its name, unexpired and trusted, or senders do not deliver \(RFC 8461 §4\.2, §5\)\.$/);
  const dane = `# smtptls-policy: dane\n${text}`;
  const daneFound = analyzeDocument(dane).findings.filter((f) => f.rule === rule);
  assert.deepEqual(located(dane, daneFound, rule), ['information: num=62:hostname mismatch']);
  assert.match(daneFound[0].message, /DANE-EE\(3\) records check neither the name nor the dates \(RFC 7672 §3\.1\)\.$/);
});

test('Under MTA-STS a certificate past its dates is an error where it is otherwise a warning (the Postfix log through rsyslogd)', () => {
  const text = read('postfix-syslog/expired-level3.log');
  const rule = 'tls-certificate-expired';
  assert.deepEqual(analyzeDocument(text).findings.filter((f) => f.rule === rule).map((f) => f.severity), ['warning']);
  const sts = analyzeDocument(`# smtptls-policy: mta-sts\n${text}`).findings.filter((f) => f.rule === rule);
  assert.deepEqual(sts.map((f) => f.severity), ['error']);
  assert.match(sts[0].message, /RFC 8461 §4\.2, §5\)\.$/);
});

test('hover on a `# smtptls-policy:` comment: the policy, what is judged under it, the RFC sections; nothing on other comments', () => {
  const text = `# smtptls-policy: mta-sts\n${NO_STARTTLS}\n\n# smtptls-policy: dane\n${NO_STARTTLS}\n\n# smtptls-policy: none\n# smtptls-port: 25\n`;
  const a = analyzeDocument(text);
  const at = (needle: string): string => computeHover(a, text.indexOf(needle) + 3)?.markdown ?? '';
  assert.match(at('# smtptls-policy: mta-sts'), /^\*\*The receiving domain publishes MTA-STS in enforce mode \(for the sessions below\)\*\*/);
  assert.match(at('# smtptls-policy: mta-sts'), /policy-tls-required/);
  assert.match(at('# smtptls-policy: mta-sts'), /rfc8461#section-4\.2/);
  assert.match(at('# smtptls-policy: dane'), /DANE TLSA records/);
  assert.match(at('# smtptls-policy: dane'), /rfc7672#section-2\.2/);
  assert.match(at('# smtptls-policy: none'), /^\*\*No TLS policy for the sessions below\*\*/);
  assert.doesNotMatch(at('# smtptls-port: 25'), /policy/i);
});

test('Under MTA-STS a chain that does not lead to a trusted root is policy-tls-required: posttls-finger\'s "Untrusted", s_client\'s verify error 18; not under DANE', () => {
  const finger = read('posttls-finger/default.txt');
  assert.deepEqual(policyFindings(`# smtptls-policy: mta-sts\n${finger}`), ['error: Untrusted']);
  assert.match(
    analyzeDocument(`# smtptls-policy: mta-sts\n${finger}`).findings.find((f) => f.rule === 'policy-tls-required')!.message,
    /^The log states the TLS connection Untrusted \(its certificate chain did not verify\), yet the domain publishes MTA-STS \(enforce\): .*\(RFC 8461 §4\.2, §5\)\.$/,
  );
  assert.deepEqual(policyFindings(`# smtptls-policy: dane\n${finger}`), []);
  assert.deepEqual(policyFindings(finger), []);
  const sclient = read('corpus/sessions/ossl-default-msg/openssl-s_client-msg.txt');
  assert.deepEqual(policyFindings(`# smtptls-policy: mta-sts\n${sclient}`), ['error: self-signed certificate']);
  assert.deepEqual(policyFindings(`# smtptls-policy: dane\n${sclient}`), []);
});

test('Under MTA-STS, what smtpd logs of its client is not the server\'s trust: "Anonymous TLS connection established from" is passed over', () => {
  // postfix/smtp's deliveries (Untrusted: the lab's expired and not yet valid certificates) and the lab's smtpd logging each.
  const log = read('mta-verdicts/postfix-deliveries.log');
  assert.match(log, /smtpd\[\d+\]: Anonymous TLS connection established from /);
  assert.deepEqual(policyFindings(`# smtptls-policy: mta-sts\n${log}`), ['error: Untrusted', 'error: Untrusted']);
});
