/**
 * Our SARIF for the real samples passes the official SARIF Multitool validator
 * (npm @microsoft/sarif-multitool, a self-contained .NET binary per platform, runs
 * offline) with no error, including its GitHub code-scanning ingestion rules (`Gh`).
 * Only errors and warnings are asked for: the note-level rules include one that
 * fetches every helpUri over the network.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/lspClient';
import { runInProcess } from './runInProcess';

process.chdir(REPO);

/** The platform binary; npm's postinstall (chmod u+x) may have been skipped, so set the bit it would set. */
function findMultitool(): string {
  // The package's main module exports the path of the binary for this platform.
  const bin = String(createRequire(path.join(REPO, 'package.json'))('@microsoft/sarif-multitool'));
  try {
    fs.accessSync(bin, fs.constants.X_OK);
  } catch {
    fs.chmodSync(bin, fs.statSync(bin).mode | 0o100);
  }
  return bin;
}

function validate(sarifFile: string): { errors: string[]; warnings: string[]; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-sarif-'));
  const report = path.join(dir, 'validation.sarif');
  const r = spawnSync(findMultitool(), ['validate', sarifFile, '--output', report, '--rule-kind', 'Gh;Sarif', '--level', 'Error;Warning'], {
    encoding: 'utf8',
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
    timeout: 120_000,
  });
  const output = `${r.stdout}${r.stderr}`;
  assert.equal(r.status, 0, `multitool failed to run: ${output}`);
  const log = JSON.parse(fs.readFileSync(report, 'utf8'));
  const results: { ruleId: string; level?: string; message: { id?: string } }[] = log.runs[0].results ?? [];
  const describe = (x: { ruleId: string; message: { id?: string } }) => `${x.ruleId} ${x.message.id ?? ''}`;
  return {
    errors: results.filter((x) => (x.level ?? 'warning') === 'error').map(describe),
    warnings: results.filter((x) => (x.level ?? 'warning') === 'warning').map(describe),
    output,
  };
}

test('SARIF for every sample and for stdin validates with zero errors under the SARIF Multitool', { timeout: 180_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-sarif-'));
  const out = path.join(dir, 'samples.sarif');
  const r = runInProcess(['check', '--format', 'sarif', '--output', out, 'samples', 'server/test/fixtures/cli/auth-plain-login.transcript']);
  assert.equal(r.code, 1, r.stderr);
  const log = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.ok(log.runs[0].results.length >= 10, 'the samples carry findings');
  const v = validate(out);
  assert.deepEqual(v.errors, [], v.output);
  // The one warning allowed: no informationUri while package.json has no homepage.
  assert.deepEqual(v.warnings.filter((w) => w !== 'SARIF2005 Warning_ProvideToolnformationUri'), [], v.output);

  const stdinOut = path.join(dir, 'stdin.sarif');
  const s = runInProcess(['check', '--format', 'sarif', '-o', stdinOut, '-'], { stdin: fs.readFileSync('samples/ssl3-hello.transcript', 'utf8') });
  assert.equal(s.code, 1);
  assert.deepEqual(validate(stdinOut).errors, []);
});

test('the validator is real: it reports an error when a region breaks the schema', { timeout: 180_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-sarif-'));
  const bad = path.join(dir, 'bad.sarif');
  // Our own result with a 0-based line, the classic off-by-one: JSON1008 (below minimum 1).
  const r = runInProcess(['check', '--format', 'sarif', 'samples/ssl3-hello.transcript']);
  const log = JSON.parse(r.stdout);
  log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
  fs.writeFileSync(bad, JSON.stringify(log));
  assert.ok(validate(bad).errors.some((e) => e.startsWith('JSON1008')));
});
