/**
 * Python `repr()` of a str or bytes object (`'ehlo x\r\n'`, `b'250-mx\r\n'`), decoded
 * with the document offset of every character so that each SMTP line keeps its span.
 */

export interface DecodedRepr {
  /** The decoded characters (bytes as latin-1 code points). */
  readonly chars: string;
  /** Document offset where each decoded character's source starts; one more entry for the end. */
  readonly sources: Int32Array;
  /** Whether the closing quote was found. */
  readonly closed: boolean;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const SIMPLE: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** Ruby's String#dump of a binary string: Python's escapes, and `\\e` (ESC) and `\\#` (a `#` before `{`, `$` or `@`). */
export const RUBY_DUMP_ESCAPES: Readonly<Record<string, string>> = { ...SIMPLE, e: '\x1b', '#': '#' };

/**
 * Decodes the literal starting at text[start] (optional b/B prefix, then a quote) up to
 * its closing quote or `end`, with Python's escapes (or `escapes`: Ruby's). Returns null when text[start] does not open a literal.
 */
export function decodePythonRepr(text: string, start: number, end: number, escapes: Readonly<Record<string, string>> = SIMPLE): DecodedRepr | null {
  let p = start;
  if (p < end && (text.charCodeAt(p) === 98 || text.charCodeAt(p) === 66)) p++;
  const quote = text.charCodeAt(p);
  if (p >= end || (quote !== 39 && quote !== 34)) return null;
  p++;
  let chars = '';
  const sources: number[] = [];
  let closed = false;
  while (p < end) {
    const c = text.charCodeAt(p);
    if (c === quote) {
      closed = true;
      break;
    }
    sources.push(p);
    if (c !== 92 || p + 1 >= end) {
      chars += text.charAt(p);
      p++;
      continue;
    }
    const n = text.charAt(p + 1);
    if (n === 'x' && p + 3 < end && hexValue(text.charCodeAt(p + 2)) >= 0 && hexValue(text.charCodeAt(p + 3)) >= 0) {
      chars += String.fromCharCode(hexValue(text.charCodeAt(p + 2)) * 16 + hexValue(text.charCodeAt(p + 3)));
      p += 4;
    } else if (escapes[n] !== undefined) {
      chars += escapes[n];
      p += 2;
    } else {
      chars += '\\';
      p++;
    }
  }
  sources.push(p);
  return { chars, sources: Int32Array.from(sources), closed };
}

/** One line of a decoded literal: its text without the line ending, where it is written, the ending. */
export interface ReprLine {
  readonly content: string;
  readonly span: { readonly start: number; readonly end: number };
  readonly lineEnding: string;
}

/** Splits a decoded literal at its LFs; a CR before the LF belongs to the ending. */
export function splitReprLines(repr: DecodedRepr): ReprLine[] {
  const chars = repr.chars;
  const lines: ReprLine[] = [];
  let from = 0;
  while (from < chars.length) {
    let nl = chars.indexOf('\n', from);
    const complete = nl >= 0;
    if (!complete) nl = chars.length;
    let contentEnd = nl;
    let lineEnding = complete ? '\n' : '';
    if (complete && contentEnd > from && chars.charCodeAt(contentEnd - 1) === 13) {
      contentEnd--;
      lineEnding = '\r\n';
    }
    lines.push({ content: chars.slice(from, contentEnd), span: { start: repr.sources[from], end: repr.sources[contentEnd] }, lineEnding });
    from = complete ? nl + 1 : chars.length;
  }
  return lines;
}
