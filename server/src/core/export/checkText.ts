/**
 * `check --format text`: one line per finding, `path:line:col: severity rule-id message`
 * (1-based line and UTF-16 column, as compilers print them and problem matchers read
 * them), then a one-line summary. Colour only marks the severity and the rule id, so a
 * line stripped of escapes is the plain line.
 */
import type { Severity } from '../rules/types';
import { countSeverities, formatSummaryLine, type CheckedFile, type SeverityCounts } from './checkReport';

const SGR: Record<Severity | 'dim' | 'bold', string> = {
  error: '\u001b[31m',
  warning: '\u001b[33m',
  information: '\u001b[36m',
  hint: '\u001b[2m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
};
const RESET = '\u001b[0m';

export interface TextReportOptions {
  /** Wrap severities and rule ids in ANSI colour escapes. */
  readonly color?: boolean;
}

/** The finding lines of every file, in order. */
export function formatFindingLines(files: readonly CheckedFile[], options: TextReportOptions = {}): string[] {
  const paint = (style: keyof typeof SGR, s: string): string => (options.color ? SGR[style] + s + RESET : s);
  const lines: string[] = [];
  for (const file of files) {
    for (const f of file.findings) {
      const p = file.locate.rangeOf(f.span).start;
      const message = file.redact(f.message).replace(/[\r\n]+/g, ' ');
      lines.push(`${file.path}:${p.line + 1}:${p.character + 1}: ${paint(f.severity, f.severity)} ${paint('dim', f.rule)} ${message}`);
    }
  }
  return lines;
}

/** The whole text report: finding lines and the summary line, each ending in a newline. */
export function formatCheckText(files: readonly CheckedFile[], options: TextReportOptions = {}): string {
  const counts: SeverityCounts = countSeverities(files.flatMap((f) => f.findings));
  return [...formatFindingLines(files, options), formatTextSummary(files.length, counts, options)].map((l) => l + '\n').join('');
}

/** The summary line of the text report (without its newline): bold, and red when there is an error, in colour. */
export function formatTextSummary(fileCount: number, counts: SeverityCounts, options: TextReportOptions = {}): string {
  const summary = formatSummaryLine(fileCount, counts);
  return options.color ? (counts.error > 0 ? SGR.error : '') + SGR.bold + summary + RESET : summary;
}
