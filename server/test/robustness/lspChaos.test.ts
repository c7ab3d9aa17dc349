/**
 * LSP chaos: a client that sends 1,000 rapid random incremental edits with requests for
 * every capability the server declares in between (some cancelled at once), malformed
 * requests (wrong params, unknown methods, invalid positions, lines far out of range)
 * and a huge document. The server must answer every request, stay up, log failures
 * instead of dying, and its final diagnostics must equal a fresh analysis of the final
 * text converted as the server converts it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { CancellationTokenSource, createMessageConnection, StreamMessageReader, StreamMessageWriter, ResponseError } from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { diagnosticSupportOf, toDiagnostics } from '../../src/features/diagnostics';
import { REPO, requestShutdown, type PublishedDiagnostics } from '../helpers/lspClient';
import { readSample } from '../helpers/samples';
import { seededRandom } from '../tls/helpers';

const URI = 'file:///chaos/edited.transcript';
const HUGE_URI = 'file:///chaos/huge.transcript';

/** Capability name in the initialize result → a request exercising it at `pos`. */
function requestsFor(capabilities: Record<string, unknown>, uri: string, pos: { line: number; character: number }): [string, unknown][] {
  const td = { uri };
  const range = { start: pos, end: { line: pos.line + 3, character: 0 } };
  const all: Record<string, [string, unknown][]> = {
    hoverProvider: [['textDocument/hover', { textDocument: td, position: pos }]],
    codeActionProvider: [['textDocument/codeAction', { textDocument: td, range, context: { diagnostics: [] } }]],
    documentSymbolProvider: [['textDocument/documentSymbol', { textDocument: td }]],
    workspaceSymbolProvider: [['workspace/symbol', { query: 'tls' }]],
    foldingRangeProvider: [['textDocument/foldingRange', { textDocument: td }]],
    semanticTokensProvider: [
      ['textDocument/semanticTokens/full', { textDocument: td }],
      ['textDocument/semanticTokens/range', { textDocument: td, range }],
    ],
    inlayHintProvider: [['textDocument/inlayHint', { textDocument: td, range }]],
    codeLensProvider: [['textDocument/codeLens', { textDocument: td }]],
    documentLinkProvider: [['textDocument/documentLink', { textDocument: td }]],
  };
  return Object.keys(capabilities).flatMap((k) => all[k] ?? []);
}

test('1,000 random edits, cancellations, malformed requests and a huge document: the server stays up and ends where a fresh analysis does', { timeout: 240000 }, async () => {
  const child = spawn(process.execPath, [path.join(REPO, 'bin', 'smtptls-language-server'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published: PublishedDiagnostics[] = [];
  const logs: string[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
    published.push(p);
  });
  conn.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  conn.listen();
  try {
    const init = (await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as { capabilities: Record<string, unknown> };
    await conn.sendNotification('initialized', {});
    const caps = init.capabilities;
    assert.equal(caps.textDocumentSync, 2, 'incremental sync');
    const declared = Object.keys(caps).filter((k) => k.endsWith('Provider'));
    const covered = declared.filter((k) => requestsFor({ [k]: true }, URI, { line: 0, character: 0 }).length > 0);
    assert.deepEqual(covered, declared, 'the chaos client knows a request for every declared capability');

    const rnd = seededRandom(0xc4a05);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const base = readSample('openssl-tls12-clean.transcript') + readSample('sslv2-hello-tls10.transcript');
    let doc = TextDocument.create(URI, 'smtp-transcript', 1, base);
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'smtp-transcript', version: 1, text: base } });

    const answers: Promise<unknown>[] = [];
    const errors = new Map<string, string>();
    const ask = (method: string, params: unknown, cancel = false): void => {
      const source = new CancellationTokenSource();
      const p = conn.sendRequest(method, params, source.token).catch((e: unknown) => {
        assert.ok(e instanceof ResponseError, `${method}: ${String(e)}`);
        // A request cancelled before it ran may be answered with RequestCancelled (-32800).
        if (!(cancel && e.code === -32800)) errors.set(`${method} ${JSON.stringify(params)?.slice(0, 60)}`, e.message);
        return e;
      });
      if (cancel) source.cancel();
      answers.push(p);
    };
    const snippets = ['C: 16 03 01 00 ', 'S: 250 ', '\n', '\r\n', 'ff ', '00000000  ', '>>> TLS 1.2, RecordHeader [length 0005]\n    ', 'AUTH PLAIN dGVzdA==', '', '#', '\u00e9\ud83d\ude00'];
    for (let i = 0; i < 1000; i++) {
      const text = doc.getText();
      const a = Math.floor(rnd() * (text.length + 1));
      const b = Math.min(text.length, a + Math.floor(rnd() * 40));
      const range = { start: doc.positionAt(a), end: doc.positionAt(b) };
      const newText = pick(snippets).repeat(1 + Math.floor(rnd() * 3));
      doc = TextDocument.update(doc, [{ range, text: newText }], doc.version + 1);
      void conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: doc.version }, contentChanges: [{ range, text: newText }] });
      if (i % 5 === 0) {
        const pos = doc.positionAt(Math.floor(rnd() * (doc.getText().length + 1)));
        for (const [method, params] of requestsFor(caps, URI, pos)) ask(method, params, rnd() < 0.3);
      }
      if (i % 50 === 0) {
        // Malformed: unknown methods, missing and wrong params, positions out of range.
        ask('smtpTls/noSuchRequest', {});
        ask('textDocument/hover', { textDocument: { uri: URI }, position: { line: -5, character: -1 } });
        ask('textDocument/hover', { textDocument: { uri: URI }, position: { line: 1e9, character: 1e9 } });
        ask('textDocument/inlayHint', { textDocument: { uri: URI }, range: { start: { line: 1e6, character: 0 }, end: { line: -1, character: 0 } } });
        ask('textDocument/semanticTokens/range', { textDocument: { uri: URI }, range: { start: { line: 5, character: 0 }, end: { line: 2, character: 0 } } });
        ask('textDocument/codeAction', { textDocument: { uri: URI }, range: { start: { line: 2, character: 0 }, end: { line: 1e7, character: 0 } }, context: { diagnostics: [{ code: 'tls-truncated', range: { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } }, message: 'x' }] } });
        ask('textDocument/documentSymbol', { textDocument: { uri: 'file:///not/open.transcript' } });
        ask('textDocument/hover', {});
        ask('textDocument/codeAction', { textDocument: { uri: URI } });
        ask('smtpTls/sessionDiagram', { uri: URI, position: { line: 'x' } });
        ask('textDocument/hover', null);
      }
    }
    const settled = await Promise.all(answers);
    assert.ok(settled.length > 2000, `${settled.length} requests answered`);
    // Only the unknown method and params that are not an object (rejected by the JSON-RPC layer
    // before any handler) are errors; every known request with wrong params gets an empty answer.
    assert.deepEqual([...errors.keys()].sort(), ['smtpTls/noSuchRequest {}', 'textDocument/hover null'], JSON.stringify([...errors.entries()], null, 1));
    assert.match(errors.get('textDocument/hover null') ?? '', /parameters by name but received parameters by position/);
    assert.equal(child.exitCode, null, `server died: ${stderr}`);

    // A huge document: 8 MB of real sessions, with one hover and its diagnostics.
    const huge = base.repeat(Math.ceil((8 * 1024 * 1024) / base.length));
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: HUGE_URI, languageId: 'smtp-transcript', version: 1, text: huge } });
    const hover = await conn.sendRequest('textDocument/hover', { textDocument: { uri: HUGE_URI }, position: { line: 40, character: 6 } });
    assert.ok(hover === null || typeof hover === 'object');

    // Final diagnostics of the edited document equal a fresh analysis of its final text.
    const deadline = Date.now() + 60000;
    let last: PublishedDiagnostics | undefined;
    while (Date.now() < deadline) {
      last = [...published].reverse().find((p) => p.uri === URI);
      if (last?.version === doc.version && published.some((p) => p.uri === HUGE_URI)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(last?.version, doc.version, 'diagnostics for the final version');
    // This client declares no capabilities: no related locations or RFC links (LSP).
    const expected = toDiagnostics(analyzeDocument(doc.getText()), URI, diagnosticSupportOf({}));
    assert.deepEqual(JSON.parse(JSON.stringify(last?.diagnostics)), JSON.parse(JSON.stringify(expected)));
    assert.ok(published.some((p) => p.uri === HUGE_URI && p.diagnostics.length > 0), 'the huge document was analysed');

    // Still up and answering after all of it.
    const symbols = (await conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: URI } })) as unknown[];
    assert.ok(Array.isArray(symbols));
    assert.doesNotMatch(stderr, /uncaught/i);
    assert.ok(!logs.some((l) => /uncaught/.test(l)), logs.join('\n'));
  } finally {
    await requestShutdown(conn, 3000);
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    conn.dispose();
  }
});
