/**
 * SMTP and STARTTLS session rules on C:/S: transcripts. Real captures from
 * postfix where one can be made (samples/), otherwise the real postfix dialogue
 * of samples/tls-hello-without-220.transcript (craft.ts openSession) with the
 * lines named in each test changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import type { AnalysisSettings, Finding } from '../../src/core/rules/types';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSample } from '../helpers/samples';

const CORPUS = join(__dirname, '..', 'fixtures', 'corpus', 'sessions');
import { clientHello, hexLines, openSession, record, serverHello } from './craft';

function only(text: string, rule: string, settings?: AnalysisSettings): Finding[] {
  return analyzeDocument(text, settings).findings.filter((f) => f.rule === rule);
}

/** Real bytes: the crafted TLS 1.2 hello of samples/tls12-record-ssl3-legal.transcript is replaced by craft.ts's. */
const HELLO = hexLines('C', record(22, 0x0301, clientHello()));
const SERVER_HELLO = hexLines('S', record(22, 0x0303, serverHello()));
const lines = (...l: string[]) => l.join('\n') + '\n';

test('smtp-reply-syntax: bad code, first digit 6, mixed codes fire; a bare code is a warning; postfix replies are a near miss', () => {
  assert.equal(only(lines('S: 22O mx ready'), 'smtp-reply-syntax')[0].severity, 'error');
  assert.equal(only(lines('S: 620 odd'), 'smtp-reply-syntax').length, 1);
  assert.equal(only(lines('S: 250-mx.example.test', 'S: 251 PIPELINING'), 'smtp-reply-syntax').length, 1);
  assert.equal(only(lines('S: 220 mx', 'C: NOOP', 'S: 250'), 'smtp-reply-syntax')[0].severity, 'warning');
  assert.equal(only(readSample('tls-hello-after-refused-starttls.transcript'), 'smtp-reply-syntax').length, 0);
});

test('smtp-line-too-long: a 600-octet RCPT fires; AUTH= on MAIL raises the limit by 500; a 100-octet line does not', () => {
  const long = 'RCPT TO:<' + 'a'.repeat(590) + '@example.test>';
  assert.equal(only(lines(openSession(), `C: ${long}`), 'smtp-line-too-long').length, 1);
  const mailAuth = 'MAIL FROM:<' + 'b'.repeat(560) + '@example.test> AUTH=<>';
  assert.equal(only(lines(openSession(), `C: ${mailAuth}`), 'smtp-line-too-long').length, 0);
  assert.equal(only(lines(openSession(), 'C: RCPT TO:<postmaster@mx.example.test>'), 'smtp-line-too-long').length, 0);
});

test('smtp-bare-line-ending: SMTP text written as bytes with a bare LF fires; CRLF does not', () => {
  // 'RSET' LF ('52 53 45 54 0a') pipelined after STARTTLS; the real capture sent '52 53 45 54 0d 0a'.
  const bare = lines(openSession(), 'C: STARTTLS', 'C: 52 53 45 54 0a', 'S: 220 2.0.0 Ready to start TLS');
  assert.equal(only(bare, 'smtp-bare-line-ending').length, 1);
  assert.equal(only(readSample('starttls-command-injection.transcript'), 'smtp-bare-line-ending').length, 0);
});

test('smtp-command-order: MAIL before EHLO, RCPT before MAIL, DATA without RCPT, a command after QUIT fire; a normal transaction does not', () => {
  const g = 'S: 220 mx.example.test ESMTP Postfix (Debian/GNU)';
  assert.equal(only(lines(g, 'C: MAIL FROM:<bob@example.test>', 'S: 503 5.5.1 Error: send HELO/EHLO first'), 'smtp-command-order').length, 1);
  assert.equal(only(lines(openSession(), 'C: RCPT TO:<a@b>', 'S: 503 5.5.1 Error: need MAIL command'), 'smtp-command-order').length, 1);
  assert.equal(only(lines(openSession(), 'C: MAIL FROM:<a@b>', 'S: 250 2.1.0 Ok', 'C: DATA', 'S: 554 5.5.1 Error: no valid recipients'), 'smtp-command-order').length, 1);
  assert.equal(only(lines(openSession(), 'C: QUIT', 'S: 221 2.0.0 Bye', 'C: NOOP'), 'smtp-command-order').length, 1);
  const ok = lines(openSession(), 'C: MAIL FROM:<a@b>', 'S: 250 2.1.0 Ok', 'C: RCPT TO:<c@d>', 'S: 250 2.1.5 Ok', 'C: DATA', 'S: 354 End data with <CR><LF>.<CR><LF>', 'C: Subject: x', 'C: .', 'S: 250 2.0.0 Ok: queued', 'C: QUIT', 'S: 221 2.0.0 Bye');
  assert.equal(only(ok, 'smtp-command-order').length, 0);
});

test('smtp-unknown-command: XYZZY fires (information); message lines after 354 and SASL responses do not', () => {
  const f = only(lines(openSession(), 'C: XYZZY', 'S: 502 5.5.2 Error: command not recognized'), 'smtp-unknown-command');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'information');
  const sasl = lines(openSession(), 'C: STARTTLS', 'S: 220 2.0.0 Ready to start TLS', HELLO, SERVER_HELLO, 'C: EHLO client.example.test', 'S: 250 AUTH PLAIN LOGIN', 'C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: Ym9i', 'S: 334 UGFzc3dvcmQ6', 'C: c2VjcmV0', 'S: 235 2.7.0 Authentication successful');
  assert.equal(only(sasl, 'smtp-unknown-command').length, 0);
});

test('smtp-pipelining-not-advertised: two commands before a reply without PIPELINING fires; with PIPELINING it does not', () => {
  const body = ['C: MAIL FROM:<a@b>', 'C: RCPT TO:<c@d>', 'S: 250 2.1.0 Ok', 'S: 250 2.1.5 Ok'];
  assert.equal(only(lines(openSession({ keywords: ['SIZE 10240000', 'STARTTLS'] }), ...body), 'smtp-pipelining-not-advertised').length, 1);
  assert.equal(only(lines(openSession(), ...body), 'smtp-pipelining-not-advertised').length, 0);
});

test('smtp-pipelining-not-advertised after STARTTLS: the EHLO reply before it no longer counts (real openssl s_client -ign_eof session, decrypted)', () => {
  // openssl got "EHLO" and "QUIT" from one read of its stdin and sent both at once inside TLS;
  // postfix had advertised PIPELINING before STARTTLS, and its reply to the new EHLO had not come yet.
  const text = readFileSync(join(CORPUS, 'ossl-default-msg', 'transcript-CS-decrypted.txt'), 'utf8');
  const f = only(text, 'smtp-pipelining-not-advertised');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /^"QUIT" is sent before the reply to "EHLO client\.feas\.test", but no EHLO reply since STARTTLS advertises PIPELINING \(the one before STARTTLS no longer counts, RFC 3207 §4\.2\)/);
  // Without STARTTLS, with the same EHLO reply before the commands: PIPELINING is in force, nothing fires.
  const plain = text.split('\n').filter((l) => !/^C: STARTTLS|^S: 220 2\.0\.0|^C & S:|^C: <starts TLS/.test(l)).join('\n');
  assert.equal(only(plain, 'smtp-pipelining-not-advertised').length, 0);
  // HELO only: no EHLO reply at all.
  const helo = only(lines('S: 220 mx.example.test ESMTP', 'C: HELO client.example.test', 'S: 250 mx.example.test', 'C: MAIL FROM:<a@b>', 'C: RCPT TO:<c@d>', 'S: 250 2.1.0 Ok', 'S: 250 2.1.5 Ok'), 'smtp-pipelining-not-advertised');
  assert.equal(helo.length, 1);
  assert.match(helo[0].message, /but no EHLO reply advertises PIPELINING;/);
});

test('starttls-not-advertised: STARTTLS without it in the EHLO reply fires; a stripped XXXXXXXA keyword fires; advertised is a near miss', () => {
  const noTls = lines(openSession({ keywords: ['PIPELINING', 'SIZE 10240000'] }), 'C: STARTTLS', 'S: 502 5.5.1 Error: command not implemented', HELLO);
  assert.equal(only(noTls, 'starttls-not-advertised').length, 1);
  // openssl s_client sends its ClientHello after the 502 (corpus INDEX observation): TLS without 220 as well.
  assert.equal(only(noTls, 'starttls-tls-without-220').length, 1);
  const stripped = lines(openSession({ keywords: ['PIPELINING', 'XXXXXXXA', 'CHUNKING'] }), 'C: QUIT', 'S: 221 2.0.0 Bye');
  assert.match(only(stripped, 'starttls-not-advertised')[0].message, /XXXXXXXA/);
  assert.equal(only(readSample('tls12-record-ssl3-legal.transcript'), 'starttls-not-advertised').length, 0);
});

test('starttls-with-parameters: real postfix refusal of "STARTTLS now"; plain STARTTLS is a near miss', () => {
  const f = only(readSample('tls-hello-after-refused-starttls.transcript'), 'starttls-with-parameters');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /"now"/);
  assert.equal(only(readSample('tls12-record-ssl3-legal.transcript'), 'starttls-with-parameters').length, 0);
});

test('starttls-unexpected-reply: 250 is a warning, 502 information; 220, 454 and 501 are near misses', () => {
  const reply = (r: string) => only(lines(openSession(), 'C: STARTTLS', `S: ${r}`), 'starttls-unexpected-reply');
  assert.equal(reply('250 2.0.0 Ok')[0].severity, 'warning');
  assert.equal(reply('502 5.5.1 Error: command not implemented')[0].severity, 'information');
  for (const r of ['220 2.0.0 Ready to start TLS', '454 4.7.0 TLS not available due to local problem', '501 5.5.4 Syntax: STARTTLS']) assert.equal(reply(r).length, 0, r);
});

test('starttls-command-injection: real capture of RSET pipelined with STARTTLS; C: lines before the 220 too; TLS bytes before the 220 are not commands', () => {
  const real = only(readSample('starttls-command-injection.transcript'), 'starttls-command-injection');
  assert.equal(real.length, 1);
  assert.match(real[0].message, /"RSET"/);
  assert.equal(real[0].related?.length, 2);
  const textual = lines(openSession(), 'C: STARTTLS', 'C: MAIL FROM:<evil@example.test>', 'S: 220 2.0.0 Ready to start TLS', HELLO);
  assert.equal(only(textual, 'starttls-command-injection').length, 1);
  assert.equal(only(readSample('tls-hello-without-220.transcript'), 'starttls-command-injection').length, 0);
});

test('starttls-response-injection: a server reply after the 220 and before the ServerHello fires; the real accepted session does not', () => {
  const injected = lines(openSession(), 'C: STARTTLS', 'S: 220 2.0.0 Ready to start TLS', 'S: 250 injected by a man in the middle', HELLO, SERVER_HELLO);
  assert.equal(only(injected, 'starttls-response-injection').length, 1);
  assert.equal(only(readSample('tls12-record-ssl3-legal.transcript'), 'starttls-response-injection').length, 0);
});

test('starttls-plaintext-after-220: real capture of EHLO sent in plaintext after the 220; a ClientHello is a near miss', () => {
  const f = only(readSample('starttls-plaintext-after-220.transcript'), 'starttls-plaintext-after-220');
  assert.equal(f.length, 1);
  assert.equal(only(readSample('starttls-plaintext-after-220.transcript'), 'tls-malformed').length, 0, 'text is not judged as TLS');
  const textual = lines(openSession(), 'C: STARTTLS', 'S: 220 2.0.0 Ready to start TLS', 'C: MAIL FROM:<a@b>');
  assert.equal(only(textual, 'starttls-plaintext-after-220').length, 1);
  assert.equal(only(readSample('tls12-record-ssl3-legal.transcript'), 'starttls-plaintext-after-220').length, 0);
});

test('starttls-tls-without-220: real hello before the 220 and after a 501; after a 220 it is a near miss', () => {
  assert.equal(only(readSample('tls-hello-without-220.transcript'), 'starttls-tls-without-220').length, 1);
  const refused = only(readSample('tls-hello-after-refused-starttls.transcript'), 'starttls-tls-without-220');
  assert.match(refused[0].message, /501/);
  assert.equal(only(lines(openSession(), HELLO), 'starttls-tls-without-220').length, 1, 'never issued');
  assert.equal(only(lines('# smtptls-port: 465', openSession(), HELLO), 'starttls-tls-without-220').length, 0, 'port 465 is implicit TLS');
  assert.equal(only(readSample('tls12-record-ssl3-legal.transcript'), 'starttls-tls-without-220').length, 0);
});

test('starttls-ehlo-not-reissued: MAIL as the first command inside TLS fires; EHLO does not', () => {
  const tls = [openSession(), 'C: STARTTLS', 'S: 220 2.0.0 Ready to start TLS', HELLO, SERVER_HELLO];
  assert.equal(only(lines(...tls, 'C: MAIL FROM:<a@b>', 'S: 503 5.5.1 Error: send HELO/EHLO first'), 'starttls-ehlo-not-reissued').length, 1);
  assert.equal(only(lines(...tls, 'C: EHLO client.example.test', 'S: 250 mx.example.test'), 'starttls-ehlo-not-reissued').length, 0);
});

test('starttls-readvertised: STARTTLS in the EHLO reply inside TLS, or issued again, fires; postfix inside TLS does not', () => {
  const tls = [openSession(), 'C: STARTTLS', 'S: 220 2.0.0 Ready to start TLS', HELLO, SERVER_HELLO, 'C: EHLO client.example.test'];
  assert.equal(only(lines(...tls, 'S: 250-mx.example.test', 'S: 250-STARTTLS', 'S: 250 8BITMIME'), 'starttls-readvertised').length, 1);
  assert.equal(only(lines(...tls, 'S: 250-mx.example.test', 'S: 250 8BITMIME', 'C: STARTTLS', 'S: 554 5.5.1 Error: TLS already active'), 'starttls-readvertised').length, 1);
  assert.equal(only(readSample('openssl-tls13-clean.transcript'), 'starttls-readvertised').length, 0);
});

test('auth-before-tls: AUTH PLAIN in clear is an error with the credentials masked; CRAM-MD5 a warning; AUTH inside TLS a near miss', () => {
  const secret = 'AGJvYgBzM2NyM3Q='; // base64 of NUL "bob" NUL "s3cr3t"
  const text = lines(openSession({ keywords: ['PIPELINING', 'AUTH PLAIN LOGIN CRAM-MD5', 'STARTTLS'] }), `C: AUTH PLAIN ${secret}`, 'S: 235 2.7.0 Authentication successful');
  const f = only(text, 'auth-before-tls');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'error');
  const all = analyzeDocument(text).findings;
  for (const x of all) {
    assert.ok(!x.message.includes(secret) && !x.message.includes('s3cr3t') && !x.message.includes('bob'), `${x.rule} leaks: ${x.message}`);
    for (const r of x.related ?? []) assert.ok(!r.message.includes(secret));
  }
  const spanText = text.slice(f[0].span.start, f[0].span.end);
  assert.equal(spanText, 'AUTH PLAIN');
  const login = lines(openSession(), 'C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: Ym9i', 'S: 334 UGFzc3dvcmQ6', 'C: czNjcjN0', 'S: 235 2.7.0 Authentication successful');
  for (const x of analyzeDocument(login).findings) assert.ok(!x.message.includes('Ym9i') && !x.message.includes('czNjcjN0'), x.message);
  assert.equal(only(lines(openSession(), 'C: AUTH CRAM-MD5', 'S: 334 PDEyMzQ1Pg=='), 'auth-before-tls')[0].severity, 'warning');
  const inTls = lines(openSession(), 'C: STARTTLS', 'S: 220 2.0.0 Ready to start TLS', HELLO, SERVER_HELLO, 'C: EHLO client.example.test', 'S: 250 AUTH PLAIN', `C: AUTH PLAIN ${secret}`, 'S: 235 2.7.0 Authentication successful');
  assert.equal(only(inTls, 'auth-before-tls').length, 0);
});

test('submission-prefer-implicit-tls: STARTTLS on 587 (directive) fires as information; port 25 and rfc3207 do not', () => {
  const text = lines(openSession(), 'C: STARTTLS', 'S: 220 2.0.0 Ready to start TLS', HELLO);
  assert.equal(only('# smtptls-port: 587\n' + text, 'submission-prefer-implicit-tls')[0].severity, 'information');
  assert.equal(only('# smtptls-port: 25\n' + text, 'submission-prefer-implicit-tls').length, 0);
  assert.equal(only('# smtptls-port: 587\n' + text, 'submission-prefer-implicit-tls', { baseline: 'rfc3207' }).length, 0);
});

test('requiretls-before-tls: MAIL FROM with REQUIRETLS in clear fires; inside TLS it does not', () => {
  assert.equal(only(lines(openSession(), 'C: MAIL FROM:<a@b> REQUIRETLS', 'S: 555 5.5.4 Unsupported option: REQUIRETLS'), 'requiretls-before-tls').length, 1);
  const inTls = lines(openSession(), 'C: STARTTLS', 'S: 220 2.0.0 Ready to start TLS', HELLO, SERVER_HELLO, 'C: EHLO client.example.test', 'S: 250 REQUIRETLS', 'C: MAIL FROM:<a@b> REQUIRETLS');
  assert.equal(only(inTls, 'requiretls-before-tls').length, 0);
});
