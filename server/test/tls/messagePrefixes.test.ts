/**
 * Every prefix of every real handshake flight in server/test/fixtures/tls
 * (Certificate, ServerKeyExchange, CertificateRequest, ClientKeyExchange,
 * CertificateVerify, NewSessionTicket, and the TLS 1.3 messages openssl -msg
 * printed decrypted) is reported as truncated, never as malformed.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeDecryptedContent, decodeTlsStream } from '../../src/core/tls/decodeStream';
import { findSpanViolation, hex } from './helpers';

const DIR = join(__dirname, '..', 'fixtures', 'tls');
const CASES = readdirSync(DIR)
  .filter((f) => f.endsWith('.tshark.json'))
  .map((f) => f.replace(/\.tshark\.json$/, ''));

/** The stream up to its first ChangeCipherSpec or application_data record: the plaintext handshake. */
function plaintextFlight(bytes: Uint8Array): Uint8Array {
  let at = 0;
  while (at + 5 <= bytes.length && bytes[at] === 22) at += 5 + ((bytes[at + 3] << 8) | bytes[at + 4]);
  return bytes.subarray(0, Math.min(at, bytes.length));
}

function recordEnds(bytes: Uint8Array): Set<number> {
  const out = new Set<number>();
  for (let at = 0; at + 5 <= bytes.length; ) {
    at += 5 + ((bytes[at + 3] << 8) | bytes[at + 4]);
    out.add(at);
  }
  return out;
}

/** Handshake messages openssl -msg printed after an InnerContent line (TLS 1.3, encrypted on the wire). */
function decryptedMessages(name: string): Uint8Array[] {
  const lines = readFileSync(join(DIR, `${name}.msg.txt`), 'utf8').split('\n');
  const out: Uint8Array[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!/^(<<<|>>>) TLS 1\.3, Handshake /.test(lines[i])) continue;
    if (!/InnerContent/.test(lines[i - 2] ?? '')) continue;
    let text = '';
    for (let j = i + 1; j < lines.length && /^ {4}[0-9a-f]{2}( |$)/.test(lines[j]); j++) text += lines[j];
    out.push(hex(text));
  }
  return out;
}

for (const name of CASES) {
  for (const dir of ['client', 'server'] as const) {
    test(`${name} ${dir}: every prefix of the plaintext flight is truncated, never malformed`, () => {
      const flight = plaintextFlight(new Uint8Array(readFileSync(join(DIR, `${name}.${dir}.bin`))));
      assert.ok(flight.length > 0);
      assert.deepEqual(decodeTlsStream(flight, { direction: dir }).problems, []);
      const ends = recordEnds(flight);
      for (let n = 1; n < flight.length; n++) {
        const decoded = decodeTlsStream(flight.subarray(0, n), { direction: dir });
        const kinds = decoded.problems.map((p) => `${p.kind}: ${p.message}`);
        const open = decoded.records.some((r) => r.messages.some((m) => m.incomplete));
        if (ends.has(n) && !open) {
          assert.deepEqual(kinds, [], `prefix ${n} ends at a record boundary`);
          continue;
        }
        assert.equal(decoded.problems.length, 1, `prefix ${n}: ${kinds.join(' | ')}`);
        assert.equal(decoded.problems[0].kind, 'truncated', `prefix ${n}: ${kinds.join(' | ')}`);
        assert.equal(findSpanViolation(decoded, n), null, `prefix ${n}`);
      }
    });
  }
  const decrypted = decryptedMessages(name);
  if (decrypted.length === 0) continue;
  test(`${name}: every prefix of each decrypted TLS 1.3 message is truncated, never malformed`, () => {
    for (const message of decrypted) {
      assert.deepEqual(decodeDecryptedContent(message, 22, { version: 0x0304 }).problems, []);
      for (let n = 1; n < message.length; n++) {
        const decoded = decodeDecryptedContent(message.subarray(0, n), 22, { version: 0x0304 });
        const kinds = decoded.problems.map((p) => `${p.kind}: ${p.message}`);
        assert.equal(decoded.problems.length, 1, `type ${message[0]} prefix ${n}: ${kinds.join(' | ')}`);
        assert.equal(decoded.problems[0].kind, 'truncated', `type ${message[0]} prefix ${n}: ${kinds.join(' | ')}`);
        assert.equal(findSpanViolation(decoded, n), null);
      }
    }
  });
}
