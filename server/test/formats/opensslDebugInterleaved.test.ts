/**
 * openssl s_client -debug with stderr in the same file (server/test/fixtures/openssl-debug/README.md):
 * other output cuts a BIO header or a dump line; both are joined again, every record is read
 * whole and in one stream per side (decrypted text and s_client's "closed" between records).
 * Oracle: tshark's record lengths on the capture of the same connection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { matchCutBioHeader } from '../../src/core/formats/opensslDebug';

const DIR = path.join(__dirname, '..', 'fixtures', 'openssl-debug');

/** tshark's record lengths by side (the client's port, the server's 25; one line per frame, lengths comma-separated). */
function tsharkRecords(name: string): Record<string, number[]> {
  const expected: Record<string, number[]> = { client: [], server: [] };
  for (const line of readFileSync(path.join(DIR, `${name}.tshark-records.txt`), 'utf8').trim().split('\n')) {
    const [port, lengths] = line.split('\t');
    expected[port === '25' ? 'server' : 'client'].push(...lengths.split(',').map(Number));
  }
  return expected;
}

const CASES: [string, RegExp[]][] = [
  // stderr cuts a BIO header, and a dump line after whole bytes (its rest after the depth= lines).
  ['s_client-debug-tls13', [/^read from \S+ \[\S+\] \(2Can't use SSL_get_servername\n3 bytes => 23 \(0x17\)\)$/m, /^0320 - [0-9a-f -]+ depth=0 CN = mx\.example\.test$/m]],
  // TLS 1.2: s_client prints "closed" when the server has closed; its own close_notify follows.
  ['s_client-debug-alpn-tls12', [/^closed\nwrite to /m]],
  // The decrypted EHLO reply printed right after a byte, before its separator ("18250-mx...").
  ['s_client-debug-alpn-tls13', [/ [0-9a-f]{2}250-mx\.example\.test$/m, /^closed$/m]],
];

for (const [name, shapes] of CASES) {
  test(`${name}: s_client -debug 2>&1 reads to the record lengths tshark reads on the capture of the same connection, whole, with no finding`, () => {
    const text = readFileSync(path.join(DIR, `${name}.txt`), 'utf8');
    for (const shape of shapes) assert.match(text, shape);
    const a = analyzeDocument(text);
    assert.deepEqual(a.findings.map((f) => `${f.rule}: ${f.message}`), []);
    const got: Record<string, number[]> = { client: [], server: [] };
    for (const stream of a.sessions[0].streams) {
      for (const r of stream.decoded.records) {
        assert.equal(r.end - r.start, r.length + 5, `a ${r.length}-byte record read whole`);
        got[stream.direction ?? 'none'].push(r.length);
      }
    }
    assert.deepEqual(got, tsharkRecords(name));
  });
}

test('matchCutBioHeader: the longest start of the line the next line completes; whole headers and other lines are not', () => {
  assert.deepEqual(matchCutBioHeader("read from 0x55 [0x56] (2Can't use SSL_get_servername", '3 bytes => 23 (0x17))'), { write: false, count: 23 });
  assert.deepEqual(matchCutBioHeader('write to 0x55 [0x56] verify return:1', '(7 bytes => 7 (0x7))'), { write: true, count: 7 });
  assert.equal(matchCutBioHeader("read from 0x55 [0x56] (2Can't use SSL_get_servername", 'verify return:1'), null);
  assert.equal(matchCutBioHeader('0000 - 17 03 03', '3 bytes => 23 (0x17))'), null);
  // The next line must end the header: a longer line is not its rest.
  assert.equal(matchCutBioHeader('read from 0x55 [0x56] (2X', '3 bytes => 23 (0x17)) and more'), null);
});

test('a dump line stderr cut inside a byte ("dd 3" + "depth=0 CN = ..." lines, then "a 9b 63 80 15"): the byte is 3a, the read goes on, the server stream equals the capture\'s', async () => {
  const { importBytes, readFixture } = await import('../capture/helpers');
  const dir = path.join(__dirname, '..', 'fixtures', 'corpus', 'sessions', 'ossl-default-debug');
  const text = readFileSync(path.join(dir, 'openssl-s_client-debug.txt'), 'utf8');
  assert.match(text, /^02c0 - 94 6b 95 a6 e8 d2 4b 3a-3c 07 dd 3depth=0 CN = mx\.feas\.test$/m);
  assert.match(text, /^a 9b 63 80 15 {3}/m);
  const analysis = analyzeDocument(text);
  assert.deepEqual(analysis.findings, []);
  const capture = analyzeDocument(importBytes(readFixture(path.join(dir, 'capture.pcap')), { elideApplicationData: false }).text);
  const server = (a: typeof analysis) => Buffer.from(a.sessions.flatMap((s) => s.streams).find((st) => st.direction === 'server')!.view.bytes).toString('hex');
  assert.equal(server(analysis), server(capture));
  assert.equal(server(capture).length / 2, 1870);
  // The byte cut in two, at the position of its high digit.
  const view = analysis.sessions.flatMap((s) => s.streams).find((st) => st.direction === 'server')!.view;
  const at = text.indexOf('dd 3depth') + 3;
  const k = Array.from(view.offsets).indexOf(at);
  assert.ok(k > 0);
  assert.equal(view.bytes[k], 0x3a);
});
