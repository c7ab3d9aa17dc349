/**
 * textDocument/hover → core hover: Markdown, or plain text for a client that asks only for that
 * (`hover.contentFormat`, in the client's order of preference; Markdown when it says nothing).
 */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { Analysis } from '../core/analysis/analyzeDocument';
import { computeHover } from '../core/features/hover';
import { markdownToPlainText } from '../core/features/plainText';

export function provideHover(analysis: Analysis, position: Position, format: MarkupKind = MarkupKind.Markdown): Hover | null {
  const h = computeHover(analysis, analysis.lines.offsetAt(position));
  if (!h) return null;
  const value = format === MarkupKind.PlainText ? markdownToPlainText(h.markdown) : h.markdown;
  return { contents: { kind: format, value }, range: analysis.lines.rangeOf(h.span.start, h.span.end) };
}

/** The first of Markdown and plain text in the client's `hover.contentFormat`; Markdown if neither is listed. */
export function hoverFormatOf(capabilities: unknown): MarkupKind {
  const formats = (capabilities as { textDocument?: { hover?: { contentFormat?: unknown } } } | null | undefined)?.textDocument?.hover?.contentFormat;
  if (Array.isArray(formats)) {
    for (const f of formats) if (f === MarkupKind.Markdown || f === MarkupKind.PlainText) return f;
  }
  return MarkupKind.Markdown;
}
