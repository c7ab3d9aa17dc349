/** textDocument/hover → core hover (markdown). */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { Analysis } from '../core/analysis/analyzeDocument';
import { computeHover } from '../core/features/hover';

export function provideHover(analysis: Analysis, position: Position): Hover | null {
  const h = computeHover(analysis, analysis.lines.offsetAt(position));
  if (!h) return null;
  return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: analysis.lines.rangeOf(h.span.start, h.span.end) };
}
