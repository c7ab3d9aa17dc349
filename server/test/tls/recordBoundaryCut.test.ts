/**
 * A ClientHello spread over several records and cut exactly after one of them: every record
 * present is whole, but the handshake message declares more bytes than they hold and the
 * stream ends. That is a cut capture: the message is marked incomplete and the stream has
 * exactly one 'truncated' problem, at the handshake length field (or, when the cut falls
 * inside the 4-byte handshake header, at its last byte present), counting the missing bytes.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import type { ClientHelloMessage } from '../../src/core/model/tls';
import { decodeTlsStream } from '../../src/core/tls/decodeStream';
import { ascii, cat, clientHelloBody, ext, findSpanViolation, handshake, list16, record, vec16, vec8 } from './helpers';

const SESSIONS = join(__dirname, '..', 'fixtures', 'corpus', 'sessions');

/** The handshake message (4-byte header + body) of a real ClientHello capture (one record). */
function realHello(session: string): Uint8Array {
  const rec = new Uint8Array(readFileSync(join(SESSIONS, session, 'clienthello.bin')));
  return rec.subarray(5);
}

/** A crafted hello whose last extension (server_name) carries opaque bytes a cut can fall inside. */
const CRAFTED = handshake(1, clientHelloBody({
  extensions: [
    ext(10, vec16(list16([29, 23]))),
    ext(43, vec8(list16([0x0304, 0x0303]))),
    ext(0, vec16(cat([0], vec16(ascii('mx.example.test'))))),
  ],
}));

/** Splits a handshake message into records of the given fragment sizes (the last takes the rest). */
function splitIntoRecords(hs: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (const s of [...sizes, hs.length]) {
    const end = Math.min(at + s, hs.length);
    if (end > at) out.push(record(22, 0x0301, hs.subarray(at, end)));
    at = end;
  }
  return out;
}

/** Stream offsets of the handshake bytes [a, b) of a message split into `records`. */
function streamOffsetOf(records: readonly Uint8Array[], k: number): number {
  let base = 0;
  for (const r of records) {
    const len = r.length - 5;
    if (k < len) return base + 5 + k;
    k -= len;
    base += r.length;
  }
  throw new Error('offset past the records');
}

const SPLITS: readonly (readonly number[])[] = [[1, 1, 1, 1, 5], [2, 7], [3], [4], [30, 40], [43, 10], [1, 3, 60]];

function checkEveryBoundaryCut(name: string, hs: Uint8Array, sizes: readonly number[]): number {
  const records = splitIntoRecords(hs, sizes);
  const whole = decodeTlsStream(cat(...records));
  assert.deepEqual(whole.problems, [], `${name} ${sizes}: the whole hello is clean`);
  const full = whole.records[0].messages[0] as ClientHelloMessage;
  assert.equal(full.incomplete, undefined);
  const declared = hs.length - 4;
  let checked = 0;
  for (let k = 1; k < records.length; k++) {
    const bytes = cat(...records.slice(0, k));
    const present = records.slice(0, k).reduce((n, r) => n + r.length - 5, 0);
    const where = `${name} split ${sizes}, cut after record ${k} (${present} handshake bytes)`;
    const decoded = decodeTlsStream(bytes);
    assert.equal(decoded.problems.length, 1, `${where}: ${decoded.problems.map((p) => `${p.kind}: ${p.message}`).join(' | ')}`);
    const p = decoded.problems[0];
    assert.equal(p.kind, 'truncated', `${where}: ${p.message}`);
    assert.equal(findSpanViolation(decoded, bytes.length), null, where);
    if (present < 4) {
      // The handshake header itself is cut: the problem sits on its last byte present.
      assert.equal(p.missing, 4 - present, where);
      assert.deepEqual([p.start, p.end], [bytes.length - 1, bytes.length], where);
      assert.deepEqual(decoded.records.flatMap((r) => r.messages), [], where);
      continue;
    }
    assert.equal(p.missing, declared - (present - 4), where);
    assert.match(p.message, new RegExp(`ClientHello declares ${declared} bytes but the stream ends after ${present - 4}`), where);
    // At the 3-byte handshake length field, wherever the records put it.
    assert.deepEqual([p.start, p.end], [streamOffsetOf(records, 1), streamOffsetOf(records, 3) + 1], where);
    const messages = decoded.records.flatMap((r) => r.messages);
    assert.equal(messages.length, 1, where);
    const hello = messages[0] as ClientHelloMessage;
    assert.equal(hello.name, 'ClientHello', where);
    assert.equal(hello.incomplete, true, where);
    // What is present still decodes as in the whole hello.
    if (present >= 4 + 2 + 32) {
      assert.equal(hello.version, full.version, where);
      assert.equal(hello.random, full.random, where);
    }
    checked++;
  }
  return checked;
}

test('a crafted three-extension hello cut after every record of several splits: incomplete, one truncation at the length field', () => {
  let checked = 0;
  for (const sizes of SPLITS) checked += checkEveryBoundaryCut('crafted', CRAFTED, sizes);
  assert.equal(checked, 10, `${checked} cuts checked (the others fall inside the 4-byte header)`);
});

test('a cut that ends exactly inside an extension whose decoder skips bytes still marks the hello incomplete', () => {
  // 77 handshake bytes end inside the server_name host name; no read of the decoder fails there.
  checkEveryBoundaryCut('crafted', CRAFTED, [77, 3]);
  checkEveryBoundaryCut('crafted', CRAFTED, [CRAFTED.length - 1]);
});

test('real ClientHellos re-split into records of every size from 1 to 64 bytes: every boundary cut is a truncation', () => {
  let checked = 0;
  for (const session of ['gnutls-default-d5', 'raw-tls12-ch-reference-p25', 'ossl-tls1_3-msg']) {
    const hs = realHello(session);
    for (let size = 1; size <= 64; size++) {
      checked += checkEveryBoundaryCut(session, hs, Array.from({ length: Math.ceil(hs.length / size) }, () => size));
    }
  }
  assert.ok(checked > 3000, `${checked} cuts checked`);
});

test('in a transcript, the cut multi-record hello gives one tls-truncated finding on the handshake length bytes', () => {
  const records = splitIntoRecords(CRAFTED, [30, 40]);
  const hexLines = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = ['S: 220 mx.example.test ESMTP', 'C: EHLO client.example.test', 'S: 250-mx.example.test', 'S: 250 STARTTLS', 'C: STARTTLS', 'S: 220 2.0.0 Ready to start TLS',
    `C: ${hexLines(records[0])}`, `C: ${hexLines(records[1])}`, ''].join('\n');
  const findings = analyzeDocument(text).findings.filter((f) => f.rule === 'tls-truncated');
  assert.equal(findings.length, 1);
  const lineStart = text.indexOf(`C: ${hexLines(records[0])}`) + 3;
  // Bytes 6..8 of the first record: the handshake length field (00 00 58).
  assert.equal(findings[0].span.start, lineStart + 3 * 6);
  assert.equal(text.slice(findings[0].span.start, findings[0].span.end), hexLines(CRAFTED.subarray(1, 4)));
  assert.match(findings[0].message, /ClientHello declares 88 bytes but the stream ends after 66/);
  assert.equal(analyzeDocument(text).findings.filter((f) => f.rule === 'tls-malformed').length, 0);
});
