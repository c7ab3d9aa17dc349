/**
 * What Ruby's Net::SMTP debug output against the mail lab must give (server/test/fixtures/ruby-net-smtp/make-fixtures.sh,
 * run again by the live stage): each check reads the files of one folder, the fixtures' or a fresh run's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { computeHover } from '../../src/core/features/hover';
import { assertAuthMasked, assertFailedHandshakes, assertStarttlsRunAsLogged, clientCommands } from './clientRuns';

const readIn = (dir: string, name: string): string => readFileSync(path.join(dir, name), 'utf8');

/**
 * STARTTLS to :2526: `->` is the server's (the other way from swaks's arrows), the dialogue Postfix's smtpd logged of the
 * same connection, inside TLS after `TLS connection started`, CR LF on every line as Ruby's dump shows, no finding.
 */
export function checkRubyStarttls(dir: string): void {
  const s = assertStarttlsRunAsLogged(dir, 'ruby-starttls', 'ruby-net-smtp');
  assert.deepEqual(clientCommands(s), ['EHLO client.lab.test', 'STARTTLS', 'EHLO client.lab.test (TLS)', 'MAIL FROM:<root@client.lab.test> (TLS)', 'RCPT TO:<postmaster@mx.example.test> (TLS)', 'DATA (TLS)', 'QUIT (TLS)']);
  // Every line ended with CR LF, as Ruby's dump of it shows.
  for (const e of s.events) {
    if (e.kind === 'command') assert.equal(e.lineEnding, '\r\n', e.verb);
    else if (e.kind === 'reply') assert.ok(e.parts.every((p) => p.lineEnding === '\r\n'), String(e.code));
  }
}

/** AUTH PLAIN after STARTTLS on :2532, AUTH LOGIN with TLS from the start on :2533: Ruby writes the credentials' base64; each is masked. */
export function checkRubyAuth(dir: string): void {
  for (const [name, port, expected] of [
    ['ruby-auth-plain.txt', 2532, [Buffer.from('\0labuser@mx.example.test\0labsecret').toString('base64')]],
    ['ruby-smtps-login.txt', 2533, [Buffer.from('labuser@mx.example.test').toString('base64'), Buffer.from('labsecret').toString('base64')]],
  ] as const) {
    assertAuthMasked(name, readIn(dir, name), port, expected);
  }
  const smtps = readTranscript(readIn(dir, 'ruby-smtps-login.txt')).sessions[0];
  assert.ok(clientCommands(smtps).every((l) => l.endsWith('(TLS)')), clientCommands(smtps).join('\n'));
}

/**
 * Failed handshakes, from the OpenSSL::SSL::SSLError the backtrace's first line prints: a self-signed certificate (trust,
 * not judged); the expired certificate and Ruby's check of the name, judged as its verdicts; the server's alert.
 */
export function checkRubyFailures(dir: string): void {
  const expected: Readonly<Record<string, readonly string[]>> = {
    'ruby-verify-failed.txt': [],
    // Net::SMTP has OpenSSL check the name (tls_hostname, else the address it connected to) during the handshake.
    'ruby-name-mismatch.txt': ['tls-certificate-name-mismatch information: hostname mismatch'],
    'ruby-expired.txt': ['tls-certificate-expired warning: certificate has expired'],
    'ruby-alert.txt': ['tls-alert warning: sslv3 alert handshake failure'],
  };
  // The handshake began after the 220 (Net::SMTP says so as it starts it), and nothing of SMTP follows.
  assertFailedHandshakes(dir, expected);
  const mismatch = analyzeDocument(readIn(dir, 'ruby-name-mismatch.txt'));
  assert.match(mismatch.findings[0].message, /^Ruby states that the server's certificate does not cover the name it was to match \("hostname mismatch"\)/);
  const h = computeHover(mismatch, mismatch.findings[0].span.start + 3);
  assert.ok(h && /Ruby's OpenSSL library/.test(h.markdown), h?.markdown);
}

/** Every check, on the files of `dir`. */
export function assertRubyNetSmtpRuns(dir: string): void {
  checkRubyStarttls(dir);
  checkRubyAuth(dir);
  checkRubyFailures(dir);
}
