/**
 * The language server: creates the connection, declares capabilities and
 * routes each request to the core. Used by the VS Code client and, through
 * bin/smtptls-language-server --stdio, by any LSP editor.
 */
import {
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache } from './analysisCache';
import { SettingsStore } from './settings';
import { runSafe } from './runSafe';
import { toDiagnostics } from './features/diagnostics';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const cache = new AnalysisCache();
let canPullConfiguration = false;
let canRegisterConfiguration = false;
const settings = new SettingsStore(connection, () => canPullConfiguration);

const VALIDATE_DELAY_MS = 150;
const pending = new Map<string, ReturnType<typeof setTimeout>>();

connection.onInitialize((params): InitializeResult => {
  const ws = params.capabilities.workspace;
  canPullConfiguration = !!ws?.configuration;
  canRegisterConfiguration = !!ws?.didChangeConfiguration?.dynamicRegistration;
  if (params.initializationOptions) settings.setPushed(params.initializationOptions);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
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

process.on('uncaughtException', (err) => connection.console.error(`uncaught: ${err.stack ?? err.message}`));

documents.listen(connection);
connection.listen();
