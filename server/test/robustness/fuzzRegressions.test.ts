/**
 * Replays every fuzz regression fixture (server/test/fixtures/fuzz-regressions/, written
 * by `npm run fuzz` with the shrunk input) against its target, and runs a short fuzz
 * campaign through the same worker script CI-sized.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/lspClient';
import { findTarget } from './targets';
import { decodeInput, encodeInput, listRegressions, saveRegression } from './regressions';

test('every saved fuzz reproducer passes its target now', () => {
  for (const { file, fixture } of listRegressions()) {
    const target = findTarget(fixture.target);
    assert.ok(target, `${file}: unknown target ${fixture.target}`);
    assert.doesNotThrow(() => target.check(decodeInput(fixture.input)), `${path.basename(file)} (first failure: ${fixture.error.split('\n')[0]})`);
  }
});

test('a reproducer survives the trip to disk: bytes, nesting and text come back equal', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-reg-'));
  try {
    const input = { flight: Uint8Array.of(0x16, 0x03, 0x01, 0, 0), cut: 3, text: 'C: \u0000\r\n\ud83d', list: [Uint8Array.of(255)] };
    const file = saveRegression({ target: 'tls-prefix', error: 'Error: x', seed: 1, path: '0:1', input }, dir);
    const [back] = listRegressions(dir);
    assert.equal(back.file, file);
    assert.deepEqual(decodeInput(back.fixture.input), input);
    assert.deepEqual(encodeInput(decodeInput(back.fixture.input)), back.fixture.input);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('npm run fuzz, CI-sized: two workers, every target, throughput reported, exit 0', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/fuzz.ts', '--cases', '400', '--seconds', '60', '--workers', '2', '--seed', '42', '--chunk', '100'], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 120000,
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^\d+ cases in [\d.]+ s: \d+ cases\/s with 2 workers; 0 failing target\(s\)$/m);
  const done = Number(/^(\d+) cases in/m.exec(r.stdout)?.[1]);
  assert.ok(done >= 400, r.stdout);
  for (const line of r.stdout.split('\n').filter((l) => /^[a-z-]+ +\d+ +\d+$/.test(l))) assert.ok(Number(line.trim().split(/ +/)[1]) > 0, line);
});
