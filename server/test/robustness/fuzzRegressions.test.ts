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
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { findLengthFields, findTarget, getCaptureSeeds, getTextSeeds, pickSeed, renderClientServerDump } from './targets';
import { decodeInput, encodeInput, listRegressions, saveRegression } from './regressions';

test('every saved fuzz reproducer passes its target now', () => {
  for (const { file, fixture } of listRegressions()) {
    const target = findTarget(fixture.target);
    assert.ok(target, `${file}: unknown target ${fixture.target}`);
    assert.doesNotThrow(() => target.check(decodeInput(fixture.input)), `${path.basename(file)} (first failure: ${fixture.error.split('\n')[0]})`);
  }
});

test('seeds have unique names; the fixtures/tls transcripts, C:/S: dumps and captures are among them', () => {
  const text = getTextSeeds().map((s) => s.name);
  const captures = getCaptureSeeds().map((s) => s.name);
  assert.equal(new Set(text).size, text.length);
  assert.equal(new Set(captures).size, captures.length);
  const tlsFixtures = fs.readdirSync(path.join(REPO, 'server/test/fixtures/tls'));
  for (const f of tlsFixtures.filter((x) => x.endsWith('.msg.txt'))) assert.ok(text.includes(`tls/${f}`), f);
  for (const f of tlsFixtures.filter((x) => x.endsWith('.client.bin'))) assert.ok(text.includes(`tls/${f.replace('.client.bin', '.bin (C:/S:)')}`), f);
  for (const f of tlsFixtures.filter((x) => x.endsWith('.pcap'))) assert.ok(captures.includes(`server/test/fixtures/tls/${f}`), f);
});

test('pickSeed: a name finds that seed or fails; a number (reproducers saved before names) indexes the seeds of that time only', () => {
  const seeds = getTextSeeds();
  assert.equal(pickSeed(seeds, 'tls/tls12-psk.msg.txt').name, 'tls/tls12-psk.msg.txt');
  assert.throws(() => pickSeed(seeds, 'samples/no-such.transcript'), /no seed named samples\/no-such\.transcript/);
  const legacy = seeds.filter((s) => s.legacy);
  assert.ok(legacy.length < seeds.length);
  assert.ok(legacy.every((s) => s.name.startsWith('samples/') || s.name.startsWith('corpus/')));
  // The seed of sample-lengths-49a95d47fcd3.json as first saved, when 190 samples and corpus files were the seeds.
  assert.equal(legacy.length, 190);
  assert.equal(pickSeed(seeds, 1126076992).name, 'samples/openssl-tls12-clean.transcript');
});

test('a C:/S: dump seed reads back both directions byte for byte', () => {
  const dir = path.join(REPO, 'server/test/fixtures/tls');
  const client = new Uint8Array(fs.readFileSync(path.join(dir, 'tls12-ecdhe-psk.client.bin')));
  const server = new Uint8Array(fs.readFileSync(path.join(dir, 'tls12-ecdhe-psk.server.bin')));
  const a = analyzeDocument(renderClientServerDump(client, server));
  const byDirection = (d: string): string => Buffer.concat(a.sessions.flatMap((s) => s.streams.filter((x) => x.direction === d).map((x) => Buffer.from(x.view.bytes)))).toString('hex');
  assert.equal(byDirection('client'), Buffer.from(client).toString('hex'));
  assert.equal(byDirection('server'), Buffer.from(server).toString('hex'));
  assert.deepEqual(a.findings.map((f) => f.rule), []);
});

test('sample-lengths reproducers are pinned (seed name, field offset and value), and pinning keeps the case', () => {
  const target = findTarget('sample-lengths');
  assert.ok(target?.pin);
  for (const { file, fixture } of listRegressions().filter((r) => r.fixture.target === 'sample-lengths')) {
    const input = fixture.input as Record<string, unknown>;
    assert.deepEqual(Object.keys(input).sort(), ['at', 'sample', 'to', 'value'], path.basename(file));
  }
  const sample = 'tls/tls13-ocsp-keyupdate.msg.txt';
  const fields = findLengthFields(pickSeed(getTextSeeds(), sample).text);
  for (const field of [0, 17, fields.length + 40]) {
    const pinned = target.pin({ sample, field, to: 'max' }) as { sample: string; at: number; value: number; to: string };
    const f = fields[field % fields.length];
    assert.deepEqual(pinned, { sample, at: f.offsets[0], value: f.value, to: 'max' });
    assert.doesNotThrow(() => target.check(pinned));
  }
  assert.throws(() => target.check({ sample, at: fields[0].offsets[0], value: fields[0].value + 1, to: 'zero' }), /the reproducer was saved with/);
  assert.throws(() => target.check({ sample, at: 0, value: 1, to: 'zero' }), /no length field decoded at offset 0/);
});

test('sample-lengths lists its cases for a sweep: every decoded length field of every seed, to 0 and to the maximum, pinned', () => {
  const target = findTarget('sample-lengths');
  assert.ok(target?.enumerate);
  const cases = target.enumerate() as { sample: string; at: number; value: number; to: string }[];
  const keys = new Set(cases.map((c) => `${c.sample} ${c.at} ${c.to}`));
  assert.equal(keys.size, cases.length, 'no case twice');
  for (const seed of getTextSeeds().filter((s) => s.name === 'tls/tls12-ecdhe-psk.msg.txt' || s.name === 'samples/openssl-tls12-clean.transcript')) {
    const offsets = new Set(findLengthFields(seed.text).map((f) => f.offsets[0]));
    const mine = cases.filter((c) => c.sample === seed.name);
    assert.equal(mine.length, 2 * offsets.size, seed.name);
    assert.ok(mine.every((c) => offsets.has(c.at)));
  }
  // The case of the ECDHE_PSK find is listed, and passes now.
  const find = cases.find((c) => c.sample === 'tls/tls12-ecdhe-psk.msg.txt' && c.at === 1044 && c.to === 'zero');
  assert.deepEqual(find, { sample: 'tls/tls12-ecdhe-psk.msg.txt', at: 1044, value: 8, to: 'zero' });
  assert.doesNotThrow(() => target.check(find));
});

test('npm run fuzz --sweep runs only the targets that list their cases', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/fuzz.ts', '--sweep', '--targets', 'document,tls-bytes'], { cwd: REPO, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /with --sweep: none of them lists its cases/);
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
    // The same input found again: the saved fixture, and the note added to it by hand, stay.
    fs.writeFileSync(file, JSON.stringify({ ...back.fixture, note: 'kept' }));
    assert.equal(saveRegression({ target: 'tls-prefix', error: 'Error: y', seed: 2, path: '', input }, dir), file);
    assert.equal(listRegressions(dir)[0].fixture.note, 'kept');
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
