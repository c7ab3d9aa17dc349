/**
 * The prefix syslog daemons write before a program's message, in the two forms mail logs have:
 *   Nov 30 16:08:19 mx postfix/smtpd[21603]: message        (traditional; rsyslog's default on Debian 12)
 *   2026-11-30T16:08:19.123456+00:00 mx sm-mta[864]: message (RFC 3339; rsyslog's high-precision format)
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
