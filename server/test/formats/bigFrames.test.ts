/**
 * tshark -x of a loopback frame of 64 KB or more writes 5-digit offsets (`0fff0`, `10000`); before,
 * only 4-digit offsets were read, so the frame's last line was lost and with it the TLS framing (a
 * false tls-malformed error per such frame in a large upload). The fixture is a real frame from the
 * middle of a 4 MB upload (server/test/fixtures/uploads/README.md): the dump reads to the frame's
 * TCP payload byte for byte, as a connection whose start is not in the text, decoded from its first
 * record boundary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { listFrames, readFixture } from '../capture/helpers';

const DIR = path.join(__dirname, '..', 'fixtures', 'uploads');

/** The TCP payload of an Ethernet/IPv4 frame (header lengths from the IHL and data offset fields). */
function tcpPayload(frame: Uint8Array): Uint8Array {
  const ihl = (frame[14] & 15) * 4;
  const tcp = 14 + ihl;
  const totalLength = (frame[16] << 8) | frame[17];
  return frame.subarray(tcp + (frame[tcp + 12] >> 4) * 4, 14 + totalLength);
}

test('tshark -x of a 65,549-byte frame: every byte read, a connection begun before the dump, TLS decoded from the first record boundary', () => {
  const [frame] = listFrames(readFixture(path.join(DIR, 'swaks-upload-frame-49.pcap')));
  assert.equal(frame.data.length, 65549);
  const text = fs.readFileSync(path.join(DIR, 'swaks-upload-frame-49.tshark-x.txt'), 'utf8');
  const analysis = analyzeDocument(text);
  assert.equal(analysis.transcript.format, 'tshark-x');
  const [session] = analysis.sessions;
  assert.equal(session.session.startMissing, true);
  assert.equal(session.session.port, 25);
  const [stream] = session.streams;
  assert.equal(stream.direction, 'client');
  assert.deepEqual(Buffer.from(stream.view.bytes), Buffer.from(tcpPayload(frame.data)));
  // Application data records of 16,401 bytes from the first boundary on; the last is cut by the end of the frame.
  const records = stream.decoded.records;
  assert.ok(records.length >= 3);
  assert.ok(records.every((r) => r.contentType === 23 && r.length === 16401));
  assert.deepEqual(
    analysis.findings.map((f) => f.rule),
    ['tls-truncated'],
  );
});
