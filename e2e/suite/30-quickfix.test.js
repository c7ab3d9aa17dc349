// Quick fixes as a person applies them from the light bulb: vscode.executeCodeActionProvider on the range
// of a diagnostic (the editor sends the diagnostics there as context), the chosen action's WorkspaceEdit
// applied with workspace.applyEdit, then the server's new diagnostics awaited (onDidChangeDiagnostics).
// Works on a copy of samples/ssl3-hello (SSL 3.0 ClientHello: tls-hello-version-below-3.1 on client_version
// 03 00, tls-alert on the server's handshake_failure alert), saved at the end.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');
const { copyInWorkspace, waitForDiagnostics, lineStarting, codeOf, rangeOf, workspaceDir, describe: show } = require('./helpers');

const RULE = 'tls-hello-version-below-3.1';
const codes = (diags) => diags.map(codeOf).sort();
const find = (diags, code) => diags.find((d) => codeOf(d) === code);

async function actionsFor(uri, diag) {
  const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, diag.range);
  return (actions || []).filter((a) => a.title); // CodeAction objects (commands have no edit)
}
/** The lines an insertion-only edit adds, and the line it inserts them at. */
function inserted(action, uri) {
  const edits = action.edit.get(uri);
  assert.strictEqual(edits.length, 1, JSON.stringify(edits));
  const e = edits[0];
  assert.ok(e.range.isEmpty && e.range.start.character === 0, `an insertion at a line start: ${JSON.stringify(e.range)}`);
  assert.ok(e.newText.endsWith('\n'), JSON.stringify(e.newText));
  return { at: e.range.start.line, lines: e.newText.slice(0, -1).split('\n') };
}

describe('quick fixes', function () {
  let uri, doc, helloLine, initial;

  before(async function () {
    uri = copyInWorkspace('ssl3-hello.transcript', 'quickfix-ssl3-hello.transcript');
    doc = await vscode.workspace.openTextDocument(uri);
    helloLine = lineStarting(doc, 'C: 16 03 00 00 33 01 00 00 2f 03 00 ');
    initial = await waitForDiagnostics(uri, (d) => !!find(d, RULE) && !!find(d, 'tls-alert'));
    assert.deepStrictEqual(codes(initial), [RULE, 'tls-alert'].sort(), JSON.stringify(initial.map(show)));
    assert.deepStrictEqual(rangeOf(find(initial, RULE)), [helloLine, 30, helloLine, 35]);
  });

  after(async function () {
    if (doc && doc.isDirty) await doc.save(); // no dirty editor left behind for later tests
  });

  it(`offers "Annotate with decoded summary" and "Suppress ${RULE} here with a reason" as quick fixes for the diagnostic`, async function () {
    const actions = await actionsFor(uri, find(initial, RULE));
    const titles = actions.map((a) => a.title);
    for (const t of ['Annotate with decoded summary', `Suppress ${RULE} here with a reason`]) {
      const a = actions.find((x) => x.title === t);
      assert.ok(a, `no "${t}" in ${JSON.stringify(titles)}`);
      assert.ok(a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind), `${t}: kind ${a.kind && a.kind.value}`);
      // (the API command hands back title, kind, edit, command and isPreferred only, not `diagnostics`)
    }
    // keyed on the diagnostic: the same request on a line without one offers neither
    const plain = lineStarting(doc, 'S: 250-PIPELINING');
    const there = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, new vscode.Range(plain, 3, plain, 6));
    assert.deepStrictEqual((there || []).map((a) => a.title).filter((x) => /^(Suppress|Annotate with decoded)/.test(x)), []);
  });

  it('"Annotate with decoded summary" inserts # lines under the dump; the findings stay the same', async function () {
    const action = (await actionsFor(uri, find(initial, RULE))).find((a) => a.title === 'Annotate with decoded summary');
    const ins = inserted(action, uri);
    // under the last dump line "C: 00 2f 00 0a 00 ff 01 00", above the server's alert
    const lastDumpLine = lineStarting(doc, 'C: 00 2f 00 0a 00 ff 01 00');
    assert.strictEqual(ins.at, lastDumpLine + 1);
    assert.ok(await vscode.workspace.applyEdit(action.edit), 'applyEdit refused the annotation');
    const n = ins.lines.length;
    const added = Array.from({ length: n }, (_, i) => doc.lineAt(lastDumpLine + 1 + i).text);
    assert.deepStrictEqual(added, ins.lines);
    assert.ok(added.every((l) => l.startsWith('# ')), JSON.stringify(added));
    assert.strictEqual(added[0], '# smtptls: decoded ClientHello');
    for (const want of ['#   client_version: SSL 3.0 (0x0300)', '#     0x0035 TLS_RSA_WITH_AES_256_CBC_SHA', '#     0x00ff TLS_EMPTY_RENEGOTIATION_INFO_SCSV', `#   finding: error ${RULE} (RFC 7568 §3)`]) {
      assert.ok(added.includes(want), `annotation lacks "${want}": ${JSON.stringify(added)}`);
    }
    // re-analysed: same rule ids; the hello's finding where it was, the alert n lines further down
    const alertBefore = rangeOf(find(initial, 'tls-alert'));
    const after = await waitForDiagnostics(uri, (d) => !!find(d, 'tls-alert') && find(d, 'tls-alert').range.start.line === alertBefore[0] + n);
    assert.deepStrictEqual(codes(after), codes(initial), JSON.stringify(after.map(show)));
    assert.deepStrictEqual(rangeOf(find(after, RULE)), rangeOf(find(initial, RULE)));
    assert.deepStrictEqual(rangeOf(find(after, 'tls-alert')), [alertBefore[0] + n, alertBefore[1], alertBefore[2] + n, alertBefore[3]]);
    // the fix re-checks the text: a dump with an annotation under it is not offered another one
    const again = (await actionsFor(uri, find(after, RULE))).map((a) => a.title);
    assert.ok(!again.includes('Annotate with decoded summary'), JSON.stringify(again));
    assert.ok(again.includes(`Suppress ${RULE} here with a reason`), JSON.stringify(again));
  });

  it(`"Suppress ${RULE} here with a reason" inserts the directive above the line and the diagnostic goes away`, async function () {
    const current = vscode.languages.getDiagnostics(uri);
    const action = (await actionsFor(uri, find(current, RULE))).find((a) => a.title === `Suppress ${RULE} here with a reason`);
    assert.ok(action, 'no suppress action');
    const ins = inserted(action, uri);
    assert.strictEqual(ins.at, helloLine);
    assert.deepStrictEqual(ins.lines, [`# smtptls-disable-next-line ${RULE} -- TODO say why this is expected`]);
    const alertLine = find(current, 'tls-alert').range.start.line;
    assert.ok(await vscode.workspace.applyEdit(action.edit), 'applyEdit refused the suppression');
    assert.strictEqual(doc.lineAt(helloLine).text, ins.lines[0]);
    assert.ok(doc.lineAt(helloLine + 1).text.startsWith('C: 16 03 00 00 33 01 00 00 2f 03 00 '));
    const after = await waitForDiagnostics(uri, (d) => !find(d, RULE));
    // only that rule on that line is silenced: the alert stays, one line further down
    assert.deepStrictEqual(codes(after), ['tls-alert'], JSON.stringify(after.map(show)));
    assert.strictEqual(find(after, 'tls-alert').range.start.line, alertLine + 1);
  });
});

// Perl's Net::SMTP debug output of an AUTH LOGIN (server/test/fixtures/perl-net-smtp/perl-smtps-login.txt, a real run
// against the mail lab): Net::SMTP prints each part it sends decoded (`>>> (decoded) labsecret`) beside its base64.
// The hover on the password in clear never shows it; "Redact credentials" replaces the base64 and the parts in clear.
describe('Redact credentials on Perl Net::SMTP\'s debug output, which prints the password decoded', function () {
  this.timeout(60000);
  const REPO = path.resolve(__dirname, '..', '..');
  const user = 'labuser@mx.example.test';
  const b64 = (s) => Buffer.from(s).toString('base64');
  let uri, doc;

  before(async function () {
    const dest = path.join(workspaceDir(), 'perl-net-smtp-login.smtplog');
    fs.copyFileSync(path.join(REPO, 'server/test/fixtures/perl-net-smtp/perl-smtps-login.txt'), dest);
    uri = vscode.Uri.file(dest);
    doc = await vscode.workspace.openTextDocument(uri);
  });

  after(async function () {
    if (doc && doc.isDirty) await doc.save();
  });

  it('the hover on the password it printed decoded says it stands in clear, and does not show it', async function () {
    const at = doc.positionAt(doc.getText().indexOf('(decoded) labsecret') + '(decoded) '.length + 2);
    // (The first hover may come before the server has read the document: asked again until it answers.)
    let text = '';
    for (let i = 0; i < 100 && text === ''; i++) {
      const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, at);
      text = (hovers || []).flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
      if (text === '') await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(text.includes('**AUTH credentials** (in clear, masked here)'), text);
    assert.ok(!text.includes('labsecret'), text);
  });

  it('"Redact credentials" on the AUTH line replaces the base64 and the user name and password in clear', async function () {
    const at = doc.positionAt(doc.getText().indexOf('>>> AUTH LOGIN') + 5);
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, new vscode.Range(at, at));
    const redact = (actions || []).find((a) => a.title === 'Redact credentials (4 AUTH payloads)');
    assert.ok(redact, JSON.stringify((actions || []).map((a) => a.title)));
    assert.ok(await vscode.workspace.applyEdit(redact.edit), 'applyEdit refused the redaction');
    const after = doc.getText();
    for (const secret of [user, 'labsecret', b64(user), b64('labsecret')]) assert.ok(!after.includes(secret), `${secret} still in the document`);
    assert.strictEqual(after.split('********').length - 1, 4);
  });
});
