/**
 * Hex dumps with an offset column (FORMATS.md sections 17, 20, 21) and plain lines of
 * space-separated hex bytes (4-space-indented openssl-style lines pasted on their own):
 *   xxd        `00000000: 802b 0103 ...  .+..`
 *   hexdump -C `00000000  80 2b 01 03 ...  |.+..|` then the total length `0000002d`
 *   od -A x -t x1z `000000 80 2b 01 ...  >.+..<` then the total length `00002d`
 * Each contiguous dump becomes one `stream` bytes event; offsets, ASCII column and total
 * length are checked against the bytes.
 */
import { ByteViewBuilder } from '../bytes/byteView';
import type { Direction } from '../model/transcript';
import type { DocumentLines } from './documentLines';
import {
  decodeHexTokens,
  gutterChar,
  hexDigitValue,
  isSpaceOrTab,
  looksLikeByteTokens,
  measureTokens,
  parseHexNumber,
} from './hexTokens';
import type { FormatId, TranscriptBuilder } from './transcriptBuilder';

export type OffsetLayout = 'xxd' | 'hexdump-C' | 'od';

/** Columns of one offset-dump line (document offsets). */
export interface OffsetLine {
  readonly layout: OffsetLayout;
  readonly offsetStart: number;
  readonly offsetEnd: number;
  readonly hexStart: number;
  readonly hexEnd: number;
  /** ASCII column [gutterStart, gutterEnd); -1 when the line has none. */
  readonly gutterStart: number;
  readonly gutterEnd: number;
  /** The gutter has delimiters (`|...|`, `>...<`), so its length must equal the byte count. */
  readonly delimited: boolean;
}

function skipIndent(text: string, p: number, end: number): number {
  while (p < end && isSpaceOrTab(text.charCodeAt(p))) p++;
  return p;
}

function hexRunEnd(text: string, p: number, end: number, max: number): number {
  const limit = Math.min(end, p + max + 1);
  while (p < limit && hexDigitValue(text.charCodeAt(p)) >= 0) p++;
  return p;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && isSpaceOrTab(text.charCodeAt(end - 1))) end--;
  return end;
}

/** Index of the first two consecutive spaces in [p, end), or end. */
function doubleSpace(text: string, p: number, end: number): number {
  for (; p + 1 < end; p++) if (text.charCodeAt(p) === 32 && text.charCodeAt(p + 1) === 32) return p;
  return end;
}

function startsWithPair(text: string, p: number, end: number): boolean {
  return p + 1 < end && hexDigitValue(text.charCodeAt(p)) >= 0 && hexDigitValue(text.charCodeAt(p + 1)) >= 0;
}

/** Matches one line of an xxd, hexdump -C or od dump in text[start, end). */
export function matchOffsetLine(text: string, start: number, end: number): OffsetLine | null {
  const os = skipIndent(text, start, end);
  const oe = hexRunEnd(text, os, end, 16);
  const width = oe - os;
  if (width < 6 || width > 16 || oe >= end) return null;
  const c = text.charCodeAt(oe);
  if (c === 58) {
    // xxd: "00000000: 802b ..."
    if (width < 8 || text.charCodeAt(oe + 1) !== 32 || !startsWithPair(text, oe + 2, end)) return null;
    const hs = oe + 2;
    const he = doubleSpace(text, hs, end);
    const gs = skipTo(text, he, end);
    return { layout: 'xxd', offsetStart: os, offsetEnd: oe, hexStart: hs, hexEnd: he, gutterStart: gs < end ? he : -1, gutterEnd: gs < end ? end : -1, delimited: false };
  }
  if (c !== 32) return null;
  if (text.charCodeAt(oe + 1) === 32) {
    // hexdump -C: "00000000  80 2b ...  |.+..|"
    if (width < 8 || !startsWithPair(text, oe + 2, end)) return null;
    const hs = oe + 2;
    const te = trimEnd(text, hs, end);
    // Searched inside the line only: a document without '|' must not be scanned once per line.
    let pipe = -1;
    for (let p = hs; p < te; p++) {
      if (text.charCodeAt(p) === 124) {
        pipe = p;
        break;
      }
    }
    if (pipe < 0 || pipe >= te - 1 || text.charCodeAt(te - 1) !== 124) return null;
    return { layout: 'hexdump-C', offsetStart: os, offsetEnd: oe, hexStart: hs, hexEnd: trimEnd(text, hs, pipe), gutterStart: pipe + 1, gutterEnd: te - 1, delimited: true };
  }
  // od -A x -t x1z: "000000 80 2b ...  >.+..<"
  const hs = oe + 1;
  if (!startsWithPair(text, hs, end)) return null;
  const te = trimEnd(text, hs, end);
  let he = doubleSpace(text, hs, te);
  let gs = -1;
  let ge = -1;
  if (he < te) {
    const g = skipTo(text, he, te);
    if (text.charCodeAt(g) === 62 && text.charCodeAt(te - 1) === 60 && te - 1 > g) {
      gs = g + 1;
      ge = te - 1;
    } else {
      return null;
    }
  } else {
    he = te;
  }
  return { layout: 'od', offsetStart: os, offsetEnd: oe, hexStart: hs, hexEnd: he, gutterStart: gs, gutterEnd: ge, delimited: gs >= 0 };
}

/** First non-space position at or after p. */
function skipTo(text: string, p: number, end: number): number {
  while (p < end && text.charCodeAt(p) === 32) p++;
  return p;
}

const FORMAT_OF: Record<OffsetLayout, FormatId> = { xxd: 'xxd', 'hexdump-C': 'hexdump-C', od: 'od' };

/** The bytes of the dump being read (reused: readOffsetDump never runs inside itself). */
const DUMP_BYTES = new ByteViewBuilder();

/**
 * The bytes a "*" line stands for: the line before it repeated until the next offset (hexdump(1)
 * without -v, od without -v, xxd -a). Each repeated byte is placed at the "*". False, with nothing
 * added, when they cannot be known (no clean line before, a length that is not whole lines) or
 * would pass the document's allowance for repeated bytes: then they are a gap of that length.
 */
function repeatLine(builder: ByteViewBuilder, line: { start: number; length: number } | null, length: number, at: number, out: TranscriptBuilder): boolean {
  if (!line || line.length === 0 || length % line.length !== 0 || !out.allowRepeatedBytes(length)) return false;
  for (let k = 0; k < length; k++) builder.push(builder.byteAt(line.start + (k % line.length)), at);
  return true;
}

/**
 * Reads the dump starting at line `first` (which matched `layout`); returns the next
 * line to read.
 */
export function readOffsetDump(doc: DocumentLines, first: number, layout: OffsetLayout, direction: Direction | null, out: TranscriptBuilder): number {
  const text = doc.text;
  const builder = DUMP_BYTES;
  builder.reset();
  let runLine = -1;
  let runEnd = -1;
  const emit = (): void => {
    if (runLine >= 0) out.addBytes({ kind: 'bytes', line: runLine, endLine: runEnd, direction, view: builder.build(), layout, role: 'stream' });
    builder.reset();
    runLine = -1;
    lastLine = null;
  };
  let expected = -1;
  /** After a wrong offset: the offset the next line has if lines were really left out. */
  let alternative = -1;
  let offsetWidth = 0;
  let radix = 16;
  let prevClean = true;
  let squeeze: { line: number; start: number; end: number } | null = null;
  /** Where the bytes of the last line read are in the builder (null after a line with bad tokens). */
  let lastLine: { start: number; length: number } | null = null;
  let lines = 0;
  let i = first;
  for (; i < doc.count; i = doc.nextReadable(i + 1)) {
    const s = doc.start(i);
    const e = doc.end(i);
    const m = matchOffsetLine(text, s, e);
    if (!m || m.layout !== layout) {
      const ts = skipIndent(text, s, e);
      const te = trimEnd(text, ts, e);
      if (te === ts + 1 && text.charCodeAt(ts) === 42 && expected >= 0) {
        // "*": hexdump/od (and xxd -a, for lines of zeros) left out lines repeating the one before.
        squeeze = { line: i, start: ts, end: te };
        lines++;
        continue;
      }
      if (layout !== 'xxd' && expected >= 0 && te - ts === offsetWidth && hexRunEnd(text, ts, te, 16) === te) {
        // Total length line.
        const total = parseOffset(text, ts, te, radix);
        if (squeeze && total > expected) {
          if (!repeatLine(builder, lastLine, total - expected, squeeze.start, out)) {
            emit();
            out.add({ kind: 'gap', line: squeeze.line, direction, length: total - expected, span: { start: squeeze.start, end: squeeze.end } });
          }
        } else if (prevClean && !squeeze && total !== expected && total !== alternative) {
          out.report(ts, te, `total length ${text.slice(ts, te)} disagrees with the dump: ${formatOffset(expected, offsetWidth, radix)} expected after the last line`);
        }
        lines++;
        i = doc.nextReadable(i + 1);
      }
      break;
    }
    let offset = parseOffset(text, m.offsetStart, m.offsetEnd, radix);
    let resync = -1;
    if (expected >= 0 && offset !== expected && offset !== alternative) {
      if (offset === 0 && !squeeze) break; // a new dump starts
      if (layout === 'od' && radix === 16 && lines === 1 && isOctal(text, m.offsetStart, m.offsetEnd) && parseOffset(text, m.offsetStart, m.offsetEnd, 8) === expected) {
        radix = 8; // od's default octal offsets
        offset = expected;
      } else if (squeeze && offset > expected) {
        if (!repeatLine(builder, lastLine, offset - expected, squeeze.start, out)) {
          emit();
          out.add({ kind: 'gap', line: squeeze.line, direction, length: offset - expected, span: { start: squeeze.start, end: squeeze.end } });
        }
      } else {
        if (prevClean) {
          out.report(m.offsetStart, m.offsetEnd,
            `offset ${text.slice(m.offsetStart, m.offsetEnd)} does not follow the previous line: expected ${formatOffset(expected, m.offsetEnd - m.offsetStart, radix)}`);
        }
        // Either this offset is a typo (the next line follows the byte count) or lines are
        // missing (the next line follows this one): accept both on the next line.
        resync = offset;
        offset = expected;
      }
    }
    squeeze = null;
    offsetWidth = m.offsetEnd - m.offsetStart;
    const lineStart = builder.length;
    const bad = decodeHexTokens(text, m.hexStart, m.hexEnd, builder, out);
    const lineLength = builder.length - lineStart;
    lastLine = bad === 0 ? { start: lineStart, length: lineLength } : null;
    if (runLine < 0) runLine = i;
    runEnd = i;
    if (bad === 0 && m.gutterStart >= 0) checkGutter(text, m, builder, lineStart, lineLength, out);
    prevClean = bad === 0;
    expected = offset + lineLength;
    alternative = resync >= 0 ? resync + lineLength : -1;
    lines++;
  }
  emit();
  out.vote(FORMAT_OF[layout], lines);
  return i;
}

function isOctal(text: string, start: number, end: number): boolean {
  for (let p = start; p < end; p++) {
    const c = text.charCodeAt(p);
    if (c < 48 || c > 55) return false;
  }
  return true;
}

function parseOffset(text: string, start: number, end: number, radix: number): number {
  if (radix === 16) return parseHexNumber(text, start, end);
  let v = 0;
  for (let p = start; p < end; p++) v = v * 8 + (text.charCodeAt(p) - 48);
  return v;
}

function formatOffset(value: number, width: number, radix: number): string {
  return value.toString(radix).padStart(width, '0');
}

/** Compares the ASCII column with the bytes of its line; reports the first contradiction. */
function checkGutter(text: string, m: OffsetLine, builder: ByteViewBuilder, from: number, count: number, out: TranscriptBuilder): void {
  let gs = m.gutterStart;
  const ge = m.gutterEnd;
  if (!m.delimited) {
    // xxd: the column is the last N characters after at least two spaces; skip when trimmed.
    if (ge - gs < count + 2) return;
    const columnStart = ge - count;
    for (let p = gs; p < columnStart; p++) if (text.charCodeAt(p) !== 32) return;
    gs = columnStart;
  }
  const n = Math.min(ge - gs, count);
  for (let k = 0; k < n; k++) {
    const byte = builder.byteAt(from + k);
    const want = gutterChar(byte);
    const got = text.charCodeAt(gs + k);
    if (got !== want) {
      out.report(gs + k, gs + k + 1,
        `ASCII column shows ${JSON.stringify(text.charAt(gs + k))} for byte ${byte.toString(16).padStart(2, '0')}, which reads ${JSON.stringify(String.fromCharCode(want))}`);
      return;
    }
  }
  if (m.delimited && ge - gs !== count) {
    out.report(gs, ge, `ASCII column has ${ge - gs} characters for ${count} bytes`);
  }
}

/** A line of hex bytes without offset that may start a dump from free text (at least 4 clean byte tokens). */
export function isHexLinesStart(text: string, start: number, end: number): boolean {
  const shape = measureTokens(text, start, end);
  return shape.tokens >= 4 && shape.groups === shape.tokens && shape.firstIsPair;
}

/** Reads consecutive lines of space-separated hex bytes (layout 'hex-lines'); returns the next line. */
export function readHexLines(doc: DocumentLines, first: number, direction: Direction | null, out: TranscriptBuilder): number {
  const text = doc.text;
  const builder = new ByteViewBuilder();
  let i = first;
  let last = first;
  for (; i < doc.count; i = doc.nextReadable(i + 1)) {
    const s = doc.start(i);
    const e = doc.end(i);
    if (i !== first) {
      const shape = measureTokens(text, s, e);
      const clean = shape.tokens >= 1 && shape.groups === shape.tokens && shape.firstIsPair;
      if (!clean && !looksLikeByteTokens(shape, false, 2)) break;
    }
    decodeHexTokens(text, s, e, builder, out);
    last = i;
  }
  out.addBytes({ kind: 'bytes', line: first, endLine: last, direction, view: builder.build(), layout: 'hex-lines', role: 'stream' });
  out.vote('hexstream', last - first + 1);
  return i;
}
