/** `decode --format text`: a tshark -V style tree of the decoded model. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { describeField, formatDecodeText } from '../../src/core/export/decodeText';
import { readSample } from '../helpers/samples';

test('SMTP lines and the ClientHello tree with values, names and nesting', () => {
  const out = formatDecodeText('samples/ssl3-hello.transcript', analyzeDocument(readSample('ssl3-hello.transcript')));
  const lines = out.split('\n');
  assert.equal(lines[0], 'samples/ssl3-hello.transcript (cs-transcript)');
  assert.match(out, /^ {4}\[line \d+\] C: STARTTLS$/m);
  // record › handshake › ClientHello › fields, each level four spaces deeper.
  const i = lines.findIndex((l) => / C: TLS record$/.test(l));
  assert.ok(i > 0);
  assert.match(lines[i + 1], /^ {8}record: handshake\b/);
  assert.deepEqual(lines.slice(i + 2, i + 6), [
    '            record_header',
    '                content_type: handshake (22)',
    '                version: SSL 3.0 (0x0300)',
    '                length: 51',
  ]);
  assert.match(out, /^ {12}Handshake: ClientHello\n {16}msg_type: client_hello \(1\)\n {16}length: 47\n {16}ClientHello\n {20}client_version: SSL 3\.0 \(0x0300\)$/m);
  assert.match(out, /^ {20}cipher_suites: 4 items\n {24}cipher_suites\[0\]: TLS_RSA_WITH_AES_256_CBC_SHA \(0x0035\)$/m);
  assert.match(out, /^ {20}session_id: \(empty\)$/m);
  // The server's alert record.
  assert.match(out, / S: TLS record\n {8}record: alert\b[\s\S]*description: handshake_failure \(40\)/);
});

test('field descriptions: enums with their number, hex for wide values, long opaque data shortened', () => {
  assert.equal(describeField({ name: 'cipher_suite', start: 0, end: 2, kind: 'enum', value: 0x1301, display: 'TLS_AES_128_GCM_SHA256' }), 'cipher_suite: TLS_AES_128_GCM_SHA256 (0x1301)');
  assert.equal(describeField({ name: 'x', start: 0, end: 2, kind: 'enum', value: 0xabcd }), 'x: unknown (0xabcd)');
  assert.equal(describeField({ name: 'level', start: 0, end: 1, kind: 'enum', value: 2, display: 'fatal' }), 'level: fatal (2)');
  const long = 'ab'.repeat(100);
  assert.equal(describeField({ name: 'data', start: 0, end: 100, kind: 'opaque', value: long }), `data: ${'ab'.repeat(64)}… (100 bytes)`);
  assert.equal(describeField({ name: 'h', start: 0, end: 5, kind: 'container' }), 'h');
});
