// What a person sees in the workbench (checked by the code-shim in the browser page through playwright):
// the squiggle under exactly the flagged text, the Problems panel entry with the rule id, the hover widget
// a person gets with the mouse over it (the finding and what the text is), a screenshot saved to
// test-artifacts/. Two documents: a hex dump (the flagged bytes and their decoded field) and a log that
// names a suite in words (gnutls-cli -d 4 against Exim with RC4, server/test/fixtures/legacy-cipher,
// a real session whose capture shows 0x0005: GnuTLS's name of the suite and IANA's in the hover).
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { LANG, workspaceDir, wsUri, waitForDiagnostics, codeOf, rangeOf, openInEditor, uiCheck, logUiChecks, expectUiCheck } = require('./helpers');

const REPO = path.resolve(__dirname, '..', '..');

/** Opens `uri`, waits for the finding `code`, puts it in view with the Problems panel open, and asks the code-shim what a person sees. */
async function seeFinding(uri, code, { severity, shot, hoverAt, expect, text }) {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const doc = await openInEditor(uri);
  const diags = await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === code));
  const d = diags.find((x) => codeOf(x) === code);
  if (text !== undefined) assert.strictEqual(doc.getText(d.range), text);
  const [line, start, lastLine, lastChar] = rangeOf(d);
  // A finding over several lines (a certificate's validity as tshark -V prints it): its first line is squiggled to its end.
  const end = lastLine === line ? lastChar : doc.lineAt(line).text.length;
  vscode.window.activeTextEditor.revealRange(d.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  vscode.window.activeTextEditor.selection = new vscode.Selection(0, 0, 0, 0);
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  // focus back in the editor so the squiggle's line is drawn as a person would look at it
  await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
  // The panel took part of the editor's height: put the finding back in the middle of what is left.
  vscode.window.activeTextEditor.revealRange(d.range, vscode.TextEditorRevealType.InCenter);
  const result = await uiCheck({
    lineText: doc.lineAt(line).text, startChar: start, endChar: end, severity, code,
    problemText: `[Ln ${line + 1}, Col ${start + 1}]`, problemsFilter: path.basename(uri.fsPath), shot,
    hover: { char: start + hoverAt, expect: [code, ...expect] },
  });
  logUiChecks(result);
  return result;
}

/**
 * Copies a real fixture into the workspace under `name`, with no extension, as a terminal's text or a log is
 * saved: it must open as a transcript by its first line. Returns its URI.
 */
async function openByFirstLine(fixture, name) {
  const dest = path.join(workspaceDir(), name);
  fs.copyFileSync(path.join(REPO, fixture), dest);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(dest));
  assert.strictEqual(doc.languageId, LANG);
  return doc.uri;
}

describe('what a person sees', function () {
  this.timeout(120000);
  let result;
  const CODE = 'tls-sslv2-compat-hello';

  before(async function () {
    // "80 2b" is the SSLv2 record header: its hover names the field, the finding's hover its rule id
    result = await seeFinding(wsUri('corpus-raw-sslv2-hello-v3.1-p25.transcript'), CODE, {
      severity: 'warning', shot: 'vscode-sslv2-compat-hello.png', hoverAt: 1, expect: ['Record › record_header › record_length', 'RFC 6176'],
    });
  });

  it('draws a warning squiggle under exactly the flagged bytes', () => expectUiCheck(result, '.squiggly-warning under'));
  it(`lists ${CODE} with its position in the Problems panel`, () => expectUiCheck(result, 'Problems panel shows'));
  it('shows the finding and the decoded field in the hover widget over those bytes', () => expectUiCheck(result, 'hover widget over'));
  it('saves a screenshot to test-artifacts/', () => expectUiCheck(result, 'screenshot saved'));
});

describe('what a person sees on a suite named in words', function () {
  this.timeout(120000);
  let result;
  const CODE = 'tls-weak-cipher-selected';

  before(async function () {
    // Saved without an extension, as `gnutls-cli ... > gnutls-cli-rc4` leaves it: its first line
    // (`|<2>| ...`, GnuTLS's debug prefix) gives it the language (package.json firstLine).
    const uri = await openByFirstLine('server/test/fixtures/legacy-cipher/gnutls-cli-rc4.txt', 'gnutls-cli-rc4');
    // A .txt copy: which language VS Code picks there (its own association for .txt, or our first line).
    const txt = path.join(workspaceDir(), 'gnutls-cli-rc4.txt');
    fs.copyFileSync(uri.fsPath, txt);
    console.log(`    [e2e] a .txt copy opens as ${(await vscode.workspace.openTextDocument(vscode.Uri.file(txt))).languageId}`);
    result = await seeFinding(uri, CODE, {
      severity: 'error', shot: 'vscode-stated-rc4.png', hoverAt: 4, text: 'GNUTLS_RSA_ARCFOUR_128_SHA1',
      expect: ['TLS_RSA_WITH_RC4_128_SHA', '0x0005', 'RC4 is prohibited in TLS', 'RFC 7465'],
    });
  });

  it('draws an error squiggle under exactly the suite\'s name', () => expectUiCheck(result, '.squiggly-error under'));
  it(`lists ${CODE} with its position in the Problems panel`, () => expectUiCheck(result, 'Problems panel shows'));
  it('shows the finding, IANA\'s name and RFC 7465 in the hover widget over the name', () => expectUiCheck(result, 'hover widget over'));
  it('saves a screenshot to test-artifacts/', () => expectUiCheck(result, 'screenshot saved'));
});

// A session typed by hand in telnet (server/test/fixtures/telnet/telnet-starttls-quit.txt, a real
// terminal): STARTTLS, then QUIT typed in the clear after the 220, which the rule flags on the QUIT.
describe('what a person sees in a session typed in telnet', function () {
  this.timeout(120000);
  let result;
  const CODE = 'starttls-plaintext-after-220';

  before(async function () {
    // Saved without an extension, as a terminal's text: telnet's `Trying 127.0.0.1...` gives the language.
    const uri = await openByFirstLine('server/test/fixtures/telnet/telnet-starttls-quit.txt', 'telnet-starttls-quit');
    result = await seeFinding(uri, CODE, {
      severity: 'error', shot: 'vscode-telnet-starttls-quit.png', hoverAt: 1, text: 'QUIT',
      expect: ['plaintext', 'RFC 3207'],
    });
  });

  it('draws an error squiggle under the QUIT typed after the 220', () => expectUiCheck(result, '.squiggly-error under'));
  it(`lists ${CODE} with its position in the Problems panel`, () => expectUiCheck(result, 'Problems panel shows'));
  it('shows the finding in the hover widget over the QUIT', () => expectUiCheck(result, 'hover widget over'));
  it('saves a screenshot to test-artifacts/', () => expectUiCheck(result, 'screenshot saved'));
});

// A postfix log at smtpd_tls_loglevel 2 (server/test/fixtures/stated-alerts/sclient-state-unknown-ca.postfix.log,
// a real run: openssl s_client refusing the lab's self-signed certificate): postfix states the client's
// alert in OpenSSL's words, `SSL3 alert read:fatal:unknown CA`, which the rule flags on "unknown CA".
describe('what a person sees on an alert a log states in words', function () {
  this.timeout(120000);
  let result;
  const CODE = 'tls-alert';

  before(async function () {
    const uri = await openByFirstLine('server/test/fixtures/stated-alerts/sclient-state-unknown-ca.postfix.log', 'postfix-unknown-ca');
    result = await seeFinding(uri, CODE, {
      severity: 'warning', shot: 'vscode-postfix-stated-alert.png', hoverAt: 2, text: 'unknown CA',
      expect: ['sent by the client', 'no certificate authority'],
    });
  });

  it('draws a warning squiggle under the alert\'s name', () => expectUiCheck(result, '.squiggly-warning under'));
  it(`lists ${CODE} with its position in the Problems panel`, () => expectUiCheck(result, 'Problems panel shows'));
  it('shows the finding and what the alert means in the hover widget', () => expectUiCheck(result, 'hover widget over'));
  it('saves a screenshot to test-artifacts/', () => expectUiCheck(result, 'screenshot saved'));
});

// Plain `openssl s_client` output (server/test/fixtures/certificates/sha1-signed.plain.txt, a real run against
// openssl s_server serving a certificate its CA signed with SHA-1): the certificate s_client prints in PEM is
// judged, and tls-certificate-weak-signature falls on the base64 characters that carry the signature algorithm.
describe('what a person sees on a certificate s_client prints', function () {
  this.timeout(120000);
  let result;
  const CODE = 'tls-certificate-weak-signature';

  before(async function () {
    const uri = await openByFirstLine('server/test/fixtures/certificates/sha1-signed.plain.txt', 'sclient-sha1-signed');
    result = await seeFinding(uri, CODE, {
      severity: 'warning', shot: 'vscode-sclient-sha1-certificate.png', hoverAt: 2, text: 'MA0GCSqGSIb3DQEBBQUA',
      expect: ['sha1WithRSAEncryption (SHA-1)', 'signatureAlgorithm: sha1WithRSAEncryption'],
    });
  });

  it('draws a warning squiggle under the base64 of the signature algorithm', () => expectUiCheck(result, '.squiggly-warning under'));
  it(`lists ${CODE} with its position in the Problems panel`, () => expectUiCheck(result, 'Problems panel shows'));
  it('shows the finding and the certificate part in the hover widget', () => expectUiCheck(result, 'hover widget over'));
  it('saves a screenshot to test-artifacts/', () => expectUiCheck(result, 'screenshot saved'));
});

// tshark -V of the capture of a session whose server presented an expired certificate (server/test/fixtures/
// certificates, expired): tshark prints the certificate field by field and cuts its bytes; the certificate is
// judged from those fields at the time of the connection's first frame, and the finding falls on its validity.
describe('what a person sees on a certificate tshark -V prints', function () {
  this.timeout(120000);
  let result;
  const CODE = 'tls-certificate-expired';

  before(async function () {
    const dest = path.join(workspaceDir(), 'tshark-v-expired.transcript');
    fs.copyFileSync(path.join(REPO, 'server/test/fixtures/certificates/expired.tshark-V.txt'), dest);
    result = await seeFinding(vscode.Uri.file(dest), CODE, {
      severity: 'error', shot: 'vscode-tshark-v-expired-certificate.png', hoverAt: 2,
      expect: ['expired on 2021-01-01 00:00 UTC', 'as tshark -V describes it', 'validity: 2020-01-01 00:00:00 UTC to 2021-01-01 00:00:00 UTC'],
    });
  });

  it('draws an error squiggle under the certificate\'s validity', () => expectUiCheck(result, '.squiggly-error under'));
  it(`lists ${CODE} with its position in the Problems panel`, () => expectUiCheck(result, 'Problems panel shows'));
  it('shows the finding and the certificate in the hover widget', () => expectUiCheck(result, 'hover widget over'));
  it('saves a screenshot to test-artifacts/', () => expectUiCheck(result, 'screenshot saved'));
});

// A mail log (server/test/fixtures/mta-verdicts/postfix-deliveries.log: postfix/smtp delivering to the mail lab's
// servers, one of which presents a certificate that expired in 2021): the log shows no certificate, only
// Postfix's verdict, which is the finding, on its words; saved as mail.log, it opens by its first line.
describe('what a person sees on Postfix\'s verdict in a mail log', function () {
  this.timeout(120000);
  let result;
  const CODE = 'tls-certificate-expired';

  before(async function () {
    // Rotated copies open as transcripts too (the language's filenamePatterns).
    for (const rotated of ['mail.log.1', 'maillog-20261130']) await openByFirstLine('server/test/fixtures/mta-verdicts/postfix-deliveries.log', rotated);
    const uri = await openByFirstLine('server/test/fixtures/mta-verdicts/postfix-deliveries.log', 'mail.log');
    result = await seeFinding(uri, CODE, {
      severity: 'warning', shot: 'vscode-postfix-certificate-verdict.png', hoverAt: 2, text: 'certificate has expired',
      expect: ["Postfix states that the server's certificate had expired", 'Certificate verdict: certificate has expired'],
    });
  });

  it('draws a warning squiggle under Postfix\'s words', () => expectUiCheck(result, '.squiggly-warning under'));
  it(`lists ${CODE} with its position in the Problems panel`, () => expectUiCheck(result, 'Problems panel shows'));
  it('shows the finding and what the verdict means in the hover widget', () => expectUiCheck(result, 'hover widget over'));
  it('saves a screenshot to test-artifacts/', () => expectUiCheck(result, 'screenshot saved'));
});

// sendmail's own syslog lines (server/test/fixtures/sendmail/maillog-client.log: sendmail 8.17 delivering to the mail
// lab at LogLevel 14, one server presenting a certificate that expired in 2021): OpenSSL's verdict as sendmail logs it,
// `verifymsg=certificate has expired`, is the finding; saved as maillog (Red Hat's name), it opens as a transcript;
// sendmail -v's output, with no extension, opens by its first line (`ADDRESS... Connecting to ... via relay...`).
describe('what a person sees on sendmail\'s verdict in its log', function () {
  this.timeout(120000);
  let result;
  const CODE = 'tls-certificate-expired';

  before(async function () {
    await openByFirstLine('server/test/fixtures/sendmail/verbose-delivery.txt', 'sendmail-v-output');
    const uri = await openByFirstLine('server/test/fixtures/sendmail/maillog-client.log', 'maillog');
    result = await seeFinding(uri, CODE, {
      severity: 'warning', shot: 'vscode-sendmail-certificate-verdict.png', hoverAt: 2, text: 'certificate has expired',
      expect: ["sendmail states that a certificate of the server's chain had expired", 'Certificate verdict: certificate has expired'],
    });
  });

  it('draws a warning squiggle under sendmail\'s words', () => expectUiCheck(result, '.squiggly-warning under'));
  it(`lists ${CODE} with its position in the Problems panel`, () => expectUiCheck(result, 'Problems panel shows'));
  it('shows the finding and what the verdict means in the hover widget', () => expectUiCheck(result, 'hover widget over'));
  it('saves a screenshot to test-artifacts/', () => expectUiCheck(result, 'screenshot saved'));
});

// PHPMailer's debug output, as a PHP application prints it (server/test/fixtures/phpmailer/phpmailer-name-mismatch.txt:
// PHPMailer 6.6 to the mail lab's port 25, told to expect the name smtp.other.test): PHP's own check of the name ended
// the handshake, and its words are the finding (information on port 25); saved with no extension, it opens by its first
// line, as does the output of its html mode copied from a browser.
describe('what a person sees on PHP\'s name check in PHPMailer\'s output', function () {
  this.timeout(120000);
  let result;
  const CODE = 'tls-certificate-name-mismatch';

  before(async function () {
    await openByFirstLine('server/test/fixtures/phpmailer/phpmailer-html-rendered.txt', 'phpmailer-from-browser');
    const uri = await openByFirstLine('server/test/fixtures/phpmailer/phpmailer-name-mismatch.txt', 'phpmailer-debug');
    result = await seeFinding(uri, CODE, {
      severity: 'info', shot: 'vscode-phpmailer-name-mismatch.png', hoverAt: 2, text: "Peer certificate subjectAltName did not match expected name `smtp.other.test'",
      expect: ['PHP states that the server\'s certificate does not cover "smtp.other.test"', 'PHP compares the name itself'],
    });
  });

  it('draws an information squiggle under PHP\'s words', () => expectUiCheck(result, '.squiggly-info under'));
  it(`lists ${CODE} with its position in the Problems panel`, () => expectUiCheck(result, 'Problems panel shows'));
  it('shows the finding and what PHP compared in the hover widget', () => expectUiCheck(result, 'hover widget over'));
  it('saves a screenshot to test-artifacts/', () => expectUiCheck(result, 'screenshot saved'));
});

// A capture decrypted with its key log (openssl s_client -tls1_3 -keylogfile against the lab's postfix,
// server/test/fixtures/keylog/ossl-tls13-aes256): the dialogue inside TLS is in the transcript, judged,
// its credentials masked; the hover over a finding there says what the rule says.
describe('what a person sees in a capture decrypted with its key log', function () {
  this.timeout(120000);
  let result;
  const CODE = 'smtp-pipelining-not-advertised';
  const cfg = () => vscode.workspace.getConfiguration('smtpTls');

  before(async function () {
    const fixture = path.join(REPO, 'server/test/fixtures/keylog/ossl-tls13-aes256');
    const pcap = path.join(workspaceDir(), 'keylog-ui.pcap');
    fs.copyFileSync(path.join(fixture, 'capture.pcap'), pcap);
    fs.copyFileSync(path.join(fixture, 'keylog.txt'), path.join(workspaceDir(), 'keylog-ui.keylog'));
    await cfg().update('capture.keyLogFiles', ['keylog-ui.keylog'], vscode.ConfigurationTarget.Global);
    const file = vscode.Uri.file(pcap);
    const uri = vscode.Uri.from({ scheme: 'smtptls-capture', path: `${file.path}.transcript`, query: file.toString() });
    // Opened as a person does (the command activates the extension and its capture provider).
    await vscode.commands.executeCommand('smtpTls.openCapture', file);
    for (let i = 0; i < 100 && !vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()); i++) await new Promise((r) => setTimeout(r, 100));
    result = await seeFinding(uri, CODE, { severity: 'warning', shot: 'vscode-decrypted-capture.png', hoverAt: 0, expect: ['PIPELINING', 'RFC 2920'] });
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    assert.match(doc.getText(), /^C: AUTH PLAIN \*+$/m);
  });

  after(async function () {
    await cfg().update('capture.keyLogFiles', undefined, vscode.ConfigurationTarget.Global);
  });

  it('draws a warning squiggle under the decrypted command', () => expectUiCheck(result, '.squiggly-warning under'));
  it(`lists ${CODE} with its position in the Problems panel`, () => expectUiCheck(result, 'Problems panel shows'));
  it('shows the finding in the hover widget over the command', () => expectUiCheck(result, 'hover widget over'));
  it('saves a screenshot to test-artifacts/', () => expectUiCheck(result, 'screenshot saved'));
});
