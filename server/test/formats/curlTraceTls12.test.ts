/**
 * curl --trace of SMTP over TLS 1.2 (server/test/fixtures/curl-trace/README.md): OpenSSL shows an
 * encrypted record's header, then only its plaintext (the Finished, 16 of the record's 40 bytes);
 * the next record's header comes right after (after a received ChangeCipherSpec's header too).
 * Oracle: tshark's records on the capture of the same connection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';

const DIR = path.join(__dirname, '..', 'fixtures', 'curl-trace');

test('curl --trace, TLS 1.2: every record header is a record (type and length as tshark reads them), no finding', () => {
  const text = readFileSync(path.join(DIR, 'curl-trace-tls12.txt'), 'utf8');
  const expected: Record<string, string[]> = { client: [], server: [] };
  for (const line of readFileSync(path.join(DIR, 'curl-trace-tls12.tshark-records.txt'), 'utf8').trim().split('\n')) {
    const [port, types, lengths] = line.split('\t');
    const t = types.split(',');
    lengths.split(',').forEach((l, k) => expected[port === '25' ? 'server' : 'client'].push(`${t[k]}/${l}`));
  }
  const a = analyzeDocument(text);
  assert.deepEqual(a.findings.map((f) => `${f.rule}: ${f.message}`), []);
  const got: Record<string, string[]> = { client: [], server: [] };
  for (const stream of a.sessions[0].streams) {
    for (const r of stream.decoded.records) if (!r.decrypted) got[stream.direction ?? 'none'].push(`${r.contentType}/${r.length}`);
  }
  // curl does not trace what it sends and reads as it closes the connection (QUIT, 221, close_notify).
  for (const side of ['client', 'server']) {
    assert.ok(got[side].length >= expected[side].length - 2, `${side}: ${got[side].length} of ${expected[side].length} records`);
    assert.deepEqual(got[side], expected[side].slice(0, got[side].length), side);
  }
  assert.deepEqual(expected.client.slice(got.client.length), ['23/30', '21/26']);
});
