/**
 * The hover text for editors that ask for plain text (LSP `hover.contentFormat` without
 * `markdown`: Emacs' Eglot without markdown-mode, for one). The hovers are written in a small
 * part of Markdown, and this turns that part into what a reader would write by hand:
 *
 * - a table becomes aligned `name  value` lines (its empty header and `|:--|` rows dropped);
 * - `**strong**` and `*emphasis*` lose their stars, `` `code` `` its backticks;
 * - `[text](url)` becomes `text <url>`;
 * - a backslash escape becomes its character (`TLS\_RSA` → `TLS_RSA`).
 *
 * One pass over each line, no backtracking: linear in the text.
 */

/** Plain text of the Markdown subset the hovers use. */
export function markdownToPlainText(markdown: string): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    if (!isTableRow(lines[i])) {
      out.push(inlineToPlain(lines[i]));
      i++;
      continue;
    }
    const rows: string[][] = [];
    for (; i < lines.length && isTableRow(lines[i]); i++) {
      const cells = splitCells(lines[i]).map((c) => inlineToPlain(c.trim()));
      if (cells.every((c) => c === '' || /^:?-+:?$/.test(c))) continue; // empty header, alignment row
      rows.push(cells);
    }
    const width = Math.max(0, ...rows.filter((r) => r.length > 1).map((r) => r[0].length));
    for (const r of rows) out.push(r.length > 1 ? `${r[0].padEnd(width)}  ${r.slice(1).join('  ')}`.trimEnd() : r[0]);
  }
  return out.join('\n');
}

function isTableRow(line: string): boolean {
  return line.length > 1 && line.charCodeAt(0) === 0x7c /* | */;
}

/** The cells of `| a | b |`: split at each `|` not escaped by a backslash. */
function splitCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  for (let i = 1; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      cell += c + line[i + 1];
      i++;
    } else if (c === '|') {
      cells.push(cell);
      cell = '';
    } else {
      cell += c;
    }
  }
  if (cell.trim() !== '') cells.push(cell);
  return cells;
}

/** One line's inline Markdown as plain text. */
function inlineToPlain(s: string): string {
  let out = '';
  // The next "]" at or after i, found again only once i has passed it: each character is looked at
  // a bounded number of times, whatever the brackets.
  let nextClose = -2;
  let nextOpen = -2;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length && isAsciiPunctuation(s.charCodeAt(i + 1))) {
      out += s[++i];
    } else if (c === '`') {
      const close = s.indexOf('`', i + 1);
      if (close < 0) {
        out += s.slice(i);
        break;
      }
      out += s.slice(i + 1, close).replace(/\\\|/g, '|');
      i = close;
    } else if (c === '*') {
      // Emphasis markers are dropped; an escaped star came through the first branch.
    } else if (c === '[') {
      if (nextClose < i) nextClose = s.indexOf(']', i + 1);
      if (nextOpen <= i) nextOpen = s.indexOf('[', i + 1);
      // A link's text holds no "[": this one opens a link only if no other "[" comes before the "]".
      const link = nextClose > i && (nextOpen < 0 || nextOpen > nextClose) ? readLink(s, i, nextClose) : null;
      if (link) {
        out += `${inlineToPlain(link.text)} <${link.url}>`;
        i = link.end - 1;
      } else {
        out += c;
      }
    } else {
      out += c;
    }
  }
  return out;
}

/** `[text](url)` from the "[" at `at` to the "]" at `close`: a url without spaces. */
function readLink(s: string, at: number, close: number): { text: string; url: string; end: number } | null {
  if (s.charCodeAt(close + 1) !== 0x28 /* ( */) return null;
  const text = s.slice(at + 1, close);
  let end = close + 2;
  while (end < s.length && s[end] !== ')' && s[end] !== ' ') end++;
  if (end >= s.length || s[end] !== ')' || end === close + 2) return null;
  return { text, url: s.slice(close + 2, end), end: end + 1 };
}

function isAsciiPunctuation(code: number): boolean {
  return (code >= 0x21 && code <= 0x2f) || (code >= 0x3a && code <= 0x40) || (code >= 0x5b && code <= 0x60) || (code >= 0x7b && code <= 0x7e);
}
