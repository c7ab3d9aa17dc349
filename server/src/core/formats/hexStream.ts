/**
 * Plain hex streams (FORMATS.md section 18): `xxd -p` (60 hex digits per line) and one-line
 * streams such as `tshark -T fields -e tcp.payload` / Wireshark "Copy as Hex Stream".
 * Consecutive lines of hex digits form one `stream` bytes event.
 */
import { ByteViewBuilder } from '../bytes/byteView';
import type { Direction } from '../model/transcript';
import type { DocumentLines } from './documentLines';
import { decodeHexToken, hexDigitValue, isSpaceOrTab } from './hexTokens';
import type { TranscriptBuilder } from './transcriptBuilder';

/** Fewest hex digits a lone line needs to be taken for a stream (dates and numbers are shorter). */
export const MIN_STREAM_START_DIGITS = 10;

interface StreamLine {
  readonly start: number;
  readonly end: number;
  /** Characters that are not hex digits. */
  readonly nonHex: number;
  readonly hasDigit: boolean;
}

/** The token of a line made of one run of non-blank characters (surrounding blanks allowed). */
function measureStreamLine(text: string, s: number, e: number): StreamLine | null {
  let p = s;
  while (p < e && isSpaceOrTab(text.charCodeAt(p))) p++;
  let q = e;
  while (q > p && isSpaceOrTab(text.charCodeAt(q - 1))) q--;
  if (q <= p) return null;
  let nonHex = 0;
  let hasDigit = false;
  for (let k = p; k < q; k++) {
    const c = text.charCodeAt(k);
    if (isSpaceOrTab(c)) return null;
    if (hexDigitValue(c) < 0) nonHex++;
    else if (c <= 57) hasDigit = true;
  }
  return { start: p, end: q, nonHex, hasDigit };
}

/** Whether a line may start a hex stream: only hex digits, enough of them, some decimal digit. */
export function isHexStreamStart(text: string, start: number, end: number): boolean {
  const m = measureStreamLine(text, start, end);
  return m !== null && m.nonHex === 0 && m.hasDigit && m.end - m.start >= MIN_STREAM_START_DIGITS;
}

/** Reads consecutive hex-stream lines from `first`; returns the next line to read. */
export function readHexStream(doc: DocumentLines, first: number, direction: Direction | null, out: TranscriptBuilder): number {
  const text = doc.text;
  const builder = new ByteViewBuilder();
  let i = first;
  let last = first;
  for (; i < doc.count; i = doc.nextReadable(i + 1)) {
    const m = measureStreamLine(text, doc.start(i), doc.end(i));
    if (!m) break;
    const len = m.end - m.start;
    // A continuation line may carry a few malformed characters; it is reported, not dropped.
    if (i !== first && m.nonHex > 0 && (len < 8 || m.nonHex * 16 > len)) break;
    decodeStream(text, m.start, m.end, builder, out);
    last = i;
  }
  out.addBytes({ kind: 'bytes', line: first, endLine: last, direction, view: builder.build(), layout: 'hexstream', role: 'stream' });
  out.vote('hexstream', last - first + 1);
  return i;
}

function decodeStream(text: string, start: number, end: number, builder: ByteViewBuilder, out: TranscriptBuilder): void {
  const len = end - start;
  const even = start + len - (len % 2);
  decodeHexToken(text, start, even, builder, out);
  if (even < end) {
    const c = text.charCodeAt(even);
    out.report(even, end, hexDigitValue(c) >= 0
      ? `odd number of hex digits: ${len} on this line, the last digit ${JSON.stringify(text.charAt(even))} has no pair`
      : `not a hex digit: ${JSON.stringify(text.charAt(even))}`);
  }
}
