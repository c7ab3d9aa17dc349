/** textDocument/documentLink → RFC references as links to the RFC text. */
import type { DocumentLink } from 'vscode-languageserver';
import type { Analysis } from '../core/analysis/analyzeDocument';
import { computeDocumentLinks } from '../core/features/documentLinks';

export function provideDocumentLinks(analysis: Analysis): DocumentLink[] {
  return computeDocumentLinks(analysis).map((l) => ({ range: analysis.lines.rangeOf(l.span.start, l.span.end), target: l.url, tooltip: l.tooltip }));
}
