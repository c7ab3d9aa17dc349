/**
 * The hex column of one dump line read at the positions its layout puts bytes:
 *   openssl -debug   `0000 - 16 03 01 01 24 01 00 01-20 03 ...`  (`-` after the 8th byte)
 *   postfix level 3  `0000 16 03 01 00 63 ...|...`               (`|` after the 8th byte)
 *   tshark -x        `0000  00 00 00 ...`                         (single spaces)
 *   tshark follow    `00000000  32 32 30 20 6d 78 2e 66  65 ...`  (two spaces after the 8th)
 *   tcpdump -X       `\t0x0000:  4500 003c ...`                   (2-byte groups)
 * Reading at fixed positions keeps an ASCII gutter from being taken for bytes and
 * notices a line that other output was written into (stdout and stderr interleaved
 * mid-line: `... 66 9250-mx.feas.test`).
 */
import type { ByteSink } from './hexTokens';
import { hexDigitValue } from './hexTokens';

export interface ColumnLayout {
  /** Most bytes one line holds. */
  readonly bytesPerLine: number;
  /** Column of byte k relative to the first byte. */
  position(k: number): number;
  /** What may follow byte k: a separator character, or '' when the next byte follows directly. */
  after(k: number): string;
}

/** Bytes at a stride of three characters, `mid` after the eighth byte (' ', '-', '|'), `gap` extra columns after it. */
export function spacedLayout(mid: string, gap: number): ColumnLayout {
  return {
    bytesPerLine: 16,
    position: (k) => 3 * k + (k >= 8 ? gap : 0),
    after: (k) => (k === 7 ? mid : ' '),
  };
}

/** tcpdump's eight 2-byte groups separated by one space. */
export const GROUPED_LAYOUT: ColumnLayout = {
  bytesPerLine: 16,
  position: (k) => 5 * (k >> 1) + 2 * (k & 1),
  after: (k) => (k & 1 ? ' ' : ''),
};

export interface ColumnRead {
  readonly count: number;
  /**
   * Where the column was cut by foreign text (a lone hex digit, or a pair not followed
   * by its separator), else -1. The bytes before it are kept.
   */
  readonly brokenAt: number;
}

function isHex(text: string, p: number): boolean {
  return hexDigitValue(text.charCodeAt(p)) >= 0;
}

/**
 * Reads up to `max` bytes from the column starting at `start` (the first byte's first
 * digit) and ending at `end` (the line end).
 */
export function readFixedColumns(text: string, start: number, end: number, layout: ColumnLayout, max: number, onByte: ByteSink): ColumnRead {
  const limit = Math.min(max, layout.bytesPerLine);
  for (let k = 0; k < limit; k++) {
    const p = start + layout.position(k);
    if (p >= end) return { count: k, brokenAt: -1 };
    const hi = isHex(text, p);
    const lo = p + 1 < end && isHex(text, p + 1);
    if (!hi) return { count: k, brokenAt: text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9 ? -1 : p };
    if (!lo) return { count: k, brokenAt: p };
    const q = p + 2;
    const sep = layout.after(k);
    let ok: boolean;
    if (q >= end) ok = true;
    else if (sep === '') ok = isHex(text, q) || text.charCodeAt(q) === 32;
    else ok = text.charAt(q) === sep || (k === limit - 1 && text.charCodeAt(q) === 32) || (sep !== ' ' && text.charCodeAt(q) === 32);
    if (!ok) return { count: k, brokenAt: p };
    onByte(hexDigitValue(text.charCodeAt(p)) * 16 + hexDigitValue(text.charCodeAt(p + 1)), p);
    if (q >= end) return { count: k + 1, brokenAt: -1 };
  }
  return { count: limit, brokenAt: -1 };
}

/** Whether text[p, p+n) are all hex digits (inside `end`). */
export function isHexRun(text: string, p: number, n: number, end: number): boolean {
  if (p + n > end) return false;
  for (let k = 0; k < n; k++) if (!isHex(text, p + k)) return false;
  return true;
}
