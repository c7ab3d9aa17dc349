/** What every `check` output format is built from: the checked files and the findings to report. */
import type { Analysis } from '../analysis/analyzeDocument';
import type { TextSpan } from '../model/transcript';
import type { Finding, Severity } from '../rules/types';
import type { LineIndex, Range } from '../text/lineIndex';
import { createRedactor, type Redactor } from './redact';

/** The document text around a span, for formats that quote it (SARIF snippets and fingerprints). */
export interface SpanText {
  /** The span's own characters. */
  readonly snippet: string;
  /** The whole lines of the span's range, from the start of its first line to the end of its last, line breaks inside kept. */
  readonly context: string;
  /** Each line the span covers (up to the line of its last character), without line endings. */
  readonly covered: readonly string[];
}

/**
 * Where the spans of a file's findings are: the formats need positions (and SARIF the
 * text around them), not the analysis. A whole-document check answers from the text; a
 * streaming check answers from what it kept of each chunk before letting it go.
 */
export interface FindingLocator {
  rangeOf(span: TextSpan): Range;
  textOf(span: TextSpan): SpanText;
}

export interface CheckedFile {
  /** The path as the user gave it (or joined under a folder or glob base they gave); `-` for stdin. */
  readonly path: string;
  readonly locate: FindingLocator;
  /** The findings to report (all of them, or only errors under `--quiet`), in document order. */
  readonly findings: readonly Finding[];
  /** Scrubs credentials shown in this file from any string put in a report. */
  readonly redact: Redactor;
}

export type SeverityCounts = Record<Severity, number>;

export function createCheckedFile(path: string, analysis: Analysis, options: { errorsOnly?: boolean } = {}): CheckedFile {
  const findings = options.errorsOnly ? analysis.findings.filter((f) => f.severity === 'error') : analysis.findings;
  return { path, locate: createTextLocator(analysis.text, analysis.lines), findings, redact: createRedactor(analysis) };
}

/** Spans located in a text with its line index. */
export function createTextLocator(text: string, lines: LineIndex): FindingLocator {
  return {
    rangeOf: (span) => lines.rangeOf(span.start, span.end),
    textOf(span) {
      const r = lines.rangeOf(span.start, span.end);
      const first = r.start.line;
      const last = Math.max(first, lines.lineAt(Math.max(span.start, span.end - 1)));
      const covered: string[] = [];
      for (let l = first; l <= last; l++) covered.push(text.slice(lines.lineStart(l), lines.lineEnd(l)));
      return { snippet: text.slice(span.start, span.end), context: text.slice(lines.lineStart(r.start.line), lines.lineEnd(r.end.line)), covered };
    },
  };
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
