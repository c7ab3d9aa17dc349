/**
 * What Mutt's and NeoMutt's debug logs against the mail lab must give (server/test/fixtures/mutt/make-fixtures.sh, run again
 * by the live stage): each check reads the files of one folder, the fixtures' or a fresh run's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { assertAuthMasked, assertFailedHandshakes, assertStarttlsRunAsLogged, clientCommands } from './clientRuns';

const readIn = (dir: string, name: string): string => readFileSync(path.join(dir, name), 'utf8');
/** Mutt quits without waiting for the reply to QUIT; it logs no 221. */
const STARTTLS_COMMANDS = ['EHLO client.lab.test', 'STARTTLS', 'EHLO client.lab.test (TLS)', 'MAIL FROM:<root@client.lab.test> (TLS)', 'RCPT TO:<postmaster@mx.example.test> (TLS)', 'DATA (TLS)', 'QUIT (TLS)'];

/** STARTTLS to :2526, Mutt's log and NeoMutt's: the dialogue Postfix's smtpd logged of the same connection, on the port Mutt names, inside TLS after the 220. */
export function checkMuttStarttls(dir: string): void {
  for (const name of ['mutt-starttls', 'neomutt-starttls']) {
    const s = assertStarttlsRunAsLogged(dir, name, 'mutt', 2526, false);
    assert.deepEqual(clientCommands(s), STARTTLS_COMMANDS, name);
  }
}

/** At level 5 Mutt logs the message text too: the lines after the 354 are message text, up to the lone `.`. */
export function checkMuttMessageText(dir: string): void {
  const text = readIn(dir, 'mutt-message-text.txt');
  const s = readTranscript(text).sessions[0];
  const data = s.events.flatMap((e) => (e.kind === 'command' && e.dataLine ? [text.slice(e.span.start, e.span.end)] : []));
  assert.ok(data.includes('Subject: Mutt lab') && data.includes('A message from Mutt.') && data[data.length - 1] === '.', data.join('\n'));
  assert.deepEqual(clientCommands(s), STARTTLS_COMMANDS);
  assert.deepEqual(analyzeDocument(text).findings, []);
}

/** AUTH inside TLS on :2532: NeoMutt's PLAIN and Mutt's LOGIN, the base64 each logs masked. */
export function checkMuttAuth(dir: string): void {
  const user = 'labuser@mx.example.test';
  assertAuthMasked('neomutt-auth-plain.txt', readIn(dir, 'neomutt-auth-plain.txt'), 2532, [Buffer.from(`${user}\0${user}\0labsecret`).toString('base64')]);
  const login = readIn(dir, 'mutt-auth-login.txt');
  assertAuthMasked('mutt-auth-login.txt', login, 2532, [Buffer.from(user).toString('base64'), Buffer.from('labsecret').toString('base64')]);
  assert.ok(clientCommands(readTranscript(login).sessions[0]).includes('AUTH LOGIN (TLS)'));
}

/**
 * smtps:// to :2533 (Postfix's smtpd_tls_wrappermode): Mutt logs nothing of the handshake, so its AUTH LOGIN reads as sent
 * before TLS; the finding says the log cannot show TLS from the connection's start. The base64 stays masked.
 */
export function checkMuttSmtps(dir: string): void {
  const text = readIn(dir, 'mutt-smtps.txt');
  const a = analyzeDocument(text);
  assert.equal(a.transcript.sessions.length, 1);
  assert.equal(a.transcript.sessions[0].port, 2533);
  assert.equal(a.transcript.sessions[0].implicitTlsNotShown, true);
  assert.deepEqual(a.findings.map((f) => [f.rule, text.slice(f.span.start, f.span.end)]), [['auth-before-tls', 'AUTH LOGIN']]);
  assert.match(a.findings[0].message, /The tool's log does not show TLS that starts with the connection \(`smtps:\/\/`\): if this one did, suppress the finding/);
  const user = Buffer.from('labuser@mx.example.test').toString('base64');
  assert.ok(text.includes(user));
  assert.ok(!a.findings[0].message.includes(user));
}

/** Handshakes that did not succeed: Mutt's batch mode cannot ask about an untrusted certificate; GnuTLS's error after an alert. */
export function checkMuttFailures(dir: string): void {
  assertFailedHandshakes(dir, { 'mutt-untrusted.txt': [], 'neomutt-alert.txt': [] });
}

/** Every check, on the files of `dir`. */
export function assertMuttRuns(dir: string): void {
  checkMuttStarttls(dir);
  checkMuttMessageText(dir);
  checkMuttAuth(dir);
  checkMuttFailures(dir);
  checkMuttSmtps(dir);
}
