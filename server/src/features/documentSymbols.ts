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

type Lines = Analysis['lines'];

function lineRange(lines: Lines, startLine: number, endLine: number) {
  return { start: { line: startLine, character: 0 }, end: { line: endLine, character: lines.lineEnd(endLine) - lines.lineStart(endLine) } };
}

function toDocumentSymbol(lines: Lines, s: OutlineSymbol): DocumentSymbol {
  const range = lineRange(lines, s.startLine, s.endLine);
  return {
    name: s.name || '(unnamed)',
    detail: s.detail,
    kind: KIND[s.kind],
    range,
    selectionRange: lineRange(lines, s.startLine, s.startLine),
    children: s.children.map((c) => toDocumentSymbol(lines, c)),
  };
}

export function provideDocumentSymbols(analysis: Analysis): DocumentSymbol[] {
  return toDocumentSymbols(computeDocumentSymbols(analysis), analysis.lines);
}

/** A core outline (kept per chunk by the server) as LSP document symbols, positioned by `lines`. */
export function toDocumentSymbols(outline: readonly OutlineSymbol[], lines: Lines): DocumentSymbol[] {
  return outline.map((s) => toDocumentSymbol(lines, s));
}

export function provideWorkspaceSymbols(analysis: Analysis, uri: string, query: string, limit: number): SymbolInformation[] {
  return toWorkspaceSymbols(computeDocumentSymbols(analysis), analysis.lines, uri, query, limit);
}

/** The symbols of a core outline that match `query`, as workspace symbols of `uri`. */
export function toWorkspaceSymbols(outline: readonly OutlineSymbol[], lines: Lines, uri: string, query: string, limit: number): SymbolInformation[] {
  return filterWorkspaceSymbols(outline, query, limit).map((s) => ({
    name: s.name,
    kind: KIND[s.kind],
    containerName: s.container,
    location: { uri, range: lineRange(lines, s.startLine, s.endLine) },
  }));
}
