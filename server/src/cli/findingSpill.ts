/**
 * Where `check` keeps located findings between the analysis and the report, so that
 * memory does not grow with their number.
 *
 * The report cannot be written while the inputs are analysed: credentials found late
 * in a file are scrubbed from everything reported for it (export/redact.ts), and the
 * SARIF log states the exit code before its results. So each finding, with its spans
 * located (and, for SARIF, the text around them), is written as one line of JSON:
 * kept in memory up to a few megabytes, then appended to an encrypted temporary file
 * (encryptedSpool.ts), since findings may quote credentials. The report reads the
 * lines back in order, a batch at a time.
 */
import * as os from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { createSpanLocator, spanKey, type Located } from '../core/analysis/chunkedCheck';
import type { FindingLocator, SpanText } from '../core/export/checkReport';
import type { TextSpan } from '../core/model/transcript';
import type { Finding, Severity } from '../core/rules/types';
import { EncryptedSpool } from './encryptedSpool';

/** The records of one checked file: `count` records from record number `first`. */
export interface SpillSegment {
  readonly first: number;
  readonly count: number;
}

export interface SpillVisitor {
  beginSegment(index: number): void;
  /** The next findings of the segment, in the order they were added, and where their spans are. */
  batch(findings: readonly Finding[], locate: FindingLocator): void;
  endSegment(index: number): void;
}

/** A span: start, end, range (4 numbers), and its text ([snippet, context, covered]) or 0. */
type SpanRecord = [number, number, number, number, number, number, [string, string, string[]] | 0];
/** rule, severity, message, span start and end, related ([start, end, message]) or 0, located spans. */
type FindingRecord = [string, Severity, string, number, number, [number, number, string][] | 0, SpanRecord[]];

/** Characters kept in memory before they go to the file. */
const MEMORY_CHARS = 4 << 20;

export class FindingSpill {
  /** Records added so far (the number of the next one). */
  count = 0;
  private pending: string[] = [];
  private pendingChars = 0;
  private readonly spool: EncryptedSpool;

  constructor(
    private readonly memoryChars: number = MEMORY_CHARS,
    tmpdir: string = os.tmpdir(),
  ) {
    this.spool = new EncryptedSpool(tmpdir);
  }

  /** Appends findings with their located spans (and the spans' text, when the locator kept it and `keepText`). */
  add(findings: readonly Finding[], locate: FindingLocator, keepText: boolean): void {
    for (const f of findings) {
      const spans = f.related ? [f.span, ...f.related.map((r) => r.span)] : [f.span];
      const located = spans.map((s): SpanRecord => {
        const r = locate.rangeOf(s);
        const t: SpanText | null = keepText ? locate.textOf(s) : null;
        return [s.start, s.end, r.start.line, r.start.character, r.end.line, r.end.character, t ? [t.snippet, t.context, [...t.covered]] : 0];
      });
      const record: FindingRecord = [f.rule, f.severity, f.message, f.span.start, f.span.end, f.related ? f.related.map((r) => [r.span.start, r.span.end, r.message]) : 0, located];
      const line = JSON.stringify(record) + '\n';
      this.pending.push(line);
      this.pendingChars += line.length;
      this.count++;
      if (this.pendingChars >= this.memoryChars) this.flush();
    }
  }

  /** Reads the records back in order: the segments' records, in batches of at most `batchSize`; others are skipped. */
  replay(segments: readonly SpillSegment[], visitor: SpillVisitor, batchSize = 256): void {
    let index = 0;
    let seg = 0;
    let batch: Finding[] = [];
    let located = new Map<string, Located>();
    const flushBatch = (): void => {
      if (batch.length === 0) return;
      visitor.batch(batch, createSpanLocator(located));
      batch = [];
      located = new Map();
    };
    let begun = false;
    const begin = (): void => {
      if (!begun) visitor.beginSegment(seg);
      begun = true;
    };
    // Ends every segment that ends before record `n` (empty ones begun and ended in their place).
    const endBefore = (n: number): void => {
      while (seg < segments.length && segments[seg].first + segments[seg].count <= n) {
        begin();
        flushBatch();
        visitor.endSegment(seg++);
        begun = false;
      }
    };
    const take = (line: string): void => {
      endBefore(index);
      const s = segments[seg];
      if (s && index >= s.first) {
        begin();
        const r = JSON.parse(line) as FindingRecord;
        const span = (start: number, end: number): TextSpan => ({ start, end });
        batch.push({
          rule: r[0],
          severity: r[1],
          message: r[2],
          span: span(r[3], r[4]),
          ...(r[5] ? { related: r[5].map(([start, end, message]) => ({ span: span(start, end), message })) } : {}),
        });
        for (const [start, end, sl, sc, el, ec, t] of r[6]) {
          located.set(spanKey({ start, end }), {
            range: { start: { line: sl, character: sc }, end: { line: el, character: ec } },
            text: t ? { snippet: t[0], context: t[1], covered: t[2] } : null,
          });
        }
        if (batch.length >= batchSize) flushBatch();
      }
      index++;
    };
    this.readFile(take);
    for (const line of this.pending) take(line.slice(0, -1));
    endBefore(Number.MAX_SAFE_INTEGER);
  }

  /** Closes (and, where it could not be unlinked when opened, removes) the temporary file. */
  close(): void {
    this.spool.close();
  }

  private flush(): void {
    const text = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    this.spool.append(Buffer.from(text, 'utf8'));
  }

  /** The lines of the file, in order. */
  private readFile(take: (line: string) => void): void {
    const decoder = new StringDecoder('utf8');
    let rest = '';
    this.spool.read((block) => {
      const text = rest + decoder.write(block);
      let from = 0;
      for (let lf = text.indexOf('\n'); lf >= 0; lf = text.indexOf('\n', from)) {
        take(text.slice(from, lf));
        from = lf + 1;
      }
      rest = text.slice(from);
    });
  }
}
