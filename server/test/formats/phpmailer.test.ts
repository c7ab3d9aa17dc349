/**
 * PHPMailer's SMTP debug output (server/test/fixtures/phpmailer/make-fixtures.sh, against the mail lab): the dialogue is
 * the one Postfix's smtpd logged of the same connection, at every debug level and output; a failed handshake is read
 * from PHP's warning (OpenSSL's alert, PHP's own check of the name); credentials at level 4 are masked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { decodeHtmlText, isPhpmailerConnecting, phpmailerMessageStart, splitJoinedReply } from '../../src/core/formats/phpmailerDebug';
import { parsePhpNameVerdict } from '../../src/core/formats/phpTlsFacts';
import { findOpensslErrors } from '../../src/core/formats/opensslAlerts';
import * as runs from '../helpers/phpmailerRuns';

const DIR = path.join(__dirname, '..', 'fixtures', 'phpmailer');

test('PHPMailer SMTPDebug 3 over STARTTLS: the dialogue Postfix logged of the same connection, inside TLS after the 220, no finding', () => {
  runs.checkPhpmailerStarttls(DIR);
});

test('PHPMailer SMTPDebug 4: its `SMTP INBOUND` lines repeat what `SERVER -> CLIENT` gives whole and are read once', () => {
  runs.checkPhpmailerLowlevel(DIR);
});

test('PHPMailer SMTPDebug 1: the client\'s lines only; nothing judged pipelined or injected; inside TLS after STARTTLS; message text after DATA', () => {
  runs.checkPhpmailerClientOnly(DIR);
});

test('PHPMailer AUTH inside TLS: `[credentials hidden]` at level 2, the base64 of level 4 masked in hover, messages and decode', () => {
  runs.checkPhpmailerAuth(DIR);
});

test('PHPMailer with SMTPSecure ssl: TLS from the connection\'s start, AUTH inside it', () => {
  runs.checkPhpmailerSmtps(DIR);
});

test('PHPMailer, certificate verify failed: the handshake began and failed; the plaintext QUIT and the TLS bytes printed as a reply are judged as neither', () => {
  runs.checkPhpmailerVerifyFailed(DIR);
});

test('PHPMailer, PHP\'s name check failed: tls-certificate-name-mismatch on PHP\'s words, with a hover', () => {
  runs.checkPhpmailerNameMismatch(DIR);
});

test('PHPMailer, handshake_failure: tls-alert from OpenSSL\'s error code in PHP\'s warning (up to the reason, not PHP\'s file and line)', () => {
  runs.checkPhpmailerAlert(DIR);
});

test('PHPMailer\'s html output (page source and as a browser shows it) and error_log output: the dialogue of its echo output', () => {
  runs.checkPhpmailerOtherOutputs(DIR);
});

test('PHPMailer: two runs appended are two sessions on their ports, a chunk at each `Connection: opening to`', () => {
  runs.checkPhpmailerTwoRuns(DIR);
});

test('phpmailerMessageStart: after echo\'s time and tab, html\'s time and space, PHP\'s error_log prefix; else the line\'s start', () => {
  const echo = '2026-11-30 19:14:23\tSERVER -> CLIENT: 220 mx';
  assert.deepEqual(phpmailerMessageStart(echo, 0, echo.length), { at: 20, stamped: true, tab: true });
  const html = '2026-11-30 19:14:23 SERVER -&gt; CLIENT: 220 mx<br>';
  assert.deepEqual(phpmailerMessageStart(html, 0, html.length), { at: 20, stamped: true, tab: false });
  const log = '[30-Nov-2026 19:14:23 UTC] CLIENT -> SERVER: EHLO x';
  assert.deepEqual(phpmailerMessageStart(log, 0, log.length), { at: 27, stamped: false, tab: false });
  for (const other of ['2026-11-30T19:14:23 SERVER -> CLIENT: 220', '2026-11-30 19:14:2x\tCLIENT', 'SERVER -> CLIENT: 220 mx']) {
    assert.equal(phpmailerMessageStart(other, 0, other.length).at, 0, other);
  }
});

test('splitJoinedReply: html\'s multi-line reply on one line split where its code comes again; other replies whole', () => {
  assert.deepEqual(splitJoinedReply('250-mx.example.test250-PIPELINING250-SIZE 10240000250-VRFY250 CHUNKING'), ['250-mx.example.test', '250-PIPELINING', '250-SIZE 10240000', '250-VRFY', '250 CHUNKING']);
  // A number in the text that holds the code but not followed by `-` or a space, and a one-line reply.
  assert.deepEqual(splitJoinedReply('250-SIZE 2502500250 8BITMIME'), ['250-SIZE 2502500', '250 8BITMIME']);
  assert.deepEqual(splitJoinedReply('250 2.0.0 Ok: queued as 250ABC'), ['250 2.0.0 Ok: queued as 250ABC']);
  // The code at the very end of the text is no line of its own.
  assert.deepEqual(splitJoinedReply('250-mx.example.test250 SIZE 10240250'), ['250-mx.example.test', '250 SIZE 10240250']);
  assert.deepEqual(splitJoinedReply('x'), ['x']);
  // Read so: STARTTLS is advertised, no starttls-not-advertised.
  const text = [
    '2026-11-30 19:14:23 SERVER -&gt; CLIENT: 220 mx ESMTP<br>',
    '2026-11-30 19:14:23 CLIENT -&gt; SERVER: EHLO c<br>',
    '2026-11-30 19:14:23 SERVER -&gt; CLIENT: 250-mx250-STARTTLS250 8BITMIME<br>',
    '2026-11-30 19:14:23 CLIENT -&gt; SERVER: STARTTLS<br>',
    '2026-11-30 19:14:23 SERVER -&gt; CLIENT: 220 2.0.0 Ready to start TLS<br>',
    '2026-11-30 19:14:23 CLIENT -&gt; SERVER: EHLO c<br>',
    '',
  ].join('\n');
  const s = readTranscript(text).sessions[0];
  const ehlo = s.events.find((e) => e.kind === 'reply' && e.code === 250);
  assert.deepEqual(ehlo && ehlo.kind === 'reply' && ehlo.lines, ['mx', 'STARTTLS', '8BITMIME']);
  assert.deepEqual(analyzeDocument(text).findings, []);
});

test('isPhpmailerConnecting: PHPMailer\'s `Connection: opening to HOST:PORT, timeout=` line only', () => {
  for (const l of ['2026-11-30 19:14:23\tConnection: opening to 127.0.0.1:2526, timeout=300, options=array()', '2026-11-30 19:14:23 Connection: opening to ssl://[::1]:465, timeout=300, options=array()', 'Connection: opening to mx.example.test:587, timeout=30, options=array (']) {
    assert.equal(isPhpmailerConnecting(l, 0, l.length), true, l);
  }
  for (const l of ['2026-11-30 19:14:23\tConnection: opened', 'Connection: opening to the network', '2026-11-30 19:14:23 1xXkBV-0001lO-37 Completed']) assert.equal(isPhpmailerConnecting(l, 0, l.length), false, l);
});

test('parsePhpNameVerdict: PHP\'s two wordings of a name mismatch (the CN one as ext/openssl writes it for a certificate without DNS names)', () => {
  const san = "stream_socket_enable_crypto(): Peer certificate subjectAltName did not match expected name `smtp.other.test' [/x.php line 1]";
  const v = parsePhpNameVerdict(san, 0, san.length);
  assert.ok(v);
  assert.equal(v.expectedName, 'smtp.other.test');
  assert.equal(san.slice(v.reasonSpan.start, v.reasonSpan.end), "Peer certificate subjectAltName did not match expected name `smtp.other.test'");
  const cn = "stream_socket_enable_crypto(): Peer certificate CN=`mx.example.test' did not match expected CN=`127.0.0.1'";
  assert.equal(parsePhpNameVerdict(cn, 0, cn.length)?.expectedName, '127.0.0.1');
  assert.equal(parsePhpNameVerdict('Peer certificate verified', 0, 25), null);
});

test('findOpensslErrors: PHP\'s ` [FILE line N]` after the error is not part of its reason; other text after it unchanged', () => {
  const php = 'error:0A000086:SSL routines::certificate verify failed [/usr/share/php/x.php line 467]';
  const [e] = findOpensslErrors(php);
  assert.equal(e.reason, 'certificate verify failed');
  assert.equal(php.slice(e.start, e.end), 'error:0A000086:SSL routines::certificate verify failed');
  const swaks = 'connect(): error:0A000410:SSL routines::sslv3 alert handshake failure)';
  assert.equal(findOpensslErrors(swaks)[0].reason, 'sslv3 alert handshake failure');
});

test('repliesNotShown: without it, the same client-only lines are judged pipelined and injected; PHPMailer\'s level 1 says replies are not shown', () => {
  // The real level-1 output, its lines as a C: transcript would show them: the rules judge what they see.
  const lines = ['C: EHLO client.lab.test', 'C: STARTTLS', 'C: EHLO client.lab.test', 'C: QUIT', ''].join('\n');
  const rules = new Set(analyzeDocument(lines).findings.map((f) => f.rule));
  for (const rule of ['smtp-pipelining-not-advertised', 'starttls-command-injection', 'starttls-not-advertised']) assert.ok(rules.has(rule), rule);
  const level1 = ['2026-11-30 19:14:23\tCLIENT -> SERVER: EHLO client.lab.test', '2026-11-30 19:14:23\tCLIENT -> SERVER: STARTTLS', '2026-11-30 19:14:23\tCLIENT -> SERVER: EHLO client.lab.test', '2026-11-30 19:14:23\tCLIENT -> SERVER: QUIT', ''].join('\n');
  assert.equal(readTranscript(level1).sessions[0].repliesNotShown, true);
  assert.deepEqual(analyzeDocument(level1).findings, []);
  // AUTH before STARTTLS is still judged: it needs no reply.
  const auth = level1.replace('CLIENT -> SERVER: STARTTLS', 'CLIENT -> SERVER: AUTH PLAIN AHUAcA==');
  assert.deepEqual(analyzeDocument(auth).findings.map((f) => f.rule), ['auth-before-tls']);
  // A reply later in the session: the tool shows them after all.
  const shown = readTranscript(level1 + '2026-11-30 19:14:23\tSERVER -> CLIENT: 221 Bye\n').sessions[0];
  assert.equal(shown.repliesNotShown, undefined);
});

test('decodeHtmlText: the entities htmlentities(ENT_QUOTES) writes for ASCII, and numeric references, decoded once; other named entities left', () => {
  assert.equal(decodeHtmlText('MAIL FROM:&lt;a@b&gt;'), 'MAIL FROM:<a@b>');
  assert.equal(decodeHtmlText('Subject: &quot;x&quot; &#039;y&#039; &apos;z&apos; &#x41;'), 'Subject: "x" \'y\' \'z\' A');
  assert.equal(decodeHtmlText('&amp;lt; stays &lt; once'), '&lt; stays < once');
  assert.equal(decodeHtmlText('caf&eacute; &#0; &#x110000; & alone'), 'caf&eacute; &#0; &#x110000; & alone');
  assert.equal(decodeHtmlText('no entity'), 'no entity');
});
