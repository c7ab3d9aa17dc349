// The session diagram webview ("SMTP/TLS: Show session diagram") on samples/sslv2-hello-ssl3: the command's
// return value, then what a person sees in the webview (checked by the code-shim in the browser page
// through playwright): 7 arrows (greeting, EHLO, its reply, STARTTLS, 220, the ClientHello, the alert), the
// hello's arrow marked sev-error with its rule id, the STARTTLS rule and the TLS phase, the page's
// content security policy; a click on the hello's arrow moves the editor's selection to its line (awaited
// with onDidChangeTextEditorSelection) and the diagram then draws that arrow selected; a screenshot.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { wsUri, waitForDiagnostics, waitForEvent, lineStarting, openInEditor, uiCheck, logUiChecks, expectUiCheck } = require('./helpers');


describe('session diagram', function () {
  this.timeout(90000);
  let uri, doc, hello, summary, shown, clicked;

  before(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    uri = wsUri('sslv2-hello-ssl3.transcript');
    doc = await openInEditor(uri);
    hello = lineStarting(doc, 'C: 80 3b 01 03 00 ');
    await waitForDiagnostics(uri, (d) => d.length >= 3);
    const editor = vscode.window.activeTextEditor;
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    summary = await vscode.commands.executeCommand('smtpTls.showSessionDiagram');
  });

  after(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the command returns {uri, sessionIndex, sessionCount, eventCount} of the active transcript', function () {
    assert.deepStrictEqual(summary, { uri: uri.toString(), sessionIndex: 0, sessionCount: 1, eventCount: 7 });
  });

  describe('in the webview', function () {
    before(async function () {
      shown = await uiCheck({ kind: 'diagram', events: 7, findingLine: hello, findingText: 'tls-hello-version-below-3.1' });
      logUiChecks(shown);
    });
    it('draws 7 g.event arrows', () => expectUiCheck(shown, 'session diagram has 7 g.event arrows'));
    it('marks the ClientHello arrow sev-error with the rule id, and no arrow before it', () => {
      expectUiCheck(shown, `arrow of line ${hello + 1} is g.event.sev-error`);
      expectUiCheck(shown, 'arrows before the TLS phase carry no finding');
    });
    it('draws the STARTTLS rule and the TLS phase', () => expectUiCheck(shown, 'STARTTLS rule'));
    it("loads under a content security policy of default-src 'none'", () => expectUiCheck(shown, 'webview CSP'));

    it('clicking the ClientHello arrow moves the editor selection to the hello line, and the arrow is drawn selected', async function () {
      const onHello = () => {
        const e = vscode.window.visibleTextEditors.find((x) => x.document.uri.toString() === uri.toString());
        return !!e && e.selection.active.line === hello && e.selection.isEmpty;
      };
      assert.ok(!onHello(), 'the selection is on the hello line before the click');
      const moved = waitForEvent(vscode.window.onDidChangeTextEditorSelection, onHello, `the selection on line ${hello + 1}`);
      clicked = await uiCheck({ kind: 'diagram', clickLine: hello });
      logUiChecks(clicked);
      expectUiCheck(clicked, `clicked the arrow of line ${hello + 1}`);
      await moved;
      assert.strictEqual(vscode.window.activeTextEditor && vscode.window.activeTextEditor.document.uri.toString(), uri.toString(), 'the transcript editor has the focus');
      const after = await uiCheck({ kind: 'diagram', selectedLine: hello, shot: 'vscode-session-diagram.png' });
      logUiChecks(after);
      expectUiCheck(after, `arrow of line ${hello + 1} drawn selected`);
      expectUiCheck(after, 'screenshot saved');
    });
  });
});
