/**
 * The open documents and their incremental analyses.
 *
 * Once a document has an analysis, the analysis holds its text (as chunks):
 * an edit (incremental sync) is turned into offsets through the chunks' line
 * indexes and applied to the chunks it touches, so no edit copies the whole
 * text of a large document. The analysis of the changed chunks runs when a
 * feature next needs results, so a burst of keystrokes is analysed once.
 * Before the first analysis, and after a settings change (which needs a new
 * analysis), the text is kept as a plain text document.
 */
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { IncrementalAnalysis, type IncrementalOptions } from './core/analysis/incrementalAnalysis';
import type { AnalysisSettings } from './core/rules/types';

export interface OpenDocumentInfo {
  readonly uri: string;
  readonly languageId: string;
  readonly version: number;
}

interface OpenDocument {
  readonly uri: string;
  readonly languageId: string;
  version: number;
  /** The text while no analysis holds it. */
  document: TextDocument | null;
  analysis: IncrementalAnalysis | null;
  settingsKey: string;
}

type Position = { line: number; character: number };

/** Start before end, as editors' text documents order a range. */
function ordered(range: { start: Position; end: Position }): { start: Position; end: Position } {
  const { start, end } = range;
  return start.line > end.line || (start.line === end.line && start.character > end.character) ? { start: end, end: start } : range;
}

export class OpenDocuments {
  private readonly docs = new Map<string, OpenDocument>();

  constructor(private readonly analysisOptions: Omit<IncrementalOptions, 'maxChars'> = {}) {}

  open(uri: string, languageId: string, version: number, text: string): OpenDocumentInfo {
    const entry: OpenDocument = { uri, languageId, version, document: TextDocument.create(uri, languageId, version, text), analysis: null, settingsKey: '' };
    this.docs.set(uri, entry);
    return entry;
  }

  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): OpenDocumentInfo | undefined {
    const entry = this.docs.get(uri);
    if (!entry) return undefined;
    // The client's version from now on, also if a malformed change below throws (the server then logs it).
    entry.version = version;
    for (const change of changes) {
      if (entry.analysis) applyToAnalysis(entry.analysis, change);
      else entry.document = TextDocument.update(entry.document!, [change], version);
    }
    return entry;
  }

  close(uri: string): void {
    this.docs.delete(uri);
  }

  get(uri: string): OpenDocumentInfo | undefined {
    return this.docs.get(uri);
  }

  all(): OpenDocumentInfo[] {
    return [...this.docs.values()];
  }

  /** The whole text of an open document. */
  getText(uri: string): string | undefined {
    const entry = this.docs.get(uri);
    return entry ? textOf(entry) : undefined;
  }

  /** Drops every analysis (settings changed); the next request reads the text again. */
  invalidateAll(): void {
    for (const d of this.docs.values()) {
      if (!d.analysis) continue;
      d.document = TextDocument.create(d.uri, d.languageId, d.version, d.analysis.getText());
      d.analysis = null;
    }
  }

  /** The analysis a document has now, if any (none before the first request, or after a settings change). */
  currentAnalysis(uri: string): IncrementalAnalysis | null {
    return this.docs.get(uri)?.analysis ?? null;
  }

  /** The up-to-date analysis of a document under `settings`. */
  analysis(uri: string, settings: AnalysisSettings, maxChars?: number): IncrementalAnalysis | undefined {
    const entry = this.docs.get(uri);
    if (!entry) return undefined;
    const key = JSON.stringify([settings, maxChars ?? null]);
    if (!entry.analysis || entry.settingsKey !== key) {
      const text = textOf(entry);
      const analysis = new IncrementalAnalysis(settings, { ...this.analysisOptions, maxChars });
      analysis.setText(text);
      entry.analysis = analysis;
      entry.settingsKey = key;
      entry.document = null;
    }
    return entry.analysis;
  }
}

function textOf(entry: OpenDocument): string {
  return entry.analysis ? entry.analysis.getText() : entry.document!.getText();
}

/** One content change, in the analysis's offsets; a re-read of the edited text when it cannot be applied in place. */
function applyToAnalysis(analysis: IncrementalAnalysis, change: TextDocumentContentChangeEvent): void {
  if (!('range' in change) || !change.range) {
    analysis.setText(change.text);
    return;
  }
  const range = ordered(change.range);
  const start = analysis.offsetAt(range.start);
  const end = analysis.offsetAt(range.end);
  if (analysis.applyEdit(start, end, change.text)) return;
  const text = analysis.getText();
  analysis.setText(text.slice(0, start) + change.text + text.slice(end));
}
