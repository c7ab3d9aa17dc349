// Diagnostics published by the language server as the editor receives them: rule ids, severities and
// exact ranges, on the repo's samples (real sessions against postfix, see samples/README.md) and on a
// corpus session. The set of rule ids a sample triggers is the one its header states
// (`# expected rules: ...`); the ranges of the rules each test is about are worked out by hand from the
// bytes (noted per test). Lines are found by their content so that regenerating a sample's comment header
// does not move the expectation.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { wsUri, workspaceDir, waitForDiagnostics, lineStarting, expectedRules, codeOf, rangeOf, describe: show, copyInWorkspace } = require('./helpers');

const S = vscode.DiagnosticSeverity;
const codes = (diags) => diags.map(codeOf).sort();
const ruleSet = (diags) => [...new Set(diags.map(codeOf))].sort();
const only = (diags, code) => diags.filter((d) => codeOf(d) === code);

describe('diagnostics', function () {
  it('corpus SSLv2-compatible hello offering TLS 1.0: tls-sslv2-compat-hello warning on the SSLv2 record header 80 2b', async function () {
    const uri = wsUri('corpus-raw-sslv2-hello-v3.1-p25.transcript');
    const doc = await vscode.workspace.openTextDocument(uri);
    // "C: 80 2b 01 03 01 ...": 80 2b = SSLv2 record header (high bit set: the SSLv2 format the rule is
    // about), 01 = msg_type client_hello, 03 01 = version TLS 1.0. The header is bytes 0-1, i.e.
    // characters 3 to 3+3*1+2 = 8. It is line 16 (0-based).
    const line = lineStarting(doc, 'C: 80 2b 01 03 01 ');
    assert.strictEqual(line, 16);
    const diags = await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'tls-sslv2-compat-hello'));
    // The session (port 25) also offers RC4 and ends up on TLS 1.0: 01 00 80 (SSL2_RC4_128_WITH_MD5) is
    // cipher spec 5, bytes 21-23 of the hello = characters 24-32 of the next line; the ServerHello's
    // server_version 03 01 is bytes 9-10 of its record ("S: 16 03 01 00 51 02 00 00 4d 03 01"), characters 30-35.
    assert.deepStrictEqual(codes(diags), ['tls-deprecated-version', 'tls-deprecated-version', 'tls-sslv2-compat-hello', 'tls-weak-cipher-offered'],
      JSON.stringify(diags.map(show)));
    const d = only(diags, 'tls-sslv2-compat-hello')[0];
    assert.strictEqual(d.severity, S.Warning);
    assert.deepStrictEqual(rangeOf(d), [line, 3, line, 8], `range should be the record header "80 2b"; got "${doc.getText(d.range)}" ${JSON.stringify(show(d))}`);
    const shLine = lineStarting(doc, 'S: 16 03 01 00 51 02 00 00 4d 03 01 ');
    assert.deepStrictEqual(only(diags, 'tls-deprecated-version').map(rangeOf), [[line, 12, line, 17], [shLine, 30, shLine, 35]]);
    assert.deepStrictEqual(only(diags, 'tls-weak-cipher-offered').map(rangeOf), [[line + 1, 24, line + 1, 32]]);
    assert.strictEqual(doc.getText(only(diags, 'tls-weak-cipher-offered')[0].range), '01 00 80');
  });

  it('samples/sslv2-hello-ssl2: tls-hello-version-below-3.1 error on version 00 02 of the SSLv2-format hello', async function () {
    const uri = wsUri('sslv2-hello-ssl2.transcript');
    const doc = await vscode.workspace.openTextDocument(uri);
    // "C: 80 3b 01 00 02 ...": version 00 02 (SSL 2.0) at bytes 3-4 -> characters 12-17
    const line = lineStarting(doc, 'C: 80 3b 01 00 02 ');
    const diags = await waitForDiagnostics(uri);
    assert.deepStrictEqual(ruleSet(diags), expectedRules(doc), JSON.stringify(diags.map(show)));
    const below = only(diags, 'tls-hello-version-below-3.1');
    assert.strictEqual(below.length, 1, JSON.stringify(diags.map(show)));
    assert.strictEqual(below[0].severity, S.Error);
    assert.deepStrictEqual(rangeOf(below[0]), [line, 12, line, 17]);
    assert.strictEqual(doc.getText(below[0].range), '00 02');
  });

  it('samples/ssl3-hello: tls-hello-version-below-3.1 error on client_version 03 00 (not the record version)', async function () {
    const uri = wsUri('ssl3-hello.transcript');
    const doc = await vscode.workspace.openTextDocument(uri);
    // "C: 16 03 00 00 33 01 00 00 2f 03 00 ...": record header 16 03 00 00 33 (bytes 0-4), handshake
    // header 01 00 00 2f (bytes 5-8), client_version 03 00 at bytes 9-10 -> characters 30 to 35
    const line = lineStarting(doc, 'C: 16 03 00 00 33 01 00 00 2f 03 00 ');
    const diags = await waitForDiagnostics(uri);
    assert.deepStrictEqual(ruleSet(diags), expectedRules(doc), JSON.stringify(diags.map(show)));
    const below = only(diags, 'tls-hello-version-below-3.1');
    assert.strictEqual(below.length, 1, JSON.stringify(diags.map(show)));
    assert.strictEqual(below[0].severity, S.Error);
    assert.deepStrictEqual(rangeOf(below[0]), [line, 30, line, 35]);
  });

  it('samples/sslv2-hello-tls10 (real postfix session): tls-sslv2-compat-hello warning on the hello', async function () {
    const uri = wsUri('sslv2-hello-tls10.transcript');
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = lineStarting(doc, 'C: 80 ');
    const diags = await waitForDiagnostics(uri);
    assert.deepStrictEqual(ruleSet(diags), expectedRules(doc), JSON.stringify(diags.map(show)));
    const compat = only(diags, 'tls-sslv2-compat-hello');
    assert.strictEqual(compat.length, 1, JSON.stringify(diags.map(show)));
    assert.strictEqual(compat[0].severity, S.Warning);
    assert.strictEqual(compat[0].range.start.line, line); // the exact columns are pinned by the corpus test
  });

  it('samples/openssl-tls13-clean: a clean TLS 1.3 session gets no diagnostics', async function () {
    const clean = wsUri('openssl-tls13-clean.transcript');
    await vscode.workspace.openTextDocument(clean);
    // An empty publish raises no onDidChangeDiagnostics event, so order it against a sentinel: a fresh
    // copy of a flagged sample opened after the clean file. The server answers didOpen notifications in
    // order (both validate at once on open), so once the sentinel's diagnostics are in, the clean file
    // has been analysed too.
    const sentinelPath = path.join(workspaceDir(), `sentinel-${Date.now()}.transcript`);
    fs.copyFileSync(path.join(workspaceDir(), 'ssl3-hello.transcript'), sentinelPath);
    const sentinel = vscode.Uri.file(sentinelPath);
    await vscode.workspace.openTextDocument(sentinel);
    await waitForDiagnostics(sentinel);
    assert.deepStrictEqual(vscode.languages.getDiagnostics(clean).map(show), []);
  });

  it('follows edits: turning version 00 02 into 03 01 swaps tls-hello-version-below-3.1 for tls-sslv2-compat-hello', async function () {
    const uri = wsUri('sslv2-hello-ssl2.transcript');
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = lineStarting(doc, 'C: 80 3b 01 00 02 ');
    const has = (d, code) => d.some((x) => codeOf(x) === code);
    await waitForDiagnostics(uri, (d) => has(d, 'tls-hello-version-below-3.1'));
    const range = new vscode.Range(line, 12, line, 17);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, range, '03 01');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      const after = await waitForDiagnostics(uri, (d) => has(d, 'tls-sslv2-compat-hello') && !has(d, 'tls-hello-version-below-3.1'));
      const compat = only(after, 'tls-sslv2-compat-hello');
      assert.strictEqual(compat.length, 1, JSON.stringify(after.map(show)));
      assert.strictEqual(compat[0].severity, S.Warning);
      assert.deepStrictEqual(rangeOf(compat[0]), [line, 3, line, 8]);
    } finally {
      const back = new vscode.WorkspaceEdit();
      back.replace(uri, range, '00 02');
      await vscode.workspace.applyEdit(back);
    }
    const restored = await waitForDiagnostics(uri, (d) => has(d, 'tls-hello-version-below-3.1') && !has(d, 'tls-sslv2-compat-hello'));
    assert.deepStrictEqual(only(restored, 'tls-hello-version-below-3.1').map(rangeOf), [[line, 12, line, 17]]);
    assert.deepStrictEqual(ruleSet(restored), expectedRules(doc));
  });

  it('typing in a comment sends no new diagnostics (they would repeat the last ones); an edit that changes a finding does', async function () {
    const uri = copyInWorkspace('sslv2-hello-ssl2.transcript', 'e2e-unchanged-publication.transcript');
    const doc = await vscode.workspace.openTextDocument(uri);
    const has = (d, code) => d.some((x) => codeOf(x) === code);
    const before = (await waitForDiagnostics(uri, (d) => has(d, 'tls-hello-version-below-3.1'))).map(show);
    let changes = 0;
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) changes++;
    });
    try {
      const comment = lineStarting(doc, '# date:');
      const typed = new vscode.WorkspaceEdit();
      typed.insert(uri, new vscode.Position(comment, 2), 'reviewed ');
      assert.ok(await vscode.workspace.applyEdit(typed));
      // A negative check needs a window: the server answers a small document's edit within milliseconds.
      await new Promise((r) => setTimeout(r, 1500));
      assert.strictEqual(changes, 0, 'no publication after typing in a comment');
      assert.deepStrictEqual(vscode.languages.getDiagnostics(uri).map(show), before, 'the diagnostics shown are the ones of the edited text');
      const line = lineStarting(doc, 'C: 80 3b 01 00 02 ');
      const version = new vscode.WorkspaceEdit();
      version.replace(uri, new vscode.Range(line, 12, line, 17), '03 01');
      assert.ok(await vscode.workspace.applyEdit(version));
      await waitForDiagnostics(uri, (d) => has(d, 'tls-sslv2-compat-hello') && !has(d, 'tls-hello-version-below-3.1'));
      assert.ok(changes >= 1);
    } finally {
      sub.dispose();
      if (doc.isDirty) await doc.save(); // no dirty editor left behind for later tests
    }
  });

  it('follows the smtpTls.baseline setting: rfc3207 turns tls-sslv2-compat-hello into information', async function () {
    const uri = wsUri('corpus-raw-sslv2-hello-v3.1-p25.transcript');
    await vscode.workspace.openTextDocument(uri);
    const sev = (d) => (d.find((x) => codeOf(x) === 'tls-sslv2-compat-hello') || {}).severity;
    await waitForDiagnostics(uri, (d) => sev(d) === S.Warning);
    const cfg = vscode.workspace.getConfiguration('smtpTls');
    await cfg.update('baseline', 'rfc3207', vscode.ConfigurationTarget.Global);
    try {
      await waitForDiagnostics(uri, (d) => sev(d) === S.Information);
    } finally {
      await cfg.update('baseline', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitForDiagnostics(uri, (d) => sev(d) === S.Warning);
  });

  it('a log with more findings than VS Code shows publishes its 1,000 (smtpTls.maxDiagnostics), with a note saying how many are left out; 0 publishes all', async function () {
    // 700 copies of samples/ssl3-hello: an error (client_version 03 00) and a warning each, 1,400 findings.
    const one = fs.readFileSync(path.join(workspaceDir(), 'ssl3-hello.transcript'), 'utf8');
    const file = path.join(workspaceDir(), 'many-ssl3-hellos.transcript');
    fs.writeFileSync(file, Array.from({ length: 700 }, () => one).join('\n'));
    const uri = vscode.Uri.file(file);
    await vscode.workspace.openTextDocument(uri);
    // Where analysis takes longer than 150 ms the server first publishes the part analysed so far
    // (features/slicedAnalysis.ts): fewer errors, or fewer diagnostics, than the whole. Each wait
    // below is for the whole document's publication, told apart from such a part by what it holds.
    const errors = (d) => d.filter((x) => x.severity === S.Error).length;
    const limited = await waitForDiagnostics(uri, (d) => errors(d) === 700, 60000);
    assert.strictEqual(limited.length, 1000);
    // What VS Code itself keeps past its limit: every error first, then warnings in document order.
    assert.strictEqual(limited.filter((d) => d.severity === S.Error).length, 700);
    assert.strictEqual(limited.filter((d) => d.severity === S.Warning).length, 299);
    const note = limited.filter((d) => codeOf(d) === 'diagnostics-limit');
    assert.strictEqual(note.length, 1);
    assert.strictEqual(note[0].severity, S.Information);
    assert.deepStrictEqual(rangeOf(note[0]), [0, 0, 0, 0]);
    assert.match(note[0].message, /^401 more diagnostics are not shown: at most 1,000 are published per document \(smtpTls\.maxDiagnostics/);
    const cfg = vscode.workspace.getConfiguration('smtpTls');
    await cfg.update('maxDiagnostics', 0, vscode.ConfigurationTarget.Global);
    try {
      const all = await waitForDiagnostics(uri, (d) => d.length >= 1400, 60000);
      assert.strictEqual(all.length, 1400);
      assert.ok(all.every((d) => codeOf(d) !== 'diagnostics-limit'));
    } finally {
      await cfg.update('maxDiagnostics', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitForDiagnostics(uri, (d) => d.length === 1000 && errors(d) === 700, 60000);
  });
});
