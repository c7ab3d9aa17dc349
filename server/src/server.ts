/**
 * The language server: creates the connection, declares capabilities and
 * routes each request to the core. Used by the VS Code client and, through
 * bin/smtptls-language-server --stdio, by any LSP editor.
 */
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  type CancellationToken,
  type Diagnostic,
  type InitializeResult,
  type Range,
  type SymbolInformation,
} from 'vscode-languageserver/node';
import type { Analysis } from './core/analysis/analyzeDocument';
import { OpenDocuments } from './openDocuments';
import { SettingsStore, type ServerSettings } from './settings';
import type { IncrementalAnalysis } from './core/analysis/incrementalAnalysis';
import { computeChunkedSemanticTokens, runAtPosition, runInRange, runOnAllChunks, shiftLines } from './chunkRouting';
import { runSafe } from './runSafe';
import { toDiagnostics } from './features/diagnostics';
import { provideHover } from './features/hover';
import { provideCodeActions } from './features/codeActions';
import { provideDocumentSymbols, provideWorkspaceSymbols } from './features/documentSymbols';
import { provideFoldingRanges } from './features/foldingRanges';
import { SEMANTIC_TOKENS_LEGEND } from './features/semanticTokens';
import { provideInlayHints } from './features/inlayHints';
import { provideCodeLenses } from './features/codeLens';
import { provideDocumentLinks } from './features/documentLinks';
import { computeSessionDiagram, describeUri, SESSION_DIAGRAM_REQUEST, type SessionDiagramParams, type SessionDiagramResult } from './features/sessionDiagram';

const connection = createConnection(ProposedFeatures.all);
const documents = new OpenDocuments();
let canPullConfiguration = false;
let canRegisterConfiguration = false;
const settings = new SettingsStore(connection, () => canPullConfiguration);

/** Debounce for edits while analysis is slow; edits on documents analysed in a few ms publish at once. */
const VALIDATE_DELAY_MS = 150;
const FAST_ANALYSIS_MS = 100;
const lastValidationMs = new Map<string, number>();
const WORKSPACE_SYMBOL_LIMIT = 1000;
const pending = new Map<string, ReturnType<typeof setTimeout>>();

connection.onInitialize((params): InitializeResult => {
  const ws = params.capabilities.workspace;
  canPullConfiguration = !!ws?.configuration;
  canRegisterConfiguration = !!ws?.didChangeConfiguration?.dynamicRegistration;
  if (params.initializationOptions) settings.setPushed(params.initializationOptions);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
      documentSymbolProvider: true,
      workspaceSymbolProvider: true,
      foldingRangeProvider: true,
      semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true, range: true },
      inlayHintProvider: true,
      codeLensProvider: { resolveProvider: false },
      documentLinkProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'smtptls-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (canRegisterConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, undefined);
  }
});

connection.onDidChangeConfiguration((change) => {
  settings.setPushed(change.settings);
  documents.invalidateAll();
  for (const doc of documents.all()) schedule(doc.uri, 0);
});

function schedule(uri: string, delay: number): void {
  const old = pending.get(uri);
  if (old) clearTimeout(old);
  pending.set(
    uri,
    setTimeout(() => {
      pending.delete(uri);
      void validate(uri);
    }, delay),
  );
}

async function validate(uri: string): Promise<void> {
  const s = await settings.forUri(uri);
  const document = documents.get(uri);
  if (!document) return;
  const t0 = Date.now();
  const diagnostics = runSafe(connection, 'diagnostics', [] as Diagnostic[], () => {
    const doc = documents.analysis(uri, s.analysis, s.maxDocumentChars);
    return doc ? collectDiagnostics(doc, uri, s) : [];
  });
  lastValidationMs.set(uri, Date.now() - t0);
  await connection.sendDiagnostics({ uri, version: document.version, diagnostics });
}

/**
 * Diagnostics per chunk analysis (as features see it): chunk-relative, and moved to
 * the line where the chunk last stood. An edit changes the chunks it touches and, when
 * it adds or removes lines, the position of those after it; everything else is reused.
 */
interface ChunkDiagnostics {
  readonly local: Diagnostic[];
  startLine: number;
  moved: Diagnostic[];
}
const chunkDiagnostics = new WeakMap<Analysis, ChunkDiagnostics>();

/** Diagnostics of every chunk, moved to document lines; a note when the document was only partly analysed. */
function collectDiagnostics(doc: IncrementalAnalysis, uri: string, s: ServerSettings): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const chunk of doc.chunks) {
    const a = doc.analysisOf(chunk);
    let entry = chunkDiagnostics.get(a);
    if (!entry) {
      const local = toDiagnostics(a, uri);
      entry = { local, startLine: chunk.startLine, moved: local.map((d) => moveDiagnostic(d, chunk.startLine)) };
      chunkDiagnostics.set(a, entry);
    } else if (entry.startLine !== chunk.startLine) {
      entry.startLine = chunk.startLine;
      entry.moved = entry.local.map((d) => moveDiagnostic(d, chunk.startLine));
    }
    for (const d of entry.moved) out.push(d);
  }
  if (doc.truncated) {
    const at = doc.positionAt(doc.analysedLength);
    out.push({
      range: { start: at, end: at },
      severity: 3,
      code: 'document-too-large',
      source: 'smtptls',
      message:
        `Only the first ${(doc.analysedLength / 1e6).toFixed(1)} MB of this document were analysed ` +
        `(smtpTls.maxDocumentSize is ${(s.maxDocumentChars / 1e6).toFixed(0)} MB); split the file or raise the limit to see the rest.`,
    });
  }
  return out;
}

function moveRange(r: Range, delta: number): Range {
  return { start: { line: r.start.line + delta, character: r.start.character }, end: { line: r.end.line + delta, character: r.end.character } };
}

/** A copy of a chunk-relative diagnostic at document lines (the cached one stays as it is). */
function moveDiagnostic(d: Diagnostic, delta: number): Diagnostic {
  if (delta === 0) return d;
  const moved: Diagnostic = { ...d, range: moveRange(d.range, delta) };
  if (d.relatedInformation) {
    moved.relatedInformation = d.relatedInformation.map((r) => ({ ...r, location: { ...r.location, range: moveRange(r.location.range, delta) } }));
  }
  return moved;
}

connection.onDidOpenTextDocument((p) => {
  documents.open(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text);
  schedule(p.textDocument.uri, 0);
});
connection.onDidChangeTextDocument((p) => {
  if (!documents.change(p.textDocument.uri, p.textDocument.version, p.contentChanges)) return;
  const uri = p.textDocument.uri;
  schedule(uri, (lastValidationMs.get(uri) ?? 0) < FAST_ANALYSIS_MS ? 0 : VALIDATE_DELAY_MS);
});
connection.onDidCloseTextDocument((p) => {
  const uri = p.textDocument.uri;
  const t = pending.get(uri);
  if (t) clearTimeout(t);
  pending.delete(uri);
  lastValidationMs.delete(uri);
  documents.close(uri);
  void connection.sendDiagnostics({ uri, diagnostics: [] });
});

/**
 * Runs an editor feature on the analysis of an open document (see chunkRouting.ts
 * for how chunk results become document results); an unknown document, a request
 * without one (malformed params) or a failure gives `fallback`.
 */
async function withDocument<T>(
  uri: string | undefined,
  name: string,
  fallback: T,
  token: CancellationToken | undefined,
  work: (doc: IncrementalAnalysis, s: ServerSettings) => T,
): Promise<T> {
  if (uri === undefined || !documents.get(uri)) return fallback;
  const s = await settings.forUri(uri);
  // The analysis runs inside runSafe too: a failure in it is logged and answered with `fallback`.
  return runSafe(
    connection,
    name,
    fallback,
    () => {
      const doc = documents.analysis(uri, s.analysis, s.maxDocumentChars);
      return doc ? work(doc, s) : fallback;
    },
    token,
  );
}

connection.onRequest(SESSION_DIAGRAM_REQUEST, (params: SessionDiagramParams, token): Promise<SessionDiagramResult | null> =>
  withDocument(params?.uri, 'sessionDiagram', null, token, (doc) => {
    const line = Number.isInteger(params.position?.line) ? params.position.line : 0;
    const chunk = doc.chunkAtLine(line);
    if (!chunk) return null;
    const index = doc.chunks.indexOf(chunk);
    let sessionsBefore = 0;
    let sessionCount = 0;
    doc.chunks.forEach((c, i) => {
      if (i < index) sessionsBefore += c.analysis.sessions.length;
      sessionCount += c.analysis.sessions.length;
    });
    const local = computeSessionDiagram(doc.analysisOf(chunk), { line: line - chunk.startLine, character: 0 }, describeUri(params.uri));
    return {
      ...local,
      events: local.events.map((e) => ({ ...e, line: e.line + chunk.startLine })),
      sessionIndex: local.sessionIndex + sessionsBefore,
      sessionCount: Math.max(sessionCount, local.sessionCount),
    };
  }),
);

connection.onHover((p, token) => withDocument(p.textDocument?.uri, 'hover', null, token, (doc) => runAtPosition(doc, p.position, provideHover)));
connection.onCodeAction((p, token) =>
  withDocument(p.textDocument?.uri, 'codeAction', [], token, (doc) => {
    const chunk = doc.chunkAtLine(p.range.start.line);
    if (!chunk) return [];
    const last = chunk.startLine + chunk.lineBreaks;
    // The request moved into the chunk: its range, and the diagnostics that lie in the chunk.
    const diagnostics = p.context.diagnostics.filter((d) => d.range.start.line >= chunk.startLine && d.range.start.line <= last);
    const local = shiftLines(structuredClone({ ...p, context: { ...p.context, diagnostics } }), -chunk.startLine);
    return shiftLines(provideCodeActions(doc.analysisOf(chunk), local), chunk.startLine);
  }),
);
connection.onDocumentSymbol((p, token) => withDocument(p.textDocument?.uri, 'documentSymbol', [], token, (doc) => runOnAllChunks(doc, provideDocumentSymbols)));
connection.onWorkspaceSymbol(async (p, token) => {
  const out: SymbolInformation[] = [];
  for (const d of documents.all()) {
    if (out.length >= WORKSPACE_SYMBOL_LIMIT) break;
    const limit = WORKSPACE_SYMBOL_LIMIT - out.length;
    out.push(...(await withDocument(d.uri, 'workspaceSymbol', [], token, (doc) => runOnAllChunks(doc, (a) => provideWorkspaceSymbols(a, d.uri, p.query ?? '', limit), limit))));
  }
  return out.slice(0, WORKSPACE_SYMBOL_LIMIT);
});
connection.onFoldingRanges((p, token) => withDocument(p.textDocument?.uri, 'foldingRange', [], token, (doc) => runOnAllChunks(doc, provideFoldingRanges)));
connection.languages.semanticTokens.on((p, token) =>
  withDocument(p.textDocument?.uri, 'semanticTokens', { data: [] }, token, (doc) => ({ data: computeChunkedSemanticTokens(doc) })),
);
connection.languages.semanticTokens.onRange((p, token) =>
  withDocument(p.textDocument?.uri, 'semanticTokensRange', { data: [] }, token, (doc) => ({ data: computeChunkedSemanticTokens(doc, p.range) })),
);
connection.languages.inlayHint.on((p, token) =>
  withDocument(p.textDocument?.uri, 'inlayHint', [], token, (doc, s) => (s.inlayHints ? runInRange(doc, p.range, provideInlayHints) : [])),
);
connection.onCodeLens((p, token) => withDocument(p.textDocument?.uri, 'codeLens', [], token, (doc) => runOnAllChunks(doc, provideCodeLenses)));
connection.onDocumentLinks((p, token) => withDocument(p.textDocument?.uri, 'documentLink', [], token, (doc) => runOnAllChunks(doc, provideDocumentLinks)));

process.on('uncaughtException', (err) => connection.console.error(`uncaught: ${err.stack ?? err.message}`));

connection.listen();
