/** Bad captures: a clear problem and whatever could be read, never an exception. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { CAPTURE_FIXTURES, CORPUS_SESSIONS, importBytes, readFixture } from './helpers';
import { createBufferSource, ChunkedReader } from '../../src/core/capture/captureSource';

const SWAKS = readFixture(path.join(CORPUS_SESSIONS, 'swaks-starttls/capture.pcap'));
const SWAKS_NG = readFixture(path.join(CAPTURE_FIXTURES, 'swaks-starttls.pcapng'));

test('wrong magic: not a capture, with the bytes it starts with', () => {
  const r = importBytes(new Uint8Array(Buffer.from('S: 220 mx.example.test ESMTP\n')));
  assert.equal(r.info, null);
  assert.equal(r.failed, true);
  assert.match(r.problems[0].message, /not a pcap or pcapng capture \(starts with 53 3a 20 32/);
  assert.match(importBytes(new Uint8Array(0)).problems[0].message, /empty/);
});

test('every prefix of a pcap and a pcapng: no exception, cut files say where they end, sessions so far are kept', () => {
  for (const [name, bytes] of [['pcap', SWAKS], ['pcapng', SWAKS_NG]] as const) {
    for (let n = 0; n <= bytes.length; n += n < 64 ? 1 : 37) {
      const r = importBytes(bytes.subarray(0, n));
      assert.equal(typeof r.text, 'string');
      if (n === bytes.length) assert.equal(r.failed, false, name);
    }
    // Cut in the middle of frame 20: frames 1-19 are read, the error names frame 20.
    const cut = importBytes(bytes.subarray(0, Math.floor(bytes.length * 0.75)));
    assert.equal(cut.failed, true, name);
    assert.match(cut.problems.map((p) => p.message).join('\n'), /the file ends inside (frame \d+|the record header of frame \d+|a block header at offset \d+)/, name);
    assert.equal(cut.sessions.length, 1, name);
    assert.match(cut.text, /^S: 220 mx\.feas\.test/m, name);
    assert.match(cut.text, /^# error: the file ends inside/m, name);
  }
});

test('an absurd record length stops reading there with a clear error (no allocation of that size)', () => {
  const bad = SWAKS.slice();
  // Frame 5's record header starts after the file header and frames 1-4; set its captured length to 0x7fffffff.
  let at = 24;
  const v = new DataView(bad.buffer);
  for (let i = 0; i < 4; i++) at += 16 + v.getUint32(at + 8, true);
  v.setUint32(at + 8, 0x7fffffff, true);
  const r = importBytes(bad);
  assert.equal(r.failed, true);
  assert.match(r.problems[0].message, /frame 5 claims 2147483647 captured bytes .* corrupt from offset/);
  assert.equal(r.info?.frames, 4);
  // pcapng: a block length that is not a multiple of 4.
  const ng = SWAKS_NG.slice();
  new DataView(ng.buffer).setUint32(ng.length - 8 - 100, 0, true);
  assert.doesNotThrow(() => importBytes(ng));
});

test('random bytes behind a valid header, and random flips in a real capture: never an exception', () => {
  let seed = 12345;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  for (let round = 0; round < 300; round++) {
    const base = round % 2 === 0 ? SWAKS : SWAKS_NG;
    const b = base.slice();
    const flips = 1 + (rand() % 20);
    for (let i = 0; i < flips; i++) b[rand() % b.length] = rand() & 0xff;
    const r = importBytes(b);
    assert.equal(typeof r.text, 'string');
  }
  for (let round = 0; round < 100; round++) {
    const b = new Uint8Array(24 + (rand() % 4000));
    for (let i = 0; i < b.length; i++) b[i] = rand() & 0xff;
    b.set(SWAKS.subarray(0, 24));
    assert.equal(typeof importBytes(b).text, 'string');
  }
});

test('the chunked reader hands out records across chunk borders and grows only to the request', () => {
  const bytes = new Uint8Array(10000).map((_, i) => i & 0xff);
  const reader = new ChunkedReader(createBufferSource(bytes), 64);
  let sum = 0;
  for (;;) {
    const n = reader.request(100);
    if (n === 0) break;
    const w = reader.window;
    for (let i = 0; i < n; i++) sum += w[reader.index + i];
    reader.skip(n);
  }
  assert.equal(sum, bytes.reduce((a, b) => a + b, 0));
  assert.ok(reader.window.length <= 128);
});

test('a snapshot length shorter than the headers (editcap -s 60): a warning naming the cut, not a silent empty capture', () => {
  // swaks-starttls-snap60.pcap: the corpus capture through `editcap -F pcap -s 60`; Ethernet + IPv4 + TCP
  // with timestamps is 66 bytes, so every frame ends inside its TCP header (found by the live stage).
  const r = importBytes(readFixture(path.join(CAPTURE_FIXTURES, 'swaks-starttls-snap60.pcap')));
  assert.equal(r.failed, false);
  assert.equal(r.sessionCount, 0);
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0].message, /^frame 1 was cut by the capture's snapshot length inside its IP\/TCP headers \(60 of \d+ bytes captured\)/);
  assert.match(r.text, /^# warning: frame 1 was cut by the capture's snapshot length/m);
});

test("a record whose original length is less than its captured length: one warning at that frame, the bytes still read (pcap and pcapng)", () => {
  // Classic pcap (little-endian): 24-byte file header, then per record ts_sec, ts_usec, incl_len (+8), orig_len (+12).
  const pcap = Uint8Array.from(SWAKS);
  const view = new DataView(pcap.buffer);
  let at = 24;
  for (let frame = 1; frame < 3; frame++) at += 16 + view.getUint32(at + 8, true);
  const captured = view.getUint32(at + 8, true);
  view.setUint32(at + 12, captured - 1, true);
  const clean = importBytes(SWAKS);
  assert.ok(!clean.problems.some((p) => /original length/.test(p.message)), 'the real capture has none');
  const r = importBytes(pcap);
  const found = r.problems.filter((p) => /original length/.test(p.message));
  assert.equal(found.length, 1);
  assert.match(found[0].message, new RegExp(`^frame 3 says its packet was ${captured - 1} bytes long but holds ${captured} captured bytes`));
  assert.equal(r.sessionCount, clean.sessionCount);
  // pcapng: blocks of (type, total length, body); an enhanced packet block (type 6) has captured (+20) and original (+24) lengths.
  const ng = Uint8Array.from(SWAKS_NG);
  const nv = new DataView(ng.buffer);
  const le = nv.getUint32(8, true) === 0x1a2b3c4d;
  let b = 0;
  while (nv.getUint32(b, le) !== 6) b += nv.getUint32(b + 4, le);
  nv.setUint32(b + 24, 0, le);
  assert.ok(!importBytes(SWAKS_NG).problems.some((p) => /original length/.test(p.message)));
  const rn = importBytes(ng);
  assert.equal(rn.problems.filter((p) => /original length/.test(p.message)).length, 1);
  assert.match(rn.problems.find((p) => /original length/.test(p.message))!.message, /^frame \d+ says its packet was 0 bytes long but holds \d+ captured bytes/);
});
