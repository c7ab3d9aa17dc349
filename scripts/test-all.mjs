// The whole test command (`npm test`): type-check, lint, unit + protocol tests, then the
// real-editor end-to-end stage when present. Ends with one line CI reads: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const stages = [
  { name: 'typecheck', cmd: 'npx', args: ['tsc', '--noEmit', '-p', '.'] },
  { name: 'lint', cmd: 'npx', args: ['eslint', '.'] },
  { name: 'build', cmd: process.execPath, args: ['scripts/build.mjs'] },
  { name: 'unit+protocol', cmd: process.execPath, args: ['scripts/test.mjs'], counts: true },
  // Every decoded length field of every fuzz seed set to 0 and to the maximum must give a finding
  // (about 10,000 cases, 10 s); the unit stage runs the random fuzz targets for a few hundred cases each.
  { name: 'fuzz sweep', cmd: process.execPath, args: ['--import', 'tsx', 'scripts/fuzz.ts', '--sweep'] },
];
// Real sessions against the mail lab (postfix, openssl, gnutls, swaks, curl) captured by tcpdump and
// compared with tshark: needs root (apt-get, tcpdump) like CI. SMTPTLS_SKIP_LIVE=1 leaves it out.
if (existsSync('scripts/live/run.sh') && !process.env.SMTPTLS_SKIP_LIVE) {
  stages.push({ name: 'live', cmd: 'bash', args: ['scripts/live/run.sh'], counts: true });
}
if (existsSync('e2e/run.sh') && !process.env.SMTPTLS_SKIP_E2E) {
  stages.push({ name: 'e2e', cmd: 'bash', args: ['e2e/run.sh'], counts: true });
}

let passed = 0;
let failed = 0;
for (const stage of stages) {
  const t0 = Date.now();
  console.log(`\n=== ${stage.name} ===`);
  const r = spawnSync(stage.cmd, stage.args, { stdio: stage.counts ? ['inherit', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
  let stagePassed = 0;
  let stageFailed = 0;
  if (stage.counts) {
    process.stdout.write(r.stdout ?? '');
    const out = r.stdout ?? '';
    // node's test runner: "ℹ pass N" / "ℹ fail N"; the e2e stage prints "N passed, N failed".
    const pass = [...out.matchAll(/^\S* ?pass (\d+)$/gm)].pop();
    const fail = [...out.matchAll(/^\S* ?fail (\d+)$/gm)].pop();
    const plain = [...out.matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
    if (pass && fail) {
      stagePassed = Number(pass[1]);
      stageFailed = Number(fail[1]);
    } else if (plain) {
      stagePassed = Number(plain[1]);
      stageFailed = Number(plain[2]);
    }
  } else {
    stagePassed = r.status === 0 ? 1 : 0;
  }
  if (r.status !== 0 && stageFailed === 0) stageFailed = 1;
  passed += stagePassed;
  failed += stageFailed;
  console.log(`=== ${stage.name}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)}s ===`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
