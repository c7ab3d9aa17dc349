/**
 * A check of a document that arrives in pieces (a file read block by block, a
 * capture imported connection by connection), in memory bounded by the largest
 * chunk plus the findings.
 *
 * The text is cut into chunks where documentChunks.ts cuts it; each chunk is
 * analysed as soon as the next one visibly starts (chunkAnalysis.ts, with the
 * port directive in force at its start), and only its findings are kept, located
 * (document lines and characters, and for SARIF the text around them) while the
 * chunk is still there. Suppression comments are applied over the whole document
 * at the end, exactly as the editor's incremental analyser applies them, so the
 * findings are the ones a whole-text analysis reports.
 */
import { analyzeChunk, shiftDirective } from './chunkAnalysis';
import { ChunkStartScanner } from './documentChunks';
import { buildSuppressions, type DirectiveComment } from '../rules/directives';
import { applySuppressions } from '../rules/runRules';
import type { AnalysisSettings, Finding } from '../rules/types';
import type { TextSpan } from '../model/transcript';
import type { Range } from '../text/lineIndex';
import { countSeverities, createTextLocator, type FindingLocator, type SeverityCounts, type SpanText } from '../export/checkReport';
import { collectCredentialSecrets, createSecretsRedactor, type Redactor } from '../export/redact';

export interface ChunkedCheckOptions {
  /** Keep the text around each finding (SARIF snippets and fingerprints); positions only otherwise. */
  readonly keepText?: boolean;
}

/** A span of a chunk with its chunk-relative range, and its text when kept. */
export interface LocatedSpan {
  readonly start: number;
  readonly end: number;
  readonly range: Range;
  readonly text: SpanText | null;
}

/**
 * What a chunk contributes to a check, chunk-relative, as plain data that shares no memory
 * with the chunk's text (so it can outlive the text).
 */
export interface ChunkFindings {
  readonly length: number;
  readonly lineCount: number;
  /** Findings of the chunk alone, unsuppressed. */
  readonly findings: readonly Finding[];
  /** Every span of the findings, their related locations and the directives, located. */
  readonly spans: readonly LocatedSpan[];
  readonly directives: readonly DirectiveComment[];
  readonly lastPortDirective: number | null;
  readonly secrets: readonly string[];
}

export interface ChunkedCheckResult {
  /** Every finding after the document's suppressions, document offsets, in document order. */
  readonly findings: readonly Finding[];
  readonly counts: SeverityCounts;
  /** Positions (and, with keepText, text) of the findings' spans and related spans. */
  readonly locate: FindingLocator;
  /** Scrubs the credentials of every chunk (export/redact.ts). */
  readonly redact: Redactor;
  /** Chunks analysed, and the characters and lines read. */
  readonly chunks: number;
  readonly length: number;
  readonly lineCount: number;
}

interface Located {
  readonly range: Range;
  readonly text: SpanText | null;
}

/**
 * A copy of a string that shares no memory with the text it was cut from: V8 keeps a
 * slice (and a concatenation holding one) pointing into its parent, which would keep
 * every analysed chunk alive through the findings quoting it.
 */
function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

function detachText(t: SpanText): SpanText {
  return { snippet: detach(t.snippet), context: detach(t.context), covered: t.covered.map(detach) };
}

function spanKey(span: TextSpan): string {
  return `${span.start}:${span.end}`;
}

/** Offset just after the last line break of `text` that is surely complete (a \r at the very end may be half of \r\n). */
function completeLinesEnd(text: string): number {
  const lf = text.lastIndexOf('\n');
  const cr = text.lastIndexOf('\r');
  if (cr > lf && cr < text.length - 1) return cr + 1;
  return lf + 1;
}

/** Analyses one chunk (given the port directive in force at its start) and keeps what a check reports. */
export function checkChunk(text: string, settings: AnalysisSettings, inheritedPort: number | null, keepText: boolean): ChunkFindings {
  const { analysis, directives, lastPortDirective } = analyzeChunk(text, settings, inheritedPort);
  const local = createTextLocator(text, analysis.lines);
  const spans: LocatedSpan[] = [];
  const seen = new Set<string>();
  const locate = (span: TextSpan): TextSpan => {
    const key = spanKey(span);
    if (!seen.has(key)) {
      seen.add(key);
      spans.push({ start: span.start, end: span.end, range: local.rangeOf(span), text: keepText ? detachText(local.textOf(span)) : null });
    }
    return { start: span.start, end: span.end };
  };
  const findings = analysis.findings.map(
    (f): Finding => ({
      rule: f.rule,
      severity: f.severity,
      message: detach(f.message),
      span: locate(f.span),
      ...(f.related ? { related: f.related.map((r) => ({ span: locate(r.span), message: detach(r.message) })) } : {}),
    }),
  );
  return {
    length: text.length,
    lineCount: analysis.lines.lineCount,
    findings,
    spans,
    directives: directives.map((d) => {
      locate(d.span);
      return { ...d, ids: d.ids.map(detach), reason: detach(d.reason), span: { start: d.span.start, end: d.span.end } };
    }),
    lastPortDirective,
    secrets: collectCredentialSecrets(analysis).map(detach),
  };
}

export class ChunkedCheck {
  private readonly scanner = new ChunkStartScanner(0);
  /** Text of the current chunk already scanned, in pieces; `scan` is the rest, from a line start. */
  private head: string[] = [];
  private scan = '';
  /** Document offset of scan[0]. */
  private scanBase = 0;
  /** Document offset and line of the current chunk's start. */
  private offset = 0;
  private line = 0;
  private port: number | null = null;
  private chunkCount = 0;
  private readonly findings: Finding[] = [];
  private readonly located = new Map<string, Located>();
  private readonly directives: DirectiveComment[] = [];
  private readonly secrets = new Set<string>();
  private ended = false;

  constructor(
    readonly settings: AnalysisSettings,
    private readonly options: ChunkedCheckOptions = {},
  ) {}

  /** Appends text; analyses every chunk the text shows to be complete. */
  push(text: string): void {
    if (this.ended) throw new Error('ChunkedCheck: push after end');
    if (text.length === 0) return;
    this.scan += text;
    // Only a piece with a line break can complete a line, hence a chunk start.
    if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) return;
    this.scanLines(completeLinesEnd(this.scan), false);
  }

  /** Analyses the rest and applies the document's suppressions. */
  end(): ChunkedCheckResult {
    if (!this.ended) {
      this.ended = true;
      this.scanLines(this.scan.length, true);
      this.analyse(this.head.join(''));
      this.head = [];
    }
    // The last chunk ends on document line `this.line`.
    const suppressions = buildSuppressions(this.directives, this.line + 1);
    let findings = this.findings;
    if (suppressions.length > 0) {
      // Suppressions ask for the line where each finding starts; every finding's span was located.
      const lines = new Map<number, number>();
      for (const f of findings) lines.set(f.span.start, this.located.get(spanKey(f.span))!.range.start.line);
      findings = applySuppressions(findings, suppressions, this.settings, (offset) => lines.get(offset) ?? 0);
    }
    return {
      findings,
      counts: countSeverities(findings),
      locate: this.locator(),
      redact: createSecretsRedactor([...this.secrets]),
      chunks: this.chunkCount,
      length: this.offset,
      lineCount: this.line + 1,
    };
  }

  /** Scans the lines of scan[0, end) once, then cuts and analyses the chunks that start in them. */
  private scanLines(end: number, final: boolean): void {
    const starts = this.scanner.scan(this.scan, 0, end, this.scanBase, final);
    this.head.push(this.scan.slice(0, end));
    this.scan = this.scan.slice(end);
    this.scanBase += end;
    for (const start of starts) {
      // A start may lie in text scanned earlier (a header of comment lines before the greeting).
      const text = this.head.join('');
      const cut = start - this.offset;
      this.head = [text.slice(cut)];
      this.analyse(text.slice(0, cut));
    }
  }

  private analyse(text: string): void {
    if (text.length > 0) this.add(checkChunk(text, this.settings, this.port, this.options.keepText === true));
  }

  /** Appends a chunk's findings at the current document position. */
  private add(c: ChunkFindings): void {
    const offset = this.offset;
    const line = this.line;
    const shift = (span: TextSpan): TextSpan => ({ start: span.start + offset, end: span.end + offset });
    for (const l of c.spans) {
      const key = `${l.start + offset}:${l.end + offset}`;
      if (this.located.has(key)) continue;
      // A chunk starts at a line start: only lines move.
      const r = l.range;
      this.located.set(key, { range: { start: { line: r.start.line + line, character: r.start.character }, end: { line: r.end.line + line, character: r.end.character } }, text: l.text });
    }
    for (const f of c.findings) {
      this.findings.push({ ...f, span: shift(f.span), ...(f.related ? { related: f.related.map((r) => ({ span: shift(r.span), message: r.message })) } : {}) });
    }
    for (const d of c.directives) this.directives.push(shiftDirective(d, offset, line));
    for (const s of c.secrets) this.secrets.add(s);
    this.port = c.lastPortDirective ?? this.port;
    this.chunkCount++;
    this.offset += c.length;
    this.line += c.lineCount - 1;
  }

  private locator(): FindingLocator {
    const get = (span: TextSpan): Located => {
      const hit = this.located.get(spanKey(span));
      if (!hit) throw new Error(`ChunkedCheck: span ${spanKey(span)} was not located`);
      return hit;
    };
    return {
      rangeOf: (span) => get(span).range,
      textOf(span) {
        const t = get(span).text;
        if (!t) throw new Error('ChunkedCheck: text around findings was not kept (keepText)');
        return t;
      },
    };
  }
}

/** A whole text checked chunk by chunk (the same findings as pushing it in pieces). */
export function checkInChunks(text: string, settings: AnalysisSettings, options: ChunkedCheckOptions = {}): ChunkedCheckResult {
  const check = new ChunkedCheck(settings, options);
  check.push(text);
  return check.end();
}
