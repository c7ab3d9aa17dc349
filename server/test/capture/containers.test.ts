/** Capture containers and link layers: the same real session read from every wrapping gives the same transcript. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import {
  CAPTURE_FIXTURES, CORPUS_SESSIONS, LIVE, addVlanTags, importBytes, listFrames, parseFollowHex, readFixture,
  rebuildStreams, stripEthernet, toHexString, toLoopback, transcriptBody, writePcap, writePcapng,
} from './helpers';
import { sniffCaptureFormat } from '../../src/core/capture/readCapture';

const SWAKS = path.join(CORPUS_SESSIONS, 'swaks-starttls/capture.pcap');

test('sniffing goes by magic numbers: pcap in both byte orders and precisions, pcapng, not text', () => {
  const cases: [number[], string | null][] = [
    [[0xd4, 0xc3, 0xb2, 0xa1], 'pcap'],
    [[0xa1, 0xb2, 0xc3, 0xd4], 'pcap'],
    [[0x4d, 0x3c, 0xb2, 0xa1], 'pcap'],
    [[0xa1, 0xb2, 0x3c, 0x4d], 'pcap'],
    [[0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0x1c, 0x1a, 0x2b, 0x3c, 0x4d], 'pcapng'],
    [[0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a], 'pcapng'],
    [[0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0, 0, 0, 0], null],
    [[...Buffer.from('S: 220 mx')], null],
  ];
  for (const [bytes, want] of cases) assert.equal(sniffCaptureFormat(new Uint8Array(bytes)), want, Buffer.from(bytes).toString('hex'));
});

test('pcap, pcapng (editcap -F pcapng) and nanosecond pcap (editcap -F nsecpcap) of one capture give the same transcript', () => {
  const base = importBytes(readFixture(SWAKS));
  assert.equal(base.failed, false);
  assert.equal(base.sessions.length, 1);
  for (const f of ['swaks-starttls.pcapng', 'swaks-starttls-nsec.pcap']) {
    const r = importBytes(readFixture(path.join(CAPTURE_FIXTURES, f)));
    assert.equal(r.failed, false, f);
    assert.equal(transcriptBody(r.text), transcriptBody(base.text), f);
    assert.equal(r.sessions[0].firstTime, base.sessions[0].firstTime, f);
  }
  assert.equal(importBytes(readFixture(path.join(CAPTURE_FIXTURES, 'swaks-starttls.pcapng'))).info?.format, 'pcapng');
  assert.equal(importBytes(readFixture(path.join(CAPTURE_FIXTURES, 'swaks-starttls-nsec.pcap'))).info?.timePrecision, 'nanoseconds');
  // tshark -r capture.pcap -t ud: frame 1 at 2026-11-29 03:31:53.929032, frame 28 at 03:31:53.956133.
  assert.equal(base.sessions[0].firstTime, '2026-11-29T03:31:53.929032000Z');
  assert.equal(base.sessions[0].lastTime, '2026-11-29T03:31:53.956133000Z');
  assert.equal(base.sessions[0].firstFrame, 1);
  assert.equal(base.sessions[0].lastFrame, 28);
});

test('each side of every corpus capture equals tshark follow,tcp,hex of the same file', () => {
  const dirs = fs.readdirSync(CORPUS_SESSIONS).filter((d) => fs.existsSync(path.join(CORPUS_SESSIONS, d, 'tshark-follow-tcp-hex.txt')));
  assert.ok(dirs.length >= 5);
  for (const d of dirs) {
    const r = importBytes(readFixture(path.join(CORPUS_SESSIONS, d, 'capture.pcap')), { elideApplicationData: false });
    const follow = parseFollowHex(fs.readFileSync(path.join(CORPUS_SESSIONS, d, 'tshark-follow-tcp-hex.txt'), 'utf8'));
    const s = rebuildStreams(r.text);
    assert.equal(r.sessions.length, 1, d);
    assert.equal(`${r.sessions[0].client.address}:${r.sessions[0].client.port}`, follow.nodes[0], d);
    assert.equal(toHexString(s.client), follow.node0, `${d}: client bytes`);
    assert.equal(toHexString(s.server), follow.node1, `${d}: server bytes`);
  }
});

test('Linux cooked SLL and SLL2 (tcpdump -i any) and IPv6 on ::1 port 2525: streams equal tshark follow', () => {
  for (const f of ['swaks-any-sll.pcap', 'swaks-any-sll2.pcap', 'ipv6-p2525-nsec.pcap']) {
    const r = importBytes(readFixture(path.join(CAPTURE_FIXTURES, f)), { elideApplicationData: false });
    assert.equal(r.failed, false, f);
    assert.equal(r.sessions.length, 1, f);
    const follow = parseFollowHex(fs.readFileSync(path.join(CAPTURE_FIXTURES, f.replace(/\.pcap$/, '.tshark-follow-hex.txt')), 'utf8'));
    const s = rebuildStreams(r.text);
    assert.equal(toHexString(s.client), follow.node0, `${f}: client bytes`);
    assert.equal(toHexString(s.server), follow.node1, `${f}: server bytes`);
  }
  const v6 = importBytes(readFixture(path.join(CAPTURE_FIXTURES, 'ipv6-p2525-nsec.pcap')));
  assert.equal(v6.sessions[0].server.address, '::1');
  assert.equal(v6.sessions[0].server.port, 2525);
  assert.match(v6.text, /^# session 1: client \[::1\]:\d+ -> server \[::1\]:2525/m);
  assert.match(v6.text, /^# smtptls-port: 2525$/m);
  // The three pipelined commands arrived in one segment: one paragraph, no blank line between them.
  assert.match(v6.text, /\nC: MAIL FROM:<bob@client\.example\.test>\nC: RCPT TO:<alice@v6\.example\.test>\nC: DATA\n/);
  assert.equal(v6.info?.timePrecision, 'nanoseconds');
  assert.match(v6.sessions[0].firstTime, /\.\d{9}Z$/);
});

test('tshark -x of the SLL and SLL2 captures: the cooked header is passed over (SLL2: 20 bytes, protocol first), the dialogue and findings are the capture\'s', () => {
  for (const f of ['swaks-any-sll', 'swaks-any-sll2']) {
    const dump = analyzeDocument(fs.readFileSync(path.join(CAPTURE_FIXTURES, `${f}.tshark-x.txt`), 'utf8'));
    const capture = analyzeDocument(importBytes(readFixture(path.join(CAPTURE_FIXTURES, `${f}.pcap`))).text);
    const dialogue = (a: typeof dump) => a.sessions.map((s) => s.session.events.flatMap((e) => (e.kind === 'command' ? [e.verb] : e.kind === 'reply' ? [String(e.code)] : [])));
    assert.deepEqual(dialogue(dump), dialogue(capture), f);
    assert.ok(dialogue(dump)[0].includes('STARTTLS'), f);
    // The port from the dumped TCP header (the import states it in a directive instead).
    assert.deepEqual(dump.sessions.map((s) => s.session.port), [25], f);
    assert.deepEqual(dump.findings.map((x) => x.rule), capture.findings.map((x) => x.rule), f);
  }
});

test('tshark -x of a capture cut at 100 bytes a frame: each frame\'s missing bytes (IP length past the dump) are a capture-gap, as the capture itself reports, not TLS errors', () => {
  const dump = analyzeDocument(fs.readFileSync(path.join(CAPTURE_FIXTURES, 'swaks-starttls-snap100.tshark-x.txt'), 'utf8'));
  const capture = analyzeDocument(importBytes(readFixture(path.join(CAPTURE_FIXTURES, 'swaks-starttls-snap100.pcap'))).text);
  const gaps = (a: typeof dump) => a.findings.map((f) => [f.rule, f.message.replace(/ \(.*$/, '')]);
  assert.deepEqual(gaps(dump), gaps(capture));
  assert.equal(dump.findings.length, 16);
  assert.ok(dump.findings.every((f) => f.rule === 'capture-gap' && /cut by the snapshot length/.test(f.message)), JSON.stringify(dump.findings.map((f) => f.message)));
});

test('tshark -x of a ClientHello sent in the segment of its STARTTLS: the bytes after "STARTTLS\\r\\n" are TLS (one session, starttls-tls-without-220 only), as in the capture', () => {
  const dump = analyzeDocument(fs.readFileSync(path.join(CAPTURE_FIXTURES, 'tls-hello-without-220.tshark-x.txt'), 'utf8'));
  const capture = analyzeDocument(importBytes(readFixture(path.join(CAPTURE_FIXTURES, '..', 'live', 'tls-hello-without-220.pcap'))).text);
  assert.equal(dump.sessions.length, 1);
  assert.deepEqual(dump.findings.map((f) => f.rule), ['starttls-tls-without-220']);
  assert.deepEqual(dump.findings.map((f) => f.message), capture.findings.map((f) => f.message));
  const verbs = dump.sessions[0].session.events.flatMap((e) => (e.kind === 'command' ? [e.verb] : []));
  assert.deepEqual(verbs, ['EHLO', 'STARTTLS']);
});

test('tshark -x with retransmissions (every frame over 120 bytes twice) reads as the capture without them: each byte once; a deleted frame is a capture-gap, as in the capture', () => {
  const read = (f: string) => analyzeDocument(fs.readFileSync(path.join(CAPTURE_FIXTURES, f), 'utf8'));
  const imported = (f: string) => analyzeDocument(importBytes(readFixture(f)).text);
  const dialogue = (a: ReturnType<typeof read>) => a.sessions.map((s) => s.session.events.flatMap((e) => (e.kind === 'command' ? [e.verb] : e.kind === 'reply' ? [String(e.code)] : [])));
  const original = imported(SWAKS);
  const twice = read('swaks-starttls-retransmitted.tshark-x.txt');
  assert.deepEqual(dialogue(twice), dialogue(original));
  assert.deepEqual(twice.findings, []);
  // The hellos decoded once each, as in the capture.
  const hellos = (a: ReturnType<typeof read>) => a.sessions.flatMap((s) => s.tlsEvents.flatMap((t) => t.records.flatMap((r) => r.messages.map((m) => m.type))));
  assert.deepEqual(hellos(twice), hellos(original));
  assert.ok(hellos(original).length >= 2, JSON.stringify(hellos(original)));
  const dropped = read('swaks-starttls-drop12.tshark-x.txt');
  const droppedCapture = imported(path.join(CAPTURE_FIXTURES, 'swaks-starttls-drop12.pcap'));
  assert.deepEqual(dropped.findings.map((f) => [f.rule, f.message]), droppedCapture.findings.map((f) => [f.rule, f.message]));
  assert.deepEqual(dropped.findings.map((f) => f.rule), ['capture-gap']);
  // tshark's follow,tcp,ascii marks the hole as a chunk "[1374 bytes missing in capture file]." of the server.
  const ascii = read('swaks-starttls-drop12.tshark-follow-ascii.txt');
  assert.deepEqual(ascii.findings.map((f) => [f.rule, f.message]), [['capture-gap', '1374 bytes from the server were not captured (tshark follow: missing in the capture file).']]);
  assert.match(droppedCapture.findings[0].message, /^1374 bytes from the server were not captured/);
});

test('raw IP (101, 228), BSD loopback (0, host order) and LOOP (108, network order) wrappings of the same frames', () => {
  const frames = listFrames(readFixture(SWAKS));
  const base = transcriptBody(importBytes(writePcap(frames, 1)).text);
  const variants: [string, Uint8Array][] = [
    ['raw 101', writePcap(stripEthernet(frames), 101)],
    ['ipv4 228', writePcap(stripEthernet(frames), 228)],
    ['null 0 LE', writePcap(toLoopback(frames, true), 0)],
    ['null 0 BE', writePcap(toLoopback(frames, false), 0)],
    ['loop 108', writePcap(toLoopback(frames, false), 108)],
    ['802.1Q', writePcap(addVlanTags(frames, [[0x8100, 100]]), 1)],
    ['QinQ 802.1ad', writePcap(addVlanTags(frames, [[0x88a8, 200], [0x8100, 100]]), 1)],
  ];
  for (const [name, bytes] of variants) {
    const r = importBytes(bytes);
    assert.equal(r.failed, false, name);
    assert.equal(transcriptBody(r.text), base, name);
  }
});

test('pcapng: both byte orders, two interfaces, if_tsresol (nanoseconds, 2^-20), simple packet blocks', () => {
  const frames = listFrames(readFixture(SWAKS));
  const base = importBytes(writePcap(frames, 1));
  const body = transcriptBody(base.text);
  for (const bigEndian of [false, true]) {
    // Odd frames on interface 1 (nanoseconds), even ones on interface 0 (microseconds).
    const two = writePcapng(frames, [{ linkType: 1 }, { linkType: 1, tsresol: 9 }], { bigEndian, frameInterface: (i) => i % 2 });
    const r = importBytes(two);
    assert.equal(r.failed, false);
    assert.equal(r.info?.byteOrder, bigEndian ? 'big-endian' : 'little-endian');
    assert.equal(transcriptBody(r.text), body, `two interfaces, bigEndian=${bigEndian}`);
    assert.equal(r.sessions[0].lastTime, base.sessions[0].lastTime);
    const binary = importBytes(writePcapng(frames, [{ linkType: 1, tsresol: 0x80 | 20 }], { bigEndian }));
    // 2^-20 s units (about 0.95 µs): the microsecond times survive to within one unit.
    const nanosOf = (t: string): number => Number(t.slice(20, 29));
    assert.equal(binary.sessions[0].firstTime.slice(0, 20), base.sessions[0].firstTime.slice(0, 20));
    assert.ok(Math.abs(nanosOf(binary.sessions[0].firstTime) - nanosOf(base.sessions[0].firstTime)) < 954, binary.sessions[0].firstTime);
    const simple = importBytes(writePcapng(frames, [{ linkType: 1 }], { bigEndian, simple: true }));
    // Simple Packet Blocks carry no time: neither the frame comments' times nor the session's `# smtptls-time:` line.
    assert.doesNotMatch(simple.text, /smtptls-time/);
    assert.equal(transcriptBody(simple.text).replace(/, first .*?;/g, ''), body.replace(/, first .*?;/g, '').replace(/^# smtptls-time: .*\n/m, ''), 'SPB');
  }
});

test('a whole live capture set imports and the findings equal those of the recorded client-side transcript', async () => {
  const { analyzeDocument } = await import('../../src/core/analysis/analyzeDocument');
  const rules = (text: string): string[] => analyzeDocument(text).findings.map((f) => `${f.rule} ${f.severity}`).sort();
  const names = fs.readdirSync(LIVE).filter((f) => f.endsWith('.pcap'));
  assert.ok(names.length >= 10);
  for (const f of names) {
    const sample = path.join(LIVE, '../../../../samples', f.replace(/\.pcap$/, '.transcript'));
    if (!fs.existsSync(sample)) continue;
    const r = importBytes(readFixture(path.join(LIVE, f)));
    assert.equal(r.sessions.length, 1, f);
    assert.deepEqual(rules(r.text), rules(fs.readFileSync(sample, 'utf8')), f);
  }
});
