/** textDocument/codeLens → one informational lens per session (no command to run: an empty command id). */
import type { CodeLens } from 'vscode-languageserver';
import type { Analysis } from '../core/analysis/analyzeDocument';
import { computeCodeLenses, type LensItem } from '../core/features/codeLens';

export function provideCodeLenses(analysis: Analysis): CodeLens[] {
  return toCodeLenses(computeCodeLenses(analysis));
}

/** Core lens items (kept per chunk by the server) as LSP code lenses. */
export function toCodeLenses(items: readonly LensItem[]): CodeLens[] {
  return items.map((l) => ({
    range: { start: { line: l.line, character: 0 }, end: { line: l.line, character: 0 } },
    command: { title: l.title, command: '' },
  }));
}
