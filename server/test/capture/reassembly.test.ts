/** TCP reassembly on real frames: reordering, retransmission, overlap, lost segments, snapshot cuts, FIN/RST. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { CAPTURE_FIXTURES, CORPUS_SESSIONS, importBytes, listFrames, readFixture, rebuildStreams, toHexString, transcriptBody, payloadRange, slicePayload, writePcap } from './helpers';
import { readTranscript } from '../../src/core/formats/readTranscript';

const SWAKS = path.join(CORPUS_SESSIONS, 'swaks-starttls/capture.pcap');
const frames = listFrames(readFixture(SWAKS));
const full = importBytes(writePcap(frames, 1), { elideApplicationData: false });
const fullStreams = rebuildStreams(full.text);

test('segments out of order, a duplicate and a retransmission give the same streams', () => {
  // Frame 11 (ClientHello, 517 payload bytes) split in three pieces sent in the order A C B B;
  // frame 12 (server) sent twice (a retransmission before the client's next segment acknowledges it).
  const f = frames[10];
  const [, len] = payloadRange(f);
  const a = slicePayload(f, 0, 200);
  const b = slicePayload(f, 200, 400);
  const c = slicePayload(f, 400, len);
  const reordered = [...frames.slice(0, 10), a, c, b, b, frames[11], frames[11], ...frames.slice(12)];
  const r = importBytes(writePcap(reordered, 1), { elideApplicationData: false });
  const s = rebuildStreams(r.text);
  assert.equal(toHexString(s.client), toHexString(fullStreams.client));
  assert.equal(toHexString(s.server), toHexString(fullStreams.server));
  assert.match(r.text, /bytes retransmitted/);
  assert.match(r.text, /1 segment out of order/);
});

test('an overlapping retransmission (half old, half new data) is trimmed, not duplicated', () => {
  // Frame 11's payload in two frames whose halves overlap by 100 bytes.
  const f = frames[10];
  const [, len] = payloadRange(f);
  const cut = Math.floor(len / 2);
  const split = [...frames.slice(0, 10), slicePayload(f, 0, cut + 100), slicePayload(f, cut, len), ...frames.slice(11)];
  const r = importBytes(writePcap(split, 1), { elideApplicationData: false });
  assert.equal(toHexString(rebuildStreams(r.text).client), toHexString(fullStreams.client));
  // The two pieces stay two segments: a blank line separates two client paragraphs.
  assert.match(r.text, /# frame 11\n(C: .*\n)+\n# frame 12\nC: /);
});

test('a lost segment (editcap deleted frame 12) becomes a gap of exactly its length, with the frame', () => {
  const r = importBytes(readFixture(path.join(CAPTURE_FIXTURES, 'swaks-starttls-drop12.pcap')));
  const [, len] = payloadRange(frames[11]);
  assert.match(r.text, new RegExp(`^S: <${len} bytes not captured \\(acknowledged by the peer but not in the capture\\)>$`, 'm'));
  assert.match(r.text, /^# frame \d+: \d+ bytes from the server missing$/m);
  assert.equal(r.sessions[0].gaps, 1);
  assert.equal(r.sessions[0].gapBytes, len);
  // The readers see a gap event of that length from the server.
  const gaps = readTranscript(r.text).sessions.flatMap((s) => s.events).filter((e) => e.kind === 'gap' && r.text.slice(e.span.start, e.span.end).includes('not captured'));
  assert.deepEqual(gaps.map((g) => g.kind === 'gap' && [g.direction, g.length]), [['server', len]]);
});

test('snapshot length 100 (editcap -s 100): each cut segment keeps its first bytes, the rest are gaps', () => {
  const r = importBytes(readFixture(path.join(CAPTURE_FIXTURES, 'swaks-starttls-snap100.pcap')), { elideApplicationData: false });
  assert.equal(r.failed, false);
  assert.match(r.text, /cut by the snapshot length/);
  // Frame 11 (ClientHello, 517 payload bytes): 100 - 66 header bytes = 34 captured, 483 missing.
  const [, len] = payloadRange(frames[10]);
  assert.match(r.text, new RegExp(`^C: <${len - 34} bytes not captured \\(cut by the snapshot length\\)>$`, 'm'));
  // The greeting (frame 4, 45 bytes of payload) fits: text lines still read.
  assert.match(r.text, /^S: 220 mx\.feas\.test ESMTP Postfix/m);
});

test('FIN and RST become connection-closed notes for the readers', () => {
  const r = importBytes(readFixture(SWAKS));
  assert.match(r.text, /^S: <closes the connection>$/m);
  assert.match(r.text, /^C: <resets the connection>$/m);
  const notes = readTranscript(r.text).sessions.flatMap((s) => s.events).filter((e) => e.kind === 'note' && e.note === 'connection-closed');
  assert.equal(notes.length, 2);
});

test('several connections, also reusing the same ports, become one section each', () => {
  const one = frames;
  // The same session twice, the second one second later (same 4-tuple: a SYN after the RST starts anew).
  const later = one.map((f) => ({ ...f, seconds: f.seconds + 1 }));
  const r = importBytes(writePcap([...one, ...later], 1));
  assert.equal(r.sessions.length, 2);
  assert.equal(readTranscript(r.text).sessions.length, 2);
  assert.equal((r.text.match(/^# smtptls-session$/gm) ?? []).length, 2);
  assert.equal(r.sessions[1].firstFrame, 29);
});

test('the source map gives every transcript line its frames', () => {
  const r = importBytes(readFixture(SWAKS));
  const lines = r.text.split('\n');
  const at = (re: RegExp): [number, number] => {
    const i = lines.findIndex((l) => re.test(l));
    return [r.lineFrames[2 * i], r.lineFrames[2 * i + 1]];
  };
  // tshark -r capture.pcap: frame 4 is the 220 greeting, 6 the EHLO, 11 the ClientHello.
  assert.deepEqual(at(/^S: 220 mx/), [4, 4]);
  assert.deepEqual(at(/^C: EHLO/), [6, 6]);
  assert.deepEqual(at(/^C: 16 03 01 02 00/), [11, 11]);
  assert.deepEqual(at(/^# smtptls-session/), [0, 0]);
  assert.equal(r.lineFrames.length, r.lineCount * 2);
  // Every line of a hex block (rendered as one piece of text) has the block's frames, and the lines after it keep theirs.
  const hello = lines.findIndex((l) => /^C: 16 03 01 02 00/.test(l));
  let end = hello;
  while (/^C:( [0-9a-f]{2})+$/.test(lines[end + 1])) end++;
  assert.ok(end - hello >= 30, `the 517-byte ClientHello spans ${end - hello + 1} hex lines`);
  for (let i = hello; i <= end; i++) assert.deepEqual([r.lineFrames[2 * i], r.lineFrames[2 * i + 1]], [11, 11], `line ${i}`);
  const reply = lines.findIndex((l, i) => i > end && l.startsWith('S: '));
  assert.ok(r.lineFrames[2 * reply] > 11);
});

test('SMTP is found on an unknown port by the greeting or by EHLO, and other streams are left out', () => {
  // Move the server from port 25 to 10025 (rewrite both port fields; checksums are not checked).
  const moved = frames.map((f) => {
    const d = f.data.slice();
    const v = new DataView(d.buffer);
    for (const at of [34, 36]) if (v.getUint16(at) === 25) v.setUint16(at, 10025);
    return { ...f, data: d };
  });
  const r = importBytes(writePcap(moved, 1));
  assert.equal(r.sessions.length, 1);
  assert.match(r.text, /recognised by a 220 greeting from the server/);
  assert.equal(transcriptBody(r.text).replace(/10025/g, '25').replace(/recognised by .*\)/, ''), transcriptBody(importBytes(readFixture(SWAKS)).text).replace(/recognised by .*\)/, ''));
  // Without its greeting frame (4) the stream on 10025 starts with EHLO: still SMTP.
  const noGreeting = importBytes(writePcap(moved.filter((_, i) => i !== 3), 1));
  assert.match(noGreeting.text, /recognised by a HELO\/EHLO from the client/);
  // A stream on an unknown port that starts with anything else is not SMTP.
  const http = moved.map((f) => {
    const [off, len] = payloadRange(f);
    const d = f.data.slice();
    if (len > 0) d.set(Buffer.from('GET / HTTP/1.1\r\n'.slice(0, len)), off);
    return { ...f, data: d };
  });
  const none = importBytes(writePcap(http, 1));
  assert.equal(none.sessions.length, 0);
  assert.match(none.text, /no SMTP found/);
});
