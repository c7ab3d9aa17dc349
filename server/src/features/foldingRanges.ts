/** textDocument/foldingRange → core folding ranges. */
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { Analysis } from '../core/analysis/analyzeDocument';
import { computeFoldingRanges } from '../core/features/folding';

export function provideFoldingRanges(analysis: Analysis): FoldingRange[] {
  return computeFoldingRanges(analysis).map((r) => ({
    startLine: r.startLine,
    endLine: r.endLine,
    ...(r.kind === 'comment' ? { kind: FoldingRangeKind.Comment } : r.kind === 'region' ? { kind: FoldingRangeKind.Region } : {}),
  }));
}
