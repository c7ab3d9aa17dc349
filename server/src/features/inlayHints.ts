/** textDocument/inlayHint → decoded key fields after dump lines. */
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver';
import type { Analysis } from '../core/analysis/analyzeDocument';
import { computeInlayHints } from '../core/features/inlayHints';

export function provideInlayHints(analysis: Analysis, range: Range): InlayHint[] {
  return computeInlayHints(analysis, range.start.line, range.end.line).map((h) => ({
    position: analysis.lines.positionAt(h.offset),
    label: h.label,
    kind: InlayHintKind.Type,
    paddingLeft: true,
    ...(h.tooltip ? { tooltip: h.tooltip } : {}),
  }));
}
