/**
 * Jakarta Mail's debug output (server/test/fixtures/jakarta-mail/make-fixtures.sh, against the mail lab): its bare
 * dialogue is the one Postfix's smtpd logged of the same connection; a failed handshake is read from the exception the
 * application prints (Java's alert names, its verdicts on dates and names).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { parseJavaTlsFailure } from '../../src/core/formats/javaMailDebug';
import { lookupAlertDescriptionByName } from '../../src/core/tls/registry';
import * as runs from '../helpers/jakartaMailRuns';

const DIR = path.join(__dirname, '..', 'fixtures', 'jakarta-mail');

test('Jakarta Mail: its bare dialogue is the one Postfix logged, inside TLS after STARTTLS\'s 220; smtps all inside TLS; AUTH not shown', () => {
  runs.checkJakartaDialogue(DIR);
});

test('Jakarta Mail, failed handshakes: its check of the name, Java\'s of the dates, the alert Java names; an untrusted certificate not judged', () => {
  runs.checkJakartaFailures(DIR);
});

test('parseJavaTlsFailure: alert names of the registry, Java\'s and Jakarta Mail\'s name checks, the date exceptions; other causes nothing', () => {
  const at = (s: string) => parseJavaTlsFailure(s, 0, s.length);
  assert.equal(at('Caused by: javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version')?.alert?.description, 70);
  assert.equal(at('javax.net.ssl.SSLHandshakeException: Received fatal alert: no_such_alert'), null);
  assert.equal(at('Caused by: java.security.cert.CertificateException: No subject alternative DNS name matching smtp.other.test found.')?.verdict?.expectedName, 'smtp.other.test');
  assert.equal(at('Caused by: java.security.cert.CertificateException: No subject alternative names matching IP address 192.0.2.7 found')?.verdict?.expectedName, '192.0.2.7');
  assert.equal(at('Caused by: java.security.cert.CertificateNotYetValidException: NotBefore: Thu Jan 01 00:00:00 UTC 2099')?.verdict?.problem, 'not-yet-valid');
  assert.equal(at('Caused by: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target'), null);
  assert.equal(lookupAlertDescriptionByName('handshake_failure'), 40);
  assert.equal(lookupAlertDescriptionByName('Handshake Failure'), undefined);
});

test('Jakarta Mail: bare lines are read only after its `trying to connect` line; an exception of another kind ends the dialogue', () => {
  const text = ['DEBUG SMTP: trying to connect to host "127.0.0.1", port 25, isSSL false', '220 mx ESMTP', 'DEBUG SMTP: connected to host "127.0.0.1", port: 25', 'EHLO c', '250 mx', 'MAIL FROM:<a@b>', '550 5.1.0 Rejected',
    'jakarta.mail.MessagingException: 550 5.1.0 Rejected', '\tat com.sun.mail.smtp.SMTPTransport.issueSendCommand(SMTPTransport.java:2374)', 'Some other program\'s line', ''].join('\n');
  const s = readTranscript(text).sessions[0];
  assert.deepEqual(s.events.filter((e) => e.kind === 'command').map((e) => e.kind === 'command' && e.verb), ['EHLO', 'MAIL']);
  assert.equal(readTranscript('EHLO c\n250 mx\n').format === 'jakarta-mail', false);
});
