/**
 * Golden outputs of every report format on the real samples, compared exactly.
 *
 * The CLI runs in-process (runCli with the real file system, cwd = the repository).
 * To regenerate after an intended change, run
 *   UPDATE_GOLDEN=1 node scripts/test.mjs server/test/cli/golden
 * and review `git diff server/test/fixtures/golden` line by line before committing.
 * SARIF carries the absolute file URI of the repository in originalUriBaseIds; it is
 * stored as file:///REPO/ so the golden holds wherever the checkout is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TOOL_VERSION } from '../../src/cli/version';
import { REPO } from '../helpers/lspClient';
import { runInProcess } from './runInProcess';

const GOLDEN_DIR = path.join(REPO, 'server/test/fixtures/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

process.chdir(REPO);

/** The repository URI and the tool version vary by checkout and release; stored as placeholders. */
function normalise(output: string): string {
  const repoUri = pathToFileURL(REPO).href.replace(/\/?$/, '/');
  return output.split(repoUri).join('file:///REPO/').split(`"${TOOL_VERSION}"`).join('"VERSION"');
}

/**
 * The SARIF rule descriptors are generated from the whole catalog (tested in
 * server/test/export/sarif.test.ts); in the golden each shrinks to its id and level so
 * that editing a rule's prose elsewhere does not churn this file.
 */
function condenseSarifRules(output: string): string {
  const log = JSON.parse(output);
  for (const run of log.runs) {
    run.tool.driver.rules = run.tool.driver.rules.map((r: { id: string; defaultConfiguration: unknown }) => ({ id: r.id, defaultConfiguration: r.defaultConfiguration }));
  }
  return JSON.stringify(log, null, 2) + '\n';
}

function compareGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (UPDATE) {
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  assert.ok(fs.existsSync(file), `missing golden ${name}: run with UPDATE_GOLDEN=1 and review it`);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `${name} differs from the golden (UPDATE_GOLDEN=1 regenerates it)`);
}

/** Real samples with few, long-settled findings: an SSL 3.0 hello, an SSLv2-compatible hello, a cut capture. */
const SAMPLES = ['samples/ssl3-hello.transcript', 'samples/sslv2-hello-tls10.transcript', 'samples/truncated-hello.transcript'];

const CASES: { name: string; args: string[]; code: number; condense?: (s: string) => string }[] = [
  { name: 'check.txt', args: ['check', ...SAMPLES], code: 1 },
  { name: 'check.json', args: ['check', '--format', 'json', ...SAMPLES], code: 1 },
  { name: 'check.sarif', args: ['check', '--format', 'sarif', ...SAMPLES], code: 1, condense: condenseSarifRules },
  { name: 'check.github.txt', args: ['check', '--format', 'github', ...SAMPLES], code: 1 },
  { name: 'check-quiet-rfc3207.txt', args: ['check', '--quiet', '--baseline', 'rfc3207', ...SAMPLES], code: 1 },
  { name: 'decode-ssl3-hello.txt', args: ['decode', '--format', 'text', 'samples/ssl3-hello.transcript'], code: 0 },
  { name: 'decode-sslv2-hello-tls10.txt', args: ['decode', '--format', 'text', 'samples/sslv2-hello-tls10.transcript'], code: 0 },
];

for (const c of CASES) {
  test(`golden: smtptls ${c.args.join(' ')}`, () => {
    const r = runInProcess(c.args);
    assert.equal(r.stderr, '');
    assert.equal(r.code, c.code);
    compareGolden(c.name, normalise(c.condense ? c.condense(r.stdout) : r.stdout));
  });
}
