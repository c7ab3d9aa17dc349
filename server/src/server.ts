/**
 * The language server: creates the connection, declares capabilities and
 * routes each request to the core. Used by the VS Code client and, through
 * bin/smtptls-language-server --stdio, by any LSP editor.
 */
import { inspect } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  MarkupKind,
  TextDocumentSyncKind,
  type CancellationToken,
  type Diagnostic,
  type InitializeResult,
  type SymbolInformation,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver/node';
import { OpenDocuments } from './openDocuments';
import { SettingsStore, type ServerSettings } from './settings';
import type { IncrementalAnalysis } from './core/analysis/incrementalAnalysis';
import { computeChunkedSemanticTokens, digestChunk, lensesOf, runAtPosition, runInRange, runOnDigests, shiftLines } from './chunkRouting';
import { runSafe, runSafeAsync, safeHandler } from './runSafe';
import { createStdioWriter, type RawJsonRegistry } from './stdioWriter';
import { StdioMessageReader } from './stdioReader';
import { collectDiagnostics, diagnosticsOnLines, serializeDiagnostics } from './features/publishDiagnostics';
import { UnchangedPublications } from './features/unchangedPublications';
import { limitDiagnostics } from './features/diagnosticLimit';
import { analyseInSlices } from './features/slicedAnalysis';
import { nothingReadNote, truncationNote } from './features/documentNotes';
import { diagnosticSupportOf, documentLines, FULL_DIAGNOSTIC_SUPPORT, toDiagnostics, type DiagnosticSupport } from './features/diagnostics';
import { hoverFormatOf, provideHover } from './features/hover';
import { provideCodeActions } from './features/codeActions';
import { toDocumentSymbols, toWorkspaceSymbols } from './features/documentSymbols';
import { toFoldingRanges } from './features/foldingRanges';
import { SEMANTIC_TOKENS_LEGEND } from './features/semanticTokens';
import { provideInlayHints } from './features/inlayHints';
import { toCodeLenses } from './features/codeLens';
import { toDocumentLinks } from './features/documentLinks';
import { computeSessionDiagram, describeUri, SESSION_DIAGRAM_REQUEST, type SessionDiagramParams, type SessionDiagramResult } from './features/sessionDiagram';

/**
 * V8 grows the old generation's limit by a factor of 1.1 to 4 after each full collection; opening a
 * large log allocates steadily, so the limit ran far ahead of what is live and the pages stayed
 * committed. 10% keeps it close. Measured on a 20 MB document (bench, LSP section, back to back on a
 * lightly loaded machine): RSS after opening 150-153 → 145-147 MB; after the edits and hovers
 * 218-220 → 154-160 MB; open, edit and hover times within the run-to-run noise. Set here rather than
 * as a Node flag so that every editor gets it (bin/smtptls-language-server too), and a V8 without
 * the flag only logs a warning.
 */
setFlagsFromString('--heap-growing-percent=10');

/**
 * Over stdio (VS Code's client and any editor running bin/smtptls-language-server)
 * the server reads and writes its own messages: a publication of diagnostics goes
 * out as the JSON kept per chunk (features/publishDiagnostics.ts) instead of being
 * serialised diagnostic by diagnostic, and a large message (the text of a document
 * being opened) is decoded as it arrives instead of being gathered into one buffer
 * first (stdioReader.ts); other transports (node IPC) use the library's.
 */
const stdio = process.argv.includes('--stdio');
let rawJson: RawJsonRegistry | null = null;
let shutdownReceived = false;
const connection = (() => {
  if (!stdio) return createConnection(ProposedFeatures.all);
  const { writer, registry } = createStdioWriter(process.stdout);
  rawJson = registry;
  // The process ends when the client closes stdin, as the library does for --stdio (exit code 0 after a shutdown request).
  const end = (): never => process.exit(shutdownReceived ? 0 : 1);
  process.stdin.on('end', end);
  process.stdin.on('close', end);
  return createConnection(ProposedFeatures.all, new StdioMessageReader(process.stdin), writer);
})();
connection.onShutdown(() => {
  shutdownReceived = true;
});
if (stdio) {
  // stdout carries the protocol: anything printed goes to the client's log instead, as the library does for --stdio.
  const toLog = (send: (m: string) => void) => (...args: unknown[]) => send(args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' '));
  console.log = console.info = toLog((m) => connection.console.log(m));
  console.warn = toLog((m) => connection.console.warn(m));
  console.error = toLog((m) => connection.console.error(m));
  console.debug = toLog((m) => connection.console.log(m));
}
const documents = new OpenDocuments({ digest: digestChunk });
let canPullConfiguration = false;
let canRegisterConfiguration = false;
/** The optional diagnostic properties the client declared (initialize); until then, all. */
let diagnosticSupport: DiagnosticSupport = FULL_DIAGNOSTIC_SUPPORT;
const settings = new SettingsStore(connection, () => canPullConfiguration);

/** Debounce for edits while analysis is slow; edits on documents analysed in a few ms publish at once. */
const VALIDATE_DELAY_MS = 150;
const FAST_ANALYSIS_MS = 100;
const lastValidationMs = new Map<string, number>();
const WORKSPACE_SYMBOL_LIMIT = 1000;
const pending = new Map<string, ReturnType<typeof setTimeout>>();
/** Publications that would repeat the last one are left out (over stdio, where each is kept as JSON). */
const unchanged = new UnchangedPublications();
/** Markdown, or plain text for a client that asks only for that (Eglot without markdown-mode). */
let hoverFormat: MarkupKind = MarkupKind.Markdown;

connection.onInitialize((params): InitializeResult => {
  // A client that sends odd capabilities still gets a server: pushed settings and defaults.
  runSafe(connection, 'initialize', undefined, () => {
    const ws = params.capabilities?.workspace;
    canPullConfiguration = !!ws?.configuration;
    canRegisterConfiguration = !!ws?.didChangeConfiguration?.dynamicRegistration;
    diagnosticSupport = diagnosticSupportOf(params.capabilities);
    hoverFormat = hoverFormatOf(params.capabilities);
    if (params.initializationOptions) settings.setPushed(params.initializationOptions);
  });
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

connection.onInitialized(
  safeHandler(connection, 'initialized', () => {
    if (canRegisterConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, undefined).catch((err: unknown) => connection.console.error(`registering for configuration changes failed: ${String(err)}`));
    }
  }),
);

connection.onDidChangeConfiguration(
  safeHandler(connection, 'didChangeConfiguration', (change) => {
    settings.setPushed(change.settings);
    documents.invalidateAll();
    // Published again even where nothing changed: a client learns that the new settings are in force.
    for (const doc of documents.all()) {
      unchanged.forget(doc.uri);
      schedule(doc.uri, 0);
    }
  }),
);

function schedule(uri: string, delay: number): void {
  const old = pending.get(uri);
  if (old) clearTimeout(old);
  pending.set(
    uri,
    setTimeout(() => {
      pending.delete(uri);
      void runSafeAsync(connection, 'diagnostics', undefined, () => validate(uri));
    }, delay),
  );
}

async function validate(uri: string): Promise<void> {
  const s = await settings.forUri(uri);
  const document = documents.get(uri);
  if (!document) return;
  const t0 = Date.now();
  const version = document.version;
  if (!(await analyseFirst(uri, version, s))) return;
  let repeat = false;
  const params = runSafe(connection, 'diagnostics', { uri, version, diagnostics: [] as Diagnostic[] }, () => {
    const doc = documents.analysis(uri, s.analysis, s.maxDocumentChars);
    if (!doc) return { uri, version, diagnostics: [] };
    const extra = doc.truncated ? [truncationNote(doc, s.maxDocumentChars)] : [];
    const nothingRead = nothingReadNote(doc);
    if (nothingRead) extra.push(nothingRead);
    if (rawJson) {
      // The writer sends the kept JSON; the object itself carries no diagnostics.
      const raw = { uri, version, diagnostics: [] as Diagnostic[] };
      const pieces = serializeDiagnostics(doc, uri, { extra, support: diagnosticSupport, maxDiagnostics: s.maxDiagnostics });
      repeat = unchanged.isUnchanged(uri, pieces, (ranges) => diagnosticsOnLines(doc, ranges));
      unchanged.sent(uri, pieces);
      rawJson.set(raw, 'diagnostics', pieces);
      return raw;
    }
    return { uri, version, diagnostics: collectDiagnostics(doc, uri, { extra, support: diagnosticSupport, maxDiagnostics: s.maxDiagnostics }) };
  });
  const ms = Date.now() - t0;
  lastValidationMs.set(uri, ms);
  if (repeat) {
    // Nothing to send; a client tracing the server (LSP $/setTrace) hears that the version was analysed.
    connection.tracer.log(`diagnostics unchanged: ${uri} version ${version} (${ms} ms), not sent again`);
    return;
  }
  await connection.sendDiagnostics(params);
}

/**
 * Analyses the chunks of a document that were never analysed (opening it, pasting a large part)
 * in slices, answering other messages between them (features/slicedAnalysis.ts); shows progress
 * in clients that support it, and publishes the first part once when the whole takes longer.
 * False when a newer version (or new settings) came meanwhile: its own validation follows.
 */
async function analyseFirst(uri: string, version: number, s: ServerSettings): Promise<boolean> {
  const doc = runSafe(connection, 'diagnostics', undefined, () => documents.analysis(uri, s.analysis, s.maxDocumentChars));
  if (!doc) return true;
  let progress: Promise<WorkDoneProgressServerReporter | null> | null = null;
  let reporter: WorkDoneProgressServerReporter | null = null;
  const percent = (done: number, total: number): number => Math.floor((100 * done) / Math.max(1, total));
  try {
    return await analyseInSlices(doc, {
      stillCurrent: () => documents.get(uri)?.version === version && documents.currentAnalysis(uri) === doc,
      onPartial: (chunks) => {
        if (!rawJson) return;
        // Exact for the chunks it covers: a suppression comment acts only on the lines after it.
        const pieces = doc.chunks.some((c) => c.content.directives.length > 0)
          ? [Buffer.from(JSON.stringify(limitDiagnostics(toDiagnostics({ findings: doc.prefixFindings(chunks), lines: documentLines(doc) }, uri, diagnosticSupport), s.maxDiagnostics)))]
          : serializeDiagnostics(doc, uri, { support: diagnosticSupport, chunkCount: chunks, maxDiagnostics: s.maxDiagnostics });
        unchanged.sent(uri, pieces);
        const raw = { uri, version, diagnostics: [] as Diagnostic[] };
        rawJson.set(raw, 'diagnostics', pieces);
        connection.tracer.log(`partial diagnostics: ${uri} version ${version}, ${chunks} of ${doc.chunks.length} chunks analysed`);
        void connection.sendDiagnostics(raw);
      },
      onProgress: (done, total) => {
        // A client that refuses the progress token gets none (and nothing is left unhandled).
        progress ??= connection.window.createWorkDoneProgress().then(
          (r) => {
            r.begin('SMTP/TLS analysis', percent(done, total), `${describeUri(uri)} (${(doc.length / 1e6).toFixed(1)} MB)`, false);
            return (reporter = r);
          },
          () => null,
        );
        reporter?.report(percent(done, total));
      },
    });
  } finally {
    if (progress) void (progress as Promise<WorkDoneProgressServerReporter | null>).then((r) => r?.done());
  }
}

// Notifications have no answer to fall back to: a failure is logged and the server carries on.
connection.onDidOpenTextDocument(
  safeHandler(connection, 'didOpen', (p) => {
    documents.open(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text);
    // A (re)opened document is published in full.
    unchanged.forget(p.textDocument.uri);
    schedule(p.textDocument.uri, 0);
  }),
);
connection.onDidChangeTextDocument(
  safeHandler(connection, 'didChange', (p) => {
    const uri = p.textDocument.uri;
    try {
      if (!documents.change(uri, p.textDocument.version, p.contentChanges)) return;
    } finally {
      // Even after a failed change the document is analysed again (and published unless nothing changed).
      if (documents.get(uri)) {
        unchanged.noteChanges(uri, p.contentChanges);
        schedule(uri, (lastValidationMs.get(uri) ?? 0) < FAST_ANALYSIS_MS ? 0 : VALIDATE_DELAY_MS);
      }
    }
  }),
);
connection.onDidCloseTextDocument(
  safeHandler(connection, 'didClose', (p) => {
    const uri = p.textDocument.uri;
    const t = pending.get(uri);
    if (t) clearTimeout(t);
    pending.delete(uri);
    lastValidationMs.delete(uri);
    unchanged.forget(uri);
    documents.close(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  }),
);

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
      const n = doc.summaryOf(c).sessionCount;
      if (i < index) sessionsBefore += n;
      sessionCount += n;
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

connection.onHover((p, token) => withDocument(p.textDocument?.uri, 'hover', null, token, (doc) => runAtPosition(doc, p.position, (a, pos) => provideHover(a, pos, hoverFormat))));
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
connection.onDocumentSymbol((p, token) => withDocument(p.textDocument?.uri, 'documentSymbol', [], token, (doc) => runOnDigests(doc, (d, lines) => toDocumentSymbols(d.outline, lines))));
connection.onWorkspaceSymbol(async (p, token) => {
  const out: SymbolInformation[] = [];
  for (const d of documents.all()) {
    if (out.length >= WORKSPACE_SYMBOL_LIMIT) break;
    const limit = WORKSPACE_SYMBOL_LIMIT - out.length;
    out.push(...(await withDocument(d.uri, 'workspaceSymbol', [], token, (doc) => runOnDigests(doc, (g, lines) => toWorkspaceSymbols(g.outline, lines, d.uri, p.query ?? '', limit), limit))));
  }
  return out.slice(0, WORKSPACE_SYMBOL_LIMIT);
});
connection.onFoldingRanges((p, token) => withDocument(p.textDocument?.uri, 'foldingRange', [], token, (doc) => runOnDigests(doc, (d) => toFoldingRanges(d.folding))));
connection.languages.semanticTokens.on((p, token) =>
  withDocument(p.textDocument?.uri, 'semanticTokens', { data: [] }, token, (doc) => ({ data: computeChunkedSemanticTokens(doc) })),
);
connection.languages.semanticTokens.onRange((p, token) =>
  withDocument(p.textDocument?.uri, 'semanticTokensRange', { data: [] }, token, (doc) => ({ data: computeChunkedSemanticTokens(doc, p.range) })),
);
/**
 * Inlay hints cover at most this many lines from the start of the requested range: the bound
 * one analysis applies (core/features/inlayHints.ts), so a request for a whole large document
 * (some editors ask for the whole buffer) analyses a few chunks, not all of them.
 */
const INLAY_HINT_LINES = 5000;
connection.languages.inlayHint.on((p, token) =>
  withDocument(p.textDocument?.uri, 'inlayHint', [], token, (doc, s) => {
    if (!s.inlayHints) return [];
    const end = p.range.end.line > p.range.start.line + INLAY_HINT_LINES ? { line: p.range.start.line + INLAY_HINT_LINES, character: 0 } : p.range.end;
    return runInRange(doc, { start: p.range.start, end }, provideInlayHints);
  }),
);
connection.onCodeLens((p, token) => withDocument(p.textDocument?.uri, 'codeLens', [], token, (doc) => runOnDigests(doc, (_d, _lines, c) => toCodeLenses(lensesOf(doc, c)))));
connection.onDocumentLinks((p, token) => withDocument(p.textDocument?.uri, 'documentLink', [], token, (doc) => runOnDigests(doc, (d, lines) => toDocumentLinks(d.links, lines))));

process.on('uncaughtException', (err) => connection.console.error(`uncaught: ${err.stack ?? err.message}`));

connection.listen();
