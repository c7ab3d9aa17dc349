/**
 * The prefix syslog daemons write before a program's message, in the two forms mail logs have:
 *   Nov 30 16:08:19 mx postfix/smtpd[21603]: message        (traditional: Debian 11's rsyslog.conf, journalctl's default)
 *   2026-11-30T16:08:19.123456+00:00 mx sm-mta[864]: message (RFC 3339: rsyslog's own default, which Debian 12 keeps;
 *                                                             journalctl -o short-iso writes 2026-11-30T16:08:19+0000)
 */

/** `Mon DD HH:MM:SS host prog[pid]: ` or an RFC 3339 timestamp; captures the program and PID. */
const SYSLOG_PREFIX = /^(?:[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{8,20}(?:Z|[+-][0-9]{2}:?[0-9]{2})?) [^ ]{1,255} ([A-Za-z0-9_./-]{1,100})\[([0-9]{1,10})\]: /;

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** Whether the line at text[s] may start with a syslog prefix ("Mmm " or "YYYY-"): checked by character before the pattern runs. */
export function maySyslogLine(text: string, s: number): boolean {
  const c = text.charCodeAt(s);
  if (c < 48 || (c > 57 && (c < 65 || c > 90))) return false;
  return c <= 57 ? text.charCodeAt(s + 4) === 45 : isLower(text.charCodeAt(s + 1)) && isLower(text.charCodeAt(s + 2)) && text.charCodeAt(s + 3) === 32;
}

/** A line's syslog prefix (`head`: its first characters, starting at document offset `s`): the program, its PID, where the message starts. */
export function matchSyslogProcess(head: string, s: number): { program: string; pid: string; messageStart: number } | null {
  const m = SYSLOG_PREFIX.exec(head);
  return m ? { program: m[1], pid: m[2], messageStart: s + m[0].length } : null;
}

/** An RFC 3339 timestamp with its offset from UTC at the start of a line, as rsyslog and `journalctl -o short-iso(-precise)` write it. */
const RFC3339_TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?(?:Z|([+-])([0-9]{2}):?([0-9]{2})) /;

/**
 * When a syslog line (`head`: its first characters) was written, from its RFC 3339 timestamp: ms since the epoch and
 * the timestamp's length. Null for a traditional timestamp (`Nov 30 16:08:19` names no year) or one without its
 * offset from UTC, which do not say when.
 */
export function parseSyslogTime(head: string): { time: number; length: number } | null {
  const m = RFC3339_TIME.exec(head);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((k) => Number(m[k]));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const ms = m[7] !== undefined ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const offset = m[8] !== undefined ? (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10])) : 0;
  if (m[8] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return null;
  return { time: Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms) - offset * 60_000, length: m[0].length - 1 };
}
