/** textDocument/foldingRange → core folding ranges. */
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { Analysis } from '../core/analysis/analyzeDocument';
import { computeFoldingRanges, type FoldingItem } from '../core/features/folding';

export function provideFoldingRanges(analysis: Analysis): FoldingRange[] {
  return toFoldingRanges(computeFoldingRanges(analysis));
}

/** Core folding items (kept per chunk by the server) as LSP folding ranges. */
export function toFoldingRanges(items: readonly FoldingItem[]): FoldingRange[] {
  return items.map((r) => ({
    startLine: r.startLine,
    endLine: r.endLine,
    ...(r.kind === 'comment' ? { kind: FoldingRangeKind.Comment } : r.kind === 'region' ? { kind: FoldingRangeKind.Region } : {}),
  }));
}
