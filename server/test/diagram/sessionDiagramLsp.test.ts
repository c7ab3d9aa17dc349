/** smtpTls/sessionDiagram over stdio, as the VS Code webview (or any LSP client) asks for it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { LspClient } from '../helpers/lspClient';
import { readSample, SAMPLES_DIR } from '../helpers/samples';
import type { SessionDiagramResult as DiagramResult } from '../../src/features/sessionDiagram';
import { allElements, hasClass, parseXml } from './svgTree';


const uri = (name: string) => `file://${path.join(SAMPLES_DIR, name)}`;

test('the diagram of the session at a position: SVG without its stylesheet, css, and the line of every arrow', async () => {
  const client = await LspClient.start();
  try {
    const name = 'sslv2-hello-ssl3.transcript';
    await client.open(uri(name), readSample(name));
    const r = await client.connection.sendRequest<DiagramResult>('smtpTls/sessionDiagram', { uri: uri(name), position: { line: 24, character: 3 } });
    assert.equal(r.sessionIndex, 0);
    assert.equal(r.sessionCount, 1);
    const root = parseXml(r.svg);
    assert.ok(!root.children.some((c) => c.name === 'style'), 'the webview adds the css under its own nonce');
    assert.match(r.css, /--vscode-editor-background/);
    const groups = allElements(root).filter((e) => e.name === 'g' && hasClass(e, 'event'));
    assert.deepEqual(
      r.events,
      groups.map((g) => ({ id: Number(g.attrs['data-event-id']), line: Number(g.attrs['data-line']) })),
    );
    assert.deepEqual(
      r.events.map((e) => e.line),
      [8, 9, 10, 21, 22, 24, 28],
    );
  } finally {
    assert.equal(await client.stop(), 0);
  }
});

test('the diagram follows edits and the position picks the session; unknown documents give null', async () => {
  const client = await LspClient.start();
  try {
    const u = 'untitled:diagram-test';
    const first = ['S: 220 one.example ESMTP', 'C: QUIT', 'S: 221 bye'];
    await client.open(u, first.join('\n'));
    let r = await client.connection.sendRequest<DiagramResult>('smtpTls/sessionDiagram', { uri: u, position: { line: 0, character: 0 } });
    assert.equal(r.events.length, 3);
    const both = [...first, '', '# next capture', '', 'S: 220 two.example ESMTP', 'C: NOOP', 'S: 250 ok', 'C: QUIT', 'S: 221 bye'];
    await client.change(u, 2, both.join('\n'));
    r = await client.connection.sendRequest<DiagramResult>('smtpTls/sessionDiagram', { uri: u, position: { line: 7, character: 0 } });
    assert.equal(r.sessionCount, 2);
    assert.equal(r.sessionIndex, 1);
    assert.deepEqual(
      r.events.map((e) => e.line),
      [6, 7, 8, 9, 10],
    );
    assert.match(r.svg, /two\.example/);
    assert.doesNotMatch(r.svg, /one\.example/);
    const missing = await client.connection.sendRequest<DiagramResult | null>('smtpTls/sessionDiagram', { uri: 'file:///nowhere.transcript', position: { line: 0, character: 0 } });
    assert.equal(missing, null);
    // A malformed request is answered, not fatal.
    const odd = await client.connection.sendRequest<DiagramResult | null>('smtpTls/sessionDiagram', { uri: u, position: null });
    assert.equal(odd?.sessionIndex, 0);
  } finally {
    assert.equal(await client.stop(), 0);
  }
});
