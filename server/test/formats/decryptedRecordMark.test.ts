/** The mark a capture import writes before a decrypted record's bytes, and the C:/S: reader's reading of it. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { describeDecryptedRecord, parseDecryptedRecordMark } from '../../src/core/formats/decryptedRecordMark';
import { readTranscript } from '../../src/core/formats/readTranscript';
import type { ByteRunEvent } from '../../src/core/model/transcript';

test('marks name the version and content type, and read back', () => {
  assert.equal(describeDecryptedRecord(0x0304, 22), '<decrypted TLS 1.3 record: handshake (22)>');
  assert.equal(describeDecryptedRecord(0x0301, 21), '<decrypted TLS 1.0 record: alert (21)>');
  for (const [v, t] of [[0x0300, 20], [0x0302, 23], [0x0303, 24], [0x0304, 99]]) {
    assert.deepEqual(parseDecryptedRecordMark(describeDecryptedRecord(v, t)), { contentType: t, version: v });
  }
  assert.equal(parseDecryptedRecordMark('<decrypted TLS 1.4 record: handshake (22)>'), null);
  assert.equal(parseDecryptedRecordMark('<decrypted TLS 1.3 record: handshake (256)>'), null);
  assert.equal(parseDecryptedRecordMark('<123 bytes of encrypted TLS records>'), null);
});

const TRANSCRIPT = [
  'S: 220 mx.example.test ESMTP',
  'C: STARTTLS',
  'S: 220 go ahead',
  'C: 16 03 01 00 04 01 00 00 00',
  'S: 16 03 03 00 04 02 00 00 00',
  '# frame 9: decrypted with the key log\'s server handshake traffic secret',
  'S: <decrypted TLS 1.3 record: handshake (22)>',
  'S: 08 00 00 02 00 00',
  'S: <decrypted TLS 1.3 record: alert (21)>',
  'S: 01 00',
  'S: 250 after the handshake',
  'S: 16 03 03 00 01',
  '',
].join('\n');

test('the C:/S: reader makes the hex lines after a mark a decrypted run of that type and version', () => {
  const doc = readTranscript(TRANSCRIPT);
  const runs = doc.sessions.flatMap((s) => s.events).filter((e): e is ByteRunEvent => e.kind === 'bytes');
  assert.deepEqual(
    runs.map((r) => [r.direction, r.role, r.contentType, r.tlsVersion, [...r.view.bytes].length]),
    [
      ['client', 'stream', undefined, undefined, 9],
      ['server', 'stream', undefined, undefined, 9],
      ['server', 'decrypted', 22, 0x0304, 6],
      ['server', 'decrypted', 21, 0x0304, 2],
      // The mark covers only the lines right after it: later hex is the stream again.
      ['server', 'stream', undefined, undefined, 5],
    ],
  );
  const reply = doc.sessions.flatMap((s) => s.events).find((e) => e.kind === 'reply' && e.code === 250);
  assert.equal(reply?.kind === 'reply' && reply.inTls, true);
});

test('inside message text a mark still introduces a decrypted record', () => {
  const doc = readTranscript(['S: 220 x', 'C: DATA', 'S: 354 go', 'C: <decrypted TLS 1.3 record: handshake (22)>', 'C: 18 00 00 01 00', 'C: 12 34', 'C: .', ''].join('\n'));
  const runs = doc.sessions.flatMap((s) => s.events).filter((e): e is ByteRunEvent => e.kind === 'bytes');
  assert.equal(runs.length, 1);
  assert.equal(runs[0].role, 'decrypted');
  assert.equal(runs[0].view.bytes.length, 5);
  // Message text that looks like hex stays text without a mark.
  const data = doc.sessions.flatMap((s) => s.events).filter((e) => e.kind === 'command' && e.dataLine);
  assert.deepEqual(data.map((e) => e.kind === 'command' && e.argument), ['34', '']);
});

test('decrypted application data shown as hex (no text line: CR CR LF, a NUL) is read as SMTP lines with the bytes as sent', () => {
  // openssl s_client -crlf fed lines that already end in CR LF sends CR CR LF (the live stage's
  // sessions); gnutls-cli --crlf once sent NUL "IT" LF NUL (FORMATS.md, the corpus's gnutls session).
  const doc = readTranscript([
    'S: 220 mx.example.test ESMTP',
    'C: STARTTLS',
    'S: 220 go ahead',
    'C: 16 03 01 00 04 01 00 00 00',
    'S: 16 03 03 00 04 02 00 00 00',
    'C: <decrypted TLS 1.2 record: application_data (23)>',
    'C: 45 48 4c 4f 20 78 0d 0d 0a',
    '',
    'C: <decrypted TLS 1.2 record: application_data (23)>',
    'C: 00 49 54 0a',
    'S: 250 ok',
    '',
  ].join('\n'));
  const events = doc.sessions.flatMap((s) => s.events);
  const commands = events.filter((e) => e.kind === 'command');
  assert.deepEqual(commands.map((e) => e.kind === 'command' && [e.verb, e.argument, e.lineEnding, e.inTls]), [
    ['STARTTLS', '', undefined, false],
    ['EHLO', 'x\r', '\r\n', true],
    ['\u0000IT', '', '\n', true],
  ]);
  // No application data run is left: the lines are the events, their views the bytes.
  assert.equal(events.filter((e) => e.kind === 'bytes' && e.role === 'decrypted').length, 0);
  const ehlo = commands[1];
  assert.equal(ehlo.kind === 'command' && ehlo.view?.bytes.length, 9);
});
