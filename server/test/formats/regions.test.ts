/** Region detection: mixed documents, comments, line endings, direction markers, sessions and ports. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import type { Transcript, TranscriptEvent } from '../../src/core/model/transcript';
import { allEvents, assertExactOffsets, byteRuns, hex } from './helpers';

const ROOT = join(__dirname, '..', 'fixtures', 'corpus', 'sessions');
const fixture = (s: string, f: string): string => readFileSync(join(ROOT, s, f), 'latin1');

/** Events without positions: what must not change when comments are added or line endings change. */
function shape(t: Transcript): unknown[] {
  const one = (e: TranscriptEvent): unknown => {
    switch (e.kind) {
      case 'bytes':
        return ['bytes', e.role, e.direction, e.layout, e.contentType, hex(e.view.bytes)];
      case 'command':
        return ['command', e.verb, e.argument, e.inTls, e.dataLine];
      case 'reply':
        return ['reply', e.code, e.lines, e.parts.map((p) => p.codeText + p.separator), e.inTls];
      case 'gap':
        return ['gap', e.direction, e.length];
      case 'note':
        return ['note', e.note, e.text];
      case 'stated':
        return ['stated', e.subject, e.direction, e.version, e.recordVersion, e.cipherSuites?.length];
    }
  };
  return [t.format, t.problems.length, t.sessions.map((s) => [s.port, s.events.map(one)])];
}

const SAMPLES: [string, string][] = [
  ['ossl-default-msg', 'openssl-s_client-msg.txt'],
  ['ossl-default-msg', 'transcript-CS.txt'],
  ['pysmtplib-starttls', 'transcript-CS-decrypted.txt'],
  ['raw-sslv2-hello-v3.1-p25', 'send_after_starttls.txt'],
  ['curl-trace-starttls', 'clienthello.hexdump-C.txt'],
  ['swaks-starttls', 'clienthello.xxd.txt'],
  ['swaks-starttls', 'clienthello.xxd-p.txt'],
];

test('annotated documents read identically: a comment after every line, and "#" alone', () => {
  for (const [s, f] of SAMPLES) {
    const text = fixture(s, f);
    const base = readTranscript(text);
    assert.ok(allEvents(base).length > 0, `${s}/${f}`);
    const lines = text.split('\n');
    const annotated = lines.map((l, k) => (k % 3 === 2 ? `${l}\n#` : `${l}\n# note ${k}: S: 250 not a reply, 16 03 01 not bytes`)).join('\n');
    const t = readTranscript(annotated);
    assert.deepEqual(shape(t), shape(base), `${s}/${f}`);
    assertExactOffsets(annotated, t);
  }
});

test('CRLF and CR-only line endings read like LF, with exact offsets', () => {
  for (const [s, f] of SAMPLES) {
    const text = fixture(s, f);
    const base = readTranscript(text);
    for (const eol of ['\r\n', '\r']) {
      const converted = text.split('\n').join(eol);
      const t = readTranscript(converted);
      assert.deepEqual(shape(t), shape(base), `${s}/${f} ${JSON.stringify(eol)}`);
      assertExactOffsets(converted, t);
      // Line numbers agree with LF.
      assert.deepEqual(allEvents(t).map((e) => e.line), allEvents(base).map((e) => e.line));
    }
  }
});

test('Unicode earlier in the document does not shift offsets (UTF-16 code units)', () => {
  const text = 'Capture notes — café ✉️ 📧 naïve\nüber\n' + fixture('swaks-starttls', 'clienthello.xxd.txt');
  const t = readTranscript(text);
  assert.equal(byteRuns(t).length, 1);
  assert.ok(assertExactOffsets(text, t) > 100);
  assert.equal(byteRuns(t)[0].line, 2);
});

const MIXED = [
  'Notes on the capture. The server is on port 25.', // 0
  '-----BEGIN CERTIFICATE-----', // 1
  'MIIDLjCCAhagAwIBAgIUMRCc1DcdAT31SWPatIpDOnnBLgkwDQYJKoZIhvcNAQEL', // 2
  '-----END CERTIFICATE-----', // 3
  'CONNECTED(00000004)', // 4
  'depth=0 CN = mx.feas.test', // 5
  '---', // 6
  'Client hello as seen on the wire:', // 7
  '00000000: 1603 0100 0501 0000 0103                 ..........', // 8
  '', // 9
  'S: 220 mx.feas.test ESMTP', // 10
  'C: EHLO client', // 11
  'S: 250-mx.feas.test', // 12
  'S: 250 STARTTLS', // 13
  'C: STARTTLS', // 14
  'S: 220 go ahead', // 15
  'C: 16 03 01 00 05 01 00 00', // 16
  'C: 01 03', // 17
  '# the server answered with one record', // 18
  'S: 15 03 01 00 02 02 28', // 19
  'and then an openssl log of another attempt:', // 20
  '>>> TLS 1.0, RecordHeader [length 0005]', // 21
  '    16 03 01 00 05', // 22
  '>>> TLS 1.3, Handshake [length 0005], ClientHello', // 23
  '    01 00 00 01 03', // 24
  '<<< TLS 1.0, RecordHeader [length 0005]', // 25
  '    15 03 01 00 02', // 26
  '<<< TLS 1.0, Alert [length 0002], fatal handshake_failure', // 27
  '    02 28', // 28
  '250 not SMTP: this line is before no handshake? no, it is after one', // 29
  'a line of prose that says 250 things', // 30
];

test('a mixed document: each region is read by its reader, prose is skipped', () => {
  const text = MIXED.join('\n');
  const t = readTranscript(text);
  assert.deepEqual(t.problems, []);
  assert.equal(t.format, 'cs-transcript');
  assertExactOffsets(text, t);
  const ev = allEvents(t);
  const summary = ev.map((e) => {
    if (e.kind === 'bytes') return `${e.line}-${e.endLine} bytes ${e.layout} ${e.role} ${e.direction} ${hex(e.view.bytes)}`;
    if (e.kind === 'reply') return `${e.line} reply ${e.code} x${e.parts.length}${e.inTls ? ' tls' : ''}`;
    if (e.kind === 'command') return `${e.line} command ${e.verb}`;
    return `${e.line} ${e.kind}`;
  });
  assert.deepEqual(summary, [
    '8-8 bytes xxd stream client 16030100050100000103',
    '10 reply 220 x1',
    '11 command EHLO',
    '12 reply 250 x2',
    '14 command STARTTLS',
    '15 reply 220 x1',
    '16-17 bytes cs stream client 16030100050100000103',
    '19-19 bytes cs stream server 15030100020228',
    '21-24 bytes openssl-msg stream client 16030100050100000103',
    '25-28 bytes openssl-msg stream server 15030100020228',
    '29 reply 250 x1 tls',
  ]);
  assert.equal(t.sessions.length, 1);
  assert.equal(t.sessions[0].port, 25);
  assert.equal(t.sessions[0].startLine, 8);
  assert.equal(t.sessions[0].endLine, 29);
});

test('direction markers: an empty C:/S: line or "Server ...:" before a dump; none otherwise', () => {
  const dump = '00000000: 1503 0100 0202 28                        .......';
  const cases: [string, string | null][] = [
    [`S:\n${dump}`, 'server'],
    [`C:\n${dump}`, 'client'],
    [`Server reply:\n\n${dump}`, 'server'],
    [`client -> server:\n${dump}`, 'client'],
    [`Something else:\n${dump}`, null],
    [`Server reply:\nsome words\n${dump}`, null],
    [`# Server:\n${dump}`, null],
    [dump, null],
  ];
  for (const [text, dir] of cases) {
    const runs = byteRuns(readTranscript(text));
    assert.equal(runs.length, 1, text);
    assert.equal(runs[0].direction, dir, text);
  }
  // An empty "C:" followed by SMTP text is an empty command (a blank DATA line).
  const t = readTranscript('C:\nC: QUIT');
  assert.deepEqual(allEvents(t).map((e) => (e.kind === 'command' ? e.verb : e.kind)), ['', 'QUIT']);
});

test('sessions: a greeting after QUIT/221 starts a new session; 220 after STARTTLS does not', () => {
  const text = [
    'openssl s_client -starttls smtp -connect 127.0.0.1:587',
    'S: 220 a',
    'C: STARTTLS',
    'S: 220 ready',
    'C: QUIT',
    'S: 221 bye',
    'now port 2525',
    'S: 220 b',
    'C: EHLO x',
    'S: 250 ok',
    'S: 220 c',
    'C: NOOP',
  ].join('\n');
  const t = readTranscript(text);
  assert.equal(t.sessions.length, 3);
  assert.deepEqual(t.sessions.map((s) => [s.startLine, s.endLine, s.port]), [[1, 5, 587], [7, 9, 2525], [10, 11, null]]);
  assert.deepEqual(t.sessions[0].events.map((e) => e.kind), ['reply', 'command', 'reply', 'command', 'reply']);
});

test('sessions: each of many sessions takes the port hint inside it; a session without one takes none', () => {
  // Sessions 0..199 state their port (=== Trying host:PORT...), every seventh states none.
  const sessions: string[] = [];
  const expected: (number | null)[] = [];
  for (let k = 0; k < 200; k++) {
    const port = 1000 + k;
    const trying = k % 7 === 3 ? [] : [`=== Trying 192.0.2.1:${port}...`];
    sessions.push([...trying, '<-  220 mx ESMTP', ' -> QUIT', '<-  221 bye'].join('\n'));
    expected.push(trying.length ? port : null);
  }
  const t = readTranscript(sessions.join('\n\n'));
  assert.deepEqual(t.sessions.map((s) => s.port), expected);
});

test('replies: multi-line grouping, malformed codes, empty text, reply interrupted by a command', () => {
  const text = ['S: 250-first', 'S: 250-', 'S: 250', 'S: 25O oops', 'S: hello world', 'S: 354-a', 'C: NOOP', 'S: 2500 x', 'S: 250-a', 'S: 251 b'].join('\n');
  const ev = allEvents(readTranscript(text));
  const replies = ev.filter((e) => e.kind === 'reply');
  const view = replies.map((r) => (r.kind === 'reply' ? [r.line, String(r.code), r.parts.map((p) => [p.codeText, p.separator, p.text])] : []));
  assert.deepEqual(view, [
    [0, '250', [['250', '-', 'first'], ['250', '-', ''], ['250', '', '']]],
    [3, 'NaN', [['25O', ' ', 'oops']]],
    [4, 'NaN', [['hello', ' ', 'world']]],
    [5, '354', [['354', '-', 'a']]],
    [7, 'NaN', [['2500', ' ', 'x']]],
    [8, '250', [['250', '-', 'a'], ['251', ' ', 'b']]],
  ]);
  const first = replies[0];
  assert.ok(first.kind === 'reply');
  assert.equal(text.slice(first.parts[1].span.start, first.parts[1].span.end), '250-');
  const cmd = ev.find((e) => e.kind === 'command');
  assert.ok(cmd && cmd.kind === 'command');
  assert.equal(cmd.verb, 'NOOP');
  assert.equal(cmd.dataLine, undefined);
});

test('commands: verb upper-cased, argument as written; C & S placeholder lines are notes', () => {
  const text = 'C: mail FROM:<a@b>  SIZE=1\nC & S: <negotiate a TLS session>\nC: <starts TLS negotiation>\nS: <something else>';
  const ev = allEvents(readTranscript(text));
  assert.equal(ev[0].kind, 'command');
  if (ev[0].kind === 'command') {
    assert.equal(ev[0].verb, 'MAIL');
    assert.equal(ev[0].argument, 'FROM:<a@b>  SIZE=1');
    assert.equal(text.slice(ev[0].span.start, ev[0].span.end), 'mail FROM:<a@b>  SIZE=1');
  }
  assert.deepEqual(ev.slice(1).map((e) => (e.kind === 'note' ? e.note : e.kind)), ['tls-established', 'tls-start', 'other']);
});

test('openssl -msg: s_server logs (ACCEPT first) swap the directions', () => {
  const text = ['ACCEPT', '<<< TLS 1.0, RecordHeader [length 0005]', '    16 03 01 00 01', '<<< TLS 1.3, Handshake [length 0001], ClientHello', '    01'].join('\n');
  const runs = byteRuns(readTranscript(text));
  assert.equal(runs.length, 1);
  assert.equal(runs[0].direction, 'client');
  assert.equal(hex(runs[0].view.bytes), '160301000101');
});

test('openssl -msg: TLS 1.2 server flight in one record and encrypted Finished after CCS', () => {
  const text = [
    '<<< TLS 1.2, RecordHeader [length 0005]',
    '    16 03 03 00 0a',
    '<<< TLS 1.2, Handshake [length 0006], ServerHello',
    '    02 00 00 02 03 03',
    '<<< TLS 1.2, Handshake [length 0004], ServerHelloDone',
    '    0e 00 00 00',
    '<<< TLS 1.2, RecordHeader [length 0005]',
    '    14 03 03 00 01',
    '<<< TLS 1.2, ChangeCipherSpec [length 0001]',
    '    01',
    '<<< TLS 1.2, RecordHeader [length 0005]',
    '    16 03 03 00 28',
    '<<< TLS 1.2, Handshake [length 0010], Finished',
    '    14 00 00 0c 01 02 03 04 05 06 07 08 09 0a 0b 0c',
    '>>> TLS 1.2, RecordHeader [length 0005]',
    '    15 03 03 00 1a',
    '>>> TLS 1.2, Alert [length 0002], fatal internal_error',
    '    02 50',
    '??? nothing',
  ].join('\n');
  const t = readTranscript(text);
  assert.deepEqual(t.problems, []);
  const runs = byteRuns(t).map((r) => [r.line, r.endLine, r.role, r.direction, r.contentType, hex(r.view.bytes)]);
  assert.deepEqual(runs, [
    [0, 5, 'stream', 'server', undefined, '160303000a' + '020000020303' + '0e000000'],
    [6, 9, 'stream', 'server', undefined, '140303000101'],
    [10, 11, 'record-header-only', 'server', undefined, '1603030028'],
    [12, 13, 'decrypted', 'server', 22, '1400000c0102030405060708090a0b0c'],
    [14, 15, 'record-header-only', 'client', undefined, '150303001a'],
    [16, 17, 'decrypted', 'client', 21, '0250'],
  ]);
  assertExactOffsets(text, t);
});

test('openssl -msg: older label forms and content without a header', () => {
  const text = ['>>> ??? [length 0005]', '    16 03 01 00 02', '>>> TLS 1.2 Handshake [length 0002], ClientHello', '    01 00', '<<< TLS 1.2 Alert [length 0002]', '    02 28'].join('\n');
  const runs = byteRuns(readTranscript(text)).map((r) => [r.role, r.direction, r.contentType, hex(r.view.bytes)]);
  assert.deepEqual(runs, [
    ['stream', 'client', undefined, '16030100020100'],
    ['decrypted', 'server', 21, '0228'],
  ]);
});

test('never invents SMTP from prose: no openssl handshake, no bare replies; unknown verbs stay text', () => {
  const prose = ['250 reasons to upgrade', 'QUIT smoking', 'Help me', '220 ready'].join('\n');
  assert.equal(allEvents(readTranscript(prose)).length, 0);
  const after = ['>>> TLS 1.0, Alert [length 0002], fatal internal_error', '    02 50', 'help me', 'Verify return code: 0 (ok)', 'QUIT', '   250 indented'].join('\n');
  const ev = allEvents(readTranscript(after));
  assert.deepEqual(ev.map((e) => (e.kind === 'command' ? `command ${e.verb} ${e.inTls}` : e.kind)), ['bytes', 'command QUIT true']);
});

test('hex lines and streams from free text: thresholds keep prose, dates and numbers out', () => {
  const notDumps = ['20240101', 'dead beef', 'face', '12 34 56', 'The bytes 16 03 01 follow', 'abcdefabcdef'];
  for (const line of notDumps) assert.equal(byteRuns(readTranscript(line)).length, 0, line);
  const dumps: [string, string][] = [
    ['16 03 01 00 05', 'hex-lines'],
    ['    16 03 01 00 05 01 00 00 01 03', 'hex-lines'],
    ['1603010005', 'hexstream'],
    ['160301 0005'.replace(' ', ''), 'hexstream'],
  ];
  for (const [line, layout] of dumps) {
    const runs = byteRuns(readTranscript(line));
    assert.equal(runs.length, 1, line);
    assert.equal(runs[0].layout, layout, line);
    assert.equal(runs[0].direction, null);
  }
  // Indented continuation lines with fewer bytes belong to the run.
  const multi = '    16 03 01 00 05 01 00 00\n    01 03\n';
  assert.equal(hex(byteRuns(readTranscript(multi))[0].view.bytes), '16030100050100000103');
});

test('two xxd dumps back to back (offset back to 0) are two runs without a problem', () => {
  const text = '00000000: 1603 0100 02                             .....\n00000000: 1503 0100 02                             .....\n';
  const t = readTranscript(text);
  assert.deepEqual(t.problems, []);
  assert.equal(byteRuns(t).length, 2);
});

test('the dominant format is the one with the most lines; an empty document is text without sessions', () => {
  assert.deepEqual(readTranscript(''), { format: 'text', sessions: [], problems: [] });
  assert.equal(readTranscript('just prose\nmore prose').format, 'text');
  const doc = `S: 220 x\n${fixture('swaks-starttls', 'clienthello.xxd.txt')}`;
  assert.equal(readTranscript(doc).format, 'xxd');
});

test('DATA content after 354 stays text even when it looks like hex bytes or a placeholder', () => {
  const text = ['C: DATA', 'S: 354 go', 'C: 16 03 01 00 05', 'C: <not a placeholder>', 'C: .', 'S: 250 ok', 'C: 16 03 01 00 05'].join('\n');
  const ev = allEvents(readTranscript(text));
  assert.deepEqual(ev.map((e) => (e.kind === 'command' ? `${e.verb}${e.dataLine ? ' data' : ''}` : e.kind)), [
    'DATA', 'reply', '16 data', '<NOT data', '. data', 'reply', 'bytes',
  ]);
});

test('openssl -msg with the indentation of its hex lines lost still pairs header and content', () => {
  const text = ['>>> TLS 1.0, RecordHeader [length 0005]', '16 03 01 00 02', '>>> TLS 1.3, Handshake [length 0002], ClientHello', '01 00', '250 after'].join('\n');
  const t = readTranscript(text);
  assert.deepEqual(t.problems, []);
  const ev = allEvents(t);
  assert.deepEqual(ev.map((e) => (e.kind === 'bytes' ? `${e.role} ${hex(e.view.bytes)}` : e.kind)), ['stream 16030100020100', 'reply']);
});
