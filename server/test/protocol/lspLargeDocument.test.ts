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
