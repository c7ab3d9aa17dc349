/**
 * tls-record-size-limit-too-small (RFC 8449 §4): a record_size_limit below 64 fires wherever a
 * decoded message carries one; 64 and above are near misses. The crafted bytes: extension type
 * 28 (00 1c), extension_data length 2 (00 02), then the uint16 RecordSizeLimit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { computeHover } from '../../src/core/features/hover';
import type { Finding } from '../../src/core/rules/types';
import { EXT, clientHello, ext, record, serverHello, starttlsSession } from './craft';

const RULE = 'tls-record-size-limit-too-small';
const recordSizeLimit = (value: number): number[] => ext(28, [(value >> 8) & 0xff, value & 0xff]);

function only(text: string): Finding[] {
  return analyzeDocument(text).findings.filter((f) => f.rule === RULE);
}

const CH = (limit: number) => record(22, 0x0301, clientHello({ extensions: [EXT.supportedGroups([0x001d]), recordSizeLimit(limit)] }));
const SH = (limit: number) => record(22, 0x0303, serverHello({ extensions: [EXT.renegotiationInfo(), recordSizeLimit(limit)] }));

test(`${RULE}: a ClientHello offering 63 fires at the two value bytes; 64 and 16385 do not`, () => {
  const text = starttlsSession(CH(63));
  const f = only(text);
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'error');
  // The value is the last extension's last two bytes: "00 3f" on the C: line.
  assert.equal(text.slice(f[0].span.start, f[0].span.end), '00 3f');
  assert.match(f[0].message, /ClientHello sends record_size_limit 63; RFC 8449 §4 forbids values below 64.*illegal_parameter/);
  assert.equal(only(starttlsSession(CH(64))).length, 0);
  assert.equal(only(starttlsSession(CH(16385))).length, 0);
  assert.equal(only(starttlsSession(CH(0))).length, 1);
});

test(`${RULE}: a TLS 1.2 ServerHello answering with 1 fires once; the client's valid value does not`, () => {
  const text = starttlsSession(CH(16384), SH(1));
  const f = only(text);
  assert.equal(f.length, 1);
  assert.match(f[0].message, /^ServerHello sends record_size_limit 1;/);
  assert.equal(text.slice(f[0].span.start, f[0].span.end), '00 01');
});

test('hover on the record_size_limit value explains the minimum of 64', () => {
  const text = starttlsSession(CH(63));
  const f = only(text)[0];
  const hover = computeHover(analyzeDocument(text), f.span.start)?.markdown ?? '';
  assert.match(hover, /at least 64/);
  assert.match(hover, /rfc8449#section-4/);
  assert.match(hover, /below the minimum 64/);
});

test(`${RULE}: TLS 1.3 EncryptedExtensions shown decrypted by openssl -msg fires; 64 does not`, () => {
  // EncryptedExtensions (08), length 8, extensions length 6: record_size_limit (00 1c), length 2, value.
  const log = (value: string) => [
    '<<< TLS 1.2, RecordHeader [length 0005]',
    '    17 03 03 00 1d',
    '<<< TLS 1.3, InnerContent [length 0001]',
    '    16',
    '<<< TLS 1.3, Handshake [length 000c], EncryptedExtensions',
    `    08 00 00 08 00 06 00 1c 00 02 ${value}`,
  ].join('\n') + '\n';
  const text = log('00 20');
  const f = only(text);
  assert.equal(f.length, 1);
  assert.match(f[0].message, /^EncryptedExtensions sends record_size_limit 32;/);
  assert.equal(text.slice(f[0].span.start, f[0].span.end), '00 20');
  assert.equal(only(log('00 40')).length, 0);
});
