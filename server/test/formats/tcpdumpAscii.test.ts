/**
 * tcpdump -A (server/test/fixtures/tcpdump-ascii/README.md): the SMTP dialogue read from the packet
 * text is the one the capture itself gives, TLS becomes gaps of the right length, and nothing is
 * judged that the capture is not judged for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { importBytes, readFixture } from '../capture/helpers';
import { looksLikeText, payloadStart, tcpHeaderBytes } from '../../src/core/formats/tcpdumpAscii';
import type { TranscriptSession } from '../../src/core/model/transcript';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const CASES: [string, string][] = [
  ['swaks-plain-6k.tcpdump-A.txt', 'uploads/swaks-plain-6k.pcap'],
  ['swaks-starttls.tcpdump-A.txt', 'corpus/sessions/swaks-starttls/capture.pcap'],
  ['swaks-upload-frame-49.tcpdump-A.txt', 'uploads/swaks-upload-frame-49.pcap'],
  // Snapshot length 100: each packet's payload cut after 34 bytes (the greeting inside its first line, "[|smtp]").
  ['swaks-starttls-snap100.tcpdump-A.txt', 'capture/swaks-starttls-snap100.pcap'],
];

/** Commands and replies in clear (message text as one count), and the bytes in TLS by side. */
function dialogue(s: TranscriptSession): string[] {
  const out: string[] = [];
  let text = 0;
  for (const e of s.events) {
    if (e.kind === 'command' && e.dataLine) text++;
    else if (e.kind === 'command') out.push(`C ${e.verb} ${e.argument}`.trimEnd());
    else if (e.kind === 'reply') out.push(`S ${e.code} ${e.lines.join(' | ')}`);
  }
  if (text > 0) out.push(`${text} lines of message text`);
  return out;
}

for (const [file, capture] of CASES) {
  test(`${file}: the dialogue and findings of the capture ${capture}`, () => {
    const text = readFileSync(path.join(FIXTURES, 'tcpdump-ascii', file), 'latin1');
    const t = readTranscript(text);
    assert.equal(t.format, 'tcpdump-ascii');
    const imported = importBytes(readFixture(path.join(FIXTURES, capture))).text;
    const theirs = readTranscript(imported);
    assert.equal(t.sessions.length, theirs.sessions.length);
    t.sessions.forEach((s, k) => {
      // The capture renders a message's lines as it split them (a 998-character line of base64 is
      // one line in both); the count of message text lines may differ where a segment ends mid-line.
      const ours = dialogue(s).filter((l) => !l.endsWith('lines of message text'));
      assert.deepEqual(ours, dialogue(theirs.sessions[k]).filter((l) => !l.endsWith('lines of message text')), `session ${k}`);
      assert.equal(!!s.startMissing, !!theirs.sessions[k].startMissing, `session ${k} start`);
    });
    // Nothing the capture is not judged for (TLS, which -A cannot show, may be judged only there).
    const rules = (x: string): Set<string> => new Set(analyzeDocument(x).findings.map((f) => f.rule));
    const captured = rules(imported);
    assert.deepEqual([...rules(text)].filter((r) => !captured.has(r)), []);
  });
}

test('tcpdump -A: every byte after STARTTLS is a gap, by side, of the length tcpdump states', () => {
  const text = readFileSync(path.join(FIXTURES, 'tcpdump-ascii', 'swaks-starttls.tcpdump-A.txt'), 'latin1');
  const s = readTranscript(text).sessions[0];
  const gaps = s.events.filter((e) => e.kind === 'gap');
  assert.ok(gaps.length >= 10);
  // tshark's and tcpdump's payload lengths after the 220: the header lines' own "length N".
  const stated = [...text.matchAll(/^\S+ IP 127\.0\.0\.1\.(\d+) > \S+: Flags \[[^\]]+\], seq .*, length (\d+)/gm)].map((m) => [m[1] === '25' ? 'server' : 'client', Number(m[2])] as const);
  const afterStarttls = stated.slice(stated.findIndex(([, n]) => n === 30) + 1).filter(([, n]) => n > 0);
  assert.deepEqual(gaps.map((g) => g.kind === 'gap' && [g.direction, g.length]), afterStarttls.map(([d, n]) => [d, n]));
});

test('payloadStart counts back from the end, a line break as CR LF or else LF; looksLikeText', () => {
  const packet = 'E..d..@.@...\nF+^..).&220 mx ESMTP\n250 ok\n';
  // "220 mx ESMTP\r\n250 ok\r\n": 14 + 8 bytes.
  assert.equal(payloadStart(packet, 0, packet.length, 22), packet.indexOf('220'));
  // The same with bare LF: 13 + 7 bytes; counted as CR LF it would start inside the first line, so
  // tcpdump's naming of the first line decides.
  assert.equal(payloadStart(packet, 0, packet.length, 20, '220 mx ESMTP'), packet.indexOf('220'));
  assert.equal(payloadStart(packet, 0, packet.length, 20), packet.indexOf('220') + 2);
  assert.equal(payloadStart(packet, 0, packet.length, 500), -1);
  assert.equal(looksLikeText('EHLO a.example', 0, 14), true);
  assert.equal(looksLikeText('..x....j...', 0, 11), false);
});

test('snapshot length 100: the cut greeting and EHLO reply keep their captured start, the rest is a gap of the bytes the capture lacks', () => {
  const text = readFileSync(path.join(FIXTURES, 'tcpdump-ascii', 'swaks-starttls-snap100.tcpdump-A.txt'), 'latin1');
  const s = readTranscript(text).sessions[0];
  const clear = s.events.slice(0, s.events.findIndex((e) => e.kind === 'reply' && e.code === 220 && e.lines[0].startsWith('2.0.0')) + 1);
  const shown = clear.map((e) => (e.kind === 'gap' ? `gap ${e.direction} ${e.length} ${e.cause ?? ''}` : e.kind === 'reply' ? `S ${e.lines.join(' | ')}` : e.kind === 'command' ? `C ${e.verb}` : e.kind));
  // The capture: 45-byte greeting of which 34 captured; 194-byte EHLO reply of which 34 captured.
  assert.deepEqual(shown, [
    'S mx.feas.test ESMTP Postfix (De',
    'gap server 11 not-captured',
    'C EHLO',
    'S mx.feas.test | PIPELINING',
    'gap server 160 not-captured',
    'C STARTTLS',
    'S 2.0.0 Ready to start TLS',
  ]);
});

test('a cut packet whose printed link header could pass for an IP header is read right or left a gap, never misread', () => {
  const text = readFileSync(path.join(FIXTURES, 'tcpdump-ascii', 'swaks-starttls-snap100.tcpdump-A.txt'), 'latin1');
  // The greeting's packet, cut inside its first line: tcpdump printed its 14-byte Ethernet header (all dots on loopback).
  const link = '..............E..a<s@';
  assert.ok(text.includes(link));
  for (const first of ['.', 'L', 'E', '`', 'O']) {
    const variant = text.replace(link, first + link.slice(1));
    const s = readTranscript(variant).sessions[0];
    const greeting = s.events.find((e) => e.kind === 'reply');
    const lines = greeting && greeting.kind === 'reply' ? greeting.lines : [];
    if (greeting && greeting.kind === 'reply' && greeting.code === 220 && lines[0].startsWith('mx.feas.test ESMTP Postfix')) continue;
    // Otherwise the packet must be a gap of its 45 bytes, and the first reply the EHLO's.
    const gap = s.events.find((e) => e.kind === 'gap');
    assert.ok(gap && gap.kind === 'gap' && gap.length === 45, `${first}: ${JSON.stringify(greeting)}`);
    assert.ok(greeting && greeting.kind === 'reply' && greeting.code === 250, `${first}: ${JSON.stringify(greeting)}`);
  }
});

test('the same cut packet turned into a client command (a letter is all a command start needs): read right or a gap, never from inside the payload', () => {
  const text = readFileSync(path.join(FIXTURES, 'tcpdump-ascii', 'swaks-starttls-snap100.tcpdump-A.txt'), 'latin1');
  // Crafted from the greeting's packet: sent by the client, its 34 printed payload bytes a MAIL command.
  const header = '03:31:53.929499 IP 127.0.0.1.25 > 127.0.0.1.39650: Flags [P.], seq 1:46,';
  const payload = '220 mx.feas.test ESMTP Postfix (De';
  const mail = 'MAIL FROM:<alice.longname@client.f';
  assert.equal(mail.length, payload.length);
  assert.ok(text.includes(header) && text.includes(payload));
  const client = text.replace(header, '03:31:53.929499 IP 127.0.0.1.39650 > 127.0.0.1.25: Flags [P.], seq 1:46,').replace(payload, mail);
  const link = '..............E..a<s@';
  for (const first of ['.', 'L', 'H', 'E']) {
    const s = readTranscript(client.replace(link, first + link.slice(1))).sessions[0];
    const command = s.events.find((e) => e.kind === 'command');
    const read = command && command.kind === 'command' ? `${command.verb} ${command.argument}` : '';
    if (read === 'MAIL FROM:<alice.longname@client.f') continue;
    const gap = s.events.find((e) => e.kind === 'gap');
    assert.ok(gap && gap.kind === 'gap' && gap.length === 45 && read.startsWith('EHLO'), `${first}: read "${read}"`);
  }
});

test('snapshot length 60: cut inside the TCP header, tcpdump prints no payload length; nothing is read as SMTP or judged', () => {
  const text = readFileSync(path.join(FIXTURES, 'tcpdump-ascii', 'swaks-starttls-snap60.tcpdump-A.txt'), 'latin1');
  assert.equal(readTranscript(text).sessions.length, 0);
  assert.deepEqual(analyzeDocument(text).findings.map((f) => f.rule), []);
});

test('tcpHeaderBytes: 20 and the options tcpdump lists; -1 for an option of unknown size', () => {
  const line = (options: string) => `03:31:53.929499 IP 127.0.0.1.25 > 127.0.0.1.39650: Flags [P.], seq 1:46, ack 1, win 64${options}, length 45: SMTP [|smtp]`;
  assert.equal(tcpHeaderBytes(line('')), 20);
  assert.equal(tcpHeaderBytes(line(', options [nop,nop,TS val 710374044 ecr 804385072]')), 32);
  assert.equal(tcpHeaderBytes(line(', options [mss 65495,sackOK,TS val 804385072 ecr 0,nop,wscale 10]')), 40);
  assert.equal(tcpHeaderBytes(line(', options [nop,nop,sack 2 {1:2}{5:9}]')), 40);
  assert.equal(tcpHeaderBytes(line(', options [nop,nop,md5 valid]')), -1);
  assert.equal(tcpHeaderBytes(line(', options [constructor]')), -1);
  assert.equal(tcpHeaderBytes(line(', options [nop,nop,TS val 1 ecr 2')), -1);
});

test('a text cut right after a packet\'s header line: the payload is a gap at the end of that line, inside the document, judged for nothing (fuzz regression sample-mutations-35220448e3ec)', () => {
  const full = readFileSync(path.join(FIXTURES, 'tcpdump-ascii/swaks-plain-6k.tcpdump-A.txt'), 'utf8');
  const lines = full.split('\n');
  // Up to the header of the client's message packet after the 354 reply, cut after its ", length 8192".
  const at = lines.findIndex((l) => l.includes(' seq 101:8293, '));
  assert.ok(at > 0);
  const header = lines[at].slice(0, lines[at].indexOf(': SMTP:'));
  assert.match(header, /, length 8192$/);
  const text = [...lines.slice(0, at), header].join('\n');
  const t = readTranscript(text);
  const count = text.split('\n').length;
  for (const s of t.sessions) {
    assert.ok(s.endLine < count, `session lines ${s.startLine}-${s.endLine} of ${count}`);
    for (const e of s.events) assert.ok(e.line < count, `${e.kind} on line ${e.line} of ${count}`);
  }
  const last = t.sessions.at(-1)!.events.at(-1)!;
  assert.equal(last.kind, 'gap');
  assert.equal(last.line, at);
  assert.equal(last.kind === 'gap' && last.cause, undefined);
  assert.deepEqual(analyzeDocument(text).findings.filter((f) => f.rule === 'capture-gap'), []);
});
