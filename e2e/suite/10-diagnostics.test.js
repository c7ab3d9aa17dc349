// Diagnostics published by the language server, as the editor receives them: rule ids and exact ranges.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { wsUri, waitForDiagnostics, codeOf, rangeOf, describe: show } = require('./helpers');

describe('diagnostics', function () {
  it('corpus SSLv2-compatible hello: tls-sslv2-compat-hello warning on the version bytes 03 01', async function () {
    const uri = wsUri('corpus-raw-sslv2-hello-v3.1-p25.transcript');
    const doc = await vscode.workspace.openTextDocument(uri);
    // the line the range must point into, as in the captured session
    assert.ok(doc.lineAt(16).text.startsWith('C: 80 2b 01 03 01 '), doc.lineAt(16).text);
    const diags = await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'tls-sslv2-compat-hello'));
    const d = diags.find((x) => codeOf(x) === 'tls-sslv2-compat-hello');
    assert.deepStrictEqual(rangeOf(d), [16, 12, 16, 17], JSON.stringify(show(d)));
    assert.strictEqual(doc.getText(d.range), '03 01');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
  });
});
