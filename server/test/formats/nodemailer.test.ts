/**
 * Nodemailer's log (server/test/fixtures/nodemailer/make-fixtures.sh, against the mail lab): the dialogue is the one
 * Postfix's smtpd logged of the same connection; a session per connection id, a pool's interleaved; a failed handshake is
 * read from Node.js's error (OpenSSL's alert, Node's verdicts on names and dates); what it logs of AUTH is masked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { matchNodemailerLine, parseNodeVerdict } from '../../src/core/formats/nodemailerLog';
import * as runs from '../helpers/nodemailerRuns';

const DIR = path.join(__dirname, '..', 'fixtures', 'nodemailer');

test('Nodemailer over STARTTLS: the dialogue Postfix logged of the same connection, inside TLS after `Connection upgraded with STARTTLS`, no finding', () => {
  runs.checkNodemailerStarttls(DIR);
});

test('Nodemailer AUTH LOGIN and PLAIN inside TLS: what it logs of the credentials is masked in hover and decode', () => {
  runs.checkNodemailerAuth(DIR);
});

test('Nodemailer, failed handshakes: Node\'s verdicts on the name and the dates, the server\'s alert; a self-signed certificate is not judged', () => {
  runs.checkNodemailerFailures(DIR);
});

test('Nodemailer pool: two connections\' interleaved lines are two sessions by their ids', () => {
  runs.checkNodemailerPool(DIR);
});

test('matchNodemailerLine: the logger\'s time, level and connection id; other bracketed lines are not its', () => {
  const l = '[2026-11-30 19:28:50] DEBUG [PC14BskiphM] S: 220 mx';
  assert.deepEqual(matchNodemailerLine(l, 0, l.length), { at: 42, id: 'PC14BskiphM', level: 'DEBUG' });
  const t = '[2026-11-30 19:28:50] INFO  Sending message <x@y> to <z@w>';
  assert.deepEqual(matchNodemailerLine(t, 0, t.length), { at: 28, id: '', level: 'INFO ' });
  for (const other of ['[2026-11-30 19:28:50] NOTICE something', '[2026-11-30T19:28:50] DEBUG [a] S: 220', '[30-Nov-2026 19:14:23 UTC] SERVER -> CLIENT: 220', '[2026-11-30 19:28:50]DEBUG [a] C: EHLO x']) {
    assert.equal(matchNodemailerLine(other, 0, other.length), null, other);
  }
});

test('parseNodeVerdict: Node\'s words for the dates (OpenSSL\'s) and for names (tls.checkServerIdentity: host, CN, address); other errors none', () => {
  const v = (s: string) => parseNodeVerdict(s, 0, s.length);
  assert.equal(v('certificate has expired')?.problem, 'expired');
  assert.equal(v('certificate is not yet valid\r')?.problem, 'not-yet-valid');
  assert.equal(v("Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:mx.example.test")?.expectedName, 'localhost');
  assert.equal(v("Hostname/IP does not match certificate's altnames: Host: mail.example.test. is not cert's CN: mx.example.test")?.expectedName, 'mail.example.test');
  assert.equal(v("Hostname/IP does not match certificate's altnames: IP: 192.0.2.7 is not in the cert's list: 127.0.0.1")?.expectedName, '192.0.2.7');
  for (const other of ['self-signed certificate', 'unable to verify the first certificate', 'the certificate has expired', 'certificate has expired, retrying']) assert.equal(v(other), null, other);
});

test('Nodemailer: a log that starts after a connection\'s start still reads its lines as that connection\'s', () => {
  const text = ['[2026-11-30 19:28:50] DEBUG [a1] S: 250 2.1.0 Ok', '[2026-11-30 19:28:50] DEBUG [a1] C: QUIT', '[2026-11-30 19:28:50] DEBUG [a1] S: 221 2.0.0 Bye', ''].join('\n');
  const t = readTranscript(text);
  assert.equal(t.format, 'nodemailer');
  assert.deepEqual(t.sessions.map((s) => s.events.filter((e) => e.kind === 'command' || e.kind === 'reply').length), [3]);
});
