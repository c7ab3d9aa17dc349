/**
 * `xxd -i` C arrays (FORMATS.md section 19):
 *   unsigned char name[] = {
 *     0x80, 0x2b, ...
 *   };
 *   unsigned int name_len = 45;
 */
import { ByteViewBuilder } from '../bytes/byteView';
import type { Direction } from '../model/transcript';
import type { DocumentLines } from './documentLines';
import { hexDigitValue, isSpaceOrTab, quoteToken } from './hexTokens';
import type { TranscriptBuilder } from './transcriptBuilder';

const HEADER = /^[ \t]*(?:static[ \t]+)?(?:const[ \t]+)?unsigned[ \t]+char[ \t]+([A-Za-z_][A-Za-z0-9_]{0,200})[ \t]*\[[0-9 \t]{0,12}\][ \t]*=[ \t]*\{[ \t]*$/;
const LENGTH = /^[ \t]*(?:static[ \t]+)?(?:const[ \t]+)?unsigned[ \t]+int[ \t]+([A-Za-z_][A-Za-z0-9_]{0,210})[ \t]*=[ \t]*([0-9]{1,12})[ \t]*;/;

/** Whether line text[start, end) opens an `xxd -i` array. */
export function isCArrayStart(text: string, start: number, end: number): boolean {
  return end - start <= 300 && text.charCodeAt(end - 1) !== 0 && HEADER.test(text.slice(start, end));
}

/** Reads an `xxd -i` array from its header line `first`; returns the next line to read. */
export function readCArray(doc: DocumentLines, first: number, direction: Direction | null, out: TranscriptBuilder): number {
  const text = doc.text;
  const name = HEADER.exec(doc.content(first))?.[1] ?? '';
  const builder = new ByteViewBuilder();
  let i = doc.nextReadable(first + 1);
  let last = first;
  let closed = false;
  let bad = 0;
  for (; i < doc.count; i = doc.nextReadable(i + 1)) {
    const s = doc.start(i);
    const e = doc.end(i);
    let p = s;
    while (p < e && isSpaceOrTab(text.charCodeAt(p))) p++;
    if (p < e && text.charCodeAt(p) === 125) {
      closed = true;
      i = doc.nextReadable(i + 1);
      break;
    }
    if (p >= e || !(text.charCodeAt(p) === 48 && (text.charCodeAt(p + 1) | 32) === 120)) break;
    bad += readArrayLine(text, p, e, builder, out);
    last = i;
  }
  const view = builder.build();
  if (closed && i < doc.count) {
    const m = LENGTH.exec(doc.content(i).slice(0, 300));
    if (m && m[1] === `${name}_len`) {
      const numStart = doc.start(i) + m[0].lastIndexOf(m[2]);
      if (bad === 0 && Number(m[2]) !== view.bytes.length) {
        out.report(numStart, numStart + m[2].length, `${m[1]} says ${m[2]} bytes but the array holds ${view.bytes.length}`);
      }
      i = doc.nextReadable(i + 1);
    }
  }
  out.addBytes({ kind: 'bytes', line: first, endLine: last, direction, view, layout: 'xxd-i', role: 'stream' });
  out.vote('hexstream', last - first + 1);
  return i;
}

/** Decodes `0xHH, 0xHH,` items of one line; returns the number of malformed items. */
function readArrayLine(text: string, start: number, end: number, builder: ByteViewBuilder, out: TranscriptBuilder): number {
  let bad = 0;
  let p = start;
  while (p < end) {
    while (p < end && (isSpaceOrTab(text.charCodeAt(p)) || text.charCodeAt(p) === 44)) p++;
    if (p >= end) break;
    const t = p;
    while (p < end && !isSpaceOrTab(text.charCodeAt(p)) && text.charCodeAt(p) !== 44) p++;
    const isHexItem = p - t === 4 && text.charCodeAt(t) === 48 && (text.charCodeAt(t + 1) | 32) === 120 &&
      hexDigitValue(text.charCodeAt(t + 2)) >= 0 && hexDigitValue(text.charCodeAt(t + 3)) >= 0;
    if (isHexItem) {
      builder.push(hexDigitValue(text.charCodeAt(t + 2)) * 16 + hexDigitValue(text.charCodeAt(t + 3)), t + 2);
    } else {
      bad++;
      out.report(t, p, `not a byte of the form 0xHH: ${quoteToken(text, t, p)}`);
    }
  }
  return bad;
}
