/**
 * What the readers of certificates a tool describes in words share (tshark -V's tree,
 * openssl x509 -text's description): the indentation that nests their fields, and times
 * written with a month's name.
 */

/** Spaces at the start of a line: its depth in a tool's tree of fields. */
export function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  return i;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ISO 8601 (UTC, milliseconds 0) of a time given as month name ("Nov"), day, year and "HH", "MM", "SS"; null for an unknown month. */
export function isoFromMonthName(month: string, day: string, year: string, hh: string, mm: string, ss: string): string | null {
  const k = MONTHS.indexOf(month);
  if (k < 0) return null;
  return `${year}-${String(k + 1).padStart(2, '0')}-${day.padStart(2, '0')}T${hh}:${mm}:${ss}.000Z`;
}
