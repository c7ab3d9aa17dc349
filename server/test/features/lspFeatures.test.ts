/** The editor features over LSP, against the built server (bin/smtptls-language-server --stdio), as an editor uses them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { LspClient } from '../helpers/lspClient';
import { readSample, SAMPLES_DIR } from '../helpers/samples';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { LineIndex } from '../../src/core/text/lineIndex';
import { TOKEN_TYPES } from '../../src/core/features/semanticTokens';
import { applyEdits, offsetOf } from './helpers';

const uri = (name: string) => `file://${path.join(SAMPLES_DIR, name)}`;

interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
interface LspTextEdit {
  range: LspRange;
  newText: string;
}
interface LspCodeAction {
  title: string;
  kind?: string;
  diagnostics?: { code?: string }[];
  edit?: { changes?: Record<string, LspTextEdit[]> };
}

function applyLspEdits(text: string, edits: readonly LspTextEdit[]): string {
  const lines = new LineIndex(text);
  return applyEdits(text, edits.map((e) => ({ span: { start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end) }, newText: e.newText })));
}

test('semantic tokens over LSP: five integers per token, types inside the legend', async () => {
  const client = await LspClient.start();
  try {
    const name = 'ssl3-hello.transcript';
    await client.open(uri(name), readSample(name));
    const tokens = (await client.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri: uri(name) } })) as { data: number[] };
    assert.ok(tokens.data.length > 0 && tokens.data.length % 5 === 0);
    for (let i = 3; i < tokens.data.length; i += 5) assert.ok(tokens.data[i] >= 0 && tokens.data[i] < TOKEN_TYPES.length);
    const range = (await client.connection.sendRequest('textDocument/semanticTokens/range', {
      textDocument: { uri: uri(name) },
      range: { start: { line: 24, character: 0 }, end: { line: 24, character: 60 } },
    })) as { data: number[] };
    assert.equal(range.data.length, 17 * 5, 'the C: marker and 16 hex pairs of line 25');
  } finally {
    await client.stop();
  }
});

test('hover on a cipher-suite byte returns its IANA name', async () => {
  const client = await LspClient.start();
  try {
    const name = 'ssl3-hello.transcript';
    const text = readSample(name);
    await client.open(uri(name), text);
    const lines = new LineIndex(text);
    const position = lines.positionAt(offsetOf(text, '00 ff 01 00') + 1);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: uri(name) }, position })) as {
      contents: { kind: string; value: string };
      range: LspRange;
    };
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /\*\*cipher_suites\[3\]\*\*/);
    assert.match(hover.contents.value, /`TLS_EMPTY_RENEGOTIATION_INFO_SCSV` \(IANA registered\)/);
    assert.match(hover.contents.value, /rfc5746#section-3\.3/);
    assert.equal(hover.range.start.line, position.line);
    assert.equal(text.slice(lines.offsetAt(hover.range.start), lines.offsetAt(hover.range.end)), '00 ff');
    const none = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: uri(name) }, position: { line: 0, character: 3 } });
    assert.equal(none, null);
  } finally {
    await client.stop();
  }
});

test('hover as plain text for a client that asks for it (Eglot without markdown-mode); Markdown where it prefers Markdown', async () => {
  const name = 'ssl3-hello.transcript';
  const text = readSample(name);
  const lines = new LineIndex(text);
  const position = lines.positionAt(offsetOf(text, '00 ff 01 00') + 1);
  const hoverWith = async (hover: object | undefined): Promise<{ kind: string; value: string }> => {
    const client = await LspClient.start(hover ? { hover } : {});
    try {
      await client.open(uri(name), text);
      const h = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: uri(name) }, position })) as { contents: { kind: string; value: string } };
      return h.contents;
    } finally {
      await client.stop();
    }
  };
  const plain = await hoverWith({ contentFormat: ['plaintext'] });
  assert.equal(plain.kind, 'plaintext');
  assert.match(plain.value, /^cipher_suites\[3\] — TLS_EMPTY_RENEGOTIATION_INFO_SCSV\n/);
  assert.match(plain.value, /^IANA name +TLS_EMPTY_RENEGOTIATION_INFO_SCSV \(IANA registered\)$/m);
  assert.match(plain.value, /RFC 5746 §3\.3 <https:\/\/www\.rfc-editor\.org\/rfc\/rfc5746#section-3\.3>/);
  assert.doesNotMatch(plain.value, /\*\*|`|^\||\\_/m);
  assert.equal((await hoverWith({ contentFormat: ['markdown', 'plaintext'] })).kind, 'markdown');
  assert.equal((await hoverWith({ contentFormat: ['plaintext', 'markdown'] })).kind, 'plaintext');
  assert.equal((await hoverWith(undefined)).kind, 'markdown', 'no contentFormat: Markdown, as before');
});

test('a quick fix applied to the text gives the expected annotation and the file re-analyses without new findings', async () => {
  const client = await LspClient.start();
  try {
    const name = 'ssl3-hello.transcript';
    const text = readSample(name);
    await client.open(uri(name), text);
    const published = await client.waitForDiagnostics(uri(name));
    const d = published.diagnostics.find((x) => x.code === 'tls-hello-version-below-3.1');
    assert.ok(d);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uri(name) },
      range: d.range,
      context: { diagnostics: [d] },
    })) as LspCodeAction[];
    const annotate = actions.find((a) => a.title === 'Annotate with decoded summary');
    assert.ok(annotate, actions.map((a) => a.title).join(', '));
    assert.equal(annotate.kind, 'quickfix');
    assert.equal(annotate.diagnostics?.[0]?.code, 'tls-hello-version-below-3.1');
    const edits = annotate.edit?.changes?.[uri(name)] ?? [];
    const annotated = applyLspEdits(text, edits);
    assert.match(annotated, /C: 00 2f 00 0a 00 ff 01 00\n# smtptls: decoded ClientHello\n# {3}record version SSL 3\.0 \(0x0300\), 51 bytes\n# {3}client_version: SSL 3\.0 \(0x0300\)\n/);
    assert.match(annotated, /# {5}0x00ff TLS_EMPTY_RENEGOTIATION_INFO_SCSV\n/);
    // The server re-analyses the edited document: the same rules at the same text, nothing new.
    await client.change(uri(name), 2, annotated);
    const after = await client.waitForDiagnostics(uri(name), (p) => p.version === 2);
    const describe = (diags: typeof after.diagnostics, src: string) => {
      const li = new LineIndex(src);
      return diags.map((x) => `${x.code} ${x.severity} ${src.slice(li.offsetAt(x.range.start), li.offsetAt(x.range.end))}`).sort();
    };
    assert.deepEqual(describe(after.diagnostics, annotated), describe(published.diagnostics, text));
    assert.deepEqual(
      analyzeDocument(annotated).findings.map((f) => f.rule),
      analyzeDocument(text).findings.map((f) => f.rule),
    );
    const suppress = actions.find((a) => a.title === 'Suppress tls-hello-version-below-3.1 here with a reason');
    assert.ok(suppress);
  } finally {
    await client.stop();
  }
});

test('outline, folding, inlay hints (and the setting that turns them off), code lens and links over LSP', async () => {
  const client = await LspClient.start({ initializationOptions: { smtpTls: { inlayHints: { enabled: true } } } });
  const off = await LspClient.start({ initializationOptions: { smtpTls: { inlayHints: { enabled: false } } } });
  try {
    const name = 'openssl-tls12-clean.transcript';
    const text = readSample(name);
    await client.open(uri(name), text);
    await off.open(uri(name), text);
    const doc = { textDocument: { uri: uri(name) } };
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', doc)) as { name: string; children: { name: string }[] }[];
    assert.equal(symbols[0].name, 'Session 1');
    assert.ok(symbols[0].children.some((c) => c.name === 'TLS handshake'));
    const ws = (await client.connection.sendRequest('workspace/symbol', { query: 'serverhello' })) as { name: string; location: { uri: string } }[];
    assert.ok(ws.some((s) => s.name === 'ServerHello' && s.location.uri === uri(name)), JSON.stringify(ws));
    const folds = (await client.connection.sendRequest('textDocument/foldingRange', doc)) as { startLine: number; endLine: number }[];
    assert.ok(folds.some((f) => f.startLine === 0 && f.endLine === 6));
    const range = { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } };
    const hints = (await client.connection.sendRequest('textDocument/inlayHint', { ...doc, range })) as { label: string; position: { line: number } }[];
    assert.ok(hints.some((h) => /client_version=0x0303 TLS 1\.2/.test(h.label)), JSON.stringify(hints.slice(0, 3)));
    assert.deepEqual(await off.connection.sendRequest('textDocument/inlayHint', { ...doc, range }), []);
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', doc)) as { command: { title: string } }[];
    assert.deepEqual(lenses.map((l) => l.command.title), ['TLS 1.2 · TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 · 0 findings']);
    const links = (await client.connection.sendRequest('textDocument/documentLink', doc)) as unknown[];
    assert.ok(Array.isArray(links));
    // An unknown document gets empty answers, not an error.
    assert.equal(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///nope' }, position: { line: 0, character: 0 } }), null);
  } finally {
    await client.stop();
    await off.stop();
  }
});
