/**
 * The lines of a document as offsets into its text, without copying it.
 * Line breaks are LF, CR LF and a lone CR (as in text/lineIndex.ts), so line
 * numbers agree with the editor's.
 */
import { findLineStarts } from '../text/lineIndex';

export class DocumentLines {
  private readonly starts: Int32Array;
  readonly count: number;

  /** `starts`: the text's line starts when the caller has them already (findLineStarts of the same text). */
  constructor(
    readonly text: string,
    starts?: Int32Array,
  ) {
    this.starts = starts ?? findLineStarts(text);
    this.count = this.starts.length;
  }

  /** Offset of the first character of line `i`. */
  start(i: number): number {
    return this.starts[i];
  }

  /** Offset just after the content of line `i` (before its line ending). */
  end(i: number): number {
    if (i + 1 >= this.count) return this.text.length;
    let e = this.starts[i + 1];
    if (e > 0 && this.text.charCodeAt(e - 1) === 10) e--;
    if (e > this.starts[i] && this.text.charCodeAt(e - 1) === 13) e--;
    return e;
  }

  /** The line holding document offset `offset` (binary search, no allocation). */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private headLine = -1;
  private headMax = 0;
  private headText = '';

  /**
   * The first `max` characters of line `i` (without its line ending). The last answer is
   * kept: the readers tried on a line each ask for its head.
   */
  head(i: number, max: number): string {
    if (i === this.headLine && max === this.headMax) return this.headText;
    const s = this.start(i);
    this.headText = this.text.slice(s, Math.min(this.end(i), s + max));
    this.headLine = i;
    this.headMax = max;
    return this.headText;
  }

  /** Content of line `i` without its line ending. */
  content(i: number): string {
    return this.text.slice(this.start(i), this.end(i));
  }

  /** `# text` and a lone `#` are annotations: every reader skips them. */
  isComment(i: number): boolean {
    const s = this.start(i);
    const e = this.end(i);
    if (e === s || this.text.charCodeAt(s) !== 35) return false;
    return e === s + 1 || this.text.charCodeAt(s + 1) === 32;
  }

  /** Whether line `i` holds only spaces and tabs. */
  isBlank(i: number): boolean {
    const e = this.end(i);
    for (let p = this.start(i); p < e; p++) {
      const c = this.text.charCodeAt(p);
      if (c !== 32 && c !== 9) return false;
    }
    return true;
  }

  /** The first line at or after `i` that is not a comment (`count` when none). */
  nextReadable(i: number): number {
    let j = i;
    while (j < this.count && this.isComment(j)) j++;
    return j;
  }
}
