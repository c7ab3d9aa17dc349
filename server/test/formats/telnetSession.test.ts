/**
 * SMTP typed by hand in telnet, nc and ncat (server/test/fixtures/telnet/make-fixtures.sh: real runs in a
 * terminal against the lab's postfix, each captured): the dialogue is the capture's as tshark reads it,
 * the message typed after the 354 is message text, and the findings are those of the capture.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { commandLinePort, isTelnetConnectionStart } from '../../src/core/formats/telnetSession';
import { importBytes, readFixture } from '../capture/helpers';

const DIR = path.join(__dirname, '..', 'fixtures', 'telnet');
const read = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');
const RUNS: [string, number | null][] = [['telnet-message', null], ['nc-refused', 25], ['ncat-message', 25], ['telnet-starttls-quit', null]];

for (const [run, port] of RUNS) {
  test(`${run}: the typed dialogue is tshark's, the findings the capture's`, () => {
    const a = analyzeDocument(read(`${run}.txt`));
    assert.equal(a.transcript.format, 'telnet-session');
    assert.equal(a.sessions.length, 1);
    assert.equal(a.transcript.sessions[0].port, port);
    const ours = a.sessions[0].session.events.flatMap((e) =>
      e.kind === 'command' && !e.dataLine ? [`C ${e.verb.slice(0, 4)}`] : e.kind === 'reply' ? [`S ${e.code}`] : [],
    );
    // tshark -Y smtp -T fields -e tcp.srcport -e smtp.req.command -e smtp.response.code; a client line
    // without a command is message text.
    const theirs = read(`${run}.tshark-smtp.txt`).split('\n').filter(Boolean).flatMap((l) => {
      const [src, verb, code] = l.split('|');
      return src === '25' ? [`S ${code}`] : verb ? [`C ${verb}`] : [];
    });
    assert.deepEqual(ours, theirs);
    const capture = analyzeDocument(importBytes(readFixture(path.join(DIR, `${run}.pcap`))).text);
    assert.deepEqual(a.findings.map((f) => f.rule).sort(), capture.findings.map((f) => f.rule).sort());
  });
}

test('the message typed after the 354 is message text (an empty line of it is not seen: readers never get blank lines)', () => {
  const t = readTranscript(read('telnet-message.txt'));
  const text = t.sessions[0].events.flatMap((e) => (e.kind === 'command' && e.dataLine ? [`${e.verb} ${e.argument}`.trim()] : []));
  assert.deepEqual(text, ['SUBJECT: typed by hand', 'HELLO', '.']);
});

test('STARTTLS typed by hand, then QUIT in the clear: starttls-plaintext-after-220 at the QUIT', () => {
  const text = read('telnet-starttls-quit.txt');
  const a = analyzeDocument(text);
  assert.equal(a.findings.length, 1);
  assert.equal(a.findings[0].rule, 'starttls-plaintext-after-220');
  assert.equal(text.slice(a.findings[0].span.start, a.findings[0].span.end).trim(), 'QUIT');
});

test('prose is not a typed session: a line starting 220 not answered by EHLO, a "Connected to" without telnet\'s "Trying"', () => {
  for (const prose of [
    '220 volts is what the old line carried.\nNobody typed EHLO here.\n',
    'Connected to the office network.\n220 mx.example.test ESMTP\nthen nothing\n',
    'Trying harder...\nConnected to a friend.\n',
  ]) {
    const t = readTranscript(prose);
    assert.equal(t.format, 'text', prose);
    assert.equal(t.sessions.length, 0, prose);
  }
  // A bare greeting answered by EHLO is one, the command above it naming the port.
  const t = readTranscript('$ telnet mx.example.test 587\n220 mx.example.test ESMTP\nEHLO me\n250 mx.example.test\n');
  assert.equal(t.format, 'telnet-session');
  assert.equal(t.sessions[0].port, 587);
  // telnet's own lines between the command and the greeting: the port still comes from the command.
  const telnet = readTranscript("$ telnet mx.example.test 587\nTrying 192.0.2.1...\nConnected to mx.example.test.\nEscape character is '^]'.\n220 mx ESMTP\nEHLO me\n250 mx\n");
  assert.equal(telnet.sessions[0].port, 587);
});

test('commandLinePort: the port a telnet/nc/ncat command line ends with, after a prompt or not', () => {
  assert.equal(commandLinePort('$ telnet mx.example.test 587'), 587);
  assert.equal(commandLinePort('root@box:~# nc -v -C mx.example.test 25'), 25);
  assert.equal(commandLinePort('ncat 192.0.2.1 2525'), 2525);
  assert.equal(commandLinePort('telnet mx.example.test'), null);
  assert.equal(commandLinePort('I ran telnet to 25 hosts'), null);
  assert.equal(commandLinePort('$ ssh mx.example.test 22'), null);
});

test('telnet\'s prompt after ^] is the tool\'s; a second connection pasted after one whose end is not shown is a session of its own', () => {
  // Crafted from telnet-message.txt's lines: the user quits with ^] and "quit" (telnet prints its
  // prompt and "Connection closed."), then a second telnet run follows without a close line before it.
  const first = ['Trying 127.0.0.1...', 'Connected to 127.0.0.1.', "Escape character is '^]'.", '220 mx.example.test ESMTP Postfix (Debian/GNU)', 'EHLO client.example.test', '250 mx.example.test'];
  const t = readTranscript([...first, 'telnet> quit', 'Connection closed.', ...first, 'QUIT', ...first, ''].join('\n'));
  assert.equal(t.sessions.length, 3);
  const verbs = t.sessions.map((s) => s.events.flatMap((e) => (e.kind === 'command' ? [e.verb] : [])));
  assert.deepEqual(verbs, [['EHLO'], ['EHLO', 'QUIT'], ['EHLO']]);
});

test('isTelnetConnectionStart: telnet\'s `Trying ADDR...` at a line start only (IPv4 or IPv6), not curl\'s `*   Trying`', () => {
  const at = (line: string): boolean => isTelnetConnectionStart(line, 0, line.length);
  assert.equal(at('Trying 127.0.0.1...'), true);
  assert.equal(at('Trying ::1...'), true);
  assert.equal(at('*   Trying 127.0.0.1:25...'), false);
  assert.equal(at('Trying harder...'), false);
  assert.equal(at('Trying 127.0.0.1'), false);
});
