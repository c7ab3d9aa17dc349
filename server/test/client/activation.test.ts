/**
 * The client's activation (client/src/extension.ts) outside VS Code: the main bundle is built with
 * esbuild as scripts/build.mjs does, `vscode` replaced by a recording stub, and the language client
 * bundle by a fake one in a temporary extension folder. Issue 10 (activation ≤ 50 ms): activate()
 * must not evaluate vscode-languageclient; the client is required and started after it returns,
 * whatever needs it waits for it, and deactivate() stops it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const REPO = path.resolve(__dirname, '..', '..', '..');
const ENTRY = path.join(REPO, 'client', 'src', 'extension.ts');

/** What the stub `vscode` and the fake client bundle record; reset by each test through loadExtension(). */
interface Recorder {
  calls: string[];
  commands: Map<string, (...args: unknown[]) => unknown>;
  /** Called by the fake bundle's createLanguageClient. */
  createClient: (serverModule: string, options: { documentSelector: { scheme: string }[] }) => FakeClient;
}
interface FakeClient {
  start(): Promise<void>;
  stop(): Promise<void>;
  isRunning(): boolean;
}
declare global {
  var __smtpTlsActivationTest: Recorder | undefined;
}

const STUB_VSCODE = `
const r = () => globalThis.__smtpTlsActivationTest;
const disposable = { dispose() {} };
module.exports = {
  commands: { registerCommand(id, fn) { r().calls.push('registerCommand ' + id); r().commands.set(id, fn); return disposable; } },
  workspace: {
    registerTextDocumentContentProvider(scheme) { r().calls.push('registerTextDocumentContentProvider ' + scheme); return disposable; },
    onDidChangeConfiguration() { r().calls.push('onDidChangeConfiguration'); return disposable; },
  },
  EventEmitter: class { constructor() { this.event = () => disposable; } fire() {} dispose() {} },
  window: {
    activeTextEditor: undefined,
    registerCustomEditorProvider(viewType) { r().calls.push('registerCustomEditorProvider ' + viewType); return disposable; },
    showErrorMessage(m) { r().calls.push('error ' + m); return Promise.resolve(undefined); },
    showInformationMessage(m) { r().calls.push('information ' + m); return Promise.resolve(undefined); },
  },
};
`;
const FAKE_CLIENT_BUNDLE = `
globalThis.__smtpTlsActivationTest.calls.push('require languageClient.js');
exports.createLanguageClient = (serverModule, options) => globalThis.__smtpTlsActivationTest.createClient(serverModule, options);
`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtptls-activation-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const stubPath = path.join(dir, 'vscode-stub.js');
fs.writeFileSync(stubPath, STUB_VSCODE);
const mainBundle = path.join(dir, 'extension.js');

/** Builds the real entry as scripts/build.mjs does (minified, as packaged) and returns the metafile. */
async function buildMain(options: { alias?: Record<string, string>; outfile?: string } = {}): Promise<esbuild.Metafile> {
  const r = await esbuild.build({
    entryPoints: [ENTRY], bundle: true, platform: 'node', format: 'cjs', target: 'node18', minify: true,
    external: options.alias ? [] : ['vscode'], alias: options.alias, outfile: options.outfile ?? path.join(dir, 'unused.js'),
    write: options.outfile !== undefined, metafile: true, logLevel: 'silent',
  });
  return r.metafile;
}
const built = buildMain({ alias: { vscode: stubPath }, outfile: mainBundle });

interface ExtensionModule { activate(context: unknown): unknown; deactivate(): Promise<void> }

/** A fresh copy of the built main bundle, an extension folder with (or without) the fake client bundle, and a recorder. */
async function loadExtension(withClientBundle = true): Promise<{ ext: ExtensionModule; context: { subscriptions: unknown[]; asAbsolutePath(p: string): string }; rec: Recorder; root: string }> {
  await built;
  const root = fs.mkdtempSync(path.join(dir, 'ext-'));
  if (withClientBundle) {
    fs.mkdirSync(path.join(root, 'dist', 'client'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist', 'client', 'languageClient.js'), FAKE_CLIENT_BUNDLE);
  }
  const rec: Recorder = { calls: [], commands: new Map(), createClient: () => { throw new Error('no client expected'); } };
  globalThis.__smtpTlsActivationTest = rec;
  delete require.cache[mainBundle];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ext = require(mainBundle) as ExtensionModule;
  return { ext, rec, root, context: { subscriptions: [], asAbsolutePath: (p: string) => path.join(root, p) } };
}

/** A client whose start() settles when the test says so. */
function controlledClient(rec: Recorder, name = 'client'): FakeClient & { settle(ok: boolean): void } {
  let running = false;
  let settle: (ok: boolean) => void = () => undefined;
  const started = new Promise<void>((resolve, reject) => {
    settle = (ok) => {
      running = ok;
      if (ok) resolve();
      else reject(new Error('server exited with code 1'));
    };
  });
  return {
    start() { rec.calls.push(`${name} start`); return started; },
    async stop() { rec.calls.push(`${name} stop`); running = false; },
    isRunning: () => running,
    settle: (ok) => settle(ok),
  };
}

/** loadExtension() with a controlled client, activated. */
async function activateWithControlledClient(): Promise<Awaited<ReturnType<typeof loadExtension>> & { client: ReturnType<typeof controlledClient> }> {
  const loaded = await loadExtension();
  const client = controlledClient(loaded.rec);
  loaded.rec.createClient = () => client;
  loaded.ext.activate(loaded.context);
  return { ...loaded, client };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

test('activation: the main bundle holds no vscode-languageclient (nor any other package); the client bundle does', async () => {
  const main = await buildMain();
  const mainInputs = Object.keys(main.inputs);
  assert.ok(mainInputs.some((p) => p.endsWith('client/src/extension.ts')), mainInputs.join(', '));
  assert.deepEqual(mainInputs.filter((p) => p.includes('node_modules')), []);
  const out = Object.values(main.outputs)[0];
  assert.ok(out.bytes < 64 * 1024, `main bundle ${out.bytes} bytes`);

  const r = await esbuild.build({
    entryPoints: [path.join(REPO, 'client', 'src', 'languageClient.ts')], bundle: true, platform: 'node', format: 'cjs',
    external: ['vscode'], write: false, metafile: true, logLevel: 'silent', outfile: path.join(dir, 'lc.js'),
  });
  assert.ok(Object.keys(r.metafile.inputs).some((p) => p.includes('node_modules/vscode-languageclient/')));
});

test('activation: activate() registers the commands and the capture editor and returns before the client bundle is required', async () => {
  const { ext, rec, root, context } = await loadExtension();
  let created: { serverModule: string; schemes: string[] } | undefined;
  const client = controlledClient(rec);
  rec.createClient = (serverModule, options) => {
    created = { serverModule, schemes: options.documentSelector.map((f) => f.scheme) };
    return client;
  };
  const result = ext.activate(context);
  assert.equal(result, undefined, 'activate() returns at once, not a promise');
  assert.deepEqual(rec.calls, [
    'registerCommand smtpTls.showSessionDiagram',
    'registerTextDocumentContentProvider smtptls-capture',
    'onDidChangeConfiguration',
    'registerCustomEditorProvider smtpTls.captureTranscript',
    'registerCommand smtpTls.openCapture',
    'registerCommand smtpTls.openCaptureWithKeyLog',
  ]);
  assert.ok(context.subscriptions.length >= 6);
  await tick();
  assert.deepEqual(rec.calls.slice(6), ['require languageClient.js', 'client start']);
  assert.deepEqual(created, { serverModule: path.join(root, 'dist', 'server', 'server.js'), schemes: ['file', 'untitled', 'smtptls-capture', 'vscode-vfs'] });
  client.settle(true);
  await ext.deactivate();
  assert.equal(rec.calls.at(-1), 'client stop');
});

test('activation: the diagram command waits for the client to start', async () => {
  const { ext, rec, client } = await activateWithControlledClient();
  let done = false;
  const answer = Promise.resolve(rec.commands.get('smtpTls.showSessionDiagram')?.()).then((v) => { done = true; return v; });
  await tick();
  await tick();
  assert.equal(done, false, 'the command answered before the client had started');
  assert.ok(!rec.calls.some((c) => c.startsWith('information')));
  client.settle(true);
  // No transcript editor is open in the stub, so once the client is there the command says so.
  assert.equal(await answer, undefined);
  assert.match(rec.calls.at(-1) ?? '', /^information Open an SMTP\/TLS transcript/);
  await ext.deactivate();
});

test('activation: deactivate() before the client is loaded means it is never loaded', async () => {
  const { ext, rec, context } = await loadExtension();
  ext.activate(context);
  await ext.deactivate();
  await tick();
  assert.ok(!rec.calls.includes('require languageClient.js'), rec.calls.join('; '));
});

test('activation: deactivate() during the start waits for it, then stops the client', async () => {
  const { ext, rec, client } = await activateWithControlledClient();
  await tick();
  let stopped = false;
  const deactivating = ext.deactivate().then(() => { stopped = true; });
  await tick();
  assert.equal(stopped, false);
  assert.ok(!rec.calls.includes('client stop'), 'stopped a client that was still starting');
  client.settle(true);
  await deactivating;
  assert.deepEqual(rec.calls.slice(-2), ['client start', 'client stop']);
});

test('activation: a server that fails to start, or a missing client bundle, gives an error message, not a crash', async () => {
  {
    const { ext, rec, client } = await activateWithControlledClient();
    await tick();
    client.settle(false);
    const answer = await rec.commands.get('smtpTls.showSessionDiagram')?.();
    assert.equal(answer, undefined);
    assert.ok(rec.calls.includes('error SMTP/TLS Transcripts: the language server did not start: server exited with code 1'), rec.calls.join('; '));
    await ext.deactivate();
    assert.ok(!rec.calls.includes('client stop'), 'stop() on a client that never ran');
  }
  {
    const { ext, rec, context } = await loadExtension(false);
    ext.activate(context);
    await tick();
    await tick();
    assert.ok(rec.calls.some((c) => /^error SMTP\/TLS Transcripts: the language server did not start: Cannot find module/.test(c)), rec.calls.join('; '));
    await ext.deactivate();
  }
});
