/**
 * The prefix syslog daemons write before a program's message, in the two forms mail logs have:
 *   Nov 30 16:08:19 mx postfix/smtpd[21603]: message        (traditional: Debian 11's rsyslog.conf, journalctl's default)
 *   2026-11-30T16:08:19.123456+00:00 mx sm-mta[864]: message (RFC 3339: rsyslog's own default, which Debian 12 keeps;
 *                                                             journalctl -o short-iso writes 2026-11-30T16:08:19+0000)
 */
import { parseRfc3339 } from '../text/rfc3339';

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

/**
 * When a syslog line (`head`: its first characters) was written, from its RFC 3339 timestamp (rsyslog, `journalctl -o
 * short-iso(-precise)`): ms since the epoch and the timestamp's length. Null for a traditional timestamp (`Nov 30
 * 16:08:19` names no year) or one without its offset from UTC, which do not say when.
 */
export function parseSyslogTime(head: string): { time: number; length: number } | null {
  const t = parseRfc3339(head);
  return t && head.charCodeAt(t.length) === 32 ? t : null;
}
