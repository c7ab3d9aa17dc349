// Captures in the real editor: a .pcap opened with the command, and opened directly (the custom
// editor hands over to the virtual transcript), gets the server's diagnostics and hovers.
// The capture is server/test/fixtures/live/ssl3-hello.pcap (a real postfix session, see its README):
// its ClientHello offers SSL 3.0, so tls-hello-version-below-3.1 fires.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { workspaceDir, waitForDiagnostics, codeOf } = require('./helpers');

const REPO = path.resolve(__dirname, '..', '..');

function copyCapture(name, from = 'server/test/fixtures/live/ssl3-hello.pcap') {
  const dest = path.join(workspaceDir(), name);
  fs.copyFileSync(path.join(REPO, from), dest);
  return vscode.Uri.file(dest);
}

function waitForEditor(accept, ms = 30000) {
  return new Promise((resolve, reject) => {
    const found = () => vscode.window.visibleTextEditors.find((e) => accept(e.document));
    const hit = found();
    if (hit) return resolve(hit);
    const sub = vscode.window.onDidChangeVisibleTextEditors(() => {
      const e = found();
      if (e) { clearTimeout(timer); sub.dispose(); resolve(e); }
    });
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`no matching editor within ${ms} ms`)); }, ms);
  });
}

describe('captures', function () {
  it('"Open capture as transcript": a read-only smtp-transcript document with the founding-rule error and a hover', async function () {
    const pcap = copyCapture('capture-command.pcap');
    await vscode.commands.executeCommand('smtpTls.openCapture', pcap);
    const editor = await waitForEditor((d) => d.uri.scheme === 'smtptls-capture' && d.uri.path.endsWith('capture-command.pcap.transcript'));
    const doc = editor.document;
    assert.strictEqual(doc.languageId, 'smtp-transcript');
    assert.match(doc.getText(), /^# smtptls import of capture-command\.pcap$/m);
    const diags = await waitForDiagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'tls-hello-version-below-3.1'));
    const d = diags.find((x) => codeOf(x) === 'tls-hello-version-below-3.1');
    // client_version 03 00 of the hello, on a "C: 16 03 00 ..." hex line of the transcript.
    assert.strictEqual(doc.getText(d.range), '03 00');
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, d.range.start);
    assert.ok(hovers && hovers.length > 0, 'a hover on the flagged bytes');
  });

  it('opening a .pcap directly shows its transcript in a text editor', async function () {
    const pcap = copyCapture('capture-direct.pcap');
    await vscode.commands.executeCommand('vscode.open', pcap);
    const editor = await waitForEditor((d) => d.uri.scheme === 'smtptls-capture' && d.uri.path.endsWith('capture-direct.pcap.transcript'));
    const diags = await waitForDiagnostics(editor.document.uri, (x) => x.some((y) => codeOf(y) === 'tls-hello-version-below-3.1'));
    assert.ok(diags.length >= 1);
  });

  // msmtp's implicit-TLS run on 127.0.0.1:4465 (server/test/fixtures/msmtp/README.md): no standard
  // SMTP port, no clear-text greeting. The setting makes the open transcript import it again.
  it('smtpTls.capture.smtpPorts: TLS on port 4465 is read as SMTP once the setting names the port, in the open transcript', async function () {
    const pcap = copyCapture('implicit-4465.pcap', 'server/test/fixtures/msmtp/msmtp-implicit-tls.pcap');
    await vscode.commands.executeCommand('smtpTls.openCapture', pcap);
    const editor = await waitForEditor((d) => d.uri.scheme === 'smtptls-capture' && d.uri.path.endsWith('implicit-4465.pcap.transcript'));
    const uri = editor.document.uri;
    const before = await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'capture-file-problem'));
    assert.match(before.find((x) => codeOf(x) === 'capture-file-problem').message, /--smtp-port 4465 \(editor setting smtpTls\.capture\.smtpPorts\)/);
    const cfg = vscode.workspace.getConfiguration('smtpTls');
    await cfg.update('capture.smtpPorts', [4465], vscode.ConfigurationTarget.Global);
    try {
      const after = await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'tls-sni-invalid'));
      assert.ok(!after.some((x) => codeOf(x) === 'capture-file-problem'), 'the no-SMTP note is gone');
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      assert.match(doc.getText(), /\(SMTP recognised by port 4465, given as an SMTP port\)/);
      // server_name "127.0.0.1" as the hello carries it: the diagnostic sits on its bytes.
      const sni = after.find((x) => codeOf(x) === 'tls-sni-invalid');
      assert.match(doc.getText(sni.range), /^[0-9a-f]{2}( [0-9a-f]{2})*$/);
    } finally {
      await cfg.update('capture.smtpPorts', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  // "Open capture with key log (decrypt TLS)…": the key log picked for one capture, no setting: its
  // transcript is decrypted (a real HelloRetryRequest session, server/test/fixtures/keylog/ossl-tls13-hrr),
  // while the same capture opened plainly stays encrypted.
  it('"Open capture with key log": the picked key log decrypts that transcript, the plain one stays encrypted', async function () {
    const pcap = copyCapture('hrr-picked.pcap', 'server/test/fixtures/keylog/ossl-tls13-hrr/capture.pcap');
    const keyLog = path.join(workspaceDir(), 'hrr-picked.keylog');
    fs.copyFileSync(path.join(REPO, 'server/test/fixtures/keylog/ossl-tls13-hrr/keylog.txt'), keyLog);
    await vscode.commands.executeCommand('smtpTls.openCaptureWithKeyLog', pcap, [vscode.Uri.file(keyLog)]);
    const editor = await waitForEditor((d) => d.uri.scheme === 'smtptls-capture' && d.uri.path.endsWith('hrr-picked.pcap.transcript') && d.uri.fragment !== '');
    const text = editor.document.getText();
    assert.match(text, /^C: EHLO client\.feas\.test$/m);
    assert.match(text, /1 SMTP session decrypted/);
    await waitForDiagnostics(editor.document.uri, (d) => d.some((x) => codeOf(x) === 'smtp-pipelining-not-advertised'));
    await vscode.commands.executeCommand('smtpTls.openCapture', pcap);
    const plain = await waitForEditor((d) => d.uri.scheme === 'smtptls-capture' && d.uri.path.endsWith('hrr-picked.pcap.transcript') && d.uri.fragment === '');
    assert.match(plain.document.getText(), /<\d+ bytes of encrypted TLS records>/);
    assert.doesNotMatch(plain.document.getText(), /decrypted with the key log/);
  });

  // openssl s_client -tls1_3 -keylogfile against the lab's postfix (server/test/fixtures/keylog/README.md):
  // encrypted, the capture shows no finding; with its key log the dialogue inside TLS is read (the
  // client pipelined it without PIPELINING known) and the server's Certificate is decoded.
  it('smtpTls.capture.keyLogFiles: the open transcript is decrypted, checked inside TLS, and the TLS 1.3 certificate has a hover', async function () {
    const pcap = copyCapture('keylog-tls13.pcap', 'server/test/fixtures/keylog/ossl-tls13-aes256/capture.pcap');
    fs.copyFileSync(path.join(REPO, 'server/test/fixtures/keylog/ossl-tls13-aes256/keylog.txt'), path.join(workspaceDir(), 'keylog-tls13.keylog'));
    await vscode.commands.executeCommand('smtpTls.openCapture', pcap);
    const editor = await waitForEditor((d) => d.uri.scheme === 'smtptls-capture' && d.uri.path.endsWith('keylog-tls13.pcap.transcript'));
    const uri = editor.document.uri;
    assert.match(editor.document.getText(), /<\d+ bytes of encrypted TLS records>/);
    const cfg = vscode.workspace.getConfiguration('smtpTls');
    await cfg.update('capture.keyLogFiles', ['keylog-tls13.keylog'], vscode.ConfigurationTarget.Global);
    try {
      const after = await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'smtp-pipelining-not-advertised'));
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const text = doc.getText();
      assert.match(text, /^C: EHLO client\.feas\.test$/m);
      assert.match(text, /1 SMTP session decrypted/);
      for (const x of after) assert.doesNotMatch(x.message, /AGJvYkBm|lab-throwaway-pw/, 'no credential in a diagnostic');
      // The decrypted Certificate: the hex line after its mark starts with 0b (handshake type 11).
      const lines = text.split('\n');
      const at = lines.findIndex((l, i) => l.startsWith('S: 0b ') && lines[i - 1] === 'S: <decrypted TLS 1.3 record: handshake (22)>');
      assert.ok(at > 0, 'a decrypted Certificate record');
      const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, new vscode.Position(at, 3));
      const shown = (hovers || []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(shown, /Certificate/);
    } finally {
      await cfg.update('capture.keyLogFiles', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
