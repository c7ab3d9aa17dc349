// Semantic tokens, inlay hints and code lenses as the editor gets them: vscode.provideDocumentSemanticTokens
// with vscode.provideDocumentSemanticTokensLegend (the data decoded as the editor decodes it),
// vscode.executeInlayHintProvider (also with smtpTls.inlayHints.enabled off), vscode.executeCodeLensProvider.
// On samples/ssl3-hello: "C: 16 03 00 00 33 01 00 00 2f 03 00 ..." is the record header 16 | 03 00 | 00 33,
// the handshake header 01 | 00 00 2f, then client_version 03 00 (characters 30-35).
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { wsUri, waitForDiagnostics, waitForPublish, lineStarting, codeOf } = require('./helpers');

/** Decodes LSP/VS Code semantic token data (5 integers per token, relative positions) with the legend. */
function decodeTokens(data, legend) {
  const out = [];
  let line = 0, char = 0;
  for (let i = 0; i + 4 < data.length; i += 5) {
    line += data[i];
    char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
    const mods = legend.tokenModifiers.filter((_, b) => data[i + 4] & (1 << b));
    out.push({ line, char, length: data[i + 2], type: legend.tokenTypes[data[i + 3]], mods });
  }
  return out;
}
const label = (h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));

describe('semantic tokens, inlay hints, code lenses', function () {
  let doc, hello;
  before(async function () {
    doc = await vscode.workspace.openTextDocument(wsUri('ssl3-hello.transcript'));
    hello = lineStarting(doc, 'C: 16 03 00 00 33 01 00 00 2f 03 00 ');
    await waitForDiagnostics(doc.uri);
  });

  it('semantic tokens: the legend the server declares, and a tlsVersion token (client) on each client_version byte', async function () {
    const legend = await vscode.commands.executeCommand('vscode.provideDocumentSemanticTokensLegend', doc.uri);
    assert.ok(legend, 'no semantic tokens legend for the document');
    for (const t of ['direction', 'smtpVerb', 'replyCode', 'tlsHeader', 'tlsLength', 'tlsVersion', 'tlsList', 'tlsOpaque', 'tlsEnum']) {
      assert.ok(legend.tokenTypes.includes(t), `legend lacks ${t}: ${legend.tokenTypes}`);
    }
    assert.ok(legend.tokenModifiers.includes('client') && legend.tokenModifiers.includes('server'), `${legend.tokenModifiers}`);
    const tokens = await vscode.commands.executeCommand('vscode.provideDocumentSemanticTokens', doc.uri);
    assert.ok(tokens && tokens.data && tokens.data.length % 5 === 0 && tokens.data.length > 0, 'no semantic tokens');
    const all = decodeTokens(tokens.data, legend);
    const at = (line, char) => all.find((t) => t.line === line && t.char === char);
    const show = (line) => JSON.stringify(all.filter((t) => t.line === line).map((t) => `${t.char}+${t.length} ${t.type} ${t.mods}`));
    for (const ch of [30, 33]) {
      const t = at(hello, ch);
      assert.ok(t && t.length === 2 && t.type === 'tlsVersion' && t.mods.includes('client'), `client_version byte at ${ch}: ${show(hello)}`);
    }
    // around it: the record header's content type, the record version, the handshake length, the random
    assert.strictEqual((at(hello, 3) || {}).type, 'tlsHeader', show(hello));
    assert.strictEqual((at(hello, 6) || {}).type, 'tlsVersion', show(hello));
    assert.strictEqual((at(hello, 24) || {}).type, 'tlsLength', show(hello));
    assert.strictEqual((at(hello, 36) || {}).type, 'tlsOpaque', show(hello));
    assert.strictEqual((at(hello, 0) || {}).type, 'direction', show(hello));
    // SMTP: the reply code of "S: 220 2.0.0 Ready to start TLS" is a replyCode of a success reply
    const ready = lineStarting(doc, 'S: 220 2.0.0');
    const rc = at(ready, 3);
    assert.ok(rc && rc.type === 'replyCode' && rc.length === 3 && rc.mods.includes('success') && rc.mods.includes('server'), show(ready));
    // the cipher suites are list items
    const suites = lineStarting(doc, 'C: 00 2f 00 0a 00 ff 01 00');
    assert.strictEqual((at(suites, 3) || {}).type, 'tlsList', show(suites));
  });

  it('inlay hints: client_version=0x0300 SSL 3.0 after the hello line; none with smtpTls.inlayHints.enabled off', async function () {
    const range = new vscode.Range(0, 0, doc.lineCount, 0);
    const hints = await vscode.commands.executeCommand('vscode.executeInlayHintProvider', doc.uri, range);
    const onHello = hints.filter((h) => h.position.line === hello);
    assert.strictEqual(onHello.length, 1, JSON.stringify(hints.map((h) => [h.position.line, label(h)])));
    const h = onHello[0];
    assert.ok(label(h).includes('client_version=0x0300 SSL 3.0'), label(h));
    assert.ok(label(h).includes('content_type=0x16 handshake'), label(h));
    assert.strictEqual(h.position.character, doc.lineAt(hello).text.length, 'the hint sits at the end of the dump line');
    const suites = lineStarting(doc, 'C: 00 2f 00 0a 00 ff 01 00');
    assert.ok(hints.some((x) => x.position.line === suites - 1 && label(x).includes('cipher_suites: 4')), JSON.stringify(hints.map((x) => [x.position.line, label(x)])));

    const cfg = vscode.workspace.getConfiguration('smtpTls');
    // the server re-validates open documents when the configuration changes: that publish says it has the new setting
    const republished = waitForPublish(doc.uri);
    await cfg.update('inlayHints.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      await republished;
      const none = await vscode.commands.executeCommand('vscode.executeInlayHintProvider', doc.uri, range);
      assert.deepStrictEqual(none.map(label), []);
    } finally {
      const back = waitForPublish(doc.uri);
      await cfg.update('inlayHints.enabled', undefined, vscode.ConfigurationTarget.Global);
      await back;
    }
    const again = await vscode.commands.executeCommand('vscode.executeInlayHintProvider', doc.uri, range);
    assert.ok(again.some((x) => x.position.line === hello && label(x).includes('client_version=0x0300 SSL 3.0')));
  });

  it('code lenses: one per session, with what was negotiated and the finding count of its diagnostics', async function () {
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri);
    const greeting = lineStarting(doc, 'S: 220 mx.example.test ESMTP');
    assert.deepStrictEqual(lenses.map((l) => l.range.start.line), [greeting]);
    const diags = vscode.languages.getDiagnostics(doc.uri);
    const errors = diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    assert.ok(diags.length === 2 && errors === 1, JSON.stringify(diags.map(codeOf)));
    assert.strictEqual(lenses[0].command && lenses[0].command.title, 'no TLS: handshake_failure alert · 2 findings (1 error)');
    const clean = await vscode.workspace.openTextDocument(wsUri('openssl-tls13-clean.transcript'));
    const cleanLenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', clean.uri);
    assert.deepStrictEqual(cleanLenses.map((l) => l.command && l.command.title), ['TLS 1.3 · TLS_AES_256_GCM_SHA384 · 0 findings']);
  });
});
