/** Field names that mean different things by context get the right explanation on hover. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { computeHover, chooseNoteKey } from '../../src/core/features/hover';
import { readSample } from '../helpers/samples';

function hoverAtClientByte(name: string, prefix: string, byte: number): string {
  const text = readSample(name);
  const a = analyzeDocument(text);
  const line = text.split('\n').findIndex((l) => l.startsWith(prefix));
  const offset = text.split('\n').slice(0, line).join('\n').length + 1 + 3 + 3 * byte;
  return computeHover(a, offset)?.markdown ?? '';
}

test('SSLv2-compatible hello: the record length and the offered version are explained as such', () => {
  const header = hoverAtClientByte('sslv2-hello-ssl2.transcript', 'C: 80 ', 0);
  assert.match(header, /SSLv2 record header/);
  assert.match(header, /rfc5246#appendix-E\.2/);
  const version = hoverAtClientByte('sslv2-hello-ssl2.transcript', 'C: 80 ', 3);
  assert.match(version, /highest protocol version the client offers/);
  assert.doesNotMatch(version, /only frames the bytes/);
});

test('TLS record header: the version is the framing version, not the offer', () => {
  const version = hoverAtClientByte('ssl3-hello.transcript', 'C: 16 03 00', 1);
  assert.match(version, /only frames the bytes/);
  assert.equal(chooseNoteKey({ name: 'version', start: 0, end: 2 }, { name: 'record_header', start: 0, end: 5, children: [{ name: 'content_type', start: 0, end: 1 }] }), 'version');
});
