/**
 * What PHPMailer's debug outputs against the mail lab must give (server/test/fixtures/phpmailer/make-fixtures.sh, run
 * again by the live stage): each check reads the files of one folder, the fixtures' or a fresh run's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { findChunkStarts } from '../../src/core/analysis/documentChunks';
import { getCredentialSpans } from '../../src/core/features/credentials';
import { computeHover } from '../../src/core/features/hover';
import { toDecodeJson } from '../../src/core/export/decodeJson';
import { formatDecodeText } from '../../src/core/export/decodeText';
import type { TranscriptSession } from '../../src/core/model/transcript';
import { assertSidesAsPostfixLogged } from './postfixOracle';

const readIn = (dir: string, name: string): string => readFileSync(path.join(dir, name), 'utf8');

/**
 * The dialogue of a session, in order: `C` commands (message text apart) and `S` reply codes with their first line but for
 * the queue id, each marked when inside TLS: what two runs of the same delivery share.
 */
function dialogue(s: TranscriptSession): string[] {
  return s.events.flatMap((e) => {
    const tls = e.kind !== 'note' && e.kind !== 'stated' && e.kind !== 'bytes' && e.kind !== 'gap' && e.inTls ? ' (TLS)' : '';
    if (e.kind === 'command' && !e.dataLine) return [`C ${[e.verb, e.argument].filter((x) => x !== '').join(' ')}${tls}`];
    if (e.kind === 'reply') return [`S ${e.code} ${e.lines[0].replace(/queued as [0-9A-F]+/, 'queued as ID')}${e.lines.length > 1 ? ` (+${e.lines.length - 1} lines: ${e.lines.slice(1).join(' ')})` : ''}${tls}`];
    return [];
  });
}

/** SMTPDebug 3 over STARTTLS: the dialogue Postfix's smtpd logged of the same connection, inside TLS after the 220, no finding. */
export function checkPhpmailerStarttls(dir: string): void {
  const text = readIn(dir, 'phpmailer-starttls.txt');
  const t = readTranscript(text);
  assert.equal(t.format, 'phpmailer');
  assert.equal(t.sessions.length, 1);
  const s = t.sessions[0];
  assert.equal(s.port, 2526);
  assertSidesAsPostfixLogged(s, readIn(dir, 'phpmailer-starttls.postfix.log'), 'client.lab.test');
  const d = dialogue(s);
  const tls = d.indexOf('S 220 2.0.0 Ready to start TLS') + 1;
  assert.ok(tls > 0 && d.slice(0, tls).every((l) => !l.endsWith('(TLS)')) && d.slice(tls).every((l) => l.endsWith('(TLS)')), d.join('\n'));
  // The message text, up to its '.', is message text: PHPMailer prints each line after DATA's 354.
  const dataLines = s.events.filter((e) => e.kind === 'command' && e.dataLine);
  assert.ok(dataLines.some((e) => e.kind === 'command' && e.verb === 'SUBJECT:'), 'the Subject header is message text');
  assert.deepEqual(analyzeDocument(text).findings, []);
}

/** SMTPDebug 4: each line read is also printed as `SMTP INBOUND: "..."`; the replies are read once, as at level 3. */
export function checkPhpmailerLowlevel(dir: string): void {
  const level4 = readTranscript(readIn(dir, 'phpmailer-lowlevel.txt'));
  const level3 = readTranscript(readIn(dir, 'phpmailer-starttls.txt'));
  assert.equal(level4.sessions.length, 1);
  assert.deepEqual(dialogue(level4.sessions[0]), dialogue(level3.sessions[0]));
  assert.deepEqual(analyzeDocument(readIn(dir, 'phpmailer-lowlevel.txt')).findings, []);
}

/**
 * SMTPDebug 1: the client's lines only. The session says so (repliesNotShown): nothing is judged pipelined or
 * injected after STARTTLS, though no reply shows PHPMailer waited; what follows STARTTLS is inside TLS (PHPMailer goes on
 * only once its handshake succeeded), the message text after DATA is text, up to the lone '.'.
 */
export function checkPhpmailerClientOnly(dir: string): void {
  const text = readIn(dir, 'phpmailer-client-only.txt');
  const t = readTranscript(text);
  assert.equal(t.sessions.length, 1);
  const s = t.sessions[0];
  assert.equal(s.repliesNotShown, true);
  assert.deepEqual(dialogue(s), [
    'C EHLO client.lab.test',
    'C STARTTLS',
    'C EHLO client.lab.test (TLS)',
    'C MAIL FROM:<root@client.lab.test> (TLS)',
    'C RCPT TO:<postmaster@mx.example.test> (TLS)',
    'C DATA (TLS)',
    'C QUIT (TLS)',
  ]);
  assert.deepEqual(analyzeDocument(text).findings, []);
}

/**
 * AUTH inside TLS on :2532: with LOGIN at SMTPDebug 2, PHPMailer prints `[credentials hidden]` for the user and the
 * password; with PLAIN at SMTPDebug 4 it prints their base64, which is masked (hover, messages, decode) and redacted.
 */
export function checkPhpmailerAuth(dir: string): void {
  const login = readIn(dir, 'phpmailer-auth-login.txt');
  const la = analyzeDocument(login);
  const steps = dialogue(la.transcript.sessions[0]);
  const auth = steps.indexOf('C AUTH LOGIN (TLS)');
  assert.ok(auth > 0, steps.join('\n'));
  assert.deepEqual(steps.slice(auth, auth + 6), ['C AUTH LOGIN (TLS)', 'S 334 VXNlcm5hbWU6 (TLS)', 'C [credentials hidden] (TLS)', 'S 334 UGFzc3dvcmQ6 (TLS)', 'C [credentials hidden] (TLS)', 'S 235 2.7.0 Authentication successful (TLS)']);
  assert.deepEqual(la.findings, []);

  const plain = readIn(dir, 'phpmailer-auth-plain.txt');
  const pa = analyzeDocument(plain);
  const secret = Buffer.from('\0labuser@mx.example.test\0labsecret').toString('base64');
  assert.ok(plain.includes(secret), 'SMTPDebug 4 prints the credentials');
  assert.deepEqual(getCredentialSpans(pa).map((c) => plain.slice(c.start, c.end)), [secret]);
  // Postfix answers AUTH PLAIN with `334 ` (an empty challenge); PHPMailer prints it trimmed: no finding on it.
  assert.deepEqual(pa.findings, []);
  const h = computeHover(pa, plain.indexOf(secret) + 2);
  assert.ok(h && !h.markdown.includes(secret) && /masked/.test(h.markdown), h?.markdown);
  assert.ok(!JSON.stringify(toDecodeJson(pa)).includes(secret), 'decode JSON');
  assert.ok(!formatDecodeText('phpmailer-auth-plain.txt', pa).includes(secret), 'decode text');
}

/** SMTPSecure ssl on :2533: TLS from the connection's start (PHP opened an ssl:// stream), AUTH inside it, no finding. */
export function checkPhpmailerSmtps(dir: string): void {
  const text = readIn(dir, 'phpmailer-smtps.txt');
  const a = analyzeDocument(text);
  const s = a.transcript.sessions[0];
  assert.equal(s.port, 2533);
  const d = dialogue(s);
  assert.ok(d.length > 10 && d.every((l) => l.endsWith('(TLS)')), d.join('\n'));
  assert.ok(d.includes('C AUTH LOGIN (TLS)'));
  assert.ok(s.events.some((e) => e.kind === 'note' && e.note === 'tls-established' && e.text === 'Connection: opened'));
  assert.deepEqual(a.findings, []);
}

/**
 * PHP's default verification of a self-signed certificate: OpenSSL's `certificate verify failed`, explained on hover. The
 * client began the handshake, so the QUIT PHPMailer then sends in the clear is no plaintext instead of the handshake, and
 * the server's TLS bytes it prints as the reply are no SMTP reply.
 */
export function checkPhpmailerVerifyFailed(dir: string): void {
  const text = readIn(dir, 'phpmailer-verify-failed.txt');
  const a = analyzeDocument(text);
  const s = a.transcript.sessions[0];
  const d = dialogue(s);
  assert.equal(d[d.length - 1], 'C QUIT');
  assert.equal(d[d.length - 2], 'S 220 2.0.0 Ready to start TLS');
  const start = s.events.find((e) => e.kind === 'note' && e.note === 'tls-start');
  assert.ok(start && start.kind === 'note' && /stream_socket_enable_crypto\(\)/.test(start.text));
  assert.ok(s.events.some((e) => e.kind === 'note' && /the server's TLS bytes after the failed handshake/.test(e.text)));
  assert.deepEqual(a.findings, []);
  const h = computeHover(a, text.indexOf('certificate verify failed') + 3);
  assert.ok(h && /could not verify the peer's certificate chain/.test(h.markdown), h?.markdown);
}

/** PHP's check of the name: tls-certificate-name-mismatch on its words, information on port 25; hover says what PHP compared. */
export function checkPhpmailerNameMismatch(dir: string): void {
  const text = readIn(dir, 'phpmailer-name-mismatch.txt');
  const a = analyzeDocument(text);
  const found = a.findings.map((f) => `${f.rule} ${f.severity} ${text.slice(f.span.start, f.span.end)}`);
  assert.deepEqual(found, ["tls-certificate-name-mismatch information Peer certificate subjectAltName did not match expected name `smtp.other.test'"]);
  assert.match(a.findings[0].message, /PHP states that the server's certificate does not cover "smtp\.other\.test"/);
  const h = computeHover(a, text.indexOf('did not match expected name'));
  assert.ok(h && /PHP compares the name itself/.test(h.markdown), h?.markdown);
}

/** Only an ECDSA suite offered to an RSA-keyed server (TLS 1.2 at most): its handshake_failure, as OpenSSL's error code states it. */
export function checkPhpmailerAlert(dir: string): void {
  const text = readIn(dir, 'phpmailer-alert.txt');
  const a = analyzeDocument(text);
  assert.deepEqual(a.findings.map((f) => `${f.rule} ${text.slice(f.span.start, f.span.end)}`), ['tls-alert error:0A000410:SSL routines::sslv3 alert handshake failure']);
  assert.match(a.findings[0].message, /^The server sends a fatal alert handshake_failure \(40\)/);
}

/**
 * Debugoutput 'html' (its page source, and the page as w3m shows it: each multi-line reply on one line) and 'error_log'
 * (PHP's log file: a reply's lines as the server sent them): the same dialogue as the same delivery printed with 'echo'.
 */
export function checkPhpmailerOtherOutputs(dir: string): void {
  const echo = dialogue(readTranscript(readIn(dir, 'phpmailer-starttls.txt')).sessions[0]);
  for (const name of ['phpmailer-html.html', 'phpmailer-html-rendered.txt', 'phpmailer-error-log.txt']) {
    const text = readIn(dir, name);
    const t = readTranscript(text);
    assert.equal(t.format, 'phpmailer', name);
    assert.equal(t.sessions.length, 1, name);
    // The page source's entities (`MAIL FROM:&lt;...&gt;`, `354 End data with &lt;CR&gt;...`) are read decoded.
    assert.deepEqual(dialogue(t.sessions[0]), echo, name);
    assert.deepEqual(analyzeDocument(text).findings, [], name);
  }
}

/** Two runs appended: a session each, on its port, a chunk starting at each run's `Connection: opening to`. */
export function checkPhpmailerTwoRuns(dir: string): void {
  const text = readIn(dir, 'phpmailer-two-runs.txt');
  const t = readTranscript(text);
  assert.deepEqual(t.sessions.map((s) => s.port), [2526, 25]);
  const opening = [...text.matchAll(/^[0-9-]{10} [0-9:]{8}\tConnection: opening to /gm)].map((m) => m.index);
  assert.equal(opening.length, 2);
  // (The first at the text's start, where the first chunk starts anyway.)
  assert.equal(opening[0], 0);
  assert.deepEqual(findChunkStarts(text), opening.slice(1));
  assert.deepEqual(analyzeDocument(text).findings, []);
}

/** Every check, on the files of `dir`. */
export function assertPhpmailerRuns(dir: string): void {
  checkPhpmailerStarttls(dir);
  checkPhpmailerLowlevel(dir);
  checkPhpmailerClientOnly(dir);
  checkPhpmailerAuth(dir);
  checkPhpmailerSmtps(dir);
  checkPhpmailerVerifyFailed(dir);
  checkPhpmailerNameMismatch(dir);
  checkPhpmailerAlert(dir);
  checkPhpmailerOtherOutputs(dir);
  checkPhpmailerTwoRuns(dir);
}
