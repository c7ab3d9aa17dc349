/** textDocument/documentLink → RFC references as links to the RFC text. */
import type { DocumentLink } from 'vscode-languageserver';
import type { Analysis } from '../core/analysis/analyzeDocument';
import { computeDocumentLinks, type LinkItem } from '../core/features/documentLinks';

export function provideDocumentLinks(analysis: Analysis): DocumentLink[] {
  return toDocumentLinks(computeDocumentLinks(analysis), analysis.lines);
}

/** Core link items (kept per chunk by the server) as LSP document links, positioned by `lines`. */
export function toDocumentLinks(items: readonly LinkItem[], lines: Analysis['lines']): DocumentLink[] {
  return items.map((l) => ({ range: lines.rangeOf(l.span.start, l.span.end), target: l.url, tooltip: l.tooltip }));
}
