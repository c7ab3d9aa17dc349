/** What every `check` output format is built from: the checked files and the findings to report. */
import type { Analysis } from '../analysis/analyzeDocument';
import type { Finding, Severity } from '../rules/types';
import { createRedactor, type Redactor } from './redact';

export interface CheckedFile {
  /** The path as the user gave it (or joined under a folder or glob base they gave); `-` for stdin. */
  readonly path: string;
  readonly analysis: Analysis;
  /** The findings to report (all of them, or only errors under `--quiet`), in document order. */
  readonly findings: readonly Finding[];
  /** Scrubs credentials shown in this file from any string put in a report. */
  readonly redact: Redactor;
}

export type SeverityCounts = Record<Severity, number>;

export function createCheckedFile(path: string, analysis: Analysis, options: { errorsOnly?: boolean } = {}): CheckedFile {
  const findings = options.errorsOnly ? analysis.findings.filter((f) => f.severity === 'error') : analysis.findings;
  return { path, analysis, findings, redact: createRedactor(analysis) };
}

export function countSeverities(findings: Iterable<Finding>): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** `N files checked: N findings (N error, N warning, N information, N hint)` */
export function formatSummaryLine(fileCount: number, counts: SeverityCounts): string {
  const total = counts.error + counts.warning + counts.information + counts.hint;
  return (
    `${fileCount} file${fileCount === 1 ? '' : 's'} checked: ${total} finding${total === 1 ? '' : 's'} ` +
    `(${counts.error} error, ${counts.warning} warning, ${counts.information} information, ${counts.hint} hint)`
  );
}
