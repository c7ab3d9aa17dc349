/** The format readers on every in-scope file of the real corpus. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import type { ByteRunEvent, SmtpCommandEvent, SmtpReplyEvent } from '../../src/core/model/transcript';
import { allEvents, assertExactOffsets, byteRuns, hex } from './helpers';

const ROOT = join(__dirname, '..', 'fixtures', 'corpus', 'sessions');
const SESSIONS = readdirSync(ROOT).sort();

function read(session: string, file: string): string {
  return readFileSync(join(ROOT, session, file), 'latin1');
}
function bin(session: string, file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(ROOT, session, file)));
}

const IN_SCOPE = [
  'transcript-CS.txt',
  'transcript-CS-decrypted.txt',
  'send_after_starttls.txt',
  'openssl-s_client-msg.txt',
  'clienthello.xxd.txt',
  'clienthello.hexdump-C.txt',
  'clienthello.xxd-p.txt',
  'clienthello-frame.tshark-hexstream.txt',
  'server-first-record.xxd.txt',
  'server-first-record.hexdump-C.txt',
];

test('corpus: the sessions and files are there', () => {
  assert.ok(SESSIONS.length >= 11);
  let files = 0;
  for (const s of SESSIONS) for (const f of IN_SCOPE) if (existsSync(join(ROOT, s, f))) files++;
  assert.ok(files >= 85, `${files} in-scope files`);
});

test('corpus: every byte of every in-scope file maps to its hex digits, and no problem is reported', () => {
  let bytes = 0;
  for (const s of SESSIONS) {
    for (const f of IN_SCOPE) {
      if (!existsSync(join(ROOT, s, f))) continue;
      const text = read(s, f);
      const t = readTranscript(text);
      assert.deepEqual(t.problems, [], `${s}/${f}`);
      bytes += assertExactOffsets(text, t);
    }
  }
  assert.ok(bytes > 20000, `${bytes} bytes checked`);
});

const DUMPS: [string, string, string, string][] = [
  ['clienthello.xxd.txt', 'clienthello.bin', 'xxd', 'xxd'],
  ['clienthello.hexdump-C.txt', 'clienthello.bin', 'hexdump-C', 'hexdump-C'],
  ['clienthello.xxd-p.txt', 'clienthello.bin', 'hexstream', 'hexstream'],
  ['clienthello-frame.tshark-hexstream.txt', 'clienthello.bin', 'hexstream', 'hexstream'],
  ['server-first-record.xxd.txt', 'server-first-record.bin', 'xxd', 'xxd'],
  ['server-first-record.hexdump-C.txt', 'server-first-record.bin', 'hexdump-C', 'hexdump-C'],
];

for (const [file, binFile, layout, format] of DUMPS) {
  test(`corpus: ${file} reads as one ${layout} run equal to ${binFile}, in every session`, () => {
    let squeezed = 0;
    for (const s of SESSIONS) {
      const text = read(s, file);
      const expected = bin(s, binFile);
      const t = readTranscript(text);
      assert.equal(t.format, format, s);
      assert.equal(t.sessions.length, 1, s);
      assert.equal(t.sessions[0].port, null);
      const events = allEvents(t);
      const lines = text.split('\n');
      const dataLines = lines.filter((l) => l !== '').length - (format === 'hexdump-C' ? 1 : 0);
      assert.equal(events.length, 1, s);
      const run = events[0] as ByteRunEvent;
      assert.equal(run.kind, 'bytes');
      assert.equal(run.line, 0);
      assert.equal(run.endLine, dataLines - 1, s);
      assert.equal(hex(run.view.bytes), hex(expected), s);
      const star = lines.indexOf('*');
      if (star >= 0) {
        // hexdump -C squeezed lines repeating the one before into "*": those bytes are the line
        // before repeated up to the next offset, each placed at the "*".
        squeezed++;
        assert.equal(format, 'hexdump-C', s);
        const at = lines.slice(0, star).join('\n').length + 1;
        const from = parseInt(lines[star - 1].slice(0, 8), 16) + 16;
        const to = parseInt(lines[star + 1].slice(0, 8), 16);
        assert.ok(to > from, s);
        assert.deepEqual([...new Set(run.view.offsets.subarray(from, to))], [at], s);
        assert.ok(run.view.offsets[to] > at && run.view.offsets[from - 1] < at, s);
      }
      for (const e of events) {
        if (e.kind !== 'bytes') continue;
        assert.equal(e.layout, layout);
        assert.equal(e.role, 'stream');
        assert.equal(e.direction, null);
      }
    }
    if (format !== 'hexdump-C') assert.equal(squeezed, 0);
    else if (file.startsWith('clienthello')) assert.ok(squeezed >= 4, `${squeezed} sessions' dumps have a "*" line`);
  });
}

test('corpus: raw-sslv2 xxd maps 2-byte groups digit by digit', () => {
  const text = read('raw-sslv2-hello-v3.1-p25', 'clienthello.xxd.txt');
  const run = byteRuns(readTranscript(text))[0];
  assert.deepEqual([...run.view.offsets.subarray(0, 4)], [10, 12, 15, 17]);
  assert.equal(run.view.bytes[0], 0x80);
  assert.equal(run.view.bytes[44], 0xaf);
  const lastLine = text.indexOf('00000020: ');
  assert.equal(run.view.offsets[44], lastLine + 10 + 6 * 5);
});

/** Independent reading of a C:/S: transcript: which lines are what. */
function classifyCs(text: string): { commands: number; replies: number; hexLines: { dir: string; n: number }[]; gaps: number[] } {
  let commands = 0;
  let replies = 0;
  let inReply = false;
  const hexLines: { dir: string; n: number }[] = [];
  const gaps: number[] = [];
  for (const line of text.split('\n')) {
    const m = /^([CS]): (.*)$/.exec(line) ?? /^([CS]):()$/.exec(line);
    if (!m) continue;
    const [, dir, content] = m;
    if (/^[0-9a-f]{2}( [0-9a-f]{2})*$/.test(content)) {
      const last = hexLines[hexLines.length - 1];
      if (last && last.dir === dir) last.n += content.split(' ').length;
      else hexLines.push({ dir, n: content.split(' ').length });
      inReply = false;
      continue;
    }
    const g = /^<(\d+) bytes of TLS records>$/.exec(content);
    if (g) {
      gaps.push(Number(g[1]));
      inReply = false;
      continue;
    }
    if (content.startsWith('<')) continue;
    if (dir === 'C') {
      commands++;
      inReply = false;
    } else {
      if (!inReply) replies++;
      inReply = content.charAt(3) === '-';
    }
  }
  return { commands, replies, hexLines, gaps };
}

for (const file of ['transcript-CS.txt', 'transcript-CS-decrypted.txt', 'send_after_starttls.txt']) {
  test(`corpus: ${file} events match an independent reading of the lines`, () => {
    let seen = 0;
    for (const s of SESSIONS) {
      if (!existsSync(join(ROOT, s, file))) continue;
      seen++;
      const text = read(s, file);
      const t = readTranscript(text);
      assert.equal(t.format, 'cs-transcript', s);
      assert.equal(t.sessions.length, 1, s);
      const events = allEvents(t);
      const expected = classifyCs(text);
      assert.equal(events.filter((e) => e.kind === 'command').length, expected.commands, `${s} commands`);
      assert.equal(events.filter((e) => e.kind === 'reply').length, expected.replies, `${s} replies`);
      const runs = byteRuns(t);
      assert.deepEqual(runs.map((r) => ({ dir: r.direction === 'client' ? 'C' : 'S', n: r.view.bytes.length })), expected.hexLines, s);
      assert.deepEqual(events.filter((e) => e.kind === 'gap').map((e) => (e.kind === 'gap' ? e.length : -1)), expected.gaps, s);
      for (const r of runs) {
        assert.equal(r.layout, 'cs');
        assert.equal(r.role, 'stream');
      }
      // The greeting and the first EHLO.
      const greeting = events[0] as SmtpReplyEvent;
      assert.equal(greeting.kind, 'reply');
      assert.equal(greeting.code, 220);
      assert.equal(greeting.line, 0);
      assert.equal(greeting.inTls, false);
      const ehlo = events[1] as SmtpCommandEvent;
      assert.equal(ehlo.verb, 'EHLO');
      assert.equal(text.slice(ehlo.span.start, ehlo.span.end).toUpperCase(), `EHLO ${ehlo.argument}`.toUpperCase());
      // The client's first binary turn starts with the ClientHello; the server's with its first record.
      const firstC = runs.find((r) => r.direction === 'client');
      if (firstC) assert.equal(hex(firstC.view.bytes).slice(0, 2 * bin(s, 'clienthello.bin').length), hex(bin(s, 'clienthello.bin')), s);
    }
    assert.ok(seen >= 2, `${seen} sessions with ${file}`);
  });
}

test('corpus: ossl-default-msg transcript-CS.txt in detail', () => {
  const s = 'ossl-default-msg';
  const text = read(s, 'transcript-CS.txt');
  const t = readTranscript(text);
  const events = allEvents(t);
  const ehloReply = events[2] as SmtpReplyEvent;
  assert.equal(ehloReply.kind, 'reply');
  assert.equal(ehloReply.line, 2);
  assert.equal(ehloReply.parts.length, 12);
  assert.deepEqual(ehloReply.parts.map((p) => p.separator), [...Array(11).fill('-'), ' ']);
  assert.equal(ehloReply.lines[11], 'CHUNKING');
  assert.equal(ehloReply.parts[11].codeText, '250');
  assert.equal(text.slice(ehloReply.parts[0].span.start, ehloReply.parts[0].span.end), '250-mx.feas.test');
  const [c, sv] = byteRuns(t);
  assert.equal(c.direction, 'client');
  assert.equal(c.line, 16);
  assert.equal(c.endLine, 34);
  assert.equal(c.view.bytes.length, 297);
  assert.equal(hex(c.view.bytes), hex(bin(s, 'clienthello.bin')));
  assert.equal(sv.direction, 'server');
  assert.equal(sv.line, 35);
  assert.equal(hex(sv.view.bytes.subarray(0, bin(s, 'server-first-record.bin').length)), hex(bin(s, 'server-first-record.bin')));
  const gaps = events.filter((e) => e.kind === 'gap');
  assert.deepEqual(gaps.map((g) => (g.kind === 'gap' ? [g.line, g.direction, g.length] : [])), [[121, 'client', 131], [122, 'server', 496], [123, 'client', 24]]);
  const g0 = gaps[0];
  assert.equal(text.slice(g0.kind === 'gap' ? g0.span.start : 0, g0.kind === 'gap' ? g0.span.end : 0), '<131 bytes of TLS records>');
});

test('corpus: transcript-CS-decrypted.txt notes, inTls and DATA lines (pysmtplib)', () => {
  const text = read('pysmtplib-starttls', 'transcript-CS-decrypted.txt');
  const events = allEvents(readTranscript(text));
  const notes = events.filter((e) => e.kind === 'note');
  assert.deepEqual(notes.map((n) => (n.kind === 'note' ? [n.line, n.note, n.text] : [])), [
    [16, 'tls-start', '<starts TLS negotiation>'],
    [17, 'tls-established', '<negotiate a TLS session>'],
    [18, 'other', '<check result of negotiation>'],
  ]);
  const commands = events.filter((e): e is SmtpCommandEvent => e.kind === 'command');
  assert.deepEqual(commands.map((c) => [c.verb, c.inTls, c.dataLine === true]), [
    ['EHLO', false, false],
    ['STARTTLS', false, false],
    ['EHLO', true, false],
    ['MAIL', true, false],
    ['RCPT', true, false],
    ['DATA', true, false],
    ['SUBJECT:', true, true],
    ['FROM:', true, true],
    ['TO:', true, true],
    ['', true, true],
    ['HELLO', true, true],
    ['.', true, true],
    ['QUIT', true, false],
  ]);
  const mail = commands[3];
  assert.equal(mail.argument, 'FROM:<bob@feas.test> size=105');
  const replies = events.filter((e): e is SmtpReplyEvent => e.kind === 'reply');
  assert.deepEqual(replies.map((r) => r.code), [220, 250, 220, 250, 250, 250, 354, 250, 221]);
  assert.ok(replies.slice(3).every((r) => r.inTls));
});

test('corpus: gnutls decrypted transcript keeps the NUL command and a bare NUL line is free text', () => {
  const text = read('gnutls-default-d5', 'transcript-CS-decrypted.txt');
  const commands = allEvents(readTranscript(text)).filter((e): e is SmtpCommandEvent => e.kind === 'command');
  assert.equal(commands.length, 4);
  assert.equal(commands[3].verb, '\u0000IT');
});

test('corpus: send_after_starttls.txt comments are skipped and do not split hex groups', () => {
  const s = 'raw-sslv2-hello-v3.1-p25';
  const text = read(s, 'send_after_starttls.txt');
  const runs = byteRuns(readTranscript(text));
  assert.equal(runs.length, 2);
  assert.equal(runs[0].line, 17);
  assert.equal(runs[0].endLine, 19);
  assert.equal(hex(runs[0].view.bytes), hex(bin(s, 'clienthello.bin')));
  assert.equal(runs[1].direction, 'server');
  assert.equal(runs[1].line, 21);
});

interface Expect {
  line: number;
  role: string;
  direction: string;
  length: number;
  contentType?: number;
  first?: string;
}

test('corpus: ossl-default-msg openssl-s_client-msg.txt pairs headers with content', () => {
  const s = 'ossl-default-msg';
  const text = read(s, 'openssl-s_client-msg.txt');
  const t = readTranscript(text);
  assert.equal(t.format, 'openssl-msg');
  assert.equal(t.sessions.length, 1);
  const runs = byteRuns(t);
  const got: Expect[] = runs.map((r) => ({
    line: r.line,
    role: r.role,
    direction: r.direction ?? 'null',
    length: r.view.bytes.length,
    ...(r.contentType !== undefined ? { contentType: r.contentType } : {}),
    first: hex(r.view.bytes.subarray(0, 5)),
  }));
  assert.deepEqual(got.slice(0, 14), [
    { line: 1, role: 'stream', direction: 'client', length: 297, first: '1603010124' },
    { line: 23, role: 'stream', direction: 'server', length: 127, first: '160303007a' },
    { line: 34, role: 'record-header-only', direction: 'server', length: 5, first: '1403030001' },
    { line: 36, role: 'record-header-only', direction: 'server', length: 5, first: '1703030017' },
    { line: 40, role: 'decrypted', direction: 'server', length: 6, contentType: 22, first: '0800000200' },
    { line: 43, role: 'record-header-only', direction: 'server', length: 5, first: '1703030350' },
    { line: 47, role: 'decrypted', direction: 'server', length: 0x33f, contentType: 22, first: '0b00033b00' },
    { line: 105, role: 'record-header-only', direction: 'server', length: 5, first: '1703030119' },
    { line: 109, role: 'decrypted', direction: 'server', length: 0x108, contentType: 22, first: '0f00010408' },
    { line: 127, role: 'record-header-only', direction: 'server', length: 5, first: '1703030045' },
    { line: 131, role: 'decrypted', direction: 'server', length: 0x34, contentType: 22, first: '140000309b' },
    { line: 136, role: 'stream', direction: 'client', length: 6, first: '1403030001' },
    { line: 140, role: 'record-header-only', direction: 'client', length: 5, first: '1703030045' },
    { line: 144, role: 'decrypted', direction: 'client', length: 0x34, contentType: 22, first: '1400003021' },
  ]);
  // The ClientHello run is the record exactly as sent, header and body from two dumps.
  assert.equal(hex(runs[0].view.bytes), hex(bin(s, 'clienthello.bin')));
  assert.equal(runs[0].endLine, 22);
  assert.equal(hex(runs[1].view.bytes), hex(bin(s, 'server-first-record.bin')));
  // Header bytes come from line 2, body bytes from line 4 on: non-contiguous offsets.
  const lineOf = (o: number): number => text.slice(0, o).split('\n').length - 1;
  assert.equal(lineOf(runs[0].view.offsets[4]), 2);
  assert.equal(lineOf(runs[0].view.offsets[5]), 4);
  // Alerts at the end: close_notify inside TLS 1.3 records.
  const last = runs[runs.length - 1];
  assert.equal(last.role, 'decrypted');
  assert.equal(last.contentType, 21);
  assert.equal(last.direction, 'client');
  assert.equal(hex(last.view.bytes), '0100');
});

test('corpus: openssl -msg bare SMTP lines after the handshake become events inside TLS', () => {
  for (const s of ['ossl-default-msg', 'ossl-tls1_3-msg']) {
    const text = read(s, 'openssl-s_client-msg.txt');
    const events = allEvents(readTranscript(text));
    const replies = events.filter((e): e is SmtpReplyEvent => e.kind === 'reply');
    assert.ok(replies.every((r) => r.inTls), s);
    const ehlo = replies.find((r) => r.parts.length > 1)!;
    assert.equal(ehlo.parts.length, 11, s);
    assert.equal(ehlo.lines[0], 'mx.feas.test');
    assert.equal(ehlo.lines[10], 'CHUNKING');
    const bye = replies[replies.length - 1];
    assert.equal(bye.code, 221);
    assert.equal(bye.lines[0], '2.0.0 Bye');
    assert.equal(events.filter((e) => e.kind === 'command').length, 0, 'openssl does not print the commands');
    assert.ok(events.some((e) => e.kind === 'note' && e.note === 'connection-closed'));
    // No reply is invented from the free text (Verify return code: 18, Start Time ...).
    for (const r of replies) for (const p of r.parts) assert.match(p.codeText, /^(250|221)$/);
  }
});

test('corpus: ossl-tls1_3-msg every header is followed by its content or stands alone', () => {
  const s = 'ossl-tls1_3-msg';
  const text = read(s, 'openssl-s_client-msg.txt');
  const runs = byteRuns(readTranscript(text));
  assert.equal(hex(runs[0].view.bytes), hex(bin(s, 'clienthello.bin')));
  assert.equal(runs[0].role, 'stream');
  for (const r of runs) {
    if (r.role === 'record-header-only') {
      assert.equal(r.view.bytes.length, 5);
      assert.ok(r.view.bytes[0] === 0x17 || r.view.bytes[0] === 0x14, hex(r.view.bytes));
    }
    if (r.role === 'decrypted') assert.ok(r.contentType === 22 || r.contentType === 21);
  }
});
