// The extension under test is the packaged .vsix installed like a user's, and it comes up.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { EXT_ID, LANG, wsUri, workspaceDir, waitForDiagnostics, codeOf } = require('./helpers');

/** performance.now() times of the activation in this run, shared by the tests below. */
const activation = { start: undefined, returned: undefined };
const fmt = (ms) => (typeof ms === 'number' ? `${ms.toFixed(1)} ms` : 'n/a');

/**
 * The extension host's marks for one extension (VS Code's own performance marks, kept on
 * globalThis.MonacoPerformanceMarks in the extension host process, millisecond resolution).
 */
function extensionHostPhases(id) {
  const marks = globalThis.MonacoPerformanceMarks?.getMarks?.() ?? [];
  const at = (what) => marks.find((m) => m.name === `code/extHost/${what}/${id}`)?.startTime;
  const diff = (a, b) => (at(a) !== undefined && at(b) !== undefined ? at(b) - at(a) : undefined);
  // The marks are Date.now() values; performance.timeOrigin + performance.now() is the same clock.
  const since = (what, t) => (at(what) !== undefined && t !== undefined ? at(what) - (performance.timeOrigin + t) : undefined);
  return {
    load: diff('willLoadExtensionCode', 'didLoadExtensionCode'),
    call: diff('willActivateExtension', 'didActivateExtension'),
    // Before the bundle is read: the extension host's activation machinery (storage, localisation).
    before: since('willLoadExtensionCode', activation.start),
    // Between the bundle's load and the activate() call: waiting for the ExtensionContext.
    context: diff('didLoadExtensionCode', 'willActivateExtension'),
  };
}

/** The extension's own marks (Node's performance timeline, same process): when the lazy language client bundle loaded. */
function languageClientMarks() {
  const get = (name) => performance.getEntriesByName(`smtpTls/${name}`, 'mark')[0];
  return { activated: get('activated'), willLoad: get('languageClient/willLoad'), didLoad: get('languageClient/didLoad'), ready: get('languageClient/ready') };
}

describe('installed .vsix', function () {
  it('is the installed package, not a development copy', function () {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, `${EXT_ID} is not installed; have: ${vscode.extensions.all.map((e) => e.id).filter((i) => !i.startsWith('vscode.')).join(', ')}`);
    const dir = process.env.E2E_EXTENSIONS_DIR;
    assert.ok(dir, 'E2E_EXTENSIONS_DIR not set');
    assert.strictEqual(path.dirname(ext.extensionPath), dir, `extension runs from ${ext.extensionPath}`);
    assert.strictEqual(ext.packageJSON.version, process.env.E2E_EXT_VERSION);
  });

  it('activates quickly (the language client is loaded after activation returns)', async function () {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.strictEqual(ext.isActive, false, 'nothing has opened a transcript yet');
    activation.start = performance.now();
    await ext.activate();
    activation.returned = performance.now();
    const ms = activation.returned - activation.start;
    // The extension host's own phases (the same marks "Developer: Show Running Extensions" is built
    // from): loading the main bundle (codeLoadingTime) and calling activate() until it resolves.
    const phases = extensionHostPhases(EXT_ID);
    const lazy = languageClientMarks();
    console.log(`[e2e] extension activation: ${ms.toFixed(1)} ms (ext.activate() as seen by a caller); ` +
      `VS Code's activation time (load main bundle + activate() call, as in "Show Running Extensions") ${fmt(phases.load !== undefined && phases.call !== undefined ? phases.load + phases.call : undefined)} ` +
      `= load ${fmt(phases.load)} + call ${fmt(phases.call)}; before loading ${fmt(phases.before)}, waiting for the context ${fmt(phases.context)}; ` +
      `main bundle ${(fs.statSync(path.join(ext.extensionPath, ext.packageJSON.main)).size / 1024).toFixed(1)} KB`);
    // Issue 10's target is 50 ms; timings on a shared machine are noisy, so the assertion guards
    // against a blocking start, and the structure is asserted instead: the language client bundle
    // (vscode-languageclient, most of the client's code) is not evaluated inside activate().
    assert.ok(ms < 2000, `activation took ${ms.toFixed(0)} ms`);
    assert.ok(lazy.activated, 'activate() did not mark smtpTls/activated');
    assert.ok(!lazy.willLoad || lazy.willLoad.startTime >= lazy.activated.startTime, 'the language client bundle was loaded inside activate()');
  });

  it('gives .transcript files the smtp-transcript language and activates on them', async function () {
    const uri = wsUri('corpus-raw-sslv2-hello-v3.1-p25.transcript');
    const opened = performance.now();
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.strictEqual(doc.languageId, LANG);
    await waitForDiagnostics(uri); // activation is proven by the first published diagnostics
    const now = performance.now();
    const lazy = languageClientMarks();
    const since = (m) => (m && activation.start !== undefined ? `${(m.startTime - activation.start).toFixed(1)} ms` : 'n/a');
    console.log(`[e2e] language client ready: first diagnostics ${(now - activation.start).toFixed(1)} ms after activation started ` +
      `(${(now - opened).toFixed(1)} ms after opening the document); client bundle loaded ${fmt(lazy.willLoad && lazy.didLoad && lazy.didLoad.startTime - lazy.willLoad.startTime)} ` +
      `(from ${since(lazy.willLoad)}), client started ${since(lazy.ready)}`);
    assert.ok(lazy.activated && lazy.willLoad && lazy.ready, 'activation, the language client bundle or the client start left no mark, though diagnostics arrived');
    assert.ok(lazy.willLoad.startTime >= lazy.activated.startTime, 'the language client bundle was loaded inside activate()');
    assert.strictEqual(vscode.extensions.getExtension(EXT_ID).isActive, true);
  });

  // Exim's main log is called `mainlog` and has no extension (server/test/fixtures/exim-mainlog, real).
  it('gives a file named mainlog the language (its name; its first line too), and judges the RC4 and TLS 1.0 lines Exim wrote', async function () {
    const dest = path.join(workspaceDir(), 'mainlog');
    fs.copyFileSync(path.resolve(__dirname, '..', '..', 'server/test/fixtures/exim-mainlog/mainlog'), dest);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(dest));
    assert.strictEqual(doc.languageId, LANG);
    const diags = await waitForDiagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'tls-deprecated-version'));
    assert.deepStrictEqual(diags.map((d) => [codeOf(d), doc.getText(d.range)]).sort(), [['tls-deprecated-version', 'TLS1.0'], ['tls-weak-cipher-selected', 'RSA__ARCFOUR_128__SHA1']]);
  });
});
