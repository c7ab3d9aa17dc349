/**
 * What Jakarta Mail's debug output against the mail lab must give (server/test/fixtures/jakarta-mail/make-fixtures.sh, run
 * again by the live stage): each check reads the files of one folder, the fixtures' or a fresh run's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { computeHover } from '../../src/core/features/hover';
import { assertFailedHandshakes, assertStarttlsRunAsLogged, clientCommands } from './clientRuns';

const readIn = (dir: string, name: string): string => readFileSync(path.join(dir, name), 'utf8');

/**
 * STARTTLS to :2526: its bare lines read as the dialogue Postfix's smtpd logged of the same connection (replies by their
 * code, the rest commands, the message text after the 354), inside TLS after the 220, no finding; AUTH, which Jakarta Mail
 * does not show, is no command; with smtps every line is inside TLS.
 */
export function checkJakartaDialogue(dir: string): void {
  const s = assertStarttlsRunAsLogged(dir, 'jakarta-starttls', 'jakarta-mail');
  assert.deepEqual(clientCommands(s), ['EHLO client.lab.test', 'STARTTLS', 'EHLO client.lab.test (TLS)', 'MAIL FROM:<root@client.lab.test> (TLS)', 'RCPT TO:<postmaster@mx.example.test> (TLS)', 'DATA (TLS)', 'QUIT (TLS)']);
  for (const [name, port] of [['jakarta-auth-login.txt', 2532], ['jakarta-smtps-plain.txt', 2533]] as const) {
    const other = readIn(dir, name);
    const o = readTranscript(other).sessions[0];
    assert.equal(o.port, port, name);
    const c = clientCommands(o);
    assert.ok(!c.some((l) => l.startsWith('AUTH')) && c.includes('MAIL FROM:<root@client.lab.test> (TLS)'), `${name}: ${c.join(', ')}`);
    assert.ok(other.includes('DEBUG SMTP: AUTH'), name);
    assert.deepEqual(analyzeDocument(other).findings, [], name);
  }
  assert.ok(clientCommands(readTranscript(readIn(dir, 'jakarta-smtps-plain.txt')).sessions[0]).every((l) => l.endsWith('(TLS)')));
}

/**
 * Failed handshakes, from the exception the application printed after STARTTLS's 220: an untrusted certificate (not
 * judged), Jakarta Mail's check of the name and Java's of the dates (its verdicts), the alert Java names.
 */
export function checkJakartaFailures(dir: string): void {
  const expected: Readonly<Record<string, readonly string[]>> = {
    'jakarta-untrusted.txt': [],
    'jakarta-name-mismatch.txt': ["tls-certificate-name-mismatch information: Can't verify identity of server: localhost"],
    'jakarta-expired.txt': ['tls-certificate-expired warning: CertificateExpiredException: NotAfter: Fri Jan 01 00:00:00 UTC 2021'],
    'jakarta-alert.txt': ['tls-alert warning: handshake_failure'],
  };
  // (The exception's lines, `\tat ...`, `Caused by: ...`, are no commands: nothing follows the 220.)
  assertFailedHandshakes(dir, expected);
  const mismatch = analyzeDocument(readIn(dir, 'jakarta-name-mismatch.txt'));
  const h = computeHover(mismatch, mismatch.findings[0].span.start + 3);
  assert.ok(h && /checkserveridentity/.test(h.markdown), h?.markdown);
}

/** Every check, on the files of `dir`. */
export function assertJakartaMailRuns(dir: string): void {
  checkJakartaDialogue(dir);
  checkJakartaFailures(dir);
}
