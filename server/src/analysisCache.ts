/** Analyses cached per document URI and version, so every feature reuses one parse. */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument, type Analysis } from './core/analysis/analyzeDocument';
import type { AnalysisSettings } from './core/rules/types';

interface Entry {
  version: number;
  settingsKey: string;
  analysis: Analysis;
}

export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();

  get(document: TextDocument, settings: AnalysisSettings): Analysis {
    const settingsKey = JSON.stringify(settings);
    const hit = this.entries.get(document.uri);
    if (hit && hit.version === document.version && hit.settingsKey === settingsKey) return hit.analysis;
    const analysis = analyzeDocument(document.getText(), settings);
    this.entries.set(document.uri, { version: document.version, settingsKey, analysis });
    return analysis;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  clear(): void {
    this.entries.clear();
  }
}
