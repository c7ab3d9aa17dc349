/**
 * Rule capture-gap: bytes a capture lost become a finding at the `<N bytes not captured (reason)>`
 * placeholder of the imported transcript. Fixtures: server/test/fixtures/capture/make-fixtures.sh
 * (swaks-starttls-drop12.pcap is the real swaks capture with frame 12, the ServerHello segment,
 * deleted by editcap; swaks-starttls-snap100.pcap the same capture cut at 100 bytes per frame).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { readTranscript } from '../../src/core/formats/readTranscript';
import type { ByteGapEvent } from '../../src/core/model/transcript';
import { CAPTURE_FIXTURES, CORPUS_SESSIONS, importBytes, readFixture } from './helpers';

function gapsOf(text: string): ByteGapEvent[] {
  return readTranscript(text).sessions.flatMap((s) => s.events).filter((e): e is ByteGapEvent => e.kind === 'gap');
}

test('capture-gap fires at the hole left by a deleted frame (editcap), with its length, side and reason', () => {
  const r = importBytes(readFixture(path.join(CAPTURE_FIXTURES, 'swaks-starttls-drop12.pcap')));
  const a = analyzeDocument(r.text);
  const found = a.findings.filter((f) => f.rule === 'capture-gap');
  assert.equal(found.length, 1);
  const f = found[0];
  assert.equal(f.severity, 'warning');
  assert.equal(f.message, `${r.sessions[0].gapBytes} bytes from the server were not captured (acknowledged by the peer but not in the capture).`);
  // The finding covers the placeholder after `S: `.
  assert.match(r.text.slice(f.span.start, f.span.end), /^<1374 bytes not captured \(acknowledged by the peer but not in the capture\)>$/);
  assert.equal(r.text.slice(f.span.start - 3, f.span.start), 'S: ');
  // The reader's model says why.
  const gap = gapsOf(r.text).find((g) => g.cause === 'not-captured');
  assert.deepEqual(gap && [gap.direction, gap.length, gap.reason], ['server', 1374, 'acknowledged by the peer but not in the capture']);
});

test('capture-gap: snapshot-length cuts are gaps of both sides; a placeholder without a reason still counts', () => {
  const r = importBytes(readFixture(path.join(CAPTURE_FIXTURES, 'swaks-starttls-snap100.pcap')));
  const found = analyzeDocument(r.text).findings.filter((f) => f.rule === 'capture-gap');
  assert.equal(found.length, r.sessions[0].gaps);
  assert.ok(found.some((f) => f.message.startsWith('483 bytes from the client were not captured (cut by the snapshot length)')));
  const bare = analyzeDocument('S: 220 mx.example.test ESMTP\nC: EHLO a\nS: <1 byte not captured>\n').findings.filter((f) => f.rule === 'capture-gap');
  assert.deepEqual(bare.map((f) => f.message), ['1 byte from the server was not captured.']);
});

test('a capture cut at 100 bytes per frame: the lost bytes start no TLS, and an EHLO reply cut short judges no STARTTLS or PIPELINING', () => {
  const r = importBytes(readFixture(path.join(CAPTURE_FIXTURES, 'swaks-starttls-snap100.pcap')));
  const a = analyzeDocument(r.text);
  // The EHLO reply lost its last 160 bytes: its last line captured says more lines follow.
  const reply = a.sessions[0].session.events.find((e) => e.kind === 'reply' && e.code === 250);
  assert.ok(reply && reply.kind === 'reply' && reply.parts[reply.parts.length - 1].separator === '-');
  // What it loses is reported, nothing else: the greeting's lost 14 bytes do not put the EHLO inside TLS
  // (starttls-readvertised, starttls-tls-without-220 before), the cut reply lists no STARTTLS only
  // because its keywords were cut (starttls-not-advertised before).
  // The two TLS records the snapshot length cut (a ClientHello, a ServerHello) are the capture's gaps,
  // reported once, by capture-gap: not again as tls-truncated.
  assert.deepEqual([...new Set(a.findings.map((f) => f.rule))].sort(), ['capture-gap']);
  const ehlo = a.sessions[0].session.events.find((e) => e.kind === 'command' && e.verb === 'EHLO');
  assert.ok(ehlo && ehlo.kind === 'command' && ehlo.inTls === false);
  // The same dialogue with the reply whole still judges: STARTTLS missing from a complete reply fires.
  const whole = 'S: 220 mx.example.test ESMTP\nC: EHLO a\nS: 250-mx.example.test\nS: 250 PIPELINING\nC: STARTTLS\nS: 220 2.0.0 Ready\n';
  assert.deepEqual(analyzeDocument(whole).findings.map((f) => f.rule), ['starttls-not-advertised']);
  const cut = 'S: 220 mx.example.test ESMTP\nC: EHLO a\nS: 250-mx.example.test\nS: 250-PIPELIN\nS: <40 bytes not captured (cut by the snapshot length)>\nC: STARTTLS\nS: 220 2.0.0 Ready\n';
  assert.deepEqual(analyzeDocument(cut).findings.map((f) => f.rule), ['capture-gap']);
});

test('near miss: summarised TLS records (`<N bytes of TLS records>`, the importer\'s encrypted records) are not capture gaps', () => {
  // A project-side C:/S: transcript of the same session: every placeholder is a summary.
  const text = fs.readFileSync(path.join(CORPUS_SESSIONS, 'swaks-starttls/transcript-CS.txt'), 'utf8');
  assert.match(text, /^C: <80 bytes of TLS records>$/m);
  const summaries = gapsOf(text);
  assert.ok(summaries.length >= 3);
  assert.ok(summaries.every((g) => g.cause === undefined && g.reason === undefined));
  assert.deepEqual(analyzeDocument(text).findings.filter((f) => f.rule === 'capture-gap'), []);
  // The complete capture: encrypted records summarised by the importer, nothing lost.
  const r = importBytes(readFixture(path.join(CORPUS_SESSIONS, 'swaks-starttls/capture.pcap')));
  assert.match(r.text, /^C: <\d+ bytes of encrypted TLS records>$/m);
  assert.deepEqual(analyzeDocument(r.text).findings.filter((f) => f.rule === 'capture-gap'), []);
});

test('tls-truncated and capture-gap: a record cut by bytes the capture lost is reported once, as the gap; cut otherwise, as truncated', () => {
  // The snap100 import's ClientHello (record of 512 bytes, 29 captured), crafted down to its first line.
  const hello = 'C: 16 03 01 02 00 01 00 01 fc 03 03 b0 1e 0a 53 59';
  const rules = (text: string) => analyzeDocument(text).findings.map((f) => f.rule);
  assert.deepEqual(rules(`${hello}\nC: <497 bytes not captured (cut by the snapshot length)>\n`), ['capture-gap']);
  // The server's bytes between the hello and the client's gap change nothing.
  assert.deepEqual(rules(`${hello}\nS: 15 03 03 00 02 02 28\nC: <497 bytes not captured (cut by the snapshot length)>\n`).filter((r) => r !== 'tls-alert'), ['capture-gap']);
  // No gap, or a gap of the other side only, or a placeholder that is no loss (the importer's summary): truncated.
  assert.deepEqual(rules(`${hello}\n`), ['tls-truncated']);
  assert.deepEqual(rules(`${hello}\nS: <10 bytes not captured (cut by the snapshot length)>\n`).sort(), ['capture-gap', 'tls-truncated']);
  assert.deepEqual(rules(`${hello}\nC: <497 bytes of TLS records>\n`), ['tls-truncated']);
});
