/**
 * Wire records of length 0, judged alike whether the whole record is in a stream
 * (decodeTlsStream: a pcap, a C:/S: dump) or only its header is shown (decodeRecordHeaderOnly:
 * openssl -msg, curl --trace). Plaintext Handshake, Alert and ChangeCipherSpec fragments are
 * never empty (RFC 5246 §6.2.1, RFC 8446 §5.1), nor is a HeartbeatMessage (RFC 6520 §4); a
 * protected record, application data always (RFC 5246 appendix A.5, RFC 8446 §5.2), carries a
 * MAC or AEAD tag (RFC 5246 §6.2.3), so even an empty fragment makes a non-empty record.
 * Crafted records: <type> 03 03 00 00.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { DecodedTlsStream } from '../../src/core/model/tls';
import { decodeRecordHeaderOnly, decodeTlsStream, emptyRecordProblem } from '../../src/core/tls/decodeStream';
import { cat, clientHelloRecord, handshake, hex, record } from './helpers';

const summary = (d: DecodedTlsStream): string[] => d.problems.map((p) => `${p.kind} [${p.start}, ${p.end}): ${p.message}`);

test('a record of length 0 is malformed at its length, with the same message in a stream as shown header-only, for every content type', () => {
  for (const type of [20, 21, 22, 23, 24]) {
    const bytes = Uint8Array.of(type, 3, 3, 0, 0);
    const stream = summary(decodeTlsStream(bytes));
    assert.equal(stream.length, 1, `type ${type}: ${stream.join(' | ')}`);
    assert.match(stream[0], /^malformed \[3, 5\): .* record of length 0: /, `type ${type}`);
    assert.deepEqual(summary(decodeRecordHeaderOnly(bytes)), stream, `type ${type}`);
  }
  assert.match(summary(decodeTlsStream(Uint8Array.of(23, 3, 3, 0, 0)))[0], /application data is always protected, and its MAC or AEAD tag takes bytes/);
});

test('an empty application data record between two whole records: reported once, the records around it still decode', () => {
  const hello = clientHelloRecord();
  const alert = record(21, 0x0303, hex('01 00'));
  const bytes = cat(hello, Uint8Array.of(23, 3, 3, 0, 0), alert);
  const d = decodeTlsStream(bytes, { direction: 'client' });
  const at = hello.length + 3;
  assert.deepEqual(
    d.problems.map((p) => [p.kind, p.start, p.end]),
    [['malformed', at, at + 2]],
    summary(d).join(' | '),
  );
  assert.deepEqual(
    d.records.map((r) => r.contentType),
    [22, 23, 21],
  );
  assert.equal(d.records[0].messages[0].name, 'ClientHello');
  assert.equal(d.records[2].alert?.name, 'close_notify');
});

test('after ChangeCipherSpec (TLS 1.2) an empty handshake record is protected and still malformed; a non-empty one is not', () => {
  const ccs = record(20, 0x0303, hex('01'));
  const empty = decodeTlsStream(cat(ccs, Uint8Array.of(22, 3, 3, 0, 0)), { direction: 'client' });
  assert.deepEqual(summary(empty), [`malformed [${ccs.length + 3}, ${ccs.length + 5}): handshake record of length 0: a protected record is never empty, its MAC or AEAD tag takes bytes`]);
  assert.deepEqual(summary(decodeTlsStream(cat(ccs, record(22, 0x0303, new Uint8Array(40).fill(0x99))), { direction: 'client' })), []);
  assert.deepEqual(summary(decodeTlsStream(record(23, 0x0303, new Uint8Array(17).fill(0x99)))), []);
});

test('an empty handshake record inside a message split over records: malformed there, the message still reassembles', () => {
  const msg = handshake(20, new Uint8Array(12).fill(0x44)); // Finished, 12 bytes of verify_data
  const bytes = cat(record(22, 0x0303, msg.subarray(0, 6)), Uint8Array.of(22, 3, 3, 0, 0), record(22, 0x0303, msg.subarray(6)));
  const d = decodeTlsStream(bytes, { direction: 'server' });
  assert.deepEqual(
    d.problems.map((p) => [p.kind, p.start, p.end]),
    [['malformed', 11 + 3, 11 + 5]],
    summary(d).join(' | '),
  );
  assert.equal(d.records.flatMap((r) => r.messages).length, 1);
});

test('emptyRecordProblem: which content types may be empty', () => {
  assert.equal(emptyRecordProblem(23, true)?.includes('application data is always protected'), true);
  assert.match(emptyRecordProblem(22, true) ?? '', /protected record is never empty/);
  assert.match(emptyRecordProblem(20, false) ?? '', /one byte of value 1/);
  assert.match(emptyRecordProblem(21, false) ?? '', /never empty/);
  assert.match(emptyRecordProblem(24, false) ?? '', /at least 19 bytes/);
  assert.equal(emptyRecordProblem(25, false), null, 'unknown content types: nothing known about their length');
});
