/**
 * Incremental analysis of large documents for the editor.
 *
 * The document is cut into chunks at visible connection starts (see
 * documentChunks.ts) and each chunk is analysed on its own, as if it were a
 * file of its own. An edit re-reads only the chunks it touches plus one
 * neighbour on each side (a chunk boundary depends on the lines just before and
 * after it), and reuses every other chunk's analysis as it is: chunk-relative
 * positions do not move when text before them changes, so nothing is shifted.
 *
 * Document-wide context is applied over all chunks, exactly as a whole-text
 * analysis applies it: the port directive in force at a chunk's start
 * (`# smtptls-port: N` in an earlier chunk), and suppression comments whose
 * blocks run across chunks. Results are therefore identical to analysing a
 * fresh document cut the same way, whatever the edit history; the tests check
 * that after random edits.
 */
import type { Analysis } from './analyzeDocument';
import { analyzeChunk, shiftDirective } from './chunkAnalysis';
import { findChunkStarts } from './documentChunks';
import { buildSuppressions, type DirectiveComment } from '../rules/directives';
import { applySuppressions } from '../rules/runRules';
import type { AnalysisSettings, Finding } from '../rules/types';

export interface AnalyzedChunk {
  /** Offset of the chunk's first character in the document. */
  readonly start: number;
  /** Document line of the chunk's first line. */
  readonly startLine: number;
  readonly text: string;
  /** Line breaks in `text` (the next chunk starts that many lines later). */
  readonly lineBreaks: number;
  /** Port directive in force at the chunk start, from earlier chunks. */
  readonly inheritedPort: number | null;
  /** The chunk analysed alone; findings unsuppressed, positions chunk-relative. */
  readonly analysis: Analysis;
  /** Suppression comments of the chunk, chunk-relative lines. */
  readonly directives: readonly DirectiveComment[];
  /** Last `# smtptls-port: N` of the chunk, if any. */
  readonly lastPortDirective: number | null;
}

export interface IncrementalOptions {
  /** Only the first `maxChars` characters are analysed (whole chunks); default unlimited. */
  readonly maxChars?: number;
}

function countLineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

/** Splits a region (starting at a line start) into chunk texts. */
function splitRegion(text: string): string[] {
  const starts = findChunkStarts(text);
  const pieces: string[] = [];
  let at = 0;
  for (const s of starts) {
    pieces.push(text.slice(at, s));
    at = s;
  }
  pieces.push(text.slice(at));
  return pieces;
}

export class IncrementalAnalysis {
  private list: AnalyzedChunk[] = [];
  private cachedFindings: Finding[] | null = null;
  private cachedSuppressed: Map<AnalyzedChunk, readonly Finding[]> | null = null;
  private readonly views = new WeakMap<Analysis, Analysis>();
  private analysedChars = 0;
  private totalChars = 0;

  constructor(
    readonly settings: AnalysisSettings,
    private readonly options: IncrementalOptions = {},
  ) {}

  get chunks(): readonly AnalyzedChunk[] {
    return this.list;
  }

  /** True when the document is longer than `maxChars` and its end was not analysed. */
  get truncated(): boolean {
    return this.analysedChars < this.totalChars;
  }

  /** Characters analysed (whole chunks up to maxChars). */
  get analysedLength(): number {
    return this.analysedChars;
  }

  /** Analyses a whole new text (reusing chunks whose text and context did not change). */
  setText(text: string): void {
    const reuse = new Map<string, AnalyzedChunk>();
    for (const c of this.list) reuse.set(`${c.inheritedPort}\u0000${c.text}`, c);
    this.list = [];
    this.rebuild(this.limitText(text), 0, 0, null, reuse);
    this.totalChars = text.length;
  }

  /**
   * Applies an edit: characters [start, end) of the current text are replaced
   * by `insert`. Only the chunks the edit touches and their neighbours are
   * analysed again. `fullText`, the whole text after the edit, is checked
   * against the chunks when given. Returns false when the edit cannot be
   * applied incrementally (it runs past the analysed text, or disagrees with
   * `fullText`); the caller then calls setText with the new text.
   */
  applyEdit(start: number, end: number, insert: string, fullText?: string): boolean {
    if (fullText !== undefined) this.totalChars = fullText.length;
    else this.totalChars += insert.length - (end - start);
    if (this.list.length === 0) return false;
    if (start > this.analysedChars) return true;
    // Chunks the edit touches, plus one neighbour each side.
    const first = Math.max(0, this.indexAt(start) - 1);
    const last = Math.min(this.list.length - 1, this.indexAt(Math.max(start, end - 1)) + 1);
    const regionStart = this.list[first].start;
    const old = this.list.slice(first, last + 1);
    const oldText = old.map((c) => c.text).join('');
    if (end > regionStart + oldText.length) return false;
    const text = oldText.slice(0, start - regionStart) + insert + oldText.slice(end - regionStart);
    if (fullText !== undefined && fullText.slice(regionStart, regionStart + text.length) !== text) return false;
    const reuse = new Map<string, AnalyzedChunk>();
    for (const c of old) reuse.set(`${c.inheritedPort}\u0000${c.text}`, c);
    const tail = this.list.slice(last + 1);
    this.list = this.list.slice(0, first);
    const previous = this.list[this.list.length - 1];
    this.rebuild(text, regionStart, previous ? this.chunkEndLine(previous) : 0, previous ? this.portAfter(previous) : null, reuse);
    // Re-base the chunks after the region; analyse again those whose inherited port changed.
    const delta = insert.length - (end - start);
    for (const c of tail) {
      const prev = this.list[this.list.length - 1];
      const portIn = prev ? this.portAfter(prev) : null;
      const line = prev ? this.chunkEndLine(prev) : 0;
      this.list.push(
        c.inheritedPort === portIn ? { ...c, start: c.start + delta, startLine: line } : this.analyseChunk(c.text, c.start + delta, line, portIn, new Map()),
      );
    }
    this.analysedChars = this.list.length > 0 ? this.chunkEnd(this.list.length - 1) : 0;
    this.invalidate();
    return true;
  }

  /** The chunk containing a document offset (the last chunk for the end of the text). */
  chunkAtOffset(offset: number): AnalyzedChunk | undefined {
    return this.list[this.indexAt(offset)];
  }

  /** The chunk containing a document line. */
  chunkAtLine(line: number): AnalyzedChunk | undefined {
    let lo = 0;
    let hi = this.list.length - 1;
    if (hi < 0) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.list[mid].startLine <= line) lo = mid;
      else hi = mid - 1;
    }
    return this.list[lo];
  }

  /**
   * Findings of the whole document with document offsets, after the
   * document's suppressions; identical to what a whole-text analysis of a
   * document cut into these chunks reports.
   */
  findings(): readonly Finding[] {
    if (this.cachedFindings) return this.cachedFindings;
    const all: Finding[] = [];
    for (const c of this.list) {
      for (const f of c.analysis.findings) all.push(shiftFinding(f, c.start));
    }
    const suppressions = this.suppressions();
    // Without suppressions the chunks' findings, each list sorted and deduplicated, are already in document order.
    this.cachedFindings = suppressions.length === 0 ? all : applySuppressions(all, suppressions, this.settings, (offset) => this.lineAt(offset));
    return this.cachedFindings;
  }

  /** The findings of each chunk after document suppressions, chunk-relative (for per-chunk publishing). */
  findingsByChunk(): Map<AnalyzedChunk, readonly Finding[]> {
    if (this.cachedSuppressed) return this.cachedSuppressed;
    if (!this.list.some((c) => c.directives.length > 0)) {
      // Nothing suppressed anywhere: each chunk reports exactly its own findings.
      this.cachedSuppressed = new Map(this.list.map((c) => [c, c.analysis.findings]));
      return this.cachedSuppressed;
    }
    const map = new Map<AnalyzedChunk, Finding[]>();
    for (const c of this.list) map.set(c, []);
    for (const f of this.findings()) {
      const c = this.chunkAtOffset(f.span.start);
      if (c) map.get(c)!.push(shiftFinding(f, -c.start));
    }
    this.cachedSuppressed = map;
    return map;
  }

  /**
   * The analysis of a chunk as features should see it: positions chunk-relative,
   * findings those the document reports there (after document-wide suppressions).
   * The chunk's own analysis object is returned when no suppression changed it,
   * so per-analysis caches (hover's field index) stay valid across edits elsewhere.
   */
  analysisOf(chunk: AnalyzedChunk): Analysis {
    const findings = this.findingsByChunk().get(chunk) ?? [];
    const own = chunk.analysis.findings;
    if (findings.length === own.length && findings.every((f, i) => f === own[i] || sameFinding(f, own[i]))) return chunk.analysis;
    const cached = this.views.get(chunk.analysis);
    if (cached && cached.findings === findings) return cached;
    const view = { ...chunk.analysis, findings };
    this.views.set(chunk.analysis, view);
    return view;
  }

  /** Document line of a document offset. */
  lineAt(offset: number): number {
    const c = this.chunkAtOffset(offset);
    if (!c) return 0;
    return c.startLine + c.analysis.lines.lineAt(offset - c.start);
  }

  /** Document position of a document offset. */
  positionAt(offset: number): { line: number; character: number } {
    const c = this.chunkAtOffset(offset);
    if (!c) return { line: 0, character: 0 };
    const p = c.analysis.lines.positionAt(offset - c.start);
    return { line: c.startLine + p.line, character: p.character };
  }

  private suppressions() {
    const directives: DirectiveComment[] = [];
    for (const c of this.list) {
      for (const d of c.directives) directives.push(shiftDirective(d, c.start, c.startLine));
    }
    const last = this.list[this.list.length - 1];
    const lineCount = last ? last.startLine + last.analysis.lines.lineCount : 1;
    return buildSuppressions(directives, lineCount);
  }

  private limitText(text: string): string {
    const limit = this.options.maxChars;
    if (limit === undefined || text.length <= limit) return text;
    // Cut at the last chunk start within the limit, else at the last line break.
    const starts = findChunkStarts(text, 0, limit);
    const cut = starts.length > 0 ? starts[starts.length - 1] : text.lastIndexOf('\n', limit) + 1;
    return text.slice(0, cut > 0 ? cut : limit);
  }

  private rebuild(text: string, offset: number, line: number, portIn: number | null, reuse: Map<string, AnalyzedChunk>): void {
    let port = portIn;
    let at = offset;
    let l = line;
    for (const piece of splitRegion(text)) {
      if (piece.length === 0) continue;
      const c = this.analyseChunk(piece, at, l, port, reuse);
      this.list.push(c);
      port = this.portAfter(c);
      at += piece.length;
      l = this.chunkEndLine(c);
    }
    this.analysedChars = at;
    this.invalidate();
  }

  private analyseChunk(text: string, start: number, startLine: number, inheritedPort: number | null, reuse: Map<string, AnalyzedChunk>): AnalyzedChunk {
    const hit = reuse.get(`${inheritedPort}\u0000${text}`);
    if (hit) return { ...hit, start, startLine };
    return { start, startLine, text, lineBreaks: countLineBreaks(text), inheritedPort, ...analyzeChunk(text, this.settings, inheritedPort) };
  }

  private portAfter(c: AnalyzedChunk): number | null {
    return c.lastPortDirective ?? c.inheritedPort;
  }

  private chunkEnd(index: number): number {
    const c = this.list[index];
    return c.start + c.text.length;
  }

  private chunkEndLine(c: AnalyzedChunk): number {
    return c.startLine + c.lineBreaks;
  }

  private indexAt(offset: number): number {
    let lo = 0;
    let hi = this.list.length - 1;
    if (hi < 0) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.list[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private invalidate(): void {
    this.cachedFindings = null;
    this.cachedSuppressed = null;
  }
}

function sameFinding(a: Finding, b: Finding): boolean {
  return a.rule === b.rule && a.severity === b.severity && a.message === b.message && a.span.start === b.span.start && a.span.end === b.span.end;
}

function shiftFinding(f: Finding, delta: number): Finding {
  if (delta === 0) return f;
  return {
    ...f,
    span: { start: f.span.start + delta, end: f.span.end + delta },
    related: f.related?.map((r) => ({ ...r, span: { start: r.span.start + delta, end: r.span.end + delta } })),
  };
}
