/**
 * The open documents and their incremental analyses.
 *
 * Edits arrive as ranges (incremental sync); each is recorded in document
 * offsets at the moment it applies, and handed to the incremental analyser
 * when a feature next needs results, so a burst of keystrokes is analysed
 * once. Settings changes rebuild the analysis (chunks are reused by text).
 */
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { IncrementalAnalysis } from './core/analysis/incrementalAnalysis';
import type { AnalysisSettings } from './core/rules/types';

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

interface OpenDocument {
  document: TextDocument;
  analysis: IncrementalAnalysis | null;
  settingsKey: string;
  /** Edits not yet given to the analysis; null when the whole text must be read again. */
  pending: Edit[] | null;
}

/** More queued edits than this are cheaper to apply as one re-read (unchanged chunks are still reused). */
const MAX_QUEUED_EDITS = 16;

export class OpenDocuments {
  private readonly docs = new Map<string, OpenDocument>();

  open(uri: string, languageId: string, version: number, text: string): TextDocument {
    const document = TextDocument.create(uri, languageId, version, text);
    this.docs.set(uri, { document, analysis: null, settingsKey: '', pending: null });
    return document;
  }

  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): TextDocument | undefined {
    const entry = this.docs.get(uri);
    if (!entry) return undefined;
    for (const change of changes) {
      if ('range' in change && change.range) {
        const start = entry.document.offsetAt(change.range.start);
        const end = entry.document.offsetAt(change.range.end);
        if (entry.pending && entry.pending.length < MAX_QUEUED_EDITS) entry.pending.push({ start, end, text: change.text });
        else entry.pending = null;
      } else {
        entry.pending = null;
      }
      entry.document = TextDocument.update(entry.document, [change], version);
    }
    return entry.document;
  }

  close(uri: string): void {
    this.docs.delete(uri);
  }

  get(uri: string): TextDocument | undefined {
    return this.docs.get(uri)?.document;
  }

  all(): TextDocument[] {
    return [...this.docs.values()].map((d) => d.document);
  }

  /** Drops every analysis (settings changed); the next request re-reads. */
  invalidateAll(): void {
    for (const d of this.docs.values()) {
      d.analysis = null;
      d.pending = null;
    }
  }

  /** The up-to-date analysis of a document under `settings`. */
  analysis(uri: string, settings: AnalysisSettings, maxChars?: number): IncrementalAnalysis | undefined {
    const entry = this.docs.get(uri);
    if (!entry) return undefined;
    const key = JSON.stringify([settings, maxChars ?? null]);
    if (!entry.analysis || entry.settingsKey !== key) {
      entry.analysis = new IncrementalAnalysis(settings, { maxChars });
      entry.settingsKey = key;
      entry.analysis.setText(entry.document.getText());
    } else if (entry.pending === null) {
      entry.analysis.setText(entry.document.getText());
    } else if (entry.pending.length > 0) {
      // Each edit's offsets refer to the text after the previous ones, as the analysis has it by then.
      const ok = entry.pending.every((e) => entry.analysis!.applyEdit(e.start, e.end, e.text));
      if (!ok) entry.analysis.setText(entry.document.getText());
    }
    entry.pending = [];
    return entry.analysis;
  }
}
