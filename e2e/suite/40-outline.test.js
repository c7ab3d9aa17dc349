// Outline and folding as the editor gets them: vscode.executeDocumentSymbolProvider (the Outline view,
// breadcrumbs), vscode.executeWorkspaceSymbolProvider (Go to Symbol in Workspace),
// vscode.executeFoldingRangeProvider, and a real fold in an editor (editor.fold, then the visible ranges).
// On samples/sslv2-hello-ssl3 (greeting, EHLO, STARTTLS, an SSLv2-compatible ClientHello on lines
// "C: 80 3b ..." to "C: 33 34 ...", the server's alert) and samples/openssl-tls12-clean.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { wsUri, waitForDiagnostics, waitForEvent, lineStarting, openInEditor } = require('./helpers');

const K = vscode.SymbolKind;
const brief = (s) => ({ name: s.name, kind: K[s.kind], lines: [s.range.start.line, s.range.end.line], children: (s.children || []).map(brief) });

describe('outline and folding', function () {
  let doc, hello, helloEnd;
  before(async function () {
    doc = await vscode.workspace.openTextDocument(wsUri('sslv2-hello-ssl3.transcript'));
    hello = lineStarting(doc, 'C: 80 3b 01 03 00 ');
    helloEnd = lineStarting(doc, 'C: 33 34 35 36 ', hello);
    await waitForDiagnostics(doc.uri);
  });

  it('document symbols: a session with greeting, EHLO, STARTTLS and a TLS handshake holding the ClientHello', async function () {
    const symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.ok(Array.isArray(symbols) && symbols.length === 1, JSON.stringify((symbols || []).map(brief)));
    const session = symbols[0];
    const greeting = lineStarting(doc, 'S: 220 mx.example.test ESMTP');
    const alert = lineStarting(doc, 'S: 15 03 00 00 02 02 28');
    assert.deepStrictEqual([session.name, session.kind, session.range.start.line, session.range.end.line], ['Session 1', K.Namespace, greeting, alert],
      JSON.stringify(brief(session)));
    assert.deepStrictEqual(session.children.map((c) => c.name), ['Greeting', 'EHLO client.example.test', 'STARTTLS', 'TLS handshake'], JSON.stringify(brief(session)));
    const starttls = session.children[2];
    const starttlsLine = lineStarting(doc, 'C: STARTTLS');
    assert.deepStrictEqual([starttls.kind, starttls.detail, starttls.range.start.line, starttls.range.end.line], [K.Method, '→ 220', starttlsLine, starttlsLine + 1]);
    const tls = session.children[3];
    assert.strictEqual(tls.kind, K.Struct);
    assert.deepStrictEqual(tls.children.map((c) => [c.name, c.detail, c.range.start.line, c.range.end.line]),
      [['ClientHello', 'C', hello, helloEnd], ['Alert: handshake_failure', 'S', alert, alert]], JSON.stringify(brief(tls)));
    // the selection range (what the Outline reveals) is the first line of the phase
    assert.deepStrictEqual([tls.children[0].selectionRange.start.line, tls.children[0].selectionRange.end.line], [hello, hello]);
  });

  it('workspace symbols: "ClientHello" finds the hello of the open transcript', async function () {
    const found = await vscode.commands.executeCommand('vscode.executeWorkspaceSymbolProvider', 'ClientHello');
    const here = (found || []).filter((s) => s.location.uri.toString() === doc.uri.toString());
    assert.ok(here.some((s) => s.name === 'ClientHello' && s.location.range.start.line === hello && s.containerName),
      JSON.stringify((found || []).map((s) => [s.name, s.containerName, s.location.uri.path.split('/').pop(), s.location.range.start.line])));
  });

  it('folding ranges: the hex dump lines, the session, the comment header', async function () {
    // What the editor keeps of the provider's ranges (it sanitizes them: one range per start line, the
    // first the provider lists; the server lists the outer one first). Here the ClientHello dump starts
    // the TLS handshake phase, so the fold starting on its first line is the phase's (dump + alert).
    const ranges = await vscode.commands.executeCommand('vscode.executeFoldingRangeProvider', doc.uri);
    const has = (s, e, kind) => ranges.some((r) => r.start === s && r.end === e && (kind === undefined || r.kind === kind));
    const show = JSON.stringify(ranges.map((r) => [r.start, r.end, r.kind]));
    const alert = lineStarting(doc, 'S: 15 03 00 00 02 02 28');
    assert.ok(ranges.some((r) => r.start === hello && r.end >= helloEnd && r.end <= alert), `no fold from the ClientHello dump's first line ${hello} over its lines to ${helloEnd}: ${show}`);
    assert.ok(has(lineStarting(doc, 'S: 220 mx.example.test ESMTP'), alert, vscode.FoldingRangeKind.Region), `no session fold: ${show}`);
    assert.ok(has(0, lineStarting(doc, 'S: 220 ') - 1, vscode.FoldingRangeKind.Comment), `no fold for the # header: ${show}`);
    assert.ok(has(lineStarting(doc, 'C: EHLO'), lineStarting(doc, 'S: 250 CHUNKING')), `no fold for EHLO and its reply: ${show}`);
    // openssl -msg dumps: each record folds from its "<<< ... RecordHeader" line to its last hex line
    const tls12 = await vscode.workspace.openTextDocument(wsUri('openssl-tls12-clean.transcript'));
    const t12 = await vscode.commands.executeCommand('vscode.executeFoldingRangeProvider', tls12.uri);
    const show12 = JSON.stringify(t12.map((r) => [r.start, r.end]));
    const serverHello = lineStarting(tls12, '<<< TLS 1.2, RecordHeader');
    assert.ok(tls12.lineAt(serverHello + 2).text.endsWith('ServerHello'));
    const serverHelloEnd = lineStarting(tls12, "Can't use SSL_get_servername", serverHello) - 1;
    assert.ok(t12.some((r) => r.start === serverHello && r.end === serverHelloEnd), `no fold ${serverHello}-${serverHelloEnd} for the ServerHello dump: ${show12}`);
    const cert = lineStarting(tls12, '<<< TLS 1.2, RecordHeader', serverHelloEnd);
    const certEnd = lineStarting(tls12, 'depth=0 CN = mx.example.test', cert) - 1;
    assert.ok(t12.some((r) => r.start === cert && r.end === certEnd), `no fold ${cert}-${certEnd} for the Certificate dump: ${show12}`);
  });

  it('folding in the editor hides the dump lines under the first one', async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await openInEditor(doc.uri);
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor.document.uri.toString(), doc.uri.toString());
    const visible = (l) => editor.visibleRanges.some((r) => r.start.line <= l && l <= r.end.line);
    assert.ok(visible(hello + 1), `line ${hello + 2} should be visible before folding: ${JSON.stringify(editor.visibleRanges)}`);
    const folded = waitForEvent(vscode.window.onDidChangeTextEditorVisibleRanges,
      () => !visible(hello + 1) && !visible(helloEnd) && visible(hello) && editor.visibleRanges, `lines ${hello + 2}-${helloEnd + 1} folded away`);
    await vscode.commands.executeCommand('editor.fold', { levels: 1, direction: 'down', selectionLines: [hello] });
    await folded;
    await vscode.commands.executeCommand('editor.unfoldAll');
  });
});
