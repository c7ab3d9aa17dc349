/**
 * Perl's Net::SMTP debug output (server/test/fixtures/perl-net-smtp/make-fixtures.sh, against the mail lab): the dialogue
 * is the one Postfix's smtpd logged of the same connection; TLS is up where the object becomes a Net::SMTP::_SSL; a failed
 * handshake is read from IO::Socket::SSL's error; the credentials it writes, and prints decoded, are masked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { matchPerlDebugLine } from '../../src/core/formats/perlNetSmtp';
import * as runs from '../helpers/perlNetSmtpRuns';
import { clientCommands } from '../helpers/clientRuns';
import { getCredentialSpans } from '../../src/core/features/credentials';
import { createRedactor } from '../../src/core/export/redact';
import { formatDecodeText } from '../../src/core/export/decodeText';

const DIR = path.join(__dirname, '..', 'fixtures', 'perl-net-smtp');

test('Perl Net::SMTP over STARTTLS: `>>>` the client\'s, `<<<` the server\'s, the dialogue Postfix logged, inside TLS from the Net::SMTP::_SSL lines', () => {
  runs.checkPerlStarttls(DIR);
});

test('Perl Net::SMTP AUTH PLAIN and LOGIN: the base64 it writes and the password it prints decoded are masked in hover, decode and redaction', () => {
  runs.checkPerlAuth(DIR);
});

test('Perl Net::SMTP, failed handshakes: IO::Socket::SSL\'s name check and the server\'s alert, from the message the script dies with', () => {
  runs.checkPerlFailures(DIR);
});

test('Perl Net::SMTP, two messages from one script: one session per object', () => {
  runs.checkPerlTwoConnections(DIR);
});

test('git send-email --smtp-debug=1: Net::SMTP\'s output, the password it prints in clear masked and redacted', () => {
  runs.checkPerlGitSendEmail(DIR);
});

test('matchPerlDebugLine: a class naming SMTP, its object\'s address, an arrow and a space; other Net::Cmd classes and lookalikes are not', () => {
  const at = (s: string) => matchPerlDebugLine(s, 0, s.length);
  assert.deepEqual(at('Net::SMTP::_SSL=GLOB(0x55d6d1997df8)>>> EHLO c'), { className: 'Net::SMTP::_SSL', address: '55d6d1997df8', written: true, at: 40 });
  assert.deepEqual(at('Net::SMTP>>>   Net::Cmd(3.14)'), { className: 'Net::SMTP', address: null, written: true, at: 13 });
  assert.equal(at('Net::SMTP=GLOB(0x1)<<< 250 ok')?.written, false);
  // An empty line of message text: the arrow alone, its space trimmed by an editor.
  assert.equal(at('Net::SMTP=GLOB(0x1)>>>')?.at, 22);
  assert.equal(at('Net::SMTPS=GLOB(0xabc)<<< 220 mx')?.className, 'Net::SMTPS');
  for (const other of ['Net::POP3=GLOB(0x1)>>> USER a', 'Net::SMTP=GLOB(0x)>>> x', 'Net::SMTP=GLOB(0x1)>>>x', 'Net::SMTP=HASH(0x1)>>> x', 'Net::SMTP:=GLOB(0x1)>>> x', 'Net::SMTP=GLOB(0x12345678901234567)>>> x', ' Net::SMTP=GLOB(0x1)>>> x', 'SMTP >>> x']) {
    assert.equal(at(other), null, other);
  }
});

test('Perl reuses a freed object\'s address: a greeting after QUIT and 221 at the same address is a new session', () => {
  const g = 'Net::SMTP=GLOB(0x5561f1e771c0)';
  const one = [`${g}<<< 220 mx ESMTP`, `${g}>>> EHLO c`, `${g}<<< 250 mx`, `${g}>>> QUIT`, `${g}<<< 221 Bye`];
  const t = readTranscript([...one, ...one, ''].join('\n'));
  assert.equal(t.format, 'perl-net-smtp');
  assert.equal(t.sessions.length, 2);
  assert.deepEqual(t.sessions.map(clientCommands), [['EHLO c', 'QUIT'], ['EHLO c', 'QUIT']]);
  // The 220 that answers STARTTLS stays in its session.
  const starttls = [`${g}<<< 220 mx ESMTP`, `${g}>>> EHLO c`, `${g}<<< 250-mx`, `${g}<<< 250 STARTTLS`, `${g}>>> STARTTLS`, `${g}<<< 220 Ready`, 'Net::SMTP::_SSL=GLOB(0x5561f1e771c0)>>> EHLO c', ''].join('\n');
  const s = readTranscript(starttls);
  assert.equal(s.sessions.length, 1);
  assert.deepEqual(clientCommands(s.sessions[0]), ['EHLO c', 'STARTTLS', 'EHLO c (TLS)']);
  assert.deepEqual(analyzeDocument(starttls).findings.map((f) => f.rule), []);
});

test('Two Net::SMTP objects interleaved (two connections at once): each address its own session', () => {
  const a = 'Net::SMTP=GLOB(0xa1)';
  const b = 'Net::SMTP=GLOB(0xb2)';
  const text = [`${a}<<< 220 a ESMTP`, `${b}<<< 220 b ESMTP`, `${a}>>> EHLO x`, `${b}>>> EHLO y`, `${b}<<< 250 b`, `${a}<<< 250 a`, `${a}>>> QUIT`, `${b}>>> QUIT`, `${a}<<< 221 a`, `${b}<<< 221 b`, ''].join('\n');
  const t = readTranscript(text);
  assert.deepEqual(t.sessions.map(clientCommands), [['EHLO x', 'QUIT'], ['EHLO y', 'QUIT']]);
});

test('A password Net::SMTP printed decoded is masked and redacted even where its base64 line is not in the text (a log cut there)', () => {
  const g = 'Net::SMTP::_SSL=GLOB(0x5593440c1c18)';
  const text = [`${g}<<< 220 mx ESMTP`, `${g}>>> EHLO c`, `${g}<<< 250 AUTH LOGIN`, `${g}>>> AUTH LOGIN`, `${g}<<< 334 UGFzc3dvcmQ6`, `${g}<<< (decoded) Password:`, `${g}>>> (decoded) s3cret-Pa55`, ''].join('\n');
  const a = analyzeDocument(text);
  assert.deepEqual(getCredentialSpans(a).map((c) => text.slice(c.start, c.end)), ['s3cret-Pa55']);
  assert.ok(!createRedactor(a)(text).includes('s3cret-Pa55'));
  assert.ok(!formatDecodeText('cut.txt', a).includes('s3cret-Pa55'));
});

test('A message text line that reads "(decoded) ..." is message text, not a credential', () => {
  const g = 'Net::SMTP::_SSL=GLOB(0x1)';
  const text = [`${g}<<< 220 mx ESMTP`, `${g}>>> MAIL FROM:<a@b>`, `${g}<<< 250 ok`, `${g}>>> RCPT TO:<c@d>`, `${g}<<< 250 ok`, `${g}>>> DATA`, `${g}<<< 354 go`, `${g}>>> (decoded) not a secret`, `${g}>>> .`, `${g}<<< 250 queued`, ''].join('\n');
  const a = analyzeDocument(text);
  assert.deepEqual(getCredentialSpans(a), []);
  assert.ok(a.transcript.sessions[0].events.some((e) => e.kind === 'command' && e.dataLine && e.verb === '(DECODED)'));
});

test('A greeting at the address of a connection whose handshake failed is a new session (the script ran again)', () => {
  const run = readFileSync(path.join(DIR, 'perl-name-mismatch.txt'), 'utf8');
  const t = readTranscript(`${run}${run}`);
  assert.equal(t.sessions.filter((s) => s.events.some((e) => e.kind === 'reply')).length, 2);
  assert.deepEqual(analyzeDocument(`${run}${run}`).findings.map((f) => f.rule), ['tls-certificate-name-mismatch', 'tls-certificate-name-mismatch']);
});
