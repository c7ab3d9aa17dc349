/** Findings → LSP diagnostics, with the rule id as code and its RFC section as codeDescription. */
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { Analysis } from '../core/analysis/analyzeDocument';
import type { IncrementalAnalysis } from '../core/analysis/incrementalAnalysis';
import type { LineIndex } from '../core/text/lineIndex';
import { findRule } from '../core/rules/catalog';
import type { Severity } from '../core/rules/types';

export const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * The optional diagnostic properties a client declared it supports (LSP: a server sends
 * `relatedInformation` only to a client declaring textDocument.publishDiagnostics.relatedInformation,
 * `codeDescription` only to one declaring codeDescriptionSupport).
 */
export interface DiagnosticSupport {
  readonly relatedInformation: boolean;
  readonly codeDescription: boolean;
}

/** What VS Code declares (and so what a diagnostic carries when nobody says otherwise). */
export const FULL_DIAGNOSTIC_SUPPORT: DiagnosticSupport = Object.freeze({ relatedInformation: true, codeDescription: true });

/** The support a client's initialize capabilities declare (anything but `true` is no support). */
export function diagnosticSupportOf(capabilities: unknown): DiagnosticSupport {
  const pd = (capabilities as { textDocument?: { publishDiagnostics?: { relatedInformation?: unknown; codeDescriptionSupport?: unknown } } } | null | undefined)
    ?.textDocument?.publishDiagnostics;
  return { relatedInformation: pd?.relatedInformation === true, codeDescription: pd?.codeDescriptionSupport === true };
}

/** LSP diagnostics of `findings`, positioned by `analysis.lines` (an analysis, or a chunk's findings and line index). */
export function toDiagnostics(
  analysis: Pick<Analysis, 'findings'> & { readonly lines: Pick<LineIndex, 'rangeOf'> },
  uri: string,
  support: DiagnosticSupport = FULL_DIAGNOSTIC_SUPPORT,
): Diagnostic[] {
  return analysis.findings.map((f) => {
    const href = support.codeDescription ? findRule(f.rule)?.references[0]?.url : undefined;
    const related: DiagnosticRelatedInformation[] | undefined = !support.relatedInformation ? undefined : f.related?.map((r) => ({
      location: { uri, range: analysis.lines.rangeOf(r.span.start, r.span.end) },
      message: r.message,
    }));
    const d: Diagnostic = {
      range: analysis.lines.rangeOf(f.span.start, f.span.end),
      severity: SEVERITY[f.severity],
      code: f.rule,
      source: 'smtptls',
      message: f.message,
    };
    if (href) d.codeDescription = { href };
    if (related && related.length > 0) d.relatedInformation = related;
    return d;
  });
}

/** Positions of a chunked document's offsets, for findings in document offsets (toDiagnostics' `lines`). */
export function documentLines(doc: IncrementalAnalysis): Pick<LineIndex, 'rangeOf'> {
  return { rangeOf: (start: number, end: number) => ({ start: doc.positionAt(start), end: doc.positionAt(end) }) };
}
