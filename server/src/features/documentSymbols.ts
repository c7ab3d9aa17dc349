/** textDocument/documentSymbol and workspace/symbol → the core outline (sessions › phases). */
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver';
import type { Analysis } from '../core/analysis/analyzeDocument';
import { computeDocumentSymbols, filterWorkspaceSymbols, type OutlineSymbol, type PhaseKind } from '../core/features/symbols';

const KIND: Record<PhaseKind, SymbolKind> = {
  session: SymbolKind.Namespace,
  greeting: SymbolKind.Event,
  ehlo: SymbolKind.Method,
  starttls: SymbolKind.Method,
  tls: SymbolKind.Struct,
  'tls-message': SymbolKind.Field,
  auth: SymbolKind.Key,
  mail: SymbolKind.Method,
  data: SymbolKind.String,
  command: SymbolKind.Function,
  quit: SymbolKind.Method,
};

function lineRange(analysis: Analysis, startLine: number, endLine: number) {
  return { start: { line: startLine, character: 0 }, end: { line: endLine, character: analysis.lines.lineEnd(endLine) - analysis.lines.lineStart(endLine) } };
}

function toDocumentSymbol(analysis: Analysis, s: OutlineSymbol): DocumentSymbol {
  const range = lineRange(analysis, s.startLine, s.endLine);
  return {
    name: s.name || '(unnamed)',
    detail: s.detail,
    kind: KIND[s.kind],
    range,
    selectionRange: lineRange(analysis, s.startLine, s.startLine),
    children: s.children.map((c) => toDocumentSymbol(analysis, c)),
  };
}

export function provideDocumentSymbols(analysis: Analysis): DocumentSymbol[] {
  return computeDocumentSymbols(analysis).map((s) => toDocumentSymbol(analysis, s));
}

export function provideWorkspaceSymbols(analysis: Analysis, uri: string, query: string, limit: number): SymbolInformation[] {
  return filterWorkspaceSymbols(computeDocumentSymbols(analysis), query, limit).map((s) => ({
    name: s.name,
    kind: KIND[s.kind],
    containerName: s.container,
    location: { uri, range: lineRange(analysis, s.startLine, s.endLine) },
  }));
}
