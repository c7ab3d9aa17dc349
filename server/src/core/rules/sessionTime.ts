/**
 * When a session took place, for judging certificates at that time: what the tool states
 * (s_client's `Start Time:` in its session block), the RFC 3339 timestamp of its first line in a syslog log, or a `# smtptls-time:` comment (a capture
 * import writes one per session from its first frame; a user may write one above a log), the
 * last one at or before the session's last line, or, in a chunk analysed alone, the one in force
 * from the chunks before (settings.time). Null when nothing says.
 */
import type { AnalyzedSession } from '../analysis/analyzeDocument';
import type { TextSpan } from '../model/transcript';
import type { TimeDirective } from './directives';
import { firstNotBefore } from './sites';

export interface SessionTime {
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** 'tool': as the tool states it; 'log': the timestamp of the session's first log line; 'comment': a `# smtptls-time:` line. */
  readonly source: 'tool' | 'log' | 'comment';
  /** Where the tool states it (a comment, which may lie in another chunk, is not pointed at). */
  readonly span: TextSpan | null;
}

export function resolveSessionTime(session: AnalyzedSession, directives: readonly TimeDirective[], inherited: number | null = null): SessionTime | null {
  for (const e of session.session.events) {
    if (e.kind === 'note' && e.note === 'session-time' && e.time !== undefined) return { time: e.time, source: e.fromLogLine ? 'log' : 'tool', span: e.span };
  }
  // The directives are in document order: the last one at or before the session's last line.
  const k = firstNotBefore(directives.length, (i) => directives[i].line <= session.session.endLine) - 1;
  if (k >= 0) return { time: directives[k].time, source: 'comment', span: null };
  return inherited !== null ? { time: inherited, source: 'comment', span: null } : null;
}
