/**
 * `check --jobs N` (the built CLI: workers run the bundle): chunks analysed on worker
 * threads give byte for byte the report of a check on this thread alone, in every format,
 * for a capture of many connections and for a text of many sessions; usage errors exit 2.
 * In-process (not bundled) the pool is not started and the check runs on this thread.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChunkWorkerPool } from '../../src/cli/parallelCheck';
import { REPO } from '../helpers/lspClient';
import { readSample } from '../helpers/samples';
import { LIVE, listFrames, readFixture, repeatConnection, writePcap } from '../capture/helpers';
import { runInProcess } from './runInProcess';

const BIN = path.join(REPO, 'bin', 'smtptls');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-jobs-'));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('a capture of 400 connections (real SSL 3.0 hellos, each an error finding): --jobs 2 reports exactly what --jobs 1 reports, in every format', () => {
  const pcap = path.join(tmp, 'many.pcap');
  fs.writeFileSync(pcap, writePcap(repeatConnection(listFrames(readFixture(path.join(LIVE, 'ssl3-hello.pcap'))), 400), 1));
  for (const format of ['text', 'json', 'sarif', 'github']) {
    const one = run(['check', '--jobs', '1', '--format', format, pcap]);
    const two = run(['check', '--jobs', '2', '--format', format, pcap]);
    assert.equal(one.stderr, '');
    assert.equal(two.stderr, '');
    assert.equal(two.code, one.code, format);
    assert.ok(one.stdout.length > 1000, format);
    assert.equal(two.stdout, one.stdout, format);
  }
});

test('a text of many sessions with a suppression block and port directives across them: the same report with workers', () => {
  const sessions = ['ssl3-hello.transcript', 'sslv2-hello-tls10.transcript', 'truncated-hello.transcript', 'tls11-fallback-scsv.transcript'].map(readSample);
  const parts: string[] = [];
  for (let i = 0; i < 300; i++) {
    if (i === 40) parts.push('# smtptls-port: 587\n# smtptls-disable tls-alert -- known\n');
    if (i === 200) parts.push('# smtptls-enable tls-alert\n# smtptls-port: 25\n');
    parts.push(sessions[i % sessions.length]);
  }
  const file = path.join(tmp, 'many.transcript');
  fs.writeFileSync(file, parts.join('\n'));
  const one = run(['check', '--jobs', '1', '--format', 'json', file]);
  const two = run(['check', '--jobs', '2', '--format', 'json', file]);
  assert.equal(two.code, one.code);
  assert.ok(JSON.parse(one.stdout).files[0].diagnostics.length > 300);
  assert.equal(two.stdout, one.stdout);
});

test('--jobs must be a whole number from 1; in-process the pool is not started', () => {
  for (const bad of ['0', 'x', '1.5', '1000']) {
    const r = runInProcess(['check', '--jobs', bad, 'samples/ssl3-hello.transcript']);
    assert.equal(r.code, 2, bad);
    assert.match(r.stderr, /--jobs expects a whole number/);
  }
  assert.equal(ChunkWorkerPool.create(1, path.join(REPO, 'server/src/cli/parallelCheck.ts')), null, 'a .ts module cannot be a worker script');
  assert.equal(ChunkWorkerPool.create(0), null);
  const r = runInProcess(['check', '--jobs', '2', 'samples/ssl3-hello.transcript']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /tls-hello-version-below-3\.1/);
});
