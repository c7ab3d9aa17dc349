/**
 * `check --format github`: GitHub Actions workflow commands, one per finding, which the
 * runner turns into annotations on the pull request's diff:
 *   ::error file=P,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::MESSAGE
 * Lines and columns are 1-based; endColumn is the column of the last character.
 * Escaping follows the workflow-command rules: in the message `%`, CR and LF become
 * %25, %0D, %0A; in property values `:` and `,` also become %3A and %2C.
 */
import type { Severity } from '../rules/types';
import type { CheckedFile } from './checkReport';

/** GitHub knows three annotation levels. */
const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = {
  error: 'error',
  warning: 'warning',
  information: 'notice',
  hint: 'notice',
};

export function escapeWorkflowData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeWorkflowProperty(s: string): string {
  return escapeWorkflowData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithubAnnotations(files: readonly CheckedFile[]): string {
  const out: string[] = [];
  for (const file of files) {
    const path = file.path.split('\\').join('/');
    for (const f of file.findings) {
      const r = file.locate.rangeOf(f.span);
      const endColumn = r.end.line === r.start.line ? Math.max(r.start.character + 1, r.end.character) : r.end.character;
      const props: [string, string | number][] = [
        ['file', path],
        ['line', r.start.line + 1],
        ['col', r.start.character + 1],
        ['endLine', r.end.line + 1],
        ['endColumn', Math.max(1, endColumn)],
        ['title', f.rule],
      ];
      const propText = props.map(([k, v]) => `${k}=${escapeWorkflowProperty(String(v))}`).join(',');
      out.push(`::${COMMAND[f.severity]} ${propText}::${escapeWorkflowData(file.redact(f.message))}\n`);
    }
  }
  return out.join('');
}
