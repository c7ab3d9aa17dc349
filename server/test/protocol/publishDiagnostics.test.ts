/**
 * Publication of a chunked document's diagnostics: the JSON kept per chunk (and re-rendered when
 * chunks move) is byte for byte what serialising the diagnostic objects gives, before and after
 * edits that move chunks; the stdio writer splices it into a message that parses back whole; and the
 * IPC transport (objects, no kept JSON) publishes the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver';
import { IncrementalAnalysis } from '../../src/core/analysis/incrementalAnalysis';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { collectDiagnostics, serializeDiagnostics } from '../../src/features/publishDiagnostics';
import { diagnosticSupportOf, toDiagnostics } from '../../src/features/diagnostics';
import { encodeMessage } from '../../src/stdioWriter';
import { vsCodeChoice } from '../helpers/vsCodeChoice';
import { readSample } from '../helpers/samples';
import { LspClient, REPO, requestShutdown, VSCODE_PUBLISH_DIAGNOSTICS } from '../helpers/lspClient';

const URI = 'file:///tmp/publish "quoted" \u00e9.transcript';
const SAMPLES = ['ssl3-hello.transcript', 'sslv2-hello-tls10.transcript', 'sslv2-hello-ssl2.transcript', 'truncated-hello.transcript'];
const NOTE: Diagnostic = { range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, severity: 3, code: 'document-too-large', message: 'x "y"' };

const bytes = (pieces: readonly Buffer[]): string => Buffer.concat(pieces).toString('utf8');

test('kept per-chunk JSON equals serialising the diagnostics, also after edits that move chunks', () => {
  let text = SAMPLES.map(readSample).join('\n');
  const inc = new IncrementalAnalysis({ baseline: 'current' });
  const objects = new IncrementalAnalysis({ baseline: 'current' });
  inc.setText(text);
  objects.setText(text);
  assert.ok(inc.chunks.length >= 4);
  const check = (label: string): void => {
    const raw = bytes(serializeDiagnostics(inc, URI, { extra: [NOTE] }));
    assert.equal(raw, JSON.stringify([...collectDiagnostics(objects, URI), NOTE]), label);
    // And what a whole-text analysis of the same text reports, converted as the server converts it.
    assert.deepEqual(JSON.parse(raw).slice(0, -1), JSON.parse(JSON.stringify(toDiagnostics(analyzeDocument(text), URI))), label);
  };
  check('first publication');
  // Lines added and removed before later chunks: those chunks move, their JSON is rendered at new lines.
  // Then 995 lines added and removed at the top: every line number gains digits, then loses them again.
  const many = '\n'.repeat(995);
  for (const [at, insert, remove] of [[0, '# note\n# two\n', 0], [text.indexOf('C: 16 03 00'), '', 0], [5, '', 3], [0, many, 0], [0, '', many.length]] as const) {
    text = text.slice(0, at) + insert + text.slice(at + remove);
    for (const d of [inc, objects]) assert.ok(d.applyEdit(at, at + remove, insert));
    check(`after an edit at ${at}`);
  }
  assert.equal(bytes(serializeDiagnostics(inc, URI)), JSON.stringify(collectDiagnostics(objects, URI)), 'without the note');
});

test('under smtpTls.maxDiagnostics the kept JSON carries what the limit keeps of the whole list, also after edits that move chunks', () => {
  let text = SAMPLES.map(readSample).join('\n');
  const inc = new IncrementalAnalysis({ baseline: 'current' });
  inc.setText(text);
  const total = collectDiagnostics(inc, URI).length;
  assert.ok(total >= 10 && new Set(collectDiagnostics(inc, URI).map((d) => d.severity)).size >= 2, `${total} diagnostics of several severities`);
  // Every limit from 1 to past the total: limits that cut inside a chunk, at its edges, and none.
  const check = (label: string): void => {
    const full = collectDiagnostics(inc, URI);
    for (let max = 0; max <= total + 2; max++) {
      for (const extra of [[], [NOTE]]) {
        // The server's own notes are always published; the chunks' diagnostics fill what is left,
        // the last place going to the note that says how many are left out.
        const over = max > 0 && full.length + extra.length > max;
        const kept = over ? vsCodeChoice(full, max - extra.length - 1) : full;
        const objects = collectDiagnostics(inc, URI, { extra, maxDiagnostics: max });
        const label2 = `${label}: max ${max}, ${extra.length} extra`;
        assert.equal(JSON.stringify(objects.slice(0, kept.length)), JSON.stringify(kept), label2);
        assert.deepEqual(objects.slice(kept.length, kept.length + extra.length), extra, label2);
        assert.equal(objects.length, kept.length + extra.length + (over ? 1 : 0), label2);
        if (over) {
          assert.equal(objects[objects.length - 1].code, 'diagnostics-limit', label2);
          assert.ok(String(objects[objects.length - 1].message).startsWith(`${full.length - kept.length} more diagnostics are not shown`), label2);
          if (max > extra.length) assert.equal(objects.length, max, label2);
        }
        assert.equal(bytes(serializeDiagnostics(inc, URI, { extra, maxDiagnostics: max })), JSON.stringify(objects), `${label2}: JSON`);
      }
    }
  };
  check('first publication');
  const many = '\n'.repeat(995);
  for (const [at, insert, remove] of [[0, '# note\n# two\n', 0], [0, many, 0], [5, '', 3], [0, '', many.length]] as const) {
    text = text.slice(0, at) + insert + text.slice(at + remove);
    assert.ok(inc.applyEdit(at, at + remove, insert));
    check(`after an edit at ${at}`);
  }
});

test('diagnostics carry related locations and RFC links only for a client that declares them', () => {
  const text = SAMPLES.map(readSample).join('\n');
  const inc = new IncrementalAnalysis({ baseline: 'current' });
  inc.setText(text);
  const full = collectDiagnostics(inc, URI);
  assert.ok(full.some((d) => d.relatedInformation) && full.some((d) => d.codeDescription), 'the samples have both');
  for (const publishDiagnostics of [undefined, {}, { relatedInformation: true }, { codeDescriptionSupport: true }, VSCODE_PUBLISH_DIAGNOSTICS, { relatedInformation: 'yes' }]) {
    const support = diagnosticSupportOf({ textDocument: { publishDiagnostics } });
    const label = JSON.stringify(publishDiagnostics);
    const objects = collectDiagnostics(inc, URI, { support });
    // Same diagnostics, the undeclared properties left out; the kept JSON (made after the objects for the same chunks) agrees.
    const expected = full.map((d) => {
      const { relatedInformation, codeDescription, ...rest } = d;
      return { ...rest, ...(support.codeDescription && codeDescription ? { codeDescription } : {}), ...(support.relatedInformation && relatedInformation ? { relatedInformation } : {}) };
    });
    assert.deepEqual(JSON.parse(JSON.stringify(objects)), JSON.parse(JSON.stringify(expected)), label);
    assert.equal(bytes(serializeDiagnostics(inc, URI, { support })), JSON.stringify(objects), label);
    assert.equal(objects.some((d) => d.relatedInformation), support.relatedInformation, label);
    assert.equal(objects.some((d) => d.codeDescription), support.codeDescription, label);
  }
  assert.deepEqual(diagnosticSupportOf(null), { relatedInformation: false, codeDescription: false });
  // And back to everything: the entries kept for another support are not reused.
  assert.equal(bytes(serializeDiagnostics(inc, URI)), JSON.stringify(full));
});

test('over stdio a client declaring no diagnostic capabilities gets neither related locations nor RFC links', async () => {
  const uri = 'file:///tmp/bare.transcript';
  const client = await LspClient.start({ publishDiagnostics: {} });
  try {
    await client.open(uri, SAMPLES.map(readSample).join('\n'));
    const p = await client.waitForDiagnostics(uri);
    assert.ok(p.diagnostics.length > 0);
    assert.ok(p.diagnostics.every((d) => d.relatedInformation === undefined && d.codeDescription === undefined && d.code !== undefined));
  } finally {
    await client.stop();
  }
});

test('the stdio writer splices kept JSON into the message, and writes other messages as JSON', () => {
  const raw = new WeakMap<object, { key: string; json: readonly Buffer[] }>();
  const diagnostics = [NOTE, { ...NOTE, message: '\u00a7 3' }];
  const params = { uri: URI, version: 7, diagnostics: [] };
  raw.set(params, { key: 'diagnostics', json: [Buffer.from('['), Buffer.from(JSON.stringify(diagnostics).slice(1, -1)), Buffer.from(']')] });
  const msg = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params };
  assert.deepEqual(JSON.parse(encodeMessage(msg, raw).toString('utf8')), { ...msg, params: { ...params, diagnostics } });
  const other = { jsonrpc: '2.0', id: 3, result: { contents: 'caf\u00e9' } };
  assert.equal(encodeMessage(other, raw).toString('utf8'), JSON.stringify(other));
  const onlyKey = {};
  raw.set(onlyKey, { key: 'diagnostics', json: [Buffer.from('[]')] });
  assert.deepEqual(JSON.parse(encodeMessage({ jsonrpc: '2.0', method: 'm', params: onlyKey } as never, raw).toString()), { jsonrpc: '2.0', method: 'm', params: { diagnostics: [] } });
});

test('over node IPC (VS Code\'s transport) the server publishes the same diagnostics as over stdio, after edits too', async () => {
  const text = SAMPLES.map(readSample).join('\n');
  const uri = 'file:///tmp/ipc.transcript';
  const edit = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# moved\n' };
  type Published = { uri: string; version?: number; diagnostics: unknown[] };

  const child = fork(path.join(REPO, 'bin', 'smtptls-language-server'), ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const ipc = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  const viaIpc: Published[] = [];
  ipc.onNotification('textDocument/publishDiagnostics', (p: Published) => {
    viaIpc.push(p);
  });
  ipc.listen();
  const stdio = await LspClient.start();
  try {
    await ipc.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { textDocument: { publishDiagnostics: VSCODE_PUBLISH_DIAGNOSTICS } } });
    await ipc.sendNotification('initialized', {});
    for (const send of [(m: string, p: unknown) => ipc.sendNotification(m, p), (m: string, p: unknown) => stdio.connection.sendNotification(m, p)]) {
      await send('textDocument/didOpen', { textDocument: { uri, languageId: 'smtp-transcript', version: 1, text } });
      await send('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [edit] });
    }
    const fromStdio = await stdio.waitForDiagnostics(uri, (p) => p.version === 2);
    const deadline = Date.now() + 20000;
    while (!viaIpc.some((p) => p.version === 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const fromIpc = viaIpc.find((p) => p.version === 2);
    assert.ok(fromIpc, 'a publication for version 2 over IPC');
    assert.ok(fromStdio.diagnostics.length > 0 && fromStdio.diagnostics[0].range.start.line > 0);
    assert.deepEqual(fromIpc.diagnostics, fromStdio.diagnostics);
  } finally {
    await stdio.stop();
    await requestShutdown(ipc, 2000);
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    ipc.dispose();
  }
});
