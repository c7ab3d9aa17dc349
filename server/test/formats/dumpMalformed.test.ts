/** dump-malformed problems point at the exact characters, and decoding goes on around them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { assertExactOffsets, byteRuns, hex, problemTexts } from './helpers';

const XXD = [
  '00000000: 802b 0103 0100 1200 0000 1000 0035 0000  .+...........5..',
  '00000010: 2f00 000a 0700 c001 0080 0000 ffa0 a1a2  /...............',
  '00000020: a3a4 a5a6 a7a8 a9aa abac adae af         .............',
];
const HEXDUMP = [
  '00000000  80 2b 01 03 01 00 12 00  00 00 10 00 00 35 00 00  |.+...........5..|',
  '00000010  2f 00 00 0a 07 00 c0 01  00 80 00 00 ff a0 a1 a2  |/...............|',
  '00000020  a3 a4 a5 a6 a7 a8 a9 aa  ab ac ad ae af           |.............|',
  '0000002d',
];
const OD = [
  '000000 80 2b 01 03 01 00 12 00 00 00 10 00 00 35 00 00  >.+...........5..<',
  '000010 2f 00 00 0a 07 00 c0 01 00 80 00 00 ff a0 a1 a2  >/...............<',
  '000020 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af           >.............<',
  '00002d',
];
const HELLO = '802b01030100120000001000003500002f00000a0700c00100800000ffa0a1a2a3a4a5a6a7a8a9aaabacadaeaf';

function read(lines: string[]): { text: string; t: ReturnType<typeof readTranscript> } {
  const text = lines.join('\n') + '\n';
  return { text, t: readTranscript(text) };
}

test('clean xxd, hexdump -C, od and xxd -i dumps give no problem and the same bytes', () => {
  const cArray = [
    'unsigned char hello_bin[] = {',
    '  0x80, 0x2b, 0x01, 0x03, 0x01, 0x00, 0x12, 0x00, 0x00, 0x00, 0x10, 0x00,',
    '  0x00, 0x35, 0x00, 0x00, 0x2f, 0x00, 0x00, 0x0a, 0x07, 0x00, 0xc0, 0x01,',
    '  0x00, 0x80, 0x00, 0x00, 0xff, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6,',
    '  0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf',
    '};',
    'unsigned int hello_bin_len = 45;',
  ];
  for (const [lines, format, layout] of [[XXD, 'xxd', 'xxd'], [HEXDUMP, 'hexdump-C', 'hexdump-C'], [OD, 'od', 'od'], [cArray, 'hexstream', 'xxd-i']] as const) {
    const { text, t } = read([...lines]);
    assert.deepEqual(t.problems, [], layout);
    assert.equal(t.format, format);
    const runs = byteRuns(t);
    assert.equal(runs.length, 1, layout);
    assert.equal(runs[0].layout, layout);
    assert.equal(hex(runs[0].view.bytes), HELLO, layout);
    // The last line holding bytes (not the total-length or closing lines).
    assert.equal(runs[0].endLine, { xxd: 2, 'hexdump-C': 2, od: 2, 'xxd-i': 4 }[layout], layout);
    assertExactOffsets(text, t);
  }
});

test('xxd: a non-hex token inside the byte columns; the other bytes still decode', () => {
  const lines = [...XXD];
  lines[1] = lines[1].replace('0700 c001', '0700 c0g1');
  const { text, t } = read(lines);
  assert.deepEqual(problemTexts(text, t), ['g1']);
  assert.equal(t.problems[0].rule, 'dump-malformed');
  assert.equal(t.problems[0].span.start, text.indexOf('c0g1') + 2);
  const run = byteRuns(t)[0];
  assert.equal(run.view.bytes.length, 44);
  assert.equal(hex(run.view.bytes), HELLO.replace('c001', 'c0'));
  assertExactOffsets(text, t);
});

test('xxd: an odd number of hex digits in a group', () => {
  const lines = [...XXD];
  lines[0] = lines[0].replace('0100 1200', '0100 120');
  const { text, t } = read(lines);
  assert.deepEqual(problemTexts(text, t), ['120']);
  assert.equal(t.problems[0].span.start, text.indexOf(' 120 ') + 1);
  assert.match(t.problems[0].message, /odd number of hex digits/);
});

test('xxd: an offset that jumps forward is reported on the offset text', () => {
  const lines = [...XXD];
  lines[1] = lines[1].replace('00000010:', '00000030:');
  const { text, t } = read(lines);
  assert.equal(t.problems.length, 1);
  assert.deepEqual(problemTexts(text, t), ['00000030']);
  assert.equal(t.problems[0].span.start, lines[0].length + 1);
  assert.match(t.problems[0].message, /expected 00000010/);
  // Decoding recovers at the next line: 00000020 follows the byte count, no second problem.
  assert.equal(byteRuns(t)[0].view.bytes.length, 45);
  // Lines really left out: the offsets after the jump follow the jump, still one problem.
  const cut = [XXD[0], '00000030: 0000 0000', '00000034: 0000'];
  const r2 = read(cut);
  assert.deepEqual(problemTexts(r2.text, r2.t), ['00000030']);
});

test('xxd: an offset that goes back is reported', () => {
  const lines = [...XXD];
  lines[2] = lines[2].replace('00000020:', '00000008:');
  const { text, t } = read(lines);
  assert.deepEqual(problemTexts(text, t), ['00000008']);
  assert.match(t.problems[0].message, /expected 00000020/);
});

test('xxd: an ASCII column contradicting the bytes is reported on the character', () => {
  const lines = [...XXD];
  lines[1] = lines[1].slice(0, -16) + '/..X............';
  const { text, t } = read(lines);
  assert.deepEqual(problemTexts(text, t), ['X']);
  assert.equal(t.problems[0].span.start, lines[0].length + 1 + lines[1].length - 13);
  assert.match(t.problems[0].message, /byte 0a/);
  // A printable byte shown as another printable character.
  const l2 = [...XXD];
  l2[0] = l2[0].slice(0, -16) + '.-...........5..';
  const r2 = read(l2);
  assert.deepEqual(problemTexts(r2.text, r2.t), ['-']);
  assert.match(r2.t.problems[0].message, /"\+"/);
});

test('hexdump -C: ASCII column, offsets and total length', () => {
  {
    const lines = [...HEXDUMP];
    lines[0] = lines[0].replace('|.+...', '|.*...');
    const { text, t } = read(lines);
    assert.deepEqual(problemTexts(text, t), ['*']);
    assert.equal(t.problems[0].span.start, lines[0].indexOf('|') + 2);
  }
  {
    const lines = [...HEXDUMP];
    lines[3] = '0000002e';
    const { text, t } = read(lines);
    assert.deepEqual(problemTexts(text, t), ['0000002e']);
    assert.match(t.problems[0].message, /0000002d expected/);
    assert.equal(byteRuns(t)[0].endLine, 2);
  }
  {
    const lines = [...HEXDUMP];
    lines[2] = lines[2].replace('00000020', '00000021');
    const { text, t } = read(lines);
    // A typo in one offset is one problem: the total still follows from the byte count.
    assert.deepEqual(problemTexts(text, t), ['00000021']);
  }
  {
    const lines = [...HEXDUMP];
    lines[1] = lines[1].replace('0a 07', '0a zz');
    const { text, t } = read(lines);
    assert.deepEqual(problemTexts(text, t), ['zz']);
    assert.equal(byteRuns(t)[0].view.bytes.length, 44);
  }
  {
    const lines = [...HEXDUMP];
    lines[2] = lines[2].replace('|.............|', '|...........|');
    const { text, t } = read(lines);
    assert.deepEqual(problemTexts(text, t), ['...........']);
    assert.match(t.problems[0].message, /11 characters for 13 bytes/);
  }
});

test('od -A x -t x1z: ASCII column and total length', () => {
  {
    const lines = [...OD];
    lines[3] = '00002c';
    const { text, t } = read(lines);
    assert.deepEqual(problemTexts(text, t), ['00002c']);
  }
  {
    const lines = [...OD];
    lines[0] = lines[0].replace('>.+.', '>.+!');
    const { text, t } = read(lines);
    assert.deepEqual(problemTexts(text, t), ['!']);
  }
});

test('od with its default octal offsets reads without problems', () => {
  const lines = [
    '0000000 80 2b 01 03 01 00 12 00 00 00 10 00 00 35 00 00',
    '0000020 2f 00 00 0a 07 00 c0 01 00 80 00 00 ff a0 a1 a2',
    '0000040 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af',
    '0000055',
  ];
  const { t } = read(lines);
  assert.deepEqual(t.problems, []);
  assert.equal(hex(byteRuns(t)[0].view.bytes), HELLO);
  assert.equal(t.format, 'od');
});

test('hex stream: odd digit count points at the unpaired digit; a stray character at itself', () => {
  {
    const text = `${HELLO.slice(0, 60)}\n${HELLO.slice(60)}0\n`;
    const t = readTranscript(text);
    assert.deepEqual(problemTexts(text, t), ['0']);
    assert.equal(t.problems[0].span.start, text.length - 2);
    assert.equal(hex(byteRuns(t)[0].view.bytes), HELLO);
  }
  {
    const text = `${HELLO.slice(0, 60)}\n${HELLO.slice(60, 70)}x${HELLO.slice(71)}\n`;
    const t = readTranscript(text);
    assert.equal(t.problems.length, 1);
    assert.equal(t.problems[0].span.start, 60 + 1 + 10);
    assert.equal(t.problems[0].span.end, 60 + 1 + 12);
    assert.equal(byteRuns(t)[0].view.bytes.length, 44);
  }
});

test('C:/S: hex lines: malformed tokens are reported, the group stays one run', () => {
  const text = ['S: 220 ready', 'C: STARTTLS', 'S: 220 go ahead', 'C: 16 03 01 0g 24', 'C: 01 00 1 20'].join('\n');
  const t = readTranscript(text);
  assert.deepEqual(problemTexts(text, t), ['0g', '1']);
  const runs = byteRuns(t);
  assert.equal(runs.length, 1);
  assert.equal(hex(runs[0].view.bytes), '16030124010020');
  assert.equal(runs[0].line, 3);
  assert.equal(runs[0].endLine, 4);
});

test('openssl -msg: label length disagreeing with the dump points at the length digits', () => {
  const lines = [
    '>>> TLS 1.0, RecordHeader [length 0005]',
    '    16 03 01 00 06',
    '>>> TLS 1.3, Handshake [length 0007], ClientHello',
    '    01 00 00 02 03 03',
  ];
  const text = lines.join('\n');
  const t = readTranscript(text);
  assert.deepEqual(problemTexts(text, t), ['0007']);
  assert.equal(t.problems[0].span.start, lines[0].length + 1 + lines[1].length + 1 + lines[2].indexOf('0007'));
  assert.match(t.problems[0].message, /7 bytes\) but 6 bytes are dumped/);
  // The header says 6 and 6 are shown: still one stream run.
  const runs = byteRuns(t);
  assert.equal(runs.length, 1);
  assert.equal(runs[0].role, 'stream');
  assert.equal(hex(runs[0].view.bytes), '160301000601000002030' + '3');
});

test('xxd -i: the _len line disagreeing with the array, and a malformed item', () => {
  const lines = ['unsigned char x[] = {', '  0x16, 0x03, 0xz1, 0x00', '};', 'unsigned int x_len = 4;'];
  const text = lines.join('\n');
  const t = readTranscript(text);
  assert.deepEqual(problemTexts(text, t), ['0xz1']);
  const lines2 = ['unsigned char x[] = {', '  0x16, 0x03, 0x01, 0x00', '};', 'unsigned int x_len = 5;'];
  const text2 = lines2.join('\n');
  const t2 = readTranscript(text2);
  assert.deepEqual(problemTexts(text2, t2), ['5']);
  assert.equal(t2.problems[0].span.start, text2.length - 2);
  assert.equal(hex(byteRuns(t2)[0].view.bytes), '16030100');
  assert.equal(byteRuns(t2)[0].endLine, 1);
  assertExactOffsets(text2, t2);
});

test('problems are bounded on a flood of malformed tokens', () => {
  const text = 'S: 220 x\nC: STARTTLS\nS: 220 y\nC: 16 ' + 'zz 01 '.repeat(200000) + '\n';
  const t = readTranscript(text);
  assert.equal(t.problems.length, 1000);
  assert.equal(byteRuns(t)[0].view.bytes.length, 200001);
});
