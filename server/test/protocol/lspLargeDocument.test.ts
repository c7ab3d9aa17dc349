/** A document of many sessions over LSP: requests for the whole of it stay bounded, requests further down still answer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from '../helpers/lspClient';
import { readSample } from '../helpers/samples';

test('inlay hints for a whole large document cover 5,000 lines from the start of the range; a range further down gets its own', async () => {
  const one = readSample('ssl3-hello.transcript');
  const copies = Math.ceil(12000 / one.split('\n').length);
  const text = Array.from({ length: copies }, () => one).join('\n');
  const lineCount = text.split('\n').length;
  const client = await LspClient.start();
  try {
    const uri = 'file:///tmp/many-sessions.transcript';
    await client.open(uri, text);
    await client.waitForDiagnostics(uri);
    type Hint = { position: { line: number } };
    const whole = (await client.connection.sendRequest('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: lineCount, character: 0 } },
    })) as Hint[];
    assert.ok(whole.length > 0);
    assert.ok(whole.every((h) => h.position.line <= 5000), `last hint at line ${Math.max(...whole.map((h) => h.position.line))}`);
    assert.ok(Math.max(...whole.map((h) => h.position.line)) > 4000, 'hints up to near the bound');
    const later = (await client.connection.sendRequest('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 7000, character: 0 }, end: { line: lineCount, character: 0 } },
    })) as Hint[];
    assert.ok(later.length > 0 && later.every((h) => h.position.line >= 7000 && h.position.line <= 12000));
  } finally {
    await client.stop();
  }
});

test('a swaks log of a 5 MB message over LSP: the parts after each 4 MB cut continue the message text (only the cut notes), also after an edit that ends it early', async () => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const run = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'corpus', 'sessions', 'swaks-starttls', 'swaks.txt'), 'utf8');
  const at = run.indexOf(' ~> This is a test mailing\n');
  const body = Array.from({ length: 66_000 }, (_, i) => ` ~> ${'QUJD'.repeat(18)}${String(i).padStart(4, '0')}\n`).join('');
  const text = run.slice(0, at) + body + run.slice(at);
  assert.ok(text.length > 5_000_000);
  // Every diagnostic published (smtpTls.maxDiagnostics 0): the test counts the 40,000 of the edited version.
  const client = await LspClient.start({ initializationOptions: { smtpTls: { maxDiagnostics: 0 } } });
  try {
    const uri = 'file:///tmp/swaks-5mb-message.log';
    await client.open(uri, text);
    const first = await client.waitForDiagnostics(uri, () => true, 30000);
    assert.deepEqual(
      first.diagnostics.map((d) => d.code),
      ['document-no-session-boundary'],
    );
    // A "." early in the text ends the message there: the rest of the first part is commands again.
    // (The part after the cut ends with the run's own "." before the 250: it still reads as text.)
    const cut = text.indexOf(' ~> QUJD', at + 1000);
    await client.change(uri, 2, text.slice(0, cut) + ' ~> .\n' + text.slice(cut));
    const after = await client.waitForDiagnostics(uri, (p) => p.version === 2, 30000);
    const unknown = after.diagnostics.filter((d) => d.code === 'smtp-unknown-command');
    assert.ok(unknown.length > 40_000, `${unknown.length} of ${after.diagnostics.length}`);
    const cutLine = after.diagnostics.find((d) => d.code === 'document-no-session-boundary')!.range.start.line;
    assert.ok(unknown.every((d) => d.range.start.line <= cutLine), `cut note at line ${cutLine}, last unknown command at ${unknown[unknown.length - 1].range.start.line}`);
  } finally {
    await client.stop();
  }
});
