/**
 * Extension activation outside VS Code: each sample is a fresh Node process that
 * resolves `vscode` to a small stub, requires the built main bundle
 * (dist/client/extension.js) and calls activate() — what VS Code counts as the
 * extension's activation (code loading + the activate call). The baseline, measured
 * in the same run the same way, is requiring the language client bundle
 * (dist/client/languageClient.js, vscode-languageclient): the code activation
 * evaluated before the client was split. The real figure inside code-server is
 * logged by the e2e suite (e2e/suite/00-install.test.js).
 */
import { execFileSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './corpus';

/**
 * The API activate() touches (every call returns a disposable); any other name is an empty
 * class, enough for vscode-languageclient's module code to evaluate (it extends vscode classes).
 */
const STUB_VSCODE = `
const disposable = { dispose() {} };
const api = {
  commands: { registerCommand: () => disposable },
  workspace: { registerTextDocumentContentProvider: () => disposable, onDidChangeConfiguration: () => disposable },
  window: { registerCustomEditorProvider: () => disposable, showErrorMessage: () => Promise.resolve(undefined) },
  EventEmitter: class { constructor() { this.event = () => disposable; } fire() {} dispose() {} },
};
module.exports = new Proxy(api, { get: (target, name) => (name in target ? target[name] : class {}) });
`;

/** One sample: prints {"ms": …} for loading `file` and, when it exports activate, calling it. */
const PROBE = `
const Module = require('module');
const path = require('path');
const stub = process.argv[2];
const file = process.argv[3];
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return resolve.call(this, request === 'vscode' ? stub : request, ...rest); };
require(stub);
const t0 = performance.now();
const m = require(file);
const context = { subscriptions: [], asAbsolutePath: (p) => path.join(process.argv[4], p), extensionPath: process.argv[4] };
Promise.resolve(m.activate ? m.activate(context) : undefined).then(() => {
  process.stdout.write(JSON.stringify({ ms: performance.now() - t0 }));
  process.exit(0); // before the deferred language client load that activate() scheduled
});
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function benchActivation(work: string, quick: boolean): { section: string; rows: Record<string, string | number>[] } {
  const dir = path.join(work, 'activation');
  fs.mkdirSync(dir, { recursive: true });
  const stub = path.join(dir, 'vscode-stub.js');
  const probe = path.join(dir, 'probe.js');
  fs.writeFileSync(stub, STUB_VSCODE);
  fs.writeFileSync(probe, PROBE);
  // Both client bundles as the .vsix ships them (scripts/build.mjs --minify), built here so dist/ is left alone.
  const main = path.join(dir, 'extension.js');
  const client = path.join(dir, 'languageClient.js');
  for (const [entry, outfile] of [['extension.ts', main], ['languageClient.ts', client]]) {
    esbuild.buildSync({ entryPoints: [path.join(REPO, 'client', 'src', entry)], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node18', minify: true, external: ['vscode'], logLevel: 'warning' });
  }
  const sample = (file: string): number => JSON.parse(execFileSync(process.execPath, [probe, stub, file, REPO], { encoding: 'utf8' })).ms;
  const samples = quick ? 7 : 21;
  const activation: number[] = [];
  const baseline: number[] = [];
  // Alternated, so load on the machine falls on both alike.
  for (let i = 0; i < samples; i++) {
    activation.push(sample(main));
    baseline.push(sample(client));
  }
  const a = median(activation);
  const b = median(baseline);
  const row = {
    'main bundle KB': (fs.statSync(main).size / 1024).toFixed(0),
    'activation ms (load + activate(), median)': a.toFixed(1),
    'language client bundle KB': (fs.statSync(client).size / 1024).toFixed(0),
    'language client load ms (baseline, median)': b.toFixed(1),
    'activation / baseline': `${((a / b) * 100).toFixed(0)}%`,
    samples,
  };
  console.log(JSON.stringify(row));
  return { section: 'Activation outside VS Code: main bundle load + activate() against loading the language client bundle (target ≤ 50 ms)', rows: [row] };
}
