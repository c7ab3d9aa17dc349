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
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type InitializeResult,
  type SymbolInformation,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache } from './analysisCache';
import { SettingsStore, type ServerSettings } from './settings';
import type { Analysis } from './core/analysis/analyzeDocument';
import { runSafe } from './runSafe';
import { toDiagnostics } from './features/diagnostics';
import { provideHover } from './features/hover';
import { provideCodeActions } from './features/codeActions';
import { provideDocumentSymbols, provideWorkspaceSymbols } from './features/documentSymbols';
import { provideFoldingRanges } from './features/foldingRanges';
import { provideSemanticTokens, SEMANTIC_TOKENS_LEGEND } from './features/semanticTokens';
import { provideInlayHints } from './features/inlayHints';
import { provideCodeLenses } from './features/codeLens';
import { provideDocumentLinks } from './features/documentLinks';
import { computeSessionDiagram, describeUri, SESSION_DIAGRAM_REQUEST, type SessionDiagramParams, type SessionDiagramResult } from './features/sessionDiagram';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const cache = new AnalysisCache();
let canPullConfiguration = false;
let canRegisterConfiguration = false;
const settings = new SettingsStore(connection, () => canPullConfiguration);

const VALIDATE_DELAY_MS = 150;
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
  cache.clear();
  for (const doc of documents.all()) schedule(doc, 0);
});

function schedule(document: TextDocument, delay = VALIDATE_DELAY_MS): void {
  const old = pending.get(document.uri);
  if (old) clearTimeout(old);
  pending.set(
    document.uri,
    setTimeout(() => {
      pending.delete(document.uri);
      void validate(document.uri, document.version);
    }, delay),
  );
}

async function validate(uri: string, version: number): Promise<void> {
  const s = await settings.forUri(uri);
  const document = documents.get(uri);
  // A newer edit arrived while settings were loading: its own validation will run.
  if (!document || document.version !== version) return;
  const diagnostics = runSafe(connection, 'diagnostics', [], () => toDiagnostics(cache.get(document, s.analysis), uri));
  await connection.sendDiagnostics({ uri, version, diagnostics });
}

const validatedOnce = new Set<string>();
// TextDocuments reports an open as a content change too: validate at once on open, debounce edits.
documents.onDidChangeContent((e) => {
  const first = !validatedOnce.has(e.document.uri);
  validatedOnce.add(e.document.uri);
  schedule(e.document, first ? 0 : VALIDATE_DELAY_MS);
});
documents.onDidClose((e) => {
  const t = pending.get(e.document.uri);
  if (t) clearTimeout(t);
  pending.delete(e.document.uri);
  cache.delete(e.document.uri);
  validatedOnce.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onRequest(SESSION_DIAGRAM_REQUEST, async (params: SessionDiagramParams, token): Promise<SessionDiagramResult | null> => {
  const document = params?.uri ? documents.get(params.uri) : undefined;
  if (!document) return null;
  const s = await settings.forUri(document.uri);
  return runSafe(connection, 'sessionDiagram', null, () => computeSessionDiagram(cache.get(document, s.analysis), params.position, describeUri(document.uri)), token);
});

/**
 * Runs an editor feature on the cached analysis of an open document; an unknown document,
 * a request without one (malformed params) or a failure gives `fallback`.
 */
async function withAnalysis<T>(
  uri: string | undefined,
  name: string,
  fallback: T,
  token: CancellationToken | undefined,
  work: (analysis: Analysis, s: ServerSettings) => T,
): Promise<T> {
  const document = uri === undefined ? undefined : documents.get(uri);
  if (!document) return fallback;
  const s = await settings.forUri(document.uri);
  return runSafe(connection, name, fallback, () => work(cache.get(document, s.analysis), s), token);
}

connection.onHover((p, token) => withAnalysis(p.textDocument?.uri, 'hover', null, token, (a) => provideHover(a, p.position)));
connection.onCodeAction((p, token) => withAnalysis(p.textDocument?.uri, 'codeAction', [], token, (a) => provideCodeActions(a, p)));
connection.onDocumentSymbol((p, token) => withAnalysis(p.textDocument?.uri, 'documentSymbol', [], token, (a) => provideDocumentSymbols(a)));
connection.onWorkspaceSymbol(async (p, token) => {
  const out: SymbolInformation[] = [];
  for (const doc of documents.all()) {
    if (out.length >= WORKSPACE_SYMBOL_LIMIT) break;
    out.push(...(await withAnalysis(doc.uri, 'workspaceSymbol', [], token, (a) => provideWorkspaceSymbols(a, doc.uri, p.query, WORKSPACE_SYMBOL_LIMIT - out.length))));
  }
  return out;
});
connection.onFoldingRanges((p, token) => withAnalysis(p.textDocument?.uri, 'foldingRange', [], token, (a) => provideFoldingRanges(a)));
connection.languages.semanticTokens.on((p, token) => withAnalysis(p.textDocument?.uri, 'semanticTokens', { data: [] }, token, (a) => provideSemanticTokens(a)));
connection.languages.semanticTokens.onRange((p, token) =>
  withAnalysis(p.textDocument?.uri, 'semanticTokensRange', { data: [] }, token, (a) => provideSemanticTokens(a, p.range)),
);
connection.languages.inlayHint.on((p, token) =>
  withAnalysis(p.textDocument?.uri, 'inlayHint', [], token, (a, s) => (s.inlayHints ? provideInlayHints(a, p.range) : [])),
);
connection.onCodeLens((p, token) => withAnalysis(p.textDocument?.uri, 'codeLens', [], token, (a) => provideCodeLenses(a)));
connection.onDocumentLinks((p, token) => withAnalysis(p.textDocument?.uri, 'documentLink', [], token, (a) => provideDocumentLinks(a)));

process.on('uncaughtException', (err) => connection.console.error(`uncaught: ${err.stack ?? err.message}`));

documents.listen(connection);
connection.listen();
