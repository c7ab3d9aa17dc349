// The extension under test is the packaged .vsix installed like a user's, and it comes up.
'use strict';
const assert = require('assert');
const path = require('path');
const vscode = require('vscode');
const { EXT_ID, LANG, wsUri, waitForDiagnostics } = require('./helpers');

describe('installed .vsix', function () {
  it('is the installed package, not a development copy', function () {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, `${EXT_ID} is not installed; have: ${vscode.extensions.all.map((e) => e.id).filter((i) => !i.startsWith('vscode.')).join(', ')}`);
    const dir = process.env.E2E_EXTENSIONS_DIR;
    assert.ok(dir, 'E2E_EXTENSIONS_DIR not set');
    assert.strictEqual(path.dirname(ext.extensionPath), dir, `extension runs from ${ext.extensionPath}`);
    assert.strictEqual(ext.packageJSON.version, process.env.E2E_EXT_VERSION);
  });

  it('activates quickly (the language server starts in the background)', async function () {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.strictEqual(ext.isActive, false, 'nothing has opened a transcript yet');
    const t0 = performance.now();
    await ext.activate();
    const ms = performance.now() - t0;
    // Reported by the bench notes (issue 10 target: 50 ms); the assertion only guards against a blocking start.
    console.log(`[e2e] extension activation: ${ms.toFixed(1)} ms`);
    assert.ok(ms < 2000, `activation took ${ms.toFixed(0)} ms`);
  });

  it('gives .transcript files the smtp-transcript language and activates on them', async function () {
    const uri = wsUri('corpus-raw-sslv2-hello-v3.1-p25.transcript');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.strictEqual(doc.languageId, LANG);
    await waitForDiagnostics(uri); // activation is proven by the first published diagnostics
    assert.strictEqual(vscode.extensions.getExtension(EXT_ID).isActive, true);
  });
});
