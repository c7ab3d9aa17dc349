/**
 * Publication of a chunked document's diagnostics: the JSON kept per chunk (and re-rendered when
 * chunks move) is byte for byte what serialising the diagnostic objects gives, before and after
 * edits that move chunks, and the stdio writer splices it into a message that parses back whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver';
import { IncrementalAnalysis } from '../../src/core/analysis/incrementalAnalysis';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { collectDiagnostics, serializeDiagnostics } from '../../src/features/publishDiagnostics';
import { toDiagnostics } from '../../src/features/diagnostics';
import { encodeMessage } from '../../src/stdioWriter';
import { readSample } from '../helpers/samples';

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
    const raw = bytes(serializeDiagnostics(inc, URI, [NOTE]));
    assert.equal(raw, JSON.stringify([...collectDiagnostics(objects, URI), NOTE]), label);
    // And what a whole-text analysis of the same text reports, converted as the server converts it.
    assert.deepEqual(JSON.parse(raw).slice(0, -1), JSON.parse(JSON.stringify(toDiagnostics(analyzeDocument(text), URI))), label);
  };
  check('first publication');
  // Lines added and removed before later chunks: those chunks move, their JSON is rendered at new lines.
  for (const [at, insert, remove] of [[0, '# note\n# two\n', 0], [text.indexOf('C: 16 03 00'), '', 0], [5, '', 3]] as const) {
    text = text.slice(0, at) + insert + text.slice(at + remove);
    for (const d of [inc, objects]) assert.ok(d.applyEdit(at, at + remove, insert));
    check(`after an edit at ${at}`);
  }
  assert.equal(bytes(serializeDiagnostics(inc, URI)), JSON.stringify(collectDiagnostics(objects, URI)), 'without the note');
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
