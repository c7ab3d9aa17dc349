/**
 * Hover on a session's time: s_client's `Start Time: 1796027343`, tshark -V's `Epoch Time:` of a
 * connection's first frame, the RFC 3339 timestamp of a session's first syslog line and a `# smtptls-time:`
 * comment say when the session took place, and the certificates are judged valid or not at that time.
 */
import type { Analysis } from '../analysis/analyzeDocument';
import { findTimeDirectives } from '../rules/directives';
import { LineIndex } from '../text/lineIndex';
import { refRfc } from './references';
import type { PlacedNote } from './smtpNotes';

export type SessionTimeNote = PlacedNote;

const JUDGED = 'Each certificate the session shows is judged valid or not at this time (`tls-certificate-expired`).';

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The note for the session time under `offset`, or null. */
export function describeSessionTimeAt(analysis: Analysis, offset: number): SessionTimeNote | null {
  const line = analysis.lines.lineAt(offset);
  const start = analysis.lines.lineStart(line);
  const end = analysis.lines.lineEnd(line);
  const text = analysis.text.slice(start, Math.min(end, start + 200));
  const refs = [refRfc(5280, '6.1.3')];
  if (text.includes('smtptls-time')) {
    const [d] = findTimeDirectives(text, new LineIndex(text));
    if (d && offset >= start && offset < end) {
      return {
        span: { start: start + d.span.start, end: start + d.span.end },
        title: `When the sessions below took place: ${utc(d.time)}`,
        about:
          'A `# smtptls-time:` comment (RFC 3339, in UTC or with its offset): `smtptls import` writes one per session from its first frame, and a reviewer may write one above a log. ' +
          `It holds for the sessions up to the next such comment, unless the tool states its own time. ${JUDGED}`,
        refs,
      };
    }
  }
  // A syslog line's RFC 3339 timestamp starts it: `2026-12-01T00:19:54.809590+00:00 mx postfix/...`.
  const logTime = text.charCodeAt(4) === 45 && offset - start < 40;
  if (!logTime && !text.includes('Start Time:') && !text.includes('Epoch ')) return null;
  for (const s of analysis.sessions) {
    if (line < s.session.startLine || line > s.session.endLine) continue;
    for (const e of s.session.events) {
      if (e.kind !== 'note' || e.note !== 'session-time' || e.time === undefined || e.line !== line) continue;
      if (offset < e.span.start || offset >= e.span.end) continue;
      if (e.fromLogLine) {
        return {
          span: e.span,
          title: `When the session started: ${utc(e.time)}`,
          about:
            "The timestamp of the session's first line in the log, with its offset from UTC (RFC 3339: rsyslog's default format since Debian 12, " +
            '`journalctl -o short-iso`). A traditional syslog timestamp (`Dec  1 00:19:54`) names no year and dates nothing; ' +
            `a \`# smtptls-time:\` comment above such a log does. ${JUDGED}`,
          refs,
        };
      }
      if (e.text.startsWith('Epoch ')) {
        return {
          span: e.span,
          title: `When the session started: ${utc(e.time)}`,
          about: `tshark -V's time of the connection's first frame shown here, in seconds since 1970-01-01 UTC: the capture's clock. ${JUDGED}`,
          refs,
        };
      }
      return {
        span: e.span,
        title: `When the TLS session started: ${utc(e.time)}`,
        about: `openssl s_client's session block states the session's start in seconds since 1970-01-01 UTC. ${JUDGED}`,
        refs,
      };
    }
  }
  return null;
}
