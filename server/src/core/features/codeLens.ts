/** One code lens per session: negotiated version and suite, and how many findings it has. */
import type { Analysis } from '../analysis/analyzeDocument';
import { formatNegotiated, summarizeSessionTls } from './tlsSummary';

export interface LensItem {
  readonly line: number;
  readonly title: string;
}

export function computeCodeLenses(analysis: Analysis): LensItem[] {
  return analysis.sessions.map((s) => {
    const start = analysis.lines.lineStart(s.session.startLine);
    const end = analysis.lines.lineEnd(s.session.endLine);
    const findings = analysis.findings.filter((f) => f.span.start >= start && f.span.start <= end);
    const errors = findings.filter((f) => f.severity === 'error').length;
    const count = `${findings.length} finding${findings.length === 1 ? '' : 's'}${errors > 0 ? ` (${errors} error${errors === 1 ? '' : 's'})` : ''}`;
    const port = s.session.port !== null ? `port ${s.session.port} · ` : '';
    return { line: s.session.startLine, title: `${port}${formatNegotiated(summarizeSessionTls(s))} · ${count}` };
  });
}
