// What a person sees in the workbench (checked by the code-shim in the browser page through playwright):
// the squiggle under exactly the flagged bytes, the Problems panel entry with the rule id, the hover widget
// a person gets with the mouse over those bytes (the finding and the decoded field), a screenshot saved to
// test-artifacts/.
'use strict';
const assert = require('assert');
const path = require('path');
const vscode = require('vscode');
const { wsUri, waitForDiagnostics, codeOf, rangeOf, openInEditor, uiCheck } = require('./helpers');

describe('what a person sees', function () {
  this.timeout(120000);
  let result;
  const CODE = 'tls-sslv2-compat-hello';

  before(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const uri = wsUri('corpus-raw-sslv2-hello-v3.1-p25.transcript');
    const doc = await openInEditor(uri);
    const diags = await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === CODE));
    const d = diags.find((x) => codeOf(x) === CODE);
    const [line, start, , end] = rangeOf(d);
    vscode.window.activeTextEditor.revealRange(d.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    vscode.window.activeTextEditor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    // focus back in the editor so the squiggle's line is drawn as a person would look at it
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    result = await uiCheck({
      lineText: doc.lineAt(line).text, startChar: start, endChar: end, severity: 'warning', code: CODE,
      problemText: `[Ln ${line + 1}, Col ${start + 1}]`, problemsFilter: path.basename(uri.fsPath), shot: 'vscode-sslv2-compat-hello.png',
      // "80 2b" is the SSLv2 record header: its hover names the field, the finding's hover its rule id
      hover: { char: start + 1, expect: [CODE, 'Record › record_header › record_length', 'RFC 6176'] },
    });
    for (const c of result.checks) console.log(`    ui: ${c.ok ? 'ok' : 'NOT OK'} ${c.name} -- ${c.detail}`);
  });

  const check = (prefix) => {
    const c = result.checks.find((x) => x.name.startsWith(prefix));
    assert.ok(c, `no ui check "${prefix}" in ${JSON.stringify(result.checks)}`);
    assert.ok(c.ok, `${c.name}: ${c.detail}`);
  };
  it('draws a warning squiggle under exactly the flagged bytes', () => check('.squiggly-warning under'));
  it(`lists ${CODE} with its position in the Problems panel`, () => check('Problems panel shows'));
  it('shows the finding and the decoded field in the hover widget over those bytes', () => check('hover widget over'));
  it('saves a screenshot to test-artifacts/', () => check('screenshot saved'));
});
