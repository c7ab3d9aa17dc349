/**
 * Packet dumps (tshark -x, tcpdump -X) that start inside a connection or run across a forced cut.
 * tshark -x prints each frame on its own, so the real dumps of the corpus (one file per session,
 * frames separated by blank lines) with their first k frames removed are what tshark prints for a
 * capture that starts k frames later. A connection whose first frame in the text is no SYN is read
 * as one whose start is missing: each side's first bytes are TLS unless they start with a line of
 * text, and TLS is decoded from the first record boundary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { IncrementalAnalysis } from '../../src/core/analysis/incrementalAnalysis';
import { startsTextLine } from '../../src/core/formats/wireText';
import { DEFAULT_SETTINGS } from '../../src/core/rules/types';

const SESSIONS = path.join(__dirname, '..', 'fixtures', 'corpus', 'sessions');
const DUMPS = fs
  .readdirSync(SESSIONS)
  .sort()
  .filter((d) => fs.existsSync(path.join(SESSIONS, d, 'tshark-x.txt')));

/** A tshark -x text cut into its frames (each with the blank line after it). */
function framesOf(text: string): string[] {
  return text.split(/(?<=\n\n)/);
}

test('the corpus has tshark -x dumps of many frames', () => {
  assert.ok(DUMPS.length >= 10);
});

for (const dir of DUMPS) {
  test(`tshark -x ${dir} without its first k frames, for every k: no finding the whole dump lacks`, () => {
    const frames = framesOf(fs.readFileSync(path.join(SESSIONS, dir, 'tshark-x.txt'), 'utf8'));
    assert.ok(frames.length > 10, `${frames.length} frames`);
    const whole = new Set(analyzeDocument(frames.join('')).findings.map((f) => f.rule));
    for (let k = 1; k < frames.length; k++) {
      const a = analyzeDocument(frames.slice(k).join(''));
      const extra = a.findings.map((f) => f.rule).filter((r) => !whole.has(r));
      assert.deepEqual(extra, [], `first ${k} frames removed`);
      // Without SYN and SYN-ACK (the first two frames) the connection's start is not in the text.
      if (k >= 2) assert.ok(a.sessions.every((s) => s.session.startMissing), `first ${k} frames removed: start missing`);
    }
  });
}

test('tshark -x cut every 3,000 characters (forced cuts inside its connection): the chunks report what the whole dump reports', () => {
  for (const dir of DUMPS) {
    const text = fs.readFileSync(path.join(SESSIONS, dir, 'tshark-x.txt'), 'utf8');
    const inc = new IncrementalAnalysis(DEFAULT_SETTINGS, { chunkLimit: 3000 });
    inc.setText(text);
    assert.ok(inc.chunks.length >= 3, dir);
    const whole = new Set(analyzeDocument(text).findings.map((f) => f.rule));
    assert.deepEqual(inc.findings().map((f) => f.rule).filter((r) => !whole.has(r)), [], dir);
  }
});

test('startsTextLine: a line of printable text ended by LF or CR LF within 1,024 bytes', () => {
  const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
  assert.equal(startsTextLine(bytes('250 2.0.0 Ok\r\n')), true);
  assert.equal(startsTextLine(bytes('DATA\n')), true);
  assert.equal(startsTextLine(bytes('\tfolded header\r\n')), true);
  assert.equal(startsTextLine(bytes('no line end')), false);
  assert.equal(startsTextLine(bytes('\n')), false);
  assert.equal(startsTextLine(bytes('\x17\x03\x03\x00\x10 abc\n')), false);
  assert.equal(startsTextLine(bytes('caf\xe9\n')), false);
  assert.equal(startsTextLine(bytes('a'.repeat(1024) + '\n')), false);
  assert.equal(startsTextLine(bytes('a'.repeat(1023) + '\n')), true);
});

test('tshark follow,tcp,hex cut every 1,500 characters: a chunk that starts inside the stream goes on reading it; no finding the whole dump lacks', () => {
  let orphans = 0;
  for (const dir of DUMPS) {
    const file = path.join(SESSIONS, dir, 'tshark-follow-tcp-hex.txt');
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    const inc = new IncrementalAnalysis(DEFAULT_SETTINGS, { chunkLimit: 1500 });
    inc.setText(text);
    assert.ok(inc.chunks.length >= 3, dir);
    const whole = new Set(analyzeDocument(text).findings.map((f) => f.rule));
    assert.deepEqual(inc.findings().map((f) => f.rule).filter((r) => !whole.has(r)), [], dir);
    // Every later chunk is read as follow data (its lines are no hexdump -C run).
    for (const c of inc.chunks.slice(1)) {
      const a = analyzeDocument(c.text, DEFAULT_SETTINGS, { continues: 'session' });
      assert.equal(a.transcript.format, 'tshark-follow-hex', `${dir}: chunk at ${c.start}`);
      orphans++;
    }
  }
  assert.ok(orphans > 20, `${orphans} chunks`);
});
