/**
 * Exim debug output (server/test/fixtures/exim/README.md: real `exim -d` runs): one session per
 * process, the side Exim is on told by its first SMTP line, multi-line replies joined, and the
 * TLS version GnuTLS negotiated. Oracles: the client's own record of the same session (swaks).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import type { Transcript, TranscriptSession } from '../../src/core/model/transcript';

const DIR = path.join(__dirname, '..', 'fixtures', 'exim');
const read = (f: string): string => readFileSync(path.join(DIR, f), 'utf8');

/** The dialogue of a session: commands (verb, argument), replies (code and every line), whether in TLS. */
function dialogue(s: TranscriptSession): string[] {
  return s.events.flatMap((e) => {
    // (Message text is left out: swaks shows it, Exim does not.)
    if (e.kind === 'command') return e.dataLine ? [] : [`C${e.inTls ? '*' : ''} ${e.verb} ${e.argument}`.trimEnd()];
    if (e.kind === 'reply') return [`S${e.inTls ? '*' : ''} ${e.code} ${e.lines.join(' | ')}`.trimEnd()];
    return [];
  });
}

const smtpSessions = (t: Transcript): TranscriptSession[] => t.sessions.filter((s) => s.events.some((e) => e.kind === 'command' || e.kind === 'reply'));

test('Exim as the server: the dialogue swaks recorded of the same session, in TLS after STARTTLS, no finding', () => {
  const t = readTranscript(read('server-starttls.exim-debug.txt'));
  assert.equal(t.format, 'exim-debug');
  const sessions = smtpSessions(t);
  assert.equal(sessions.length, 1);
  const swaks = smtpSessions(readTranscript(read('server-starttls.swaks.txt')));
  assert.equal(swaks.length, 1);
  assert.deepEqual(dialogue(sessions[0]), dialogue(swaks[0]));
  assert.ok(dialogue(sessions[0]).includes('C* EHLO client.example.test'));
  const stated = sessions[0].events.find((e) => e.kind === 'stated');
  assert.ok(stated && stated.kind === 'stated' && stated.version === 0x0304);
  assert.deepEqual(analyzeDocument(read('server-starttls.exim-debug.txt')).findings, []);
});

test('Exim as the SMTP client: its sent lines are commands (pipelined, BDAT), the replies it read are replies, no finding', () => {
  const t = readTranscript(read('client-starttls.exim-debug.txt'));
  assert.equal(t.format, 'exim-debug');
  const sessions = smtpSessions(t);
  assert.equal(sessions.length, 1);
  const d = dialogue(sessions[0]);
  assert.deepEqual(d.filter((l) => l.startsWith('C')), [
    'C EHLO client.exim.test',
    'C STARTTLS',
    'C* EHLO client.exim.test',
    'C* MAIL FROM:<bob@example.test> SIZE=1374',
    'C* RCPT TO:<postmaster@mx.example.test>',
    'C* BDAT 351 LAST',
    'C* QUIT',
  ]);
  assert.deepEqual(d.filter((l) => l.startsWith('S')).map((l) => l.split(' ')[1]), ['220', '250', '220', '250', '250', '250', '250', '221']);
  // The 11 lines of postfix's EHLO reply, continuation lines indented to the text of the first.
  assert.equal(d[2].split(' | ').length, 11);
  assert.match(d[2], /\| CHUNKING$/);
  assert.deepEqual(analyzeDocument(read('client-starttls.exim-debug.txt')).findings, []);
});

test('Exim without STARTTLS advertised: two sessions by PID; openssl s_client\'s STARTTLS anyway is flagged, the swaks session is clean', () => {
  const text = read('server-no-starttls.exim-debug.txt');
  const t = readTranscript(text);
  const sessions = smtpSessions(t);
  assert.equal(sessions.length, 2);
  assert.deepEqual(dialogue(sessions[0]).map((l) => l.split(' ').slice(0, 2).join(' ')), ['S 220', 'C EHLO', 'S 250', 'C QUIT', 'S 221']);
  const a = analyzeDocument(text);
  const rules = a.findings.map((f) => f.rule);
  assert.ok(rules.includes('starttls-not-advertised'), rules.join());
  assert.ok(rules.includes('starttls-unexpected-reply'), rules.join());
  // openssl's ClientHello, which Exim read as command lines: TLS bytes after a refused STARTTLS,
  // not an unknown command (the rest of the hello, cut at its 0x0a bytes, is; Exim answered each 501).
  const tls = a.findings.filter((f) => f.rule === 'starttls-tls-without-220');
  assert.equal(tls.length, 1);
  assert.match(tls[0].message, /answered STARTTLS with 503/);
  assert.equal(text.slice(tls[0].span.start, tls[0].span.end), '\x16\x03\x01');
  assert.ok(!a.findings.some((f) => f.rule === 'smtp-unknown-command' && f.span.start === tls[0].span.start));
  assert.equal(a.findings.filter((f) => f.rule === 'smtp-unknown-command').length, 2);
  const second = sessions[1];
  assert.ok(a.findings.every((f) => f.span.start >= text.split('\n').slice(0, second.startLine).join('\n').length), 'no finding in the swaks session');
  // The 503 is what Exim answered.
  assert.ok(dialogue(second).some((l) => l.startsWith('S 503 STARTTLS command used when not advertised')));
});

test('Exim debug lines without the time, and the prefix-less form; other lines of Exim are not read', () => {
  const lines = [
    '30264 SMTP>> 220 mx.exim.test ESMTP Exim 4.96',
    '30264 SMTP<< EHLO a.example',
    '30264 SMTP>> 250-mx.exim.test Hello a.example',
    '30264        250-PIPELINING',
    '30264        250 HELP',
    '30264 host in tls_advertise_hosts? no (option unset)',
    '30264 SMTP<< QUIT',
    '30264 SMTP>> 221 mx.exim.test closing connection',
    '30264   SMTP connection from (a.example) [127.0.0.1] closed by QUIT',
  ];
  const t = readTranscript(lines.join('\n') + '\n');
  assert.equal(t.format, 'exim-debug');
  const s = smtpSessions(t);
  assert.equal(s.length, 1);
  assert.deepEqual(dialogue(s[0]), ['S 220 mx.exim.test ESMTP Exim 4.96', 'C EHLO a.example', 'S 250 mx.exim.test Hello a.example | PIPELINING | HELP', 'C QUIT', 'S 221 mx.exim.test closing connection']);
  // Without PIDs (exim -d-pid): one session.
  const bare = readTranscript(lines.map((l) => l.replace(/^30264 /, '')).join('\n') + '\n');
  assert.deepEqual(dialogue(smtpSessions(bare)[0]), dialogue(s[0]));
});
