/**
 * Hex-digit primitives shared by every dump layout: decoding whitespace-separated
 * hex tokens with exact source offsets and reporting malformed tokens.
 */
import { ByteViewBuilder } from '../bytes/byteView';

/** Where readers report malformed dump text (document offsets). */
export interface ProblemSink {
  report(start: number, end: number, message: string): void;
}

/** Receives one decoded byte and the document offset of its first hex digit. */
export type ByteSink = (byte: number, offset: number) => void;

/** Where decoded bytes go: a sink, or a view builder (pushed to directly, without a closure call per byte). */
export type ByteTarget = ByteSink | ByteViewBuilder;

/** Value of each hex digit by character code below 128; -1 for every other character. */
const HEX_VALUE = Int8Array.from({ length: 128 }, (_, c) => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1));

export function hexDigitValue(c: number): number {
  return c < 128 ? HEX_VALUE[c] : -1;
}

export function isSpaceOrTab(c: number): boolean {
  return c === 32 || c === 9;
}

/** Whether text[start, end) is non-empty and all hex digits. */
export function isAllHex(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let p = start; p < end; p++) if (hexDigitValue(text.charCodeAt(p)) < 0) return false;
  return true;
}

/** Value of the hex digits text[start, end) (at most 13 digits are exact). */
export function parseHexNumber(text: string, start: number, end: number): number {
  let v = 0;
  for (let p = start; p < end; p++) v = v * 16 + hexDigitValue(text.charCodeAt(p));
  return v;
}

/** Shortens token text for a message. */
export function quoteToken(text: string, start: number, end: number): string {
  const s = end - start > 24 ? text.slice(start, start + 24) + '…' : text.slice(start, end);
  return JSON.stringify(s);
}

/**
 * Decodes one token text[start, end) written as hex pairs ("16", "802b").
 * Returns the number of problems reported (0 or 1): an odd number of digits, or
 * non-hex characters (the bad pairs are reported as one span, good pairs still decode).
 */
export function decodeHexToken(text: string, start: number, end: number, onByte: ByteTarget, problems: ProblemSink): number {
  const len = end - start;
  if (len % 2 === 1) {
    if (isAllHex(text, start, end)) {
      problems.report(start, end, `odd number of hex digits: ${quoteToken(text, start, end)} (${len} digits)`);
    } else {
      problems.report(start, end, `not a hex byte: ${quoteToken(text, start, end)}`);
    }
    return 1;
  }
  let badStart = -1;
  let badEnd = -1;
  const builder = onByte instanceof ByteViewBuilder ? onByte : null;
  for (let p = start; p < end; p += 2) {
    const hi = hexDigitValue(text.charCodeAt(p));
    const lo = hexDigitValue(text.charCodeAt(p + 1));
    if (hi < 0 || lo < 0) {
      if (badStart < 0) badStart = p;
      badEnd = p + 2;
    } else if (builder) {
      builder.push(hi * 16 + lo, p);
    } else {
      (onByte as ByteSink)(hi * 16 + lo, p);
    }
  }
  if (badStart >= 0) {
    problems.report(badStart, badEnd, `not a hex byte: ${quoteToken(text, badStart, badEnd)}`);
    return 1;
  }
  return 0;
}

/**
 * Decodes the space/tab-separated hex tokens of text[start, end).
 * Returns the number of malformed tokens (each reported once).
 */
export function decodeHexTokens(text: string, start: number, end: number, onByte: ByteTarget, problems: ProblemSink): number {
  let bad = 0;
  const builder = onByte instanceof ByteViewBuilder ? onByte : null;
  let p = start;
  while (p < end) {
    while (p < end && isSpaceOrTab(text.charCodeAt(p))) p++;
    if (p >= end) break;
    const t = p;
    while (p < end && !isSpaceOrTab(text.charCodeAt(p))) p++;
    if (builder && p - t === 2) {
      // The common token, one clean hex pair, decoded here (what decodeHexToken does for it).
      const hi = hexDigitValue(text.charCodeAt(t));
      const lo = hexDigitValue(text.charCodeAt(t + 1));
      if (hi >= 0 && lo >= 0) {
        builder.push(hi * 16 + lo, t);
        continue;
      }
    }
    bad += decodeHexToken(text, t, p, onByte, problems);
  }
  return bad;
}

/** Token statistics of a line, used to tell byte lines from prose. */
export interface TokenShape {
  /** Tokens in the range. */
  readonly tokens: number;
  /** Tokens that are exactly two hex digits. */
  readonly pairs: number;
  /** Tokens that are an even number (2..8) of hex digits. */
  readonly groups: number;
  /** Longest token. */
  readonly longest: number;
  /** Whether the first token is exactly two hex digits. */
  readonly firstIsPair: boolean;
}

export function measureTokens(text: string, start: number, end: number): TokenShape {
  let tokens = 0;
  let pairs = 0;
  let groups = 0;
  let longest = 0;
  let firstIsPair = false;
  let p = start;
  while (p < end) {
    while (p < end && isSpaceOrTab(text.charCodeAt(p))) p++;
    if (p >= end) break;
    const t = p;
    let hex = true;
    while (p < end) {
      const c = text.charCodeAt(p);
      if (isSpaceOrTab(c)) break;
      if (hex && hexDigitValue(c) < 0) hex = false;
      p++;
    }
    const len = p - t;
    if (len > longest) longest = len;
    const isPair = hex && len === 2;
    if (tokens === 0) firstIsPair = isPair;
    tokens++;
    if (isPair) pairs++;
    if (hex && len % 2 === 0 && len <= 8) groups++;
  }
  return { tokens, pairs, groups, longest, firstIsPair };
}

/**
 * A line of hex byte tokens, possibly with a few malformed ones: first token a hex
 * pair, every token short, at least half of them valid pairs. `strict` (used to
 * start a region from free text) wants every token a valid pair and at least `minTokens`.
 */
export function looksLikeByteTokens(shape: TokenShape, strict: boolean, minTokens: number): boolean {
  if (shape.tokens < minTokens || !shape.firstIsPair) return false;
  if (strict) return shape.pairs === shape.tokens;
  return shape.longest <= 3 && shape.pairs * 2 >= shape.tokens;
}

/** The character xxd, hexdump -C and od show for a byte in their ASCII column. */
export function gutterChar(byte: number): number {
  return byte >= 0x20 && byte <= 0x7e ? byte : 0x2e;
}
