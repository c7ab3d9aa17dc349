/**
 * What Perl's Net::SMTP debug output against the mail lab must give (server/test/fixtures/perl-net-smtp/make-fixtures.sh,
 * run again by the live stage): each check reads the files of one folder, the fixtures' or a fresh run's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { computeHover } from '../../src/core/features/hover';
import { createRedactor } from '../../src/core/export/redact';
import { computeCodeActions } from '../../src/core/features/codeActions';
import { applyEdits } from '../features/helpers';
import { assertAuthMasked, assertFailedHandshakes, assertStarttlsRunAsLogged, clientCommands } from './clientRuns';

const readIn = (dir: string, name: string): string => readFileSync(path.join(dir, name), 'utf8');
const STARTTLS_COMMANDS = ['EHLO client.lab.test', 'STARTTLS', 'EHLO client.lab.test (TLS)', 'MAIL FROM:<root@client.lab.test> (TLS)', 'RCPT TO:<postmaster@mx.example.test> (TLS)', 'DATA (TLS)', 'QUIT (TLS)'];

/**
 * STARTTLS to :2526: `>>> ` the client's, `<<< ` the server's, the dialogue Postfix's smtpd logged of the same connection,
 * inside TLS from the first line of the Net::SMTP::_SSL object, no finding. Net::SMTP does not print the port.
 */
export function checkPerlStarttls(dir: string): void {
  const s = assertStarttlsRunAsLogged(dir, 'perl-starttls', 'perl-net-smtp', null);
  assert.deepEqual(clientCommands(s), STARTTLS_COMMANDS);
  const text = readIn(dir, 'perl-starttls.txt');
  // The first line inside TLS is the first of the Net::SMTP::_SSL object.
  const firstInTls = s.events.find((e) => (e.kind === 'command' || e.kind === 'reply') && e.inTls);
  assert.ok(firstInTls && text.split('\n')[firstInTls.line].startsWith('Net::SMTP::_SSL=GLOB('));
}

/**
 * AUTH PLAIN after STARTTLS on :2532, AUTH LOGIN with TLS from the start on :2533: Net::SMTP writes the credentials' base64 and,
 * for LOGIN, prints each part decoded (`>>> (decoded) labsecret`): all of it is masked, and redacted.
 */
export function checkPerlAuth(dir: string): void {
  const user = 'labuser@mx.example.test';
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  for (const [name, expected] of [
    ['perl-auth-plain.txt', [b64(`${user}\0${user}\0labsecret`)]],
    ['perl-smtps-login.txt', [user, b64(user), 'labsecret', b64('labsecret')]],
  ] as const) {
    const text = readIn(dir, name);
    assertAuthMasked(name, text, null, expected);
    // What an export or a redacted copy shows has neither the base64 nor the password in clear.
    const redacted = createRedactor(analyzeDocument(text))(text);
    for (const secret of ['labsecret', ...expected]) assert.ok(!redacted.includes(secret), `${name}: redacted ${secret}`);
  }
  // The hover on the password in clear says so; on its base64, that it is base64.
  const login = readIn(dir, 'perl-smtps-login.txt');
  const a = analyzeDocument(login);
  // Redact credentials (offered on the AUTH line) replaces the base64 and the parts in clear, the user name's '@' and all.
  const at = login.indexOf('>>> AUTH LOGIN');
  const redact = computeCodeActions(a, { span: { start: at, end: at }, diagnostics: [] }).find((x) => x.title.startsWith('Redact credentials'));
  assert.equal(redact?.title, 'Redact credentials (4 AUTH payloads)');
  const redacted = applyEdits(login, redact.edits);
  for (const secret of [user, 'labsecret', b64(user), b64('labsecret')]) assert.ok(!redacted.includes(secret), `Redact credentials: ${secret}`);
  assert.match(computeHover(a, login.indexOf('(decoded) labsecret') + 12)?.markdown ?? '', /^\*\*AUTH credentials\*\* \(in clear, masked here\)/);
  assert.match(computeHover(a, login.indexOf(b64('labsecret')) + 1)?.markdown ?? '', /^\*\*AUTH credentials\*\* \(base64, masked here\)/);
  const smtps = readTranscript(readIn(dir, 'perl-smtps-login.txt')).sessions[0];
  assert.ok(clientCommands(smtps).every((l) => l.endsWith('(TLS)')), clientCommands(smtps).join('\n'));
}

/**
 * Failed handshakes, from IO::Socket::SSL's error the script dies with after STARTTLS's 220: a self-signed certificate
 * (trust, not judged), IO::Socket::SSL's check of the name (its verdict), the server's alert in OpenSSL's error.
 */
export function checkPerlFailures(dir: string): void {
  assertFailedHandshakes(dir, {
    'perl-verify-failed.txt': [],
    // The port is not printed: a name verdict of a session on no known port is a warning.
    'perl-name-mismatch.txt': ['tls-certificate-name-mismatch warning: hostname verification failed'],
    'perl-alert.txt': ['tls-alert warning: error:0A000410:SSL routines::sslv3 alert handshake failure'],
  });
  const mismatch = analyzeDocument(readIn(dir, 'perl-name-mismatch.txt'));
  assert.match(mismatch.findings[0].message, /^Perl states that the server's certificate does not cover the name it was to match \("hostname verification failed"\)/);
  const h = computeHover(mismatch, mismatch.findings[0].span.start + 3);
  assert.ok(h && /IO::Socket::SSL compares/.test(h.markdown), h?.markdown);
}

/** One script run sending two messages: two objects, two sessions, each the dialogue Postfix logged of its connection. */
export function checkPerlTwoConnections(dir: string): void {
  const t = readTranscript(readIn(dir, 'perl-two-messages.txt'));
  assert.equal(t.format, 'perl-net-smtp');
  assert.equal(t.sessions.length, 2);
  for (const s of t.sessions) assert.deepEqual(clientCommands(s), STARTTLS_COMMANDS);
}

/**
 * git send-email --smtp-debug=1 (Net::SMTP's debug output) sending a patch through :2532 with AUTH LOGIN: read as Net::SMTP's,
 * its EHLO sent twice after STARTTLS no finding, the password it prints in clear masked and redacted like the base64.
 */
export function checkPerlGitSendEmail(dir: string): void {
  const name = 'perl-git-send-email.txt';
  const text = readIn(dir, name);
  const t = readTranscript(text);
  assert.equal(t.format, 'perl-net-smtp');
  assert.equal(t.sessions.length, 1);
  const user = 'labuser@mx.example.test';
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  assert.deepEqual(clientCommands(t.sessions[0]), [
    'EHLO client.lab.test', 'STARTTLS', 'EHLO client.lab.test (TLS)', 'EHLO client.lab.test (TLS)', 'AUTH LOGIN (TLS)', `${b64(user)} (TLS)`,
    `${b64('labsecret')} (TLS)`, 'MAIL FROM:<root@client.lab.test> (TLS)', 'RCPT TO:<postmaster@mx.example.test> (TLS)', 'DATA (TLS)', 'QUIT (TLS)',
  ]);
  assertAuthMasked(name, text, null, [user, b64(user), 'labsecret', b64('labsecret')]);
  assert.ok(!createRedactor(analyzeDocument(text))(text).includes('labsecret'));
}

/** Every check, on the files of `dir`. */
export function assertPerlNetSmtpRuns(dir: string): void {
  checkPerlStarttls(dir);
  checkPerlAuth(dir);
  checkPerlFailures(dir);
  checkPerlTwoConnections(dir);
  checkPerlGitSendEmail(dir);
}
