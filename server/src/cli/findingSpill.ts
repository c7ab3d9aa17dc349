/**
 * Where `check` keeps located findings between the analysis and the report, so that
 * memory does not grow with their number.
 *
 * The report cannot be written while the inputs are analysed: credentials found late
 * in a file are scrubbed from everything reported for it (export/redact.ts), and the
 * SARIF log states the exit code before its results. So each finding, with its spans
 * located (and, for SARIF, the text around them), is written as one line of JSON:
 * kept in memory up to a few megabytes, then appended to a temporary file that is
 * unlinked as soon as it is open (POSIX; elsewhere removed on close) and encrypted
 * (AES-256-CTR, key and IV in memory only), since findings may quote credentials.
 * The report reads the lines back in order, a batch at a time.
 */
import { createCipheriv, createDecipheriv, randomBytes, type Cipher, type Decipher } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createSpanLocator, spanKey, type Located } from '../core/analysis/chunkedCheck';
import type { FindingLocator, SpanText } from '../core/export/checkReport';
import type { TextSpan } from '../core/model/transcript';
import type { Finding, Severity } from '../core/rules/types';
import { InputError, describeError } from './inputs';

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

/** Characters kept in memory before they go to the file; bytes read back per block. */
const MEMORY_CHARS = 4 << 20;
const READ_BLOCK = 1 << 20;

export class FindingSpill {
  /** Records added so far (the number of the next one). */
  count = 0;
  private pending: string[] = [];
  private pendingChars = 0;
  private file: { fd: number; cipher: Cipher; key: Buffer; iv: Buffer; bytes: number; leftover: string | null } | null = null;

  constructor(
    private readonly memoryChars: number = MEMORY_CHARS,
    private readonly tmpdir: string = os.tmpdir(),
  ) {}

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
    if (!this.file) return;
    const { fd, leftover } = this.file;
    this.file = null;
    fs.closeSync(fd);
    if (leftover) fs.rmSync(leftover, { recursive: true, force: true });
  }

  private flush(): void {
    const text = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    const file = this.file ?? (this.file = this.open());
    const bytes = file.cipher.update(Buffer.from(text, 'utf8'));
    try {
      for (let at = 0; at < bytes.length; ) at += fs.writeSync(file.fd, bytes, at, bytes.length - at, file.bytes + at);
    } catch (err) {
      throw new InputError(`cannot write a temporary file: ${describeError(err)}`);
    }
    file.bytes += bytes.length;
  }

  private open(): NonNullable<FindingSpill['file']> {
    let dir: string;
    let fd: number;
    try {
      dir = fs.mkdtempSync(path.join(this.tmpdir, 'smtptls-check-'));
      const name = path.join(dir, 'findings');
      fd = fs.openSync(name, 'wx+', 0o600);
    } catch (err) {
      throw new InputError(`cannot create a temporary file in ${this.tmpdir}: ${describeError(err)}`);
    }
    let leftover: string | null = dir;
    try {
      fs.unlinkSync(path.join(dir, 'findings'));
      fs.rmdirSync(dir);
      leftover = null;
    } catch {
      // An open file cannot be removed here (Windows): close() removes it.
    }
    const key = randomBytes(32);
    const iv = randomBytes(16);
    return { fd, cipher: createCipheriv('aes-256-ctr', key, iv), key, iv, bytes: 0, leftover };
  }

  /** The lines of the file, decrypted, in order. */
  private readFile(take: (line: string) => void): void {
    const file = this.file;
    if (!file) return;
    const decipher: Decipher = createDecipheriv('aes-256-ctr', file.key, file.iv);
    const decoder = new StringDecoder('utf8');
    const buf = Buffer.allocUnsafe(READ_BLOCK);
    let rest = '';
    for (let position = 0; position < file.bytes; ) {
      let n: number;
      try {
        n = fs.readSync(file.fd, buf, 0, Math.min(buf.length, file.bytes - position), position);
      } catch (err) {
        throw new InputError(`cannot read a temporary file: ${describeError(err)}`);
      }
      if (n === 0) throw new InputError('cannot read a temporary file: it is shorter than written');
      position += n;
      const text = rest + decoder.write(decipher.update(buf.subarray(0, n)));
      let from = 0;
      for (let lf = text.indexOf('\n'); lf >= 0; lf = text.indexOf('\n', from)) {
        take(text.slice(from, lf));
        from = lf + 1;
      }
      rest = text.slice(from);
    }
  }
}
