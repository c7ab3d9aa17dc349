/**
 * msmtp --debug (server/test/fixtures/msmtp/README.md): the dialogue msmtp prints is the one on the
 * wire, checked against the capture of the same run (clear part: our import of the pcap; after
 * the handshake: tshark's decryption with the run's key log); implicit TLS keeps every line inside
 * TLS; AUTH credentials are masked; runs appended to one file are sessions of their own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { computeHover } from '../../src/core/features/hover';
import { getCredentialSpans } from '../../src/core/features/credentials';
import type { TranscriptSession } from '../../src/core/model/transcript';
import { isMsmtpRunStart } from '../../src/core/formats/msmtpDebug';
import { importBytes, readFixture } from '../capture/helpers';

const DIR = path.join(__dirname, '..', 'fixtures', 'msmtp');
const read = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');

/** Commands and replies of a session, each side in its order (message text apart: messageText). */
function sides(s: TranscriptSession, from = 0, to = Infinity): { commands: string[]; replies: string[] } {
  const commands: string[] = [];
  const replies: string[] = [];
  for (const e of s.events.slice(from, to)) {
    if (e.kind === 'command' && e.dataLine) continue;
    if (e.kind === 'command') commands.push(`${e.verb} ${e.argument}`.trimEnd());
    else if (e.kind === 'reply') replies.push(`${e.code} ${e.lines.join(' | ')}`);
  }
  return { commands, replies };
}

/** The message text lines of a session, as written (the "." that ends them included). */
function messageText(text: string, s: TranscriptSession, from = 0): string[] {
  return s.events.slice(from).flatMap((e) => (e.kind === 'command' && e.dataLine ? [text.slice(e.span.start, e.span.end)] : []));
}

/** Index of the event after the 220 that answers STARTTLS (the events' length when none). */
function afterStarttls(s: TranscriptSession): number {
  const i = s.events.findIndex((e, k) => e.kind === 'reply' && e.code === 220 && k > 0 && s.events.slice(0, k).some((c) => c.kind === 'command' && c.verb === 'STARTTLS'));
  return i < 0 ? s.events.length : i + 1;
}

test('STARTTLS on port 25: before TLS the capture\'s dialogue, after it the decrypted one; the lines after the 220 are inside TLS; TLS 1.3 as msmtp states', () => {
  const text = read('msmtp-starttls.txt');
  const t = readTranscript(text);
  assert.equal(t.format, 'msmtp-debug');
  assert.equal(t.sessions.length, 1);
  const s = t.sessions[0];
  assert.equal(s.port, 25);
  const cut = afterStarttls(s);
  assert.ok(cut < s.events.length);
  const capture = readTranscript(importBytes(readFixture(path.join(DIR, 'msmtp-starttls.pcap'))).text).sessions[0];
  assert.deepEqual(sides(s, 0, cut), sides(capture, 0, afterStarttls(capture)));
  const decrypted = readTranscript(read('msmtp-starttls.tshark-follow-tls-ascii-decrypted.txt')).sessions[0];
  const inside = sides(s, cut);
  assert.deepEqual(inside.commands, sides(decrypted).commands);
  assert.deepEqual(inside.replies, sides(decrypted).replies);
  // The message as msmtp sent it: its headers, msg.eml's lines, the "." (tshark's follow output
  // splits message text by segment, so its own lines are not compared).
  assert.deepEqual(messageText(text, s, cut).slice(3), ['Subject: msmtp test', '', 'hello from msmtp', '.']);
  for (const e of s.events.slice(cut)) if (e.kind === 'command' || e.kind === 'reply') assert.equal(e.inTls, true, `line ${e.line}`);
  for (const e of s.events.slice(0, cut)) if (e.kind === 'command' || e.kind === 'reply') assert.ok(!e.inTls, `line ${e.line}`);
  const stated = s.events.find((e) => e.kind === 'stated');
  assert.ok(stated && stated.kind === 'stated' && stated.subject === 'negotiated' && stated.version === 0x0304);
  assert.deepEqual(analyzeDocument(text).findings, []);
});

test('implicit TLS (tls_starttls off): every line inside TLS, the decrypted dialogue; the STARTTLS the server behind the TLS terminator still offers is reported', () => {
  const text = read('msmtp-implicit-tls.txt');
  const s = readTranscript(text).sessions[0];
  assert.equal(s.port, 4465);
  const dialogue = s.events.filter((e) => e.kind === 'command' || e.kind === 'reply');
  assert.ok(dialogue.length > 10 && dialogue.every((e) => (e.kind === 'command' || e.kind === 'reply') && e.inTls === true));
  const decrypted = readTranscript(read('msmtp-implicit-tls.tshark-follow-tls-ascii-decrypted.txt')).sessions[0];
  assert.deepEqual(sides(s), sides(decrypted));
  // RFC 3207 §4.2: not offered once TLS is in place; postfix behind socat cannot know it is.
  assert.deepEqual(analyzeDocument(text).findings.map((f) => f.rule), ['starttls-readvertised']);
});

test('AUTH PLAIN and LOGIN in clear: auth-before-tls, and the base64 msmtp prints is masked in every message and hover', () => {
  for (const [name, secrets] of [
    ['msmtp-auth-plain.txt', ['AGFsaWNlAHMzY3JldC1wYXNz']],
    ['msmtp-auth-login.txt', ['YWxpY2U=', 'czNjcmV0LXBhc3M=']],
  ] as const) {
    const text = read(name);
    const a = analyzeDocument(text);
    assert.deepEqual(a.findings.map((f) => [f.rule, f.severity]), [['auth-before-tls', 'error']], name);
    const spans = getCredentialSpans(a).map((c) => text.slice(c.start, c.end));
    assert.deepEqual(spans, [...secrets], name);
    for (const f of a.findings) for (const x of secrets) assert.ok(!f.message.includes(x), `${name}: ${f.message}`);
    for (const x of secrets) {
      const h = computeHover(a, text.indexOf(x) + 2);
      assert.ok(h && !h.markdown.includes(x) && /masked/.test(h.markdown), `${name}: hover on ${x}`);
    }
  }
});

test('a recipient refused with the commands pipelined: the 550 answers RCPT', () => {
  const s = readTranscript(read('msmtp-rcpt-rejected.txt')).sessions[0];
  const a = analyzeDocument(read('msmtp-rcpt-rejected.txt'));
  assert.deepEqual(sides(s).replies.slice(-2), ['250 2.1.0 Ok', '550 5.1.1 <bob@fake.example.test>: Recipient address rejected: User unknown']);
  assert.deepEqual(a.findings, []);
});

test('runs appended to one file are sessions of their own, each with its port; key = value lines outside a run are not msmtp\'s', () => {
  const both = read('msmtp-starttls.txt') + read('msmtp-auth-plain.txt');
  const t = readTranscript(both);
  assert.deepEqual(t.sessions.map((s) => s.port), [25, 2587]);
  const stray = 'port = 25\ntls = on\n';
  assert.equal(readTranscript(stray).format, 'text');
  // msmtp's prefixes without a run start are still its dialogue lines.
  const bare = '<-- 220 mx.example.test ESMTP\n--> EHLO a.example\n<-- 250 mx.example.test\n--> QUIT\n<-- 221 Bye\n';
  assert.equal(readTranscript(bare).format, 'msmtp-debug');
  assert.deepEqual(sides(readTranscript(bare).sessions[0]).commands, ['EHLO a.example', 'QUIT']);
});

test('after an msmtp log, the indented lines of another format are that format\'s: its TLS heading blocks end with the dialogue', () => {
  // The TLS 1.1 ServerHello record of msmtp-implicit-tls11.pcap, as our import of the capture shows it, indented.
  const imported = importBytes(readFixture(path.join(DIR, 'msmtp-implicit-tls11.pcap'))).text.split('\n');
  const first = imported.findIndex((l) => l.startsWith('S: 16 03 02 '));
  assert.ok(first > 0);
  const dump = imported.slice(first, first + 4).map((l) => `    ${l.slice(3)}`).join('\n') + '\n';
  const alone = analyzeDocument(dump).findings.map((f) => f.rule);
  assert.ok(alone.includes('tls-deprecated-version'), JSON.stringify(alone));
  const after = analyzeDocument(read('msmtp-starttls.txt') + '\n' + dump).findings.map((f) => f.rule);
  assert.deepEqual(after, alone);
});

test('"-->" alone (an HTML comment\'s end) is prose, unless msmtp\'s dialogue came before (a trimmed empty message line)', () => {
  assert.equal(readTranscript('Some text\n<!--\nhidden\n-->\nmore text\n').sessions.length, 0);
  // The message's empty line, "--> " and CR LF as msmtp wrote it, with the space trimmed.
  const trimmed = read('msmtp-starttls.txt').replace('\n--> \r\n', '\n-->\r\n');
  assert.notEqual(trimmed, read('msmtp-starttls.txt'));
  const lines = (t: string): number => readTranscript(t).sessions[0].events.filter((e) => e.kind === 'command' && e.dataLine).length;
  assert.equal(lines(trimmed), lines(read('msmtp-starttls.txt')));
});

test('isMsmtpRunStart: the account and configuration-file lines msmtp starts a run with, at a line start only', () => {
  for (const line of ['using account specified on command line', 'using account lab from msmtprc', 'loaded user configuration file msmtprc', 'loaded system configuration file /etc/msmtprc', 'ignoring system configuration file /etc/msmtprc: No such file or directory']) {
    assert.equal(isMsmtpRunStart(line, 0, line.length), true, line);
    assert.equal(isMsmtpRunStart(`x\n${line}`, 2, line.length + 2), true, `${line} (second line)`);
  }
  for (const line of [' using account x', 'using accounts', 'loaded configuration file x', 'Using account x', '', 'host = 127.0.0.1']) assert.equal(isMsmtpRunStart(line, 0, line.length), false, line);
});
