/**
 * What sendmail's outputs against the mail lab must give (server/test/fixtures/sendmail/make-fixtures.sh, run again
 * by the live stage): each check reads the files of one folder, the fixtures' or a fresh run's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { findChunkStarts } from '../../src/core/analysis/documentChunks';
import { computeHover } from '../../src/core/features/hover';
import { getCredentialSpans } from '../../src/core/features/credentials';
import type { TranscriptSession } from '../../src/core/model/transcript';
import { assertSidesAsPostfixLogged } from './postfixOracle';

const readIn = (dir: string, name: string): string => readFileSync(path.join(dir, name), 'utf8');

/** The commands and replies of a session, in order, each as the peer sent it, with whether it was inside TLS. */
export function dialogue(s: TranscriptSession): string[] {
  return s.events.flatMap((e) => {
    if (e.kind === 'command') return [`C ${e.verb} ${e.argument}`.trimEnd() + (e.inTls ? ' (TLS)' : '')];
    if (e.kind === 'reply') return [`S ${e.code} ${e.lines.join(' | ')}` + (e.inTls ? ' (TLS)' : '')];
    return [];
  });
}

/** 1-based line of document offset `at`. */
export function lineAt(text: string, at: number): number {
  return text.slice(0, at).split('\n').length;
}

/** 1-based line of the first line holding `needle`. */
export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  return lineAt(text, at);
}

/** sendmail -v's dialogue is the one Postfix's smtpd logged of the same connection (verbose-delivery.postfix.log), inside TLS after STARTTLS's 220; no finding. */
export function checkVerboseDelivery(dir: string): void {
  const text = readIn(dir, 'verbose-delivery.txt');
  const t = readTranscript(text);
  assert.equal(t.format, 'sendmail-verbose');
  assert.equal(t.sessions.length, 1);
  const s = t.sessions[0];
  assert.equal(s.port, 2526);
  assertSidesAsPostfixLogged(s, readIn(dir, 'verbose-delivery.postfix.log'), 'client.lab.test');
  const lines = dialogue(s);
  const ready = lines.indexOf('S 220 2.0.0 Ready to start TLS');
  assert.ok(ready > 0);
  assert.ok(lines.slice(0, ready + 1).every((l) => !l.endsWith('(TLS)')));
  assert.ok(lines.slice(ready + 1).every((l) => l.endsWith('(TLS)')), lines.slice(ready + 1).join('\n'));
  assert.deepEqual(analyzeDocument(text).findings, []);
}

/** RCPT and DATA pipelined to a server that refuses the recipient: both 554 replies paired in order; no finding. */
export function checkVerboseRefused(dir: string): void {
  const text = readIn(dir, 'verbose-refused.txt');
  const s = readTranscript(text).sessions[0];
  const lines = dialogue(s);
  const rcpt = lines.findIndex((l) => l.startsWith('C RCPT'));
  assert.deepEqual(lines.slice(rcpt, rcpt + 4).map((l) => l.slice(0, 9)), ['C RCPT To', 'C DATA (T', 'S 554 5.7', 'S 554 5.5']);
  assert.deepEqual(analyzeDocument(text).findings, []);
}

/** sendmail's own `Deferred: 454 4.7.0 TLS handshake failed.` is a note, not the server's reply. */
export function checkVerboseTlsFailed(dir: string): void {
  const text = readIn(dir, 'verbose-tls-failed.txt');
  const s = readTranscript(text).sessions[0];
  assert.equal(s.port, 25);
  const lines = dialogue(s);
  assert.equal(lines.at(-1), 'S 220 2.0.0 Ready to start TLS');
  const note = s.events.find((e) => e.kind === 'note' && e.text.includes('Deferred: 454'));
  assert.ok(note, 'the deferral is kept as a note');
  assert.deepEqual(analyzeDocument(text).findings, []);
}

/** Two runs appended: a session each, on its port, a chunk starting at the second. */
export function checkVerboseTwoServers(dir: string): void {
  const text = readIn(dir, 'verbose-two-servers.txt');
  const t = readTranscript(text);
  assert.deepEqual(t.sessions.map((s) => s.port), [2526, 25]);
  const second = text.indexOf('... Connecting to [127.0.0.1] port 25 ');
  const lineStart = text.lastIndexOf('\n', second) + 1;
  assert.deepEqual(findChunkStarts(text), [lineStart]);
  assert.ok(t.sessions.every((s) => dialogue(s).at(-1) === 'S 221 2.0.0 Bye (TLS)'));
}

/** sendmail's client log: OpenSSL's verdicts on dates, TLS 1.0 and the alert Postfix sent are findings, each verdict in its connection's session. */
export function checkClientLog(dir: string): void {
  const text = readIn(dir, 'maillog-client.log');
  const t = readTranscript(text);
  assert.equal(t.format, 'sendmail-log');
  const findings = analyzeDocument(text).findings.map((f) => `${lineAt(text, f.span.start)} ${f.rule} ${text.slice(f.span.start, f.span.end)}`);
  const expired = lineOf(text, 'verifymsg=certificate has expired');
  const future = lineOf(text, 'verifymsg=certificate is not yet valid');
  const tls1 = lineOf(text, 'version=TLSv1,');
  // Offering only NULL-SHA, the client got Postfix's handshake_failure alert; a handshake its own OpenSSL gave up
  // (`reason=legacy sigalg disallowed or unsupported`) names no alert and is nothing.
  const alert = lineOf(text, 'reason=sslv3 alert handshake failure');
  assert.deepEqual(findings, [
    `${expired} tls-certificate-expired certificate has expired`,
    `${future} tls-certificate-expired certificate is not yet valid`,
    `${tls1} tls-deprecated-version TLSv1`,
    `${alert} tls-alert sslv3 alert handshake failure`,
  ]);
  assert.match(analyzeDocument(text).findings.find((f) => f.rule === 'tls-alert')?.message ?? '', /^The server sends a fatal alert handshake_failure \(40\)/);
  // One session per connection: each `relay=` line with a version, the verdict after it in the same one.
  const negotiated = t.sessions.filter((s) => s.events.some((e) => e.kind === 'stated' && e.subject === 'negotiated'));
  assert.equal(negotiated.length, text.split('\n').filter((l) => l.includes(', version=')).length);
  const withVerdict = t.sessions.filter((s) => s.events.some((e) => e.kind === 'stated' && e.verdict));
  assert.equal(withVerdict.length, 2);
  for (const s of withVerdict) assert.ok(s.events.some((e) => e.kind === 'stated' && e.subject === 'negotiated'));
  assert.ok(t.sessions.every((s) => s.startMissing && s.endMissing));
  const hover = computeHover(analyzeDocument(text), text.indexOf('verifymsg=certificate has expired') + 14);
  assert.match(hover?.markdown ?? '', /sendmail says that a certificate of the server's chain had expired/);
  // sendmail's own word on the server's certificate: what it means, on hover.
  const verify = computeHover(analyzeDocument(text), text.indexOf(', verify=FAIL,') + ', verify='.length + 1);
  assert.match(verify?.markdown ?? '', /sendmail's verify=FAIL[\s\S]*did not verify/);
}

/**
 * sendmail's server log: the TLS 1.0 a client negotiated is a finding, TLS 1.3 not; the unknown_ca alert s_client sent
 * is the client's; `no shared cipher` is the daemon's own failure, no alert it received.
 */
export function checkServerLog(dir: string): void {
  const text = readIn(dir, 'maillog-server.log');
  const findings = analyzeDocument(text).findings;
  assert.deepEqual(findings.map((f) => `${lineAt(text, f.span.start)} ${f.rule} ${text.slice(f.span.start, f.span.end)}`), [
    `${lineOf(text, 'version=TLSv1,')} tls-deprecated-version TLSv1`,
    `${lineOf(text, 'reason=tlsv1 alert unknown ca')} tls-alert tlsv1 alert unknown ca`,
  ]);
  assert.match(findings[1].message, /^The client sends a fatal alert unknown_ca \(48\)/);
  // The server asked for a client certificate (sendmail's default) and none came.
  const verify = computeHover(analyzeDocument(text), text.indexOf(', verify=NO,') + ', verify='.length);
  assert.match(verify?.markdown ?? '', /sendmail's verify=NO[\s\S]*presented no certificate/);
  // A session per handshake that went through (the AUTH run's client process logs to the same syslog) and one for
  // the handshake that ended with the alert.
  const handshakes = text.split('\n').filter((l) => /: STARTTLS=(?:client|server), relay=.*, version=/.test(l)).length;
  assert.ok(handshakes >= 4, `${handshakes} handshakes`);
  assert.equal(readTranscript(text).sessions.length, handshakes + 1);
}

/**
 * sendmail -v with AUTH PLAIN inside TLS (verbose-auth.txt): sendmail prints AUTH's base64 as it sends it; the
 * credentials (labuser/labsecret) are masked in the hover and quoted by no message; AUTH is inside TLS, after
 * the 220 to STARTTLS.
 */
export function checkVerboseAuth(dir: string): void {
  const text = readIn(dir, 'verbose-auth.txt');
  const a = analyzeDocument(text);
  const auth = a.transcript.sessions[0].events.find((e) => e.kind === 'command' && e.verb === 'AUTH');
  assert.ok(auth && auth.kind === 'command' && auth.inTls, 'AUTH inside TLS');
  const secret = auth.argument.split(' ')[1];
  // RFC 4616: authorization identity, authentication identity, password.
  assert.equal(Buffer.from(secret, 'base64').toString(), 'labuser\0labuser\0labsecret');
  assert.deepEqual(getCredentialSpans(a).map((c) => text.slice(c.start, c.end)), [secret]);
  for (const f of a.findings) assert.ok(!f.message.includes(secret) && !f.message.includes('labsecret'), f.message);
  const h = computeHover(a, text.indexOf(secret) + 2);
  assert.ok(h && !h.markdown.includes(secret) && /masked/.test(h.markdown), h?.markdown);
}

/** Every check, on the files of `dir`. */
export function assertSendmailRuns(dir: string): void {
  checkVerboseDelivery(dir);
  checkVerboseRefused(dir);
  checkVerboseTlsFailed(dir);
  checkVerboseTwoServers(dir);
  checkClientLog(dir);
  checkServerLog(dir);
  checkVerboseAuth(dir);
}
