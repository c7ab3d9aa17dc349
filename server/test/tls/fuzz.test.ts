/**
 * Random and mutated bytes never make the decoder throw, and every span it
 * returns lies within the input (seeded, so a failure replays).
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeDecryptedContent, decodeRecordHeaderOnly, decodeTlsStream } from '../../src/core/tls/decodeStream';
import { cat, clientHelloBody, ext, findSpanViolation, handshake, record, seededRandom } from './helpers';

const SESSIONS = join(__dirname, '..', 'fixtures', 'corpus', 'sessions');
const seeds: Uint8Array[] = [];
for (const s of readdirSync(SESSIONS)) {
  seeds.push(new Uint8Array(readFileSync(join(SESSIONS, s, 'clienthello.bin'))));
  seeds.push(new Uint8Array(readFileSync(join(SESSIONS, s, 'server-first-record.bin'))));
}

function check(bytes: Uint8Array, label: string): void {
  for (const [name, decode] of [
    ['stream', () => decodeTlsStream(bytes)],
    ['header-only', () => decodeRecordHeaderOnly(bytes)],
    ['decrypted', () => decodeDecryptedContent(bytes, 22)],
  ] as const) {
    let decoded;
    try {
      decoded = decode();
    } catch (e) {
      assert.fail(`${label} ${name} threw ${(e as Error).stack}`);
    }
    const v = findSpanViolation(decoded, bytes.length);
    assert.equal(v, null, `${label} ${name}: ${v}`);
  }
}

test('20000 random inputs with plausible first bytes', () => {
  const rnd = seededRandom(0x5eed);
  const starts = [0x14, 0x15, 0x16, 0x17, 0x18, 0x80, 0x81, 0x00, 0x01];
  for (let i = 0; i < 20000; i++) {
    const n = Math.floor(rnd() * 300);
    const bytes = new Uint8Array(n);
    for (let k = 0; k < n; k++) bytes[k] = Math.floor(rnd() * 256);
    if (n > 0 && rnd() < 0.8) bytes[0] = starts[Math.floor(rnd() * starts.length)];
    // Often make the lengths small enough to be believed.
    if (n > 4 && bytes[0] >= 0x14 && bytes[0] <= 0x18 && rnd() < 0.7) {
      bytes[3] = 0;
      bytes[4] = Math.floor(rnd() * n);
      if (n > 8 && rnd() < 0.7) {
        bytes[5] = rnd() < 0.5 ? 1 : 2;
        bytes[6] = 0;
        bytes[7] = 0;
        bytes[8] = Math.max(0, bytes[4] - 4);
      }
    }
    check(bytes, `case ${i}`);
  }
});

test('5000 mutations of real flights (flipped bytes, cuts, splices)', () => {
  const rnd = seededRandom(0xc0ffee);
  for (let i = 0; i < 5000; i++) {
    const seed = seeds[Math.floor(rnd() * seeds.length)];
    let bytes = seed.slice();
    const flips = 1 + Math.floor(rnd() * 4);
    for (let f = 0; f < flips; f++) bytes[Math.floor(rnd() * bytes.length)] = Math.floor(rnd() * 256);
    if (rnd() < 0.3) bytes = bytes.subarray(0, Math.floor(rnd() * bytes.length));
    if (rnd() < 0.2) {
      const other = seeds[Math.floor(rnd() * seeds.length)];
      const joined = new Uint8Array(bytes.length + other.length);
      joined.set(bytes);
      joined.set(other, bytes.length);
      bytes = joined;
    }
    check(bytes, `mutation ${i}`);
  }
});

test('a long stream of records decodes in linear time', () => {
  const one = seeds[0];
  const count = 4000;
  const bytes = new Uint8Array(one.length * count);
  for (let i = 0; i < count; i++) bytes.set(one, i * one.length);
  const t0 = performance.now();
  const decoded = decodeTlsStream(bytes);
  const ms = performance.now() - t0;
  assert.equal(decoded.records.length, count);
  assert.ok(ms < 10000, `took ${ms} ms`);
});

test('a hello cut into one-byte records decodes in linear time', () => {
  const message = handshake(1, clientHelloBody({ extensions: [ext(21, new Uint8Array(16000))] }));
  const parts: Uint8Array[] = [];
  for (let i = 0; i < message.length; i++) parts.push(record(22, 0x0301, message.subarray(i, i + 1)));
  const bytes = cat(...parts);
  const t0 = performance.now();
  const decoded = decodeTlsStream(bytes);
  const ms = performance.now() - t0;
  assert.deepEqual(decoded.problems, []);
  assert.equal(decoded.records[0].messages[0].name, 'ClientHello');
  assert.ok(ms < 5000, `took ${ms} ms`);
});

test('a huge declared length allocates nothing of that size', () => {
  // Handshake header declaring 16 MiB inside a 9-byte input.
  const decoded = decodeTlsStream(Uint8Array.of(0x16, 0x03, 0x03, 0xff, 0xff, 0x01, 0xff, 0xff, 0xff));
  assert.equal(decoded.problems.filter((p) => p.kind === 'truncated').length, 1);
});
