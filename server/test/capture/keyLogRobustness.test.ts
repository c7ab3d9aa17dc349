/**
 * Captures with a key log, damaged: the import never throws, writes only well-formed C:/S: lines
 * (a `<decrypted ...>` mark directly followed by its side's hex), counts its lines right, and its
 * text analyses. The renderer's feed cut at odd places decrypts to the same dialogue.
 * Fixtures: server/test/fixtures/keylog (README.md there).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { parseKeyLog, type KeyLog } from '../../src/core/tls/decrypt/keyLogSecrets';
import { SessionRenderer, type Role } from '../../src/core/capture/sessionRenderer';
import type { StreamEvent } from '../../src/core/capture/tcpReassembly';
import { importBytes, readFixture } from './helpers';
import { checkTranscript, HEX_LINE } from './keyLogSynthetic';
import { REPO } from '../helpers/lspClient';

const DIR = path.join(REPO, 'server/test/fixtures/keylog');
const SESSIONS = fs.readdirSync(DIR).filter((d) => fs.statSync(path.join(DIR, d)).isDirectory());

interface Fixture {
  readonly name: string;
  readonly capture: Uint8Array;
  readonly keyLog: KeyLog;
}

const FIXTURES: Fixture[] = [];
for (const s of SESSIONS) {
  const keyLog = parseKeyLog(fs.readFileSync(path.join(DIR, s, 'keylog.txt'), 'utf8')).keyLog;
  for (const f of ['capture.pcap', 'capture-dsb.pcapng']) {
    const file = path.join(DIR, s, f);
    if (fs.existsSync(file)) FIXTURES.push({ name: `${s}/${f}`, capture: readFixture(file), keyLog });
  }
}

function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x;
  };
}

function checkImport(name: string, bytes: Uint8Array, keyLog: KeyLog): void {
  let r;
  try {
    r = importBytes(bytes, { keyLog });
  } catch (err) {
    assert.fail(`${name}: the import threw ${String(err)}`);
  }
  const problem = checkTranscript(r.text);
  assert.equal(problem, '', name);
  const lines = r.text.endsWith('\n') ? r.text.split('\n').length - 1 : r.text.split('\n').length;
  assert.equal(lines, r.lineCount, `${name}: lineCount`);
  assert.doesNotThrow(() => analyzeDocument(r.text), name);
}

test('the fixtures as they are: well-formed lines, marks followed by their hex, line count', () => {
  for (const f of FIXTURES) checkImport(f.name, f.capture, f.keyLog);
});

test('every 97th-byte truncation of each keylog capture: no exception, well-formed lines', () => {
  for (const f of FIXTURES) {
    // The big one every 7th cut point (still ~70 cuts), the others at every one.
    const step = f.capture.length > 20000 ? 97 * 7 : 97;
    for (let n = 0; n < f.capture.length; n += step) checkImport(`${f.name} cut at ${n}`, f.capture.subarray(0, n), f.keyLog);
  }
});

test('seeded byte flips in each keylog capture (mostly in the TLS payload): no exception, well-formed lines', () => {
  const rand = lcg(20261129);
  for (const f of FIXTURES) {
    const rounds = f.capture.length > 20000 ? 30 : 60;
    for (let round = 0; round < rounds; round++) {
      const b = f.capture.slice();
      const flips = 1 + (rand() % 4);
      const where: number[] = [];
      for (let i = 0; i < flips; i++) {
        // Past the first ~40 % of the file (handshake and records), so the flips hit the TLS more often than headers.
        const at = Math.floor(b.length * 0.4) + (rand() % Math.ceil(b.length * 0.6));
        b[at] ^= 1 + (rand() % 255);
        where.push(at);
      }
      checkImport(`${f.name} flipped at ${where.join(',')}`, b, f.keyLog);
    }
  }
});

/** The records of a classic pcap (24-byte header, 16-byte record headers). */
function pcapRecords(bytes: Uint8Array): { head: Uint8Array; records: Uint8Array[] } | null {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(0, true) !== 0xa1b2c3d4) return null;
  const records: Uint8Array[] = [];
  let at = 24;
  while (at + 16 <= bytes.length) {
    const n = v.getUint32(at + 8, true);
    records.push(bytes.subarray(at, at + 16 + n));
    at += 16 + n;
  }
  return { head: bytes.subarray(0, 24), records };
}

function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

test('frames dropped, duplicated and swapped (seeded): no exception, well-formed lines', () => {
  const rand = lcg(97);
  for (const f of FIXTURES) {
    const p = pcapRecords(f.capture);
    if (!p) continue;
    for (let round = 0; round < 24; round++) {
      const recs = p.records.slice();
      const i = 10 + (rand() % Math.max(1, recs.length - 10));
      const op = round % 3;
      if (op === 0) recs.splice(i, 1);
      else if (op === 1) recs.splice(i, 0, recs[i] ?? recs[recs.length - 1]);
      else if (i + 1 < recs.length) [recs[i], recs[i + 1]] = [recs[i + 1], recs[i]];
      checkImport(`${f.name} ${['drop', 'duplicate', 'swap'][op]} record ${i}`, joinBytes([p.head, ...recs]), f.keyLog);
    }
  }
});

/** The events the import gives the renderer of the (only) session, recorded. */
function recordEvents(f: Fixture): { role: Role; event: StreamEvent }[] {
  const events: { role: Role; event: StreamEvent }[] = [];
  const original = SessionRenderer.prototype.addEvent;
  SessionRenderer.prototype.addEvent = function (this: SessionRenderer, role: Role, event: StreamEvent) {
    events.push({ role, event: event.kind === 'data' ? { ...event, bytes: event.bytes.slice() } : event });
    original.call(this, role, event);
  };
  try {
    importBytes(f.capture, { keyLog: f.keyLog });
  } finally {
    SessionRenderer.prototype.addEvent = original;
  }
  return events;
}

function render(events: readonly { role: Role; event: StreamEvent }[], keyLog: KeyLog): string {
  const r = new SessionRenderer({ elideApplicationData: true, keyLog });
  for (const { role, event } of events) r.addEvent(role, event);
  r.finish();
  return r.lines.map((l) => l.text).join('\n');
}

/** The C:/S: text lines (not hex, not placeholders) of each side, in order. */
function dialogue(text: string): { client: string[]; server: string[] } {
  const out = { client: [] as string[], server: [] as string[] };
  for (const line of text.split('\n')) {
    const m = /^([CS]): (.*)$/.exec(line);
    if (!m || HEX_LINE.test(m[2]) || /^<.*>$/.test(m[2])) continue;
    out[m[1] === 'C' ? 'client' : 'server'].push(m[2]);
  }
  return out;
}

test("the renderer's feed cut at odd boundaries: the same decrypted dialogue, well-formed lines", () => {
  const rand = lcg(4242);
  for (const f of FIXTURES) {
    if (f.name.includes('wrongkey') || f.name.endsWith('.pcapng')) continue;
    const events = recordEvents(f);
    const whole = render(events, f.keyLog);
    const expected = dialogue(whole);
    assert.ok(expected.client.length > 0, f.name);
    for (const cut of [1, 3, 7, 13, 97, 0]) {
      const pieces: { role: Role; event: StreamEvent }[] = [];
      for (const e of events) {
        if (e.event.kind !== 'data') {
          pieces.push(e);
          continue;
        }
        const b = e.event.bytes;
        for (let p = 0; p < b.length; ) {
          const n = cut === 0 ? 1 + (rand() % 61) : cut;
          pieces.push({ role: e.role, event: { ...e.event, bytes: b.subarray(p, p + n) } });
          p += n;
        }
      }
      const text = render(pieces, f.keyLog);
      assert.equal(checkTranscript(text), '', `${f.name} cut ${cut}`);
      assert.deepEqual(dialogue(text), expected, `${f.name} cut ${cut}`);
      assert.doesNotThrow(() => analyzeDocument(text));
    }
  }
});
