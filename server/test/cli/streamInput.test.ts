/**
 * streamInput: a named file arrives in pieces whose concatenation is exactly the text
 * readInput gives (UTF-8, or Latin-1 when an invalid byte appears, even megabytes in; a
 * BOM dropped; captures converted connection by connection); sniffed files that do not
 * look like transcripts are skipped; unreadable files are input errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { decodeText, InputError, readInput, registerInputConverter, streamInput, type InputRef } from '../../src/cli/inputs';
import { captureInputConverter } from '../../src/cli/captureInput';
import { REPO } from '../helpers/lspClient';
import { readSample } from '../helpers/samples';

registerInputConverter(captureInputConverter);

function collect(ref: InputRef): { text: string | null; pieces: number; begins: number } {
  let text = '';
  let pieces = 0;
  let begins = 0;
  const read = streamInput(ref, { begin: () => ((text = ''), begins++), push: (p) => ((text += p), pieces++) }, () => 'stdin text');
  return { text: read ? text : null, pieces, begins };
}

function tempFile(name: string, bytes: Uint8Array | string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-stream-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

const ref = (p: string, sniff = false): InputRef => ({ path: p, stdin: false, sniff });

test('a large UTF-8 file arrives in several pieces that join to readInput\'s text', () => {
  const session = readSample('ssl3-hello.transcript') + '\n# é ü — ✓\n';
  const file = tempFile('big.transcript', '\ufeff' + session.repeat(Math.ceil(3_000_000 / session.length)));
  const r = collect(ref(file));
  assert.ok(r.pieces >= 3, `${r.pieces} pieces`);
  assert.equal(r.begins, 1);
  assert.equal(r.text, readInput(ref(file), () => '')!.text);
  assert.ok(!r.text!.startsWith('\ufeff'), 'the BOM is dropped as decodeText drops it');
});

test('an invalid UTF-8 byte after the first block: the document starts again, read as Latin-1', () => {
  const session = readSample('ssl3-hello.transcript') + '\n# caf\u00e9\n';
  const body = Buffer.from(session.repeat(Math.ceil(2_500_000 / session.length)), 'utf8');
  const file = tempFile('latin.log', Buffer.concat([body, Buffer.from([0x0a, 0xe9, 0x0a])]));
  const r = collect(ref(file));
  assert.equal(r.begins, 2);
  const expected = readInput(ref(file), () => '')!.text;
  assert.equal(r.text, expected);
  assert.ok(expected.includes('caf\u00c3\u00a9'), 'Latin-1 shows the UTF-8 bytes as two characters');
});

test('a capture is imported in pieces: the text of the whole-file conversion', () => {
  const file = path.join(REPO, 'server/test/fixtures/corpus/sessions/swaks-starttls/capture.pcap');
  const r = collect(ref(file));
  assert.equal(r.begins, 1);
  assert.equal(r.text, readInput(ref(file), () => '')!.text);
  assert.match(r.text!, /^# smtptls import of capture\.pcap\n/);
});

test('a pipe (process substitution) is streamed, a capture through it still converted', { skip: process.platform === 'win32' }, () => {
  const pcap = path.join(REPO, 'server/test/fixtures/corpus/sessions/swaks-starttls/capture.pcap');
  const fifo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-fifo-')), 'in');
  spawnSync('mkfifo', [fifo]);
  // A writer in another process: the FIFO opens once both ends are there.
  const writer = spawn('sh', ['-c', `cat "${pcap}" > "${fifo}"`]);
  const r = collect(ref(fifo));
  writer.kill();
  assert.equal(r.begins, 1);
  assert.equal(r.text, readInput(ref(pcap), () => '')!.text.replace('capture.pcap', 'in'));
});

test('sniffed files: a transcript is read, other text is skipped; stdin and missing files', () => {
  const yes = tempFile('notes.txt', readSample('ssl3-hello.transcript'));
  assert.equal(collect(ref(yes, true)).text, readSample('ssl3-hello.transcript'));
  const no = tempFile('notes.txt', 'shopping list\nmilk\n');
  assert.equal(collect(ref(no, true)).text, null);
  assert.equal(collect({ path: '-', stdin: true, sniff: false }).text, 'stdin text');
  assert.throws(() => collect(ref(path.join(os.tmpdir(), 'no-such-smtptls-file.log'))), InputError);
  assert.throws(() => collect(ref(os.tmpdir())), /is a folder/);
  const empty = tempFile('empty.log', '');
  assert.deepEqual(collect(ref(empty)), { text: '', pieces: 0, begins: 1 });
});

/** Standard input read through readStdinBlock, in blocks of random sizes up to `max` (a pipe gives what it has). */
function collectStdin(bytes: Buffer, max: number, seed: number): { text: string | null; pieces: number; begins: number; reads: number } {
  let s = seed;
  let at = 0;
  let reads = 0;
  const readStdinBlock = (buf: Buffer): number => {
    reads++;
    s = (s * 1664525 + 1013904223) >>> 0;
    const n = Math.min(buf.length, bytes.length - at, 1 + (s % max));
    bytes.copy(buf, 0, at, at + n);
    at += n;
    return n;
  };
  let text = '';
  let pieces = 0;
  let begins = 0;
  const read = streamInput(
    { path: '-', stdin: true, sniff: false },
    { begin: () => ((text = ''), begins++), push: (p) => ((text += p), pieces++) },
    () => assert.fail('stdin read whole'),
    { readStdinBlock },
  );
  return { text: read ? text : null, pieces, begins, reads };
}

test('standard input read in blocks: UTF-8 (BOM dropped), a late invalid byte (Latin-1 from the start), a cut sequence at the end, empty, a capture', () => {
  const session = readSample('ssl3-hello.transcript') + '\n# é ü — ✓ 😀\n';
  const utf8 = Buffer.from('\ufeff' + session.repeat(Math.ceil(2_500_000 / session.length)), 'utf8');
  for (const [max, seed] of [[1 << 20, 1], [70_000, 2], [7, 3]] as const) {
    const small = max < 100 ? utf8.subarray(0, 20_000) : utf8;
    const r = collectStdin(small, max, seed);
    assert.equal(r.begins, 1);
    assert.equal(r.text, decodeText(small), `blocks up to ${max}`);
    assert.ok(!r.text!.startsWith('\ufeff'));
    assert.ok(r.pieces > 1, `${r.pieces} pieces`);
  }
  const late = Buffer.concat([utf8, Buffer.from([0x0a, 0xe9, 0x0a]), utf8.subarray(0, 100_000)]);
  const l = collectStdin(late, 300_000, 4);
  assert.equal(l.begins, 2, 'started again');
  assert.equal(l.text, decodeText(late));
  assert.equal(l.text, late.toString('latin1'));
  const cut = Buffer.concat([utf8, Buffer.from([0xe2, 0x80])]);
  const c = collectStdin(cut, 1 << 20, 5);
  assert.equal(c.text, cut.toString('latin1'), 'a sequence cut at the end is invalid too');
  assert.deepEqual(collectStdin(Buffer.alloc(0), 10, 6), { text: '', pieces: 0, begins: 1, reads: 1 });
  const pcap = fs.readFileSync(path.join(REPO, 'server/test/fixtures/corpus/sessions/swaks-starttls/capture.pcap'));
  const p = collectStdin(pcap, 5, 7);
  assert.equal(p.begins, 1);
  assert.equal(p.text, readInput({ path: '-', stdin: true, sniff: false }, () => '', { readStdinBytes: () => pcap })!.text);
  assert.match(p.text!, /^# smtptls import of standard input\n/);
});

test('the built CLI streams standard input: the report of the same file named', { skip: process.platform === 'win32' }, () => {
  const bin = path.join(REPO, 'bin', 'smtptls');
  const file = path.join(REPO, 'samples', 'ssl3-hello.transcript');
  const input = Buffer.concat([fs.readFileSync(file), Buffer.from('\n# caf\u00e9\n'), Buffer.from([0xe9]), Buffer.from('\n'), fs.readFileSync(file)]);
  const named = tempFile('same.transcript', input);
  for (const format of ['json', 'sarif']) {
    const piped = spawnSync(process.execPath, [bin, 'check', '--format', format, '-'], { cwd: REPO, input, encoding: 'utf8' });
    const direct = spawnSync(process.execPath, [bin, 'check', '--format', format, named], { cwd: REPO, encoding: 'utf8' });
    assert.equal(piped.status, 1, piped.stderr);
    assert.equal(direct.status, 1, direct.stderr);
    const rename = (out: string): string => out.split(JSON.stringify(named).slice(1, -1)).join('-');
    if (format === 'json') assert.equal(piped.stdout, rename(direct.stdout));
    else assert.equal(JSON.parse(piped.stdout).runs[0].results.length, JSON.parse(direct.stdout).runs[0].results.length);
  }
});
