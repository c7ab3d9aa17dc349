/**
 * What Nodemailer's logs against the mail lab must give (server/test/fixtures/nodemailer/make-fixtures.sh, run again by
 * the live stage): each check reads the files of one folder, the fixtures' or a fresh run's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { computeHover } from '../../src/core/features/hover';
import { assertAuthMasked, assertFailedHandshakes, assertStarttlsRunAsLogged, clientCommands } from './clientRuns';

const readIn = (dir: string, name: string): string => readFileSync(path.join(dir, name), 'utf8');

/** STARTTLS to :2526: the dialogue Postfix's smtpd logged of the same connection, inside TLS after Nodemailer says so, no finding. */
export function checkNodemailerStarttls(dir: string): void {
  const s = assertStarttlsRunAsLogged(dir, 'nodemailer-starttls', 'nodemailer');
  const c = clientCommands(s);
  assert.deepEqual(c.slice(0, 3), ['EHLO client.lab.test', 'STARTTLS', 'EHLO client.lab.test (TLS)']);
  assert.ok(c.slice(2).every((l) => l.endsWith('(TLS)')), c.join('\n'));
  assert.ok(s.events.some((e) => e.kind === 'note' && e.note === 'tls-established' && e.text === 'Connection upgraded with STARTTLS'));
  // Nodemailer pipelines MAIL, RCPT and DATA (the lab advertises PIPELINING): no finding; the message text is text.
  assert.ok(s.events.some((e) => e.kind === 'command' && e.dataLine && e.verb === 'SUBJECT:'));
}

/**
 * AUTH inside TLS: LOGIN on :2532 after STARTTLS, PLAIN on :2533 with TLS from the start. Nodemailer logs the user's
 * base64 and, for the password, the base64 of `/* secret *\/`: each is masked, in no message, hover or decode.
 */
export function checkNodemailerAuth(dir: string): void {
  for (const [name, port, expected] of [
    ['nodemailer-auth-login.txt', 2532, [Buffer.from('labuser@mx.example.test').toString('base64'), Buffer.from('/* secret */').toString('base64')]],
    ['nodemailer-smtps-plain.txt', 2533, [Buffer.from('\0labuser@mx.example.test\0/* secret */').toString('base64')]],
  ] as const) {
    const text = readIn(dir, name);
    assert.ok(clientCommands(readTranscript(text).sessions[0]).some((l) => /^AUTH (LOGIN|PLAIN) \(TLS\)$|^AUTH PLAIN .* \(TLS\)$/.test(l)), name);
    assertAuthMasked(name, text, port, expected);
  }
  // With TLS from the start, every line is inside TLS.
  const smtps = readTranscript(readIn(dir, 'nodemailer-smtps-plain.txt')).sessions[0];
  assert.ok(clientCommands(smtps).every((l) => l.endsWith('(TLS)')));
}

/**
 * Failed handshakes, each Node.js's error after STARTTLS's 220 (the handshake began there): a self-signed certificate,
 * which is trust and not judged; Node's check of the name and of the dates, judged as the tool's verdicts; the
 * server's handshake_failure in OpenSSL's error.
 */
export function checkNodemailerFailures(dir: string): void {
  const expected: Readonly<Record<string, readonly string[]>> = {
    'nodemailer-verify-failed.txt': [],
    'nodemailer-name-mismatch.txt': ["tls-certificate-name-mismatch information: Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:mx.example.test, IP Address:127.0.0.1"],
    'nodemailer-expired.txt': ['tls-certificate-expired warning: certificate has expired'],
    'nodemailer-alert.txt': ['tls-alert warning: SSL alert number 40'],
  };
  assertFailedHandshakes(dir, expected);
  const mismatch = readIn(dir, 'nodemailer-name-mismatch.txt');
  const a = analyzeDocument(mismatch);
  assert.match(a.findings[0].message, /^Nodemailer states that the server's certificate does not cover "localhost", the name the client expected/);
  const h = computeHover(a, a.findings[0].span.start + 3);
  assert.ok(h && /tls\.checkServerIdentity/.test(h.markdown), h?.markdown);
  assert.match(analyzeDocument(readIn(dir, 'nodemailer-alert.txt')).findings[0].message, /^The server sends a fatal alert handshake_failure \(40\)/);
}

/** A pool of two connections sending three messages at once: a session per connection id, each on its own, no finding. */
export function checkNodemailerPool(dir: string): void {
  const text = readIn(dir, 'nodemailer-pool.txt');
  const t = readTranscript(text);
  assert.equal(t.sessions.length, 2);
  for (const s of t.sessions) {
    assert.equal(s.port, 2526);
    const c = clientCommands(s);
    assert.deepEqual(c.slice(0, 3), ['EHLO client.lab.test', 'STARTTLS', 'EHLO client.lab.test (TLS)'], c.join('\n'));
  }
  const queued = t.sessions.flatMap((s) => s.events.filter((e) => e.kind === 'reply' && /queued as/.test(e.lines[0])));
  assert.equal(queued.length, 3);
  // The two connections' lines interleave: each session's lines are those of its id.
  const ids = t.sessions.map((s) => new Set(s.events.filter((e) => e.kind === 'command').map((e) => /\] (?:DEBUG|INFO ) \[([^\]]+)\]/.exec(text.slice(text.lastIndexOf('\n', e.span.start - 1) + 1, e.span.start))?.[1])));
  assert.ok(ids.every((set) => set.size === 1) && [...ids[0]][0] !== [...ids[1]][0], JSON.stringify(ids.map((x) => [...x])));
  assert.deepEqual(analyzeDocument(text).findings, []);
}

/** Every check, on the files of `dir`. */
export function assertNodemailerRuns(dir: string): void {
  checkNodemailerStarttls(dir);
  checkNodemailerAuth(dir);
  checkNodemailerFailures(dir);
  checkNodemailerPool(dir);
}
