/** Findings → LSP diagnostics, with the rule id as code and its RFC section as codeDescription. */
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { Analysis } from '../core/analysis/analyzeDocument';
import { findRule } from '../core/rules/catalog';
import type { Severity } from '../core/rules/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** LSP diagnostics of `findings`, positioned by `analysis.lines` (an analysis, or a chunk's findings and line index). */
export function toDiagnostics(analysis: Pick<Analysis, 'findings' | 'lines'>, uri: string): Diagnostic[] {
  return analysis.findings.map((f) => {
    const rule = findRule(f.rule);
    const href = rule?.references[0]?.url;
    const related: DiagnosticRelatedInformation[] | undefined = f.related?.map((r) => ({
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
