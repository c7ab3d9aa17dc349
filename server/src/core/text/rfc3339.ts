/**
 * RFC 3339 date-times (`2026-12-01T00:19:54.809590+00:00`, `2026-11-30T08:13:50Z`, journalctl's `+0000`): what a
 * syslog line starts with (formats/syslogPrefix.ts) and what a `# smtptls-time:` comment holds (rules/directives.ts).
 */

/** A date-time with its offset from UTC (`Z` or `±HH:MM`, `±HHMM`), at the start of the text; any digits of a fraction. */
const DATE_TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?(?:Z|([+-])([0-9]{2}):?([0-9]{2}))/;

/**
 * The RFC 3339 date-time at the start of `text`: ms since the epoch (a fraction finer than ms dropped, a leap second
 * read as :59) and its length. Null without one, without its offset from UTC (a local time says no instant), or
 * with a field out of range (month 13, February 30, hour 24, an offset over 23:59).
 */
export function parseRfc3339(text: string): { time: number; length: number } | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((k) => Number(m[k]));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return null;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  let offset = 0;
  if (m[8] !== undefined) {
    const [h, mm] = [Number(m[9]), Number(m[10])];
    if (h > 23 || mm > 59) return null;
    offset = (m[8] === '-' ? -1 : 1) * (h * 60 + mm);
  }
  const ms = m[7] !== undefined ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  return { time: Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms) - offset * 60_000, length: m[0].length };
}
