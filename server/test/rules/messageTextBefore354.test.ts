/**
 * smtp-command-order: message text the client sent before the 354 reply to its DATA (RFC 5321 §3.3:
 * message data must not be sent unless a 354 reply is received; RFC 2920 §3.1: DATA ends a
 * pipelined group). One finding per DATA, on the first line of its text, that never quotes it.
 *
 * Real captures: server/test/fixtures/keylog (README.md there), against the lab's postfix 3.7:
 * - ossl-tls13-aes256: `printf 'EHLO client.feas.test\nAUTH PLAIN <blob>\nMAIL FROM:<bob@feas.test>\n
 *   RCPT TO:<alice@mx.feas.test>\nDATA\nSubject: keylog\n\nhello\n.\nQUIT\n' | openssl s_client
 *   -starttls smtp -crlf -ign_eof -tls1_3 -keylogfile keylog.txt`: inside TLS the whole dialogue is one
 *   178-byte record, before postfix's one 314-byte record of replies (its 354 among them).
 * - gnutls-tls13: the same lines one `printf` at a time with sleeps: the text leaves after the 354.
 * And server/test/fixtures/exim: Exim as the client pipelines MAIL, RCPT, `BDAT 351 LAST` and QUIT.
 * The crafted sessions open with the real postfix greeting and EHLO reply of craft.ts's openSession.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import type { Finding } from '../../src/core/rules/types';
import { parseKeyLog } from '../../src/core/tls/decrypt/keyLogSecrets';
import { importBytes, readFixture } from '../capture/helpers';
import { REPO } from '../helpers/lspClient';
import { openSession } from './craft';

const KEYLOG = path.join(REPO, 'server/test/fixtures/keylog');
const MESSAGE = /^Message text sent before the 354 reply to DATA: /;

const lines = (...l: string[]) => l.join('\n') + '\n';

/** The new finding of smtp-command-order, with the line (0-based) and text it points at. */
function early(text: string): { finding: Finding; line: number; covered: string }[] {
  const a = analyzeDocument(text);
  return a.findings
    .filter((f) => f.rule === 'smtp-command-order' && MESSAGE.test(f.message))
    .map((f) => ({ finding: f, line: a.lines.lineAt(f.span.start), covered: text.slice(f.span.start, f.span.end) }));
}

function importKeylogFixture(session: string): string {
  const keyLog = parseKeyLog(fs.readFileSync(path.join(KEYLOG, session, 'keylog.txt'), 'utf8')).keyLog;
  return importBytes(readFixture(path.join(KEYLOG, session, 'capture.pcap')), { keyLog }).text;
}

// printf 'MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nSubject: hi\r\n\r\nsecret body\r\n.\r\nQUIT\r\n' after the
// EHLO reply: every line leaves before the first reply; the server answers them in order.
const PIPED = ['C: MAIL FROM:<a@b>', 'C: RCPT TO:<c@d>', 'C: DATA', 'C: Subject: hi', 'C: ', 'C: secret body', 'C: .', 'C: QUIT'];

test('smtp-command-order: message text sent before the 354 (DATA accepted) is reported once, on its first line, without quoting it', () => {
  const text = lines(openSession(), ...PIPED, 'S: 250 2.1.0 Ok', 'S: 250 2.1.5 Ok', 'S: 354 End data with <CR><LF>.<CR><LF>', 'S: 250 2.0.0 Ok: queued as 1', 'S: 221 2.0.0 Bye');
  const found = early(text);
  assert.equal(found.length, 1);
  const [{ finding, line, covered }] = found;
  // Lines 0-12 are the greeting, EHLO and its reply; line 13 MAIL, 15 DATA, 16 "Subject: hi", 19 ".", 20 QUIT, 23 the 354.
  assert.equal(line, 16);
  assert.equal(covered, 'Subject: hi');
  assert.equal(finding.severity, 'warning');
  assert.equal(
    finding.message,
    'Message text sent before the 354 reply to DATA: the client must wait for 354 before sending the mail data (RFC 5321 §3.3, §4.1.1.4), ' +
      'and DATA must be the last command of a pipelined group (RFC 2920 §3.1).',
  );
  assert.doesNotMatch(finding.message, /Subject|hi\b|secret|body/);
  const a = analyzeDocument(text);
  assert.deepEqual(finding.related?.map((r) => [a.lines.lineAt(r.span.start), r.message]), [[15, 'DATA sent here'], [23, '354 reply here']]);
  // The other findings of smtp-command-order are not there: the order of the commands themselves is right.
  assert.equal(analyzeDocument(text).findings.filter((f) => f.rule === 'smtp-command-order').length, 1);
});

test('smtp-command-order: the client that waits for 354 before its text gets no such finding', () => {
  const text = lines(openSession(), 'C: MAIL FROM:<a@b>', 'C: RCPT TO:<c@d>', 'C: DATA', 'S: 250 2.1.0 Ok', 'S: 250 2.1.5 Ok', 'S: 354 End data with <CR><LF>.<CR><LF>', 'C: Subject: hi', 'C: ', 'C: body', 'C: .', 'S: 250 2.0.0 Ok: queued as 1', 'C: QUIT', 'S: 221 2.0.0 Bye');
  assert.deepEqual(early(text), []);
  assert.deepEqual(analyzeDocument(text).findings.filter((f) => f.rule === 'smtp-command-order'), []);
});

test('smtp-command-order: a refused DATA (554, 503) leaves the lines after it commands, and they are not reported as message text', () => {
  // Postfix refuses DATA without a valid recipient and answers each further line as a command (500).
  const refused = lines(
    openSession(), 'C: MAIL FROM:<a@b>', 'C: RCPT TO:<nobody@elsewhere.test>', 'C: DATA', 'C: Subject: hi', 'C: ', 'C: body', 'C: .', 'C: QUIT',
    'S: 250 2.1.0 Ok', 'S: 554 5.7.1 <nobody@elsewhere.test>: Relay access denied', 'S: 554 5.5.1 Error: no valid recipients',
    'S: 500 5.5.2 Error: command not recognized', 'S: 500 5.5.2 Error: command not recognized', 'S: 500 5.5.2 Error: command not recognized', 'S: 500 5.5.2 Error: command not recognized', 'S: 221 2.0.0 Bye',
  );
  assert.deepEqual(early(refused), []);
  const session = analyzeDocument(refused).transcript.sessions[0];
  assert.ok(session.events.every((e) => e.kind !== 'command' || !e.dataLine), 'the lines after a refused DATA stay commands');
  // 503 (no MAIL): the same.
  const noMail = lines(openSession(), 'C: DATA', 'C: Subject: hi', 'C: .', 'S: 503 5.5.1 Error: need RCPT command', 'S: 500 5.5.2 Error: command not recognized', 'S: 500 5.5.2 Error: command not recognized');
  assert.deepEqual(early(noMail), []);
});

test('smtp-command-order: BDAT chunks pipelined before the replies are no message text before a 354', () => {
  // RFC 3030: BDAT carries its octets without any 354; 'Subject: hi' CRLF CRLF 'body' CRLF = 19 octets.
  const bdat = lines(openSession(), 'C: MAIL FROM:<a@b>', 'C: RCPT TO:<c@d>', 'C: BDAT 19 LAST', 'C: Subject: hi', 'C: ', 'C: body', 'C: QUIT', 'S: 250 2.1.0 Ok', 'S: 250 2.1.5 Ok', 'S: 250 2.0.0 Ok: 19 bytes queued as 1', 'S: 221 2.0.0 Bye');
  assert.deepEqual(early(bdat), []);
  // Real: Exim as the client pipelines MAIL, RCPT, "BDAT 351 LAST" and QUIT to postfix (exim/README.md).
  const exim = fs.readFileSync(path.join(REPO, 'server/test/fixtures/exim/client-starttls.exim-debug.txt'), 'utf8');
  assert.match(exim, /SMTP\+> BDAT 351 LAST/);
  assert.deepEqual(early(exim), []);
});

test('smtp-command-order: a log of the client side only (no replies at all) is not judged for text before 354', () => {
  assert.deepEqual(early(lines('C: EHLO client.example.test', ...PIPED)), []);
  assert.deepEqual(early(lines(...PIPED)), []);
});

test('smtp-command-order: two messages sent whole get a finding each; one sent after its own 354 gets none', () => {
  const whole = lines(
    openSession(),
    'C: MAIL FROM:<a@b>', 'C: RCPT TO:<c@d>', 'C: DATA', 'C: Subject: one', 'C: ', 'C: first', 'C: .',
    'C: MAIL FROM:<a@b>', 'C: RCPT TO:<e@f>', 'C: DATA', 'C: Subject: two', 'C: ', 'C: second', 'C: .', 'C: QUIT',
    'S: 250 2.1.0 Ok', 'S: 250 2.1.5 Ok', 'S: 354 go', 'S: 250 queued 1', 'S: 250 2.1.0 Ok', 'S: 250 2.1.5 Ok', 'S: 354 go', 'S: 250 queued 2', 'S: 221 Bye',
  );
  assert.deepEqual(early(whole).map((f) => f.covered), ['Subject: one', 'Subject: two']);
  const mixed = lines(
    openSession(),
    'C: MAIL FROM:<a@b>', 'C: RCPT TO:<c@d>', 'C: DATA', 'C: Subject: one', 'C: ', 'C: first', 'C: .', 'C: MAIL FROM:<a@b>', 'C: RCPT TO:<e@f>', 'C: DATA',
    'S: 250 2.1.0 Ok', 'S: 250 2.1.5 Ok', 'S: 354 go', 'S: 250 queued 1', 'S: 250 2.1.0 Ok', 'S: 250 2.1.5 Ok', 'S: 354 go',
    'C: Subject: two', 'C: ', 'C: second', 'C: .', 'S: 250 queued 2', 'C: QUIT', 'S: 221 Bye',
  );
  assert.deepEqual(early(mixed).map((f) => f.covered), ['Subject: one']);
});

test('smtp-command-order: real openssl s_client fed by printf (decrypted with its key log) sent the message before the 354', () => {
  const text = importKeylogFixture('ossl-tls13-aes256');
  const found = early(text);
  assert.equal(found.length, 1);
  assert.equal(found[0].covered, 'Subject: keylog');
  const all = text.split('\n');
  assert.equal(all[found[0].line - 1], 'C: DATA');
  assert.ok(all.indexOf('S: 354 End data with <CR><LF>.<CR><LF>') > found[0].line, 'the 354 comes after the text');
  assert.doesNotMatch(found[0].finding.message, /keylog|hello/);
  // tshark's view of the same TLS stream (follow,tls,ascii): the same finding, on the same text.
  const follow = early(fs.readFileSync(path.join(KEYLOG, 'ossl-tls13-aes256', 'tshark-follow-tls-ascii.txt'), 'utf8'));
  assert.deepEqual(follow.map((f) => f.covered), ['Subject: keylog']);
});

test('smtp-command-order: real gnutls-cli session that waited for the 354 before its text gets no such finding', () => {
  const text = importKeylogFixture('gnutls-tls13');
  assert.ok(text.indexOf('S: 354 End data with <CR><LF>.<CR><LF>') < text.indexOf('C: Subject: keylog'), 'the 354 comes first');
  assert.deepEqual(early(text), []);
});
