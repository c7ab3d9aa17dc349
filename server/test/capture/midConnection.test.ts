/**
 * Captures that start inside a connection (tcpdump started during a long upload, a rotated ring
 * buffer file): no SYN, so the importer cannot know what came before. It says so
 * (`# smtptls-session began-before-capture`, read as a session whose start is missing), takes
 * each side's first bytes for SMTP text or TLS by what they are, and finds the TLS framing again
 * at the first record boundary when they begin inside a record (tls/recordBoundary.ts).
 *
 * Made from real captures of the corpus (recorded against postfix): the first k frames dropped,
 * for every k, and the segments split to 100 bytes (as on a network with a small segment size).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { CORPUS_SESSIONS, LIVE, importBytes, listFrames, readFixture, resegment, writePcap, type RawFrame } from './helpers';

const UPLOADS = path.join(__dirname, '..', 'fixtures', 'uploads');

const SOURCES = [
  path.join(CORPUS_SESSIONS, 'swaks-starttls', 'capture.pcap'),
  path.join(CORPUS_SESSIONS, 'curl-v-starttls', 'capture.pcap'),
  path.join(CORPUS_SESSIONS, 'gnutls-default-d5', 'capture.pcap'),
  path.join(LIVE, 'openssl-tls12-clean.pcap'),
  // A message of 9 KB in clear (server/test/fixtures/uploads/README.md): a capture started during DATA.
  path.join(UPLOADS, 'swaks-plain-6k.pcap'),
];

/** Whether an Ethernet/IPv4 TCP frame has the SYN flag (byte 13 of the TCP header, bit 1). */
function isSyn(f: RawFrame): boolean {
  const ihl = (f.data[14] & 15) * 4;
  return (f.data[14 + ihl + 13] & 0x02) !== 0;
}

function check(frames: readonly RawFrame[]): { text: string; rules: string[] } {
  const text = importBytes(writePcap(frames, 1)).text;
  return { text, rules: analyzeDocument(text).findings.map((f) => f.rule) };
}

/** Bytes a transcript shows for one side: hex bytes plus the byte counts of its summaries. */
function shownBytes(text: string, prefix: 'C: ' | 'S: '): number {
  let n = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const m = /^<(\d+) bytes of encrypted TLS records>$/.exec(line.slice(3));
    if (m) n += Number(m[1]);
    else if (/^[0-9a-f]{2}( [0-9a-f]{2})*$/.test(line.slice(3))) n += line.slice(3).split(' ').length;
  }
  return n;
}

for (const source of SOURCES) {
  const name = path.basename(path.dirname(source)) + '/' + path.basename(source);
  test(`${name}: started after any number of frames, no finding the whole capture lacks`, () => {
    const frames = listFrames(readFixture(source));
    const whole = new Set(check(frames).rules);
    for (let k = 1; k < frames.length; k++) {
      const { text, rules } = check(frames.slice(k));
      const extra = rules.filter((r) => !whole.has(r) && r !== 'capture-file-problem');
      assert.deepEqual(extra, [], `first ${k} frames dropped`);
      // Without a SYN or SYN-ACK the importer says the capture began inside the connection.
      if (text.includes('# smtptls-session') && !frames.slice(k).some(isSyn)) assert.ok(text.includes('# smtptls-session began-before-capture'), `first ${k} frames dropped: no SYN`);
    }
  });
}

test('segments of 100 bytes: every byte is shown, as hex or counted in a summary, and the findings are those of the loopback capture', () => {
  for (const source of SOURCES) {
    const frames = listFrames(readFixture(source));
    const small = resegment(frames, 100);
    assert.ok(small.length > frames.length + 10);
    const a = check(frames);
    const b = check(small);
    assert.deepEqual(b.rules, a.rules, source);
    for (const side of ['C: ', 'S: '] as const) assert.equal(shownBytes(b.text, side), shownBytes(a.text, side), `${source} ${side}`);
  }
});

test('segments of 100 bytes, started inside the TLS stream: framing found again, the rest summarised, nothing reported', () => {
  let resynced = 0;
  for (const source of SOURCES) {
    const frames = resegment(listFrames(readFixture(source)), 100);
    for (let k = Math.floor(frames.length / 3); k < frames.length; k += 3) {
      const { text, rules } = check(frames.slice(k));
      assert.deepEqual(rules.filter((r) => r !== 'capture-file-problem'), [], `${source} from frame ${k}`);
      if (text.includes('a record that began before the capture') && text.includes('bytes of encrypted TLS records>')) resynced++;
    }
  }
  assert.ok(resynced > 5, `${resynced} captures found the framing again`);
});

test('a capture that starts during DATA in clear: the client lines before the first reply, up to the lone ".", are message text', () => {
  const frames = listFrames(readFixture(path.join(UPLOADS, 'swaks-plain-6k.pcap')));
  // From frame 17 on (index 16): the rest of the message text and its ".", then the 250 reply.
  const text = importBytes(writePcap(frames.slice(16), 1)).text;
  const a = analyzeDocument(text);
  assert.deepEqual(a.findings.map((f) => f.rule), []);
  const events = a.sessions[0].session.events;
  const firstReply = events.findIndex((e) => e.kind === 'reply');
  const leading = events.slice(0, firstReply).filter((e) => e.kind === 'command');
  assert.ok(leading.length > 5);
  assert.ok(leading.every((e) => e.kind === 'command' && e.dataLine === true));
  assert.ok(events.slice(firstReply).some((e) => e.kind === 'command' && e.verb === 'QUIT' && !e.dataLine));
});

test('a capture that starts and ends inside one message in clear (a ring buffer\'s middle file): its client lines are message text', () => {
  const frames = listFrames(readFixture(path.join(UPLOADS, 'swaks-plain-6k.pcap')));
  // Frames 15 and 16: 8,192 bytes of the message and the server's ACK; no reply, no ".".
  assert.equal(frames[14].data.length, 8258);
  const text = importBytes(writePcap(frames.slice(14, 16), 1)).text;
  const a = analyzeDocument(text);
  assert.deepEqual(a.findings.map((f) => f.rule), []);
  const commands = a.sessions[0].session.events.filter((e) => e.kind === 'command');
  assert.ok(commands.length > 100);
  assert.ok(commands.every((e) => e.kind === 'command' && e.dataLine === true));
});

test('a capture window anywhere inside the clear session (any first and last frame): no finding the whole capture lacks', () => {
  const frames = listFrames(readFixture(path.join(UPLOADS, 'swaks-plain-6k.pcap')));
  const whole = new Set(check(frames).rules);
  let windows = 0;
  for (let k = 1; k < frames.length; k++) {
    for (let j = k + 1; j <= frames.length; j++) {
      const extra = check(frames.slice(k, j)).rules.filter((r) => !whole.has(r) && r !== 'capture-file-problem');
      assert.deepEqual(extra, [], `frames ${k + 1} to ${j}`);
      windows++;
    }
  }
  assert.ok(windows > 250);
});

test('bytes of message text a capture lost (a segment missing, acknowledged by the server) are reported, and are not taken for TLS', () => {
  const frames = listFrames(readFixture(path.join(UPLOADS, 'swaks-plain-6k.pcap')));
  // Frame 15 carries the first 8,192 bytes of the message; frame 16 acknowledges them.
  assert.equal(frames[14].data.length, 8258);
  const text = importBytes(writePcap([...frames.slice(0, 14), ...frames.slice(15)], 1)).text;
  assert.match(text, /<8192 bytes not captured \(acknowledged by the peer but not in the capture\)>/);
  assert.deepEqual(
    analyzeDocument(text).findings.map((f) => f.rule),
    ['capture-gap'],
  );
});
