/**
 * Which server port a session talked to. Severity of some rules depends on it
 * (25: relay with opportunistic TLS; 587/465: submission, RFC 8314). Sources,
 * strongest first: the capture itself (session.port), a directive comment
 * `# smtptls-port: 587` above or inside the session, the `port` setting.
 */
import type { AnalyzedSession } from '../analysis/analyzeDocument';
import type { LineIndex } from '../text/lineIndex';
import { findPortDirectives, type PortDirective } from './directives';
import type { AnalysisSettings } from './types';
import { firstNotBefore } from './sites';

/** The directive in force for a session: the last one at or before the session's last line (`directives` in document order). */
export function selectDirectivePort(directives: readonly PortDirective[], session: AnalyzedSession): number | null {
  const k = firstNotBefore(directives.length, (i) => directives[i].line <= session.session.endLine) - 1;
  return k >= 0 ? directives[k].port : null;
}

export function resolveSessionPort(session: AnalyzedSession, directives: readonly PortDirective[], settings: AnalysisSettings): number | null {
  return session.session.port ?? selectDirectivePort(directives, session) ?? settings.port ?? null;
}

/**
 * The port of every session of an analysed document, as the rules see it: what the
 * decoded-model exports show, so that `decode` and `check` never disagree.
 */
export function resolveSessionPorts(analysis: {
  readonly text: string;
  readonly lines: LineIndex;
  readonly sessions: readonly AnalyzedSession[];
  readonly settings: AnalysisSettings;
}): (number | null)[] {
  const directives = analysis.text.includes('smtptls-port') ? findPortDirectives(analysis.text, analysis.lines) : [];
  return analysis.sessions.map((s) => resolveSessionPort(s, directives, analysis.settings));
}

/** RFC 8314 §3: submission ports (465 implicit TLS, 587 STARTTLS). */
export function isSubmissionPort(port: number | null): boolean {
  return port === 465 || port === 587;
}
