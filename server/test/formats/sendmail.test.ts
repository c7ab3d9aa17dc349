/**
 * sendmail 8.17 as an SMTP client and server (server/test/fixtures/sendmail/make-fixtures.sh, against the mail
 * lab): `sendmail -v`'s dialogue is the one Postfix's smtpd logged of the same connection; sendmail's own
 * replies are notes; its syslog lines state the negotiated version and suite and OpenSSL's verdict on dates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { getCredentialSpans } from '../../src/core/features/credentials';
import { computeHover } from '../../src/core/features/hover';
import { isSendmailConnecting } from '../../src/core/formats/sendmailVerbose';
import { parseSendmailVerdict } from '../../src/core/formats/sendmailLog';
import { checkClientLog, checkServerLog, checkVerboseAuth, checkVerboseDelivery, checkVerboseRefused, checkVerboseTlsFailed, checkVerboseTwoServers } from '../helpers/sendmailRuns';

const DIR = path.join(__dirname, '..', 'fixtures', 'sendmail');
const read = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');

test('sendmail -v: the dialogue is the one Postfix logged of the same connection, each side in the same order, inside TLS after STARTTLS\'s 220', () => {
  checkVerboseDelivery(DIR);
});

test('sendmail -v: RCPT and DATA pipelined to a server that refuses the recipient: both 554 replies paired in order, no finding', () => {
  checkVerboseRefused(DIR);
});

test('sendmail -v: sendmail\'s own `Deferred: 454 4.7.0 TLS handshake failed.` is a note, not a reply of the server', () => {
  checkVerboseTlsFailed(DIR);
});

test('sendmail -v: each `Connecting to` is a connection of its own, with its port; a chunk starts there', () => {
  checkVerboseTwoServers(DIR);
});

test('sendmail -v with AUTH PLAIN inside TLS (a sendmail daemon with PLAIN offered): the base64 sendmail prints is masked in the hover and quoted by no message', () => {
  checkVerboseAuth(DIR);
});

test('isSendmailConnecting: sendmail\'s line, with or without a port; not prose ending in dots, not local delivery', () => {
  const yes = ['rcpt@lab.test... Connecting to [127.0.0.1] port 2526 via relay...', 'user@example.com... Connecting to mx.example.com. via esmtp...'];
  const no = ['rcpt@lab.test... Connecting to local...', 'We are Connecting to the server via a tunnel...', 'rcpt@lab.test... Sent (Ok: queued as 1709F16A080)'];
  for (const l of yes) assert.equal(isSendmailConnecting(l, 0, l.length), true, l);
  for (const l of no) assert.equal(isSendmailConnecting(l, 0, l.length), false, l);
  // Without a port, the mailer's default: 25.
  assert.equal(readTranscript(`${yes[1]}\n220 mx.example.com ESMTP\n>>> QUIT\n221 Bye\n`).sessions[0].port, 25);
});

test('sendmail\'s client log: OpenSSL\'s verdict on dates is tls-certificate-expired on its words; TLS 1.0 is deprecated; the alert Postfix sent is tls-alert; verify=FAIL alone is nothing', () => {
  checkClientLog(DIR);
});

test('sendmail\'s server log (sm-mta receiving): the version a client negotiated, TLS 1.0 from s_client -tls1 deprecated, TLS 1.3 from swaks not; the unknown_ca alert a client sent; its own `no shared cipher` nothing', () => {
  checkServerLog(DIR);
});

test('sendmail\'s lines beside Postfix\'s in one mail log: each read by its own reader, the findings of both', () => {
  const text = read('verbose-delivery.postfix.log') + read('maillog-server.log');
  const t = readTranscript(text);
  assert.ok(t.sessions.some((s) => s.events.some((e) => e.kind === 'command')));
  assert.deepEqual(analyzeDocument(text).findings.map((f) => f.rule), ['tls-deprecated-version', 'tls-alert']);
});

test('parseSendmailVerdict: the dates\' verdicts at the end of the verifymsg line; any other verdict, or other words, is none', () => {
  const line = (reason: string): string => `STARTTLS=client, cert-subject=/CN=mx, cert-issuer=/CN=CA, verifymsg=${reason}`;
  const expired = line('certificate has expired');
  assert.deepEqual(parseSendmailVerdict(expired, 0, expired.length), { tool: 'sendmail', of: 'chain', problem: 'expired', reason: 'certificate has expired', reasonSpan: { start: expired.length - 23, end: expired.length } });
  assert.equal(parseSendmailVerdict(line('certificate is not yet valid'), 0, line('certificate is not yet valid').length)?.problem, 'not-yet-valid');
  for (const other of [line('self-signed certificate'), line('ok'), 'STARTTLS: TLS cert verify: depth=0 /CN=x, state=0, reason=certificate has expired']) {
    assert.equal(parseSendmailVerdict(other, 0, other.length), null, other);
  }
});

test('lines of another program saying STARTTLS=, and sendmail\'s lines without a version, are not read as sendmail\'s facts', () => {
  const text = [
    'Nov 30 16:08:19 vm exim[812]: STARTTLS=client, relay=[127.0.0.1], version=TLSv1, verify=FAIL, cipher=ECDHE-RSA-AES256-SHA, bits=256/256',
    'Nov 30 16:08:19 vm sendmail[838]: STARTTLS=client, error: connect failed=-1, reason=legacy sigalg disallowed or unsupported, SSL_error=1, errno=0, retry=-1',
    'Nov 30 16:08:19 vm sendmail[821]: STARTTLS: TLS cert verify: depth=0 /CN=expired.cert-lab.test, state=0, reason=certificate has expired',
    '',
  ].join('\n');
  assert.deepEqual(readTranscript(text).sessions, []);
  assert.deepEqual(analyzeDocument(text).findings, []);
});

test('Python\'s prompt is no sendmail command: a REPL session driving smtplib is read as smtplib\'s debug output, not as `>>> ` commands', () => {
  const text = [
    ">>> import smtplib",
    ">>> s = smtplib.SMTP('mx.example.test', 25)",
    ">>> s.set_debuglevel(1)",
    ">>> s.ehlo()",
    "send: 'ehlo client.example.test\\r\\n'",
    "reply: b'250-mx.example.test\\r\\n'",
    "reply: b'250 STARTTLS\\r\\n'",
    '',
  ].join('\n');
  const t = readTranscript(text);
  assert.equal(t.format, 'python-smtplib');
  assert.deepEqual(t.sessions.flatMap((x) => x.events.filter((e) => e.kind === 'command').map((e) => e.kind === 'command' && e.verb)), ['EHLO']);
});

test('sendmail -v with AUTH (crafted from the delivery fixture: sendmail prints AUTH\'s base64 as sent): the credentials are masked in the hover and in no message', () => {
  // `\0user\0secret` in base64 after AUTH PLAIN; AUTH LOGIN's user name and password after each 334.
  const plain = Buffer.from('\0user\0secret').toString('base64');
  const user = Buffer.from('user').toString('base64');
  const password = Buffer.from('secret').toString('base64');
  const text = [
    'postmaster@mx.example.test... Connecting to [127.0.0.1] port 587 via relay...',
    '220 mx.example.test ESMTP Postfix (Debian/GNU)',
    '>>> EHLO client.lab.test',
    '250-mx.example.test',
    '250-AUTH PLAIN LOGIN',
    '250 STARTTLS',
    `>>> AUTH PLAIN ${plain}`,
    '535 5.7.8 Error: authentication failed',
    '>>> AUTH LOGIN',
    '334 VXNlcm5hbWU6',
    `>>> ${user}`,
    '334 UGFzc3dvcmQ6',
    `>>> ${password}`,
    '535 5.7.8 Error: authentication failed',
    '>>> QUIT',
    '221 2.0.0 Bye',
    '',
  ].join('\n');
  const a = analyzeDocument(text);
  assert.deepEqual(getCredentialSpans(a).map((c) => text.slice(c.start, c.end)), [plain, user, password]);
  // AUTH in the clear on the submission port is a finding, which must not quote what it is about.
  assert.ok(a.findings.some((f) => f.rule === 'auth-before-tls'), a.findings.map((f) => f.rule).join());
  for (const secret of [plain, user, password]) {
    for (const f of a.findings) assert.ok(!f.message.includes(secret), f.message);
    const h = computeHover(a, text.indexOf(secret) + 2);
    assert.ok(h && !h.markdown.includes(secret) && /masked/.test(h.markdown), secret);
  }
});
