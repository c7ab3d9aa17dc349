/**
 * findRecordBoundary: where the first whole record starts in a stream that may begin inside one
 * (a session continued after a forced cut). Checked on real server and client streams recorded
 * against gnutls-serv (server/test/fixtures/tls/commands.txt), cut at every offset, and on
 * crafted bytes; decodeTlsStream's `from` option starts decoding there.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeTlsStream } from '../../src/core/tls/decodeStream';
import { findRecordBoundary, looksLikeTlsStart } from '../../src/core/tls/recordBoundary';

const TLS = join(__dirname, '..', 'fixtures', 'tls');

for (const name of ['gnutls-serv-tls12.server.bin', 'gnutls-serv-tls12.client.bin', 'gnutls-serv-tls13.server.bin', 'gnutls-serv-tls13.client.bin']) {
  test(`findRecordBoundary: ${name} cut at every offset finds the next record start`, () => {
    const bytes = new Uint8Array(readFileSync(join(TLS, name)));
    const starts = decodeTlsStream(bytes).records.map((r) => r.start);
    assert.ok(starts.length >= 3, `${starts.length} records`);
    let checked = 0;
    for (let k = 0; k < bytes.length; k++) {
      const next = starts.find((s) => s >= k);
      // Past the last record's start only the rest of one record is left: no boundary to confirm.
      if (next === undefined) {
        assert.equal(findRecordBoundary(bytes.subarray(k)), -1, `offset ${k}`);
        continue;
      }
      assert.equal(findRecordBoundary(bytes.subarray(k)), next - k, `offset ${k}`);
      checked++;
    }
    assert.ok(checked > 100);
  });
}

test('findRecordBoundary: crafted streams', () => {
  // The last 3 bytes of an application_data record, then two records: 17 03 03 00 02 aa bb, 15 03 03 00 02 01 00.
  const tail = [0x61, 0x62, 0x63];
  const two = [0x17, 0x03, 0x03, 0x00, 0x02, 0xaa, 0xbb, 0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x00];
  assert.equal(findRecordBoundary(new Uint8Array([...tail, ...two])), 3);
  // A header at byte 0 is kept, whatever follows.
  assert.equal(findRecordBoundary(new Uint8Array(two)), 0);
  assert.equal(findRecordBoundary(new Uint8Array([0x16, 0x03, 0x01, 0x40, 0x00, 0x01])), 0);
  // One record ending exactly at the end of the stream confirms itself.
  assert.equal(findRecordBoundary(new Uint8Array([0x00, 0x17, 0x03, 0x03, 0x00, 0x01, 0xff])), 1);
  // A header the bytes after it do not confirm (its record would end at 0xff, no header there).
  assert.equal(findRecordBoundary(new Uint8Array([0x00, 0x17, 0x03, 0x03, 0x00, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])),-1);
  // Version 3.5 and content type 25 are no TLS record headers; a length over 2^14 + 2048 neither.
  assert.equal(findRecordBoundary(new Uint8Array([0x00, 0x17, 0x03, 0x05, 0x00, 0x01, 0xff])),-1);
  assert.equal(findRecordBoundary(new Uint8Array([0x00, 0x19, 0x03, 0x03, 0x00, 0x01, 0xff])),-1);
  assert.equal(findRecordBoundary(new Uint8Array([0x00, 0x17, 0x03, 0x03, 0x48, 0x01])),-1);
  assert.equal(findRecordBoundary(new Uint8Array([])), 0);
  assert.equal(findRecordBoundary(new Uint8Array([0x01, 0x02])),-1);
});

test('findRecordBoundary: no boundary is looked for past the longest record', () => {
  // 20,000 bytes of a record's rest, then two records: the boundary is past 2^14 + 2048 + 5, so none is found (-1).
  const rest = new Uint8Array(20_000).fill(0x61);
  const two = [0x17, 0x03, 0x03, 0x00, 0x02, 0xaa, 0xbb, 0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x00];
  const bytes = new Uint8Array([...rest, ...two]);
  assert.equal(findRecordBoundary(bytes),-1);
  assert.equal(findRecordBoundary(bytes.subarray(20_000 - 18_000)), 18_000);
});

test('decodeTlsStream from an offset: the records from there, spans in the whole input', () => {
  const bytes = new Uint8Array([0x61, 0x62, 0x63, 0x17, 0x03, 0x03, 0x00, 0x02, 0xaa, 0xbb, 0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x00]);
  const whole = decodeTlsStream(bytes, { direction: 'server' });
  assert.equal(whole.records.length, 0);
  assert.equal(whole.problems[0].kind, 'malformed');
  const from = decodeTlsStream(bytes, { direction: 'server', from: 3 });
  assert.deepEqual(from.records.map((r) => [r.start, r.contentType]), [[3, 23], [10, 21]]);
  assert.deepEqual(from.problems, []);
});

test('looksLikeTlsStart: a record header (type 20-24, 3.x with x <= 4, as far as the bytes go) or an SSLv2 ClientHello; SMTP text and near misses are not', () => {
  const at = (hex: string, p = 0): boolean => looksLikeTlsStart(Uint8Array.from(Buffer.from(hex.replace(/ /g, ''), 'hex')), p);
  for (const h of ['16 03 01 00 5d', '15 03 03', '17 03', '14', '80 2b 01 03 01', '80 3b 01 00 02']) assert.equal(at(h), true, h);
  for (const h of ['16 04 01', '16 03 05', '19 03 01', '45 48 4c 4f', '0d 0a', '80 2b 02 03 01', '80 2b 01 02', 'c3 a9 20 61', '']) assert.equal(at(h), false, h);
  // At an offset: the ClientHello after "STARTTLS\r\n" in one segment (the live fixture's bytes).
  assert.equal(at('53 54 41 52 54 54 4c 53 0d 0a 16 03 00 00 5d', 10), true);
  assert.equal(at('53 54 41 52 54 54 4c 53 0d 0a 16 03 00 00 5d', 9), false);
});
