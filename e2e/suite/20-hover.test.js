// Hovers as the editor gets them (vscode.executeHoverProvider, the same request a mouse hover makes): on
// hex bytes the field path, the IANA name and the RFC link; on SMTP reply codes, enhanced status codes and
// verbs what they mean. Positions are worked out from the bytes of the real samples (noted per test).
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const { wsUri, waitForDiagnostics, lineStarting } = require('./helpers');

/** The markdown of every hover at (line, character), joined, and the range of the first. */
async function hoverAt(uri, line, character) {
  const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, new vscode.Position(line, character));
  assert.ok(Array.isArray(hovers) && hovers.length > 0, `no hover at ${line}:${character}`);
  const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n---\n');
  return { text, range: hovers[0].range };
}
const rangeText = (doc, r) => (r ? doc.getText(r) : undefined);

describe('hovers', function () {
  let ssl3, tls12;
  before(async function () {
    ssl3 = await vscode.workspace.openTextDocument(wsUri('ssl3-hello.transcript'));
    tls12 = await vscode.workspace.openTextDocument(wsUri('openssl-tls12-clean.transcript'));
    await waitForDiagnostics(ssl3.uri); // the server has the document
  });

  it('cipher-suite byte of a TLS 1.2 ClientHello: field path cipher_suites[3], IANA name, RFC link; same hover on both lines of a suite split by the dump', async function () {
    // openssl -msg dump of the ClientHello: 01 00 00 b3 (handshake header), 03 03 (client_version),
    // 32 bytes random, 00 (session_id length), 00 38 (suites length), then c0 2c, c0 30, 00 9f, cc a9:
    // suite [3] is "cc" at the end of the line below and "a9" at the start of the next one.
    const line = lineStarting(tls12, '    87 25 fa 86 1d 8f 00 00 38 c0 2c c0 30 00 9f cc');
    const ccChar = tls12.lineAt(line).text.lastIndexOf('cc');
    const a = await hoverAt(tls12.uri, line, ccChar + 1);
    for (const want of ['**cipher_suites[3]**', '`Record › Handshake › ClientHello › cipher_suites[3]`', '| Raw | `cc a9` |',
      '| IANA name | `TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256` (IANA registered) |', '(https://www.rfc-editor.org/rfc/rfc5246#section-7.4.1.2)']) {
      assert.ok(a.text.includes(want), `hover lacks ${want}:\n${a.text}`);
    }
    assert.strictEqual(rangeText(tls12, a.range), 'cc', 'the hover range is the part of the suite on the hovered line');
    assert.ok(tls12.lineAt(line + 1).text.startsWith('    a9 cc a8 '));
    const b = await hoverAt(tls12.uri, line + 1, 5);
    assert.ok(b.text.includes('`Record › Handshake › ClientHello › cipher_suites[3]`') && b.text.includes('TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'), b.text);
    assert.strictEqual(rangeText(tls12, b.range), 'a9');
  });

  it('cipher-suite byte of an SSL 3.0 ClientHello: cipher_suites[3] is the renegotiation SCSV', async function () {
    // "C: 12 13 ... 1c 00 00 08 00 35" / "C: 00 2f 00 0a 00 ff 01 00": suites 00 35, 00 2f, 00 0a, 00 ff
    const line = lineStarting(ssl3, 'C: 00 2f 00 0a 00 ff 01 00');
    const h = await hoverAt(ssl3.uri, line, 16); // the "ff" of 00 ff (characters 15-16)
    assert.ok(h.text.includes('`Record › Handshake › ClientHello › cipher_suites[3]`'), h.text);
    assert.ok(h.text.includes('`TLS_EMPTY_RENEGOTIATION_INFO_SCSV`'), h.text);
    assert.ok(h.text.includes('(https://www.rfc-editor.org/rfc/rfc5746#section-3.3)'), h.text);
    assert.strictEqual(rangeText(ssl3, h.range), '00 ff');
  });

  it('client_version bytes 03 00: SSL 3.0, prohibited, RFC 7568', async function () {
    // "C: 16 03 00 00 33 01 00 00 2f 03 00": client_version is bytes 9-10, characters 30-35
    const line = lineStarting(ssl3, 'C: 16 03 00 00 33 01 00 00 2f 03 00 ');
    for (const ch of [30, 34]) {
      const h = await hoverAt(ssl3.uri, line, ch);
      assert.ok(h.text.startsWith('**client_version** — SSL 3.0 (0x0300)'), h.text);
      assert.ok(h.text.includes('`Record › Handshake › ClientHello › client_version`'), h.text);
      assert.ok(h.text.includes('| Value | SSL 3.0 (0x0300) |'), h.text);
      assert.ok(h.text.includes('(https://www.rfc-editor.org/rfc/rfc7568#section-3)'), h.text);
      assert.deepStrictEqual([h.range.start.line, h.range.start.character, h.range.end.line, h.range.end.character], [line, 30, line, 35]);
    }
    // the record-layer version 03 00 (characters 6-11) is another field
    const rec = await hoverAt(ssl3.uri, line, 7);
    assert.ok(rec.text.includes('`Record › record_header › version`') && !rec.text.includes('› client_version'), rec.text);
    assert.deepStrictEqual([rec.range.start.character, rec.range.end.character], [6, 11]);
  });

  it('SMTP reply code, enhanced status code and verb', async function () {
    const line = lineStarting(ssl3, 'S: 220 2.0.0 Ready to start TLS');
    const code = await hoverAt(ssl3.uri, line, 4);
    assert.ok(code.text.startsWith('**Reply 220**'), code.text);
    assert.ok(code.text.includes('go-ahead for the TLS handshake') && code.text.includes('(https://www.rfc-editor.org/rfc/rfc3207#section-4)'), code.text);
    assert.strictEqual(rangeText(ssl3, code.range), '220');
    const status = await hoverAt(ssl3.uri, line, 9);
    assert.ok(status.text.includes('Enhanced status 2.0.0') && status.text.includes('rfc3463#section-3.1'), status.text);
    const verb = await hoverAt(ssl3.uri, lineStarting(ssl3, 'C: STARTTLS'), 5);
    assert.ok(verb.text.includes('SMTP command STARTTLS') && verb.text.includes('rfc3207#section-4'), verb.text);
    // free text of a reply has no hover
    const none = await vscode.commands.executeCommand('vscode.executeHoverProvider', ssl3.uri, new vscode.Position(line, 20));
    assert.deepStrictEqual(none, []);
  });
});
