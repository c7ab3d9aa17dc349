#!/usr/bin/env node
// Runs e2e/suite in a real VS Code (code-server's workbench + Node extension host, see code-shim.js)
// against the PACKAGED extension: the .vsix is installed into a fresh extensions dir exactly as a user
// installs it, and the tests find it there (they assert it is not a development copy).
//
// The calls are the ones a project makes with a downloaded desktop VS Code:
//   cli --install-extension X.vsix --extensions-dir=E ; runTests({ vscodeExecutablePath, ... })
// with the code-shim as executable and CLI. test-electron always passes an extensionDevelopmentPath:
// it points at e2e/host, an empty extension that only carries the mocha run.
//
// Usage: node e2e/run-vscode.js [--vsix FILE] [--result FILE]
// Writes {"passed":N,"failed":N} to --result (default <tmp>/result.json) and prints it.
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { spawnSync } = require('child_process');
const { runTests } = require('@vscode/test-electron');

const E2E = __dirname;
const ROOT = path.resolve(E2E, '..');
const SHIM = path.join(E2E, 'code-shim.js');
const arg = (n) => { const i = process.argv.indexOf(`--${n}`); return i > 0 ? process.argv[i + 1] : undefined; };

function findVsix() {
  if (arg('vsix')) return path.resolve(arg('vsix'));
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  // `npm run package` writes <name>.vsix; vsce's default name is <name>-<version>.vsix: newest wins
  const all = fs.readdirSync(ROOT).filter((n) => (n === `${pkg.name}.vsix` || n.startsWith(`${pkg.name}-`)) && n.endsWith('.vsix'))
    .map((n) => path.join(ROOT, n)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!all.length) throw new Error(`no ${pkg.name}*.vsix at the repo root: run "npm run package" first`);
  return all[0];
}

// vsix manifest facts, read from the vsix itself (what the user installs)
function vsixPackageJson(vsix) {
  const r = spawnSync('unzip', ['-p', vsix, 'extension/package.json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot read extension/package.json from ${vsix}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// The workspace: copies of the repo's samples (and the corpus session the first checks were written
// against) in a temp folder, so nothing the editor does touches the checkout.
function makeWorkspace(ws) {
  fs.mkdirSync(ws, { recursive: true });
  const samples = path.join(ROOT, 'samples');
  if (fs.existsSync(samples)) {
    for (const n of fs.readdirSync(samples)) {
      const p = path.join(samples, n);
      if (fs.statSync(p).isFile()) fs.copyFileSync(p, path.join(ws, n));
    }
  }
  const corpus = path.join(ROOT, 'server/test/fixtures/corpus/sessions/raw-sslv2-hello-v3.1-p25/transcript-CS.txt');
  if (fs.existsSync(corpus)) fs.copyFileSync(corpus, path.join(ws, 'corpus-raw-sslv2-hello-v3.1-p25.transcript'));
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-e2e-vscode-'));
  const resultFile = path.resolve(arg('result') || path.join(tmp, 'result.json'));
  fs.rmSync(resultFile, { force: true });
  const udd = path.join(tmp, 'user-data');
  const ext = path.join(tmp, 'extensions');
  const ws = path.join(tmp, 'workspace');
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => { // the shim cleans up its own processes; drop our temp dir
      if (!process.env.E2E_KEEP_TMP) setTimeout(() => { fs.rmSync(tmp, { recursive: true, force: true }); process.exit(2); }, 1500);
    });
  }
  let status = 0;
  try {
    const vsix = findVsix();
    const manifest = vsixPackageJson(vsix);
    const extId = `${manifest.publisher}.${manifest.name}`;
    makeWorkspace(ws);
    console.log(`[e2e vscode] installing ${path.basename(vsix)} (${extId} ${manifest.version})`);
    const inst = spawnSync(process.execPath, [SHIM, '--install-extension', vsix, `--extensions-dir=${ext}`, `--user-data-dir=${udd}`],
      { stdio: 'inherit', timeout: 150000 });
    if (inst.status !== 0) throw new Error(`installing ${vsix} failed (status ${inst.status})`);

    await runTests({
      vscodeExecutablePath: SHIM,
      extensionDevelopmentPath: path.join(E2E, 'host'),
      extensionTestsPath: path.join(E2E, 'suite', 'index.js'),
      launchArgs: [ws, `--extensions-dir=${ext}`, `--user-data-dir=${udd}`],
      extensionTestsEnv: {
        E2E_EXT_ID: extId,
        E2E_EXT_VERSION: manifest.version,
        E2E_EXTENSIONS_DIR: ext,
        E2E_REPO_ROOT: ROOT,
        E2E_RESULT_FILE: resultFile,
      },
    });
  } catch (e) {
    console.error(`[e2e vscode] ${e && e.message || e}`);
    status = 1;
  }
  let res;
  try { res = JSON.parse(fs.readFileSync(resultFile, 'utf8')); } catch { res = null; }
  if (!res) res = { passed: 0, failed: 1, error: 'the mocha run reported no result (infrastructure failure)' };
  else if (status !== 0 && res.failed === 0) res.failed = 1; // exited badly although mocha was green
  fs.writeFileSync(resultFile, JSON.stringify(res));
  console.log(`[e2e vscode] ${res.passed} passed, ${res.failed} failed${res.error ? ` (${res.error})` : ''}`);
  if (!process.env.E2E_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(res.failed > 0 ? 1 : status);
}
main();
