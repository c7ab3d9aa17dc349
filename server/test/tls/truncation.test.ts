/**
 * Every prefix of a valid flight is a cut capture: reported as exactly one
 * 'truncated' problem, never as 'malformed', with what is present still
 * decoded (crypto/tls handshake_messages_test.go checks the same).
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ClientHelloMessage } from '../../src/core/model/tls';
import { decodeTlsStream } from '../../src/core/tls/decodeStream';
import { cat, clientHelloRecord, ext, findSpanViolation, handshake, hex, list16, record, clientHelloBody, vec16, vec8 } from './helpers';

const SESSIONS = join(__dirname, '..', 'fixtures', 'corpus', 'sessions');

const vectors: [string, Uint8Array][] = [];
for (const s of readdirSync(SESSIONS)) {
  vectors.push([`${s}/clienthello.bin`, new Uint8Array(readFileSync(join(SESSIONS, s, 'clienthello.bin')))]);
  vectors.push([`${s}/server-first-record.bin`, new Uint8Array(readFileSync(join(SESSIONS, s, 'server-first-record.bin')))]);
}
const split = handshake(1, clientHelloBody({ extensions: [ext(10, vec16(list16([29, 23]))), ext(43, vec8(list16([0x0304, 0x0303])))] }));
vectors.push(['ClientHello split over two records', cat(record(22, 0x0301, split.subarray(0, 30)), record(22, 0x0301, split.subarray(30)))]);
vectors.push(['SSLv2 hello offering SSL 2.0', hex('80 1f 01 00 02 00 06 00 00 00 10 01 00 80 07 00 c0 000102030405060708090a0b0c0d0e0f')]);
vectors.push(['ClientHello then alert', cat(clientHelloRecord(), hex('15 03 03 00 02 02 46'))]);

/** Offsets where a TLS record of the vector ends (SSLv2 vectors have one record). */
function recordBoundaries(bytes: Uint8Array): Set<number> {
  const out = new Set<number>();
  let at = 0;
  while (at + 5 <= bytes.length && bytes[at] >= 0x14 && bytes[at] <= 0x18) {
    at += 5 + ((bytes[at + 3] << 8) | bytes[at + 4]);
    out.add(at);
  }
  return out;
}

for (const [name, bytes] of vectors) {
  test(`every prefix of ${name} is truncated, never malformed`, () => {
    assert.deepEqual(decodeTlsStream(bytes).problems, [], 'the whole vector is clean');
    assert.deepEqual(decodeTlsStream(bytes.subarray(0, 0)).problems, []);
    const boundaries = recordBoundaries(bytes);
    for (let n = 1; n < bytes.length; n++) {
      const prefix = bytes.subarray(0, n);
      const decoded = decodeTlsStream(prefix);
      const kinds = decoded.problems.map((p) => `${p.kind}: ${p.message}`);
      // A cut exactly between two records leaves whole records: clean unless a message is still open.
      const open = decoded.records.some((r) => r.messages.some((m) => m.incomplete));
      if (boundaries.has(n) && !open) {
        assert.deepEqual(kinds, [], `prefix ${n} ends at a record boundary`);
        continue;
      }
      assert.equal(decoded.problems.length, 1, `prefix ${n}: ${kinds.join(' | ')}`);
      const p = decoded.problems[0];
      assert.equal(p.kind, 'truncated', `prefix ${n}: ${kinds.join(' | ')}`);
      assert.ok((p.missing ?? 0) > 0, `prefix ${n}: missing count`);
      assert.equal(findSpanViolation(decoded, n), null, `prefix ${n}`);
    }
  });
}

test('a cut single-record hello: the problem sits on the record length and counts the missing bytes', () => {
  const bytes = new Uint8Array(readFileSync(join(SESSIONS, 'gnutls-default-d5', 'clienthello.bin')));
  for (const n of [1, 4, 5, 9, 60, 200, bytes.length - 1]) {
    const p = decodeTlsStream(bytes.subarray(0, n)).problems[0];
    if (n < 5) {
      assert.deepEqual([p.start, p.end, p.missing], [n - 1, n, 5 - n]);
    } else {
      assert.deepEqual([p.start, p.end, p.missing], [3, 5, bytes.length - n]);
    }
  }
});

test('a cut hello still decodes what is present', () => {
  const bytes = new Uint8Array(readFileSync(join(SESSIONS, 'gnutls-default-d5', 'clienthello.bin')));
  const full = decodeTlsStream(bytes).records[0].messages[0] as ClientHelloMessage;
  // 5 record + 4 handshake + 2 version + 32 random + 1 + 32 session id + 2 length + 20 suites = 98.
  const cut = decodeTlsStream(bytes.subarray(0, 98)).records[0].messages[0] as ClientHelloMessage;
  assert.equal(cut.incomplete, true);
  assert.equal(cut.version, full.version);
  assert.equal(cut.random, full.random);
  assert.deepEqual(cut.cipherSuites, full.cipherSuites?.slice(0, 10));
  assert.deepEqual(cut.extensions, []);
});
