/**
 * Incremental analysis of large documents for the editor.
 *
 * The document is cut into chunks at visible connection starts (see
 * documentChunks.ts) and each chunk is analysed on its own, as if it were a
 * file of its own. An edit re-cuts the chunks it touches plus one neighbour on
 * each side (most chunk boundaries depend on the lines just before and after
 * them), then scans on into the chunks after them until the scan starts a chunk
 * where an old chunk starts (a postfix quiet point and a forced cut depend on
 * all the text since the chunk's start, so an edit may move cuts far after it):
 * the chunks are always those findChunkStarts gives for the whole new text.
 * Every other chunk is reused as it is: chunk-relative positions do not move
 * when text before them changes, so nothing is shifted.
 *
 * The chunks are the document: their texts joined (plus the part past
 * `maxChars`, kept as text only) are the whole text, and positions map to
 * offsets through each chunk's line index, so an edit never copies the whole
 * text. Cutting is cheap text work; the analysis of a chunk runs when a result
 * is first asked for. What stays in memory per chunk is small (findings, line
 * starts, session count, and whatever `digest` keeps); the full analysis (every
 * byte's document offset, the decoded field trees) is kept only for the
 * `keepAnalyses` chunks used last, and made again on demand (about a
 * millisecond for one session).
 *
 * Document-wide context is applied over all chunks, exactly as a whole-text
 * analysis applies it: the port directive in force at a chunk's start
 * (`# smtptls-port: N` in an earlier chunk), what a chunk after a forced cut
 * continues (chunkContinuation.ts: the session, maybe its message text), and
 * suppression comments whose blocks run across chunks. Results are therefore identical to analysing a
 * fresh document cut the same way, whatever the edit history and whichever
 * analyses were dropped; the tests check both.
 */
import { analyzeDocument, type Analysis } from './analyzeDocument';
import { ChunkStartScanner, findChunkStarts } from './documentChunks';
import { buildSuppressions, listDirectiveComments, type DirectiveComment } from '../rules/directives';
import { inForceAfter, inheritedSettings, NOTHING_IN_FORCE, sameInForce, shiftDirective, type InForce } from './chunkAnalysis';
import { continuationAfter, type Continuation } from './chunkContinuation';
import { applySuppressions } from '../rules/runRules';
import type { AnalysisSettings, Finding } from '../rules/types';
import { LineIndex, type Position } from '../text/lineIndex';

/** What is kept of a chunk's analysis once the analysis itself is dropped. */
export interface ChunkSummary {
  /** Findings of the chunk analysed alone (before document suppressions), chunk-relative. */
  readonly findings: readonly Finding[];
  readonly sessionCount: number;
  /** What `IncrementalOptions.digest` made of the full analysis (undefined without one). */
  readonly digest: unknown;
}

/**
 * A chunk's text and what follows from it alone; shared by every placement of
 * the chunk (an edit before it moves the chunk, not this).
 */
export interface ChunkContent {
  readonly text: string;
  /** The port and time directives in force at the chunk start, from earlier chunks. */
  readonly inForce: InForce;
  /** What the chunk continues when the chunk before it ends at a forced cut (chunkContinuation.ts). */
  readonly continues: Continuation | null;
  /** What the chunk after it continues (null unless this chunk ends at a forced cut). */
  readonly continuesAfter: Continuation | null;
  readonly lines: LineIndex;
  /** Line breaks in `text` (the next chunk starts that many lines later). */
  readonly lineBreaks: number;
  /** Suppression comments of the chunk, chunk-relative lines. */
  readonly directives: readonly DirectiveComment[];
  /** The port and time directives in force after the chunk: its own last ones, else those at its start. */
  readonly inForceAfter: InForce;
  /** Set by the first analysis; kept when the analysis is dropped. */
  summary: ChunkSummary | null;
}

export interface AnalyzedChunk {
  /** Offset of the chunk's first character in the document. */
  readonly start: number;
  /** Document line of the chunk's first line. */
  readonly startLine: number;
  readonly text: string;
  readonly lineBreaks: number;
  readonly inForce: InForce;
  readonly content: ChunkContent;
}

export interface IncrementalOptions {
  /** Only the first `maxChars` characters are analysed (whole chunks); default unlimited. */
  readonly maxChars?: number;
  /** Full analyses kept in memory (the chunks used last); default 32. */
  readonly keepAnalyses?: number;
  /**
   * Called with each fresh chunk analysis (findings unsuppressed); its result is kept
   * in the chunk's summary, for results that must not need the analysis again.
   */
  readonly digest?: (analysis: Analysis) => unknown;
  /** Distance of a forced cut (documentChunks.ts MAX_CHUNK_CHARS; smaller only in tests). */
  readonly chunkLimit?: number;
}

const DEFAULT_KEPT_ANALYSES = 32;

/** Splits a region's text (starting at document offset `offset`) at chunk starts (document offsets, ascending). */
function splitRegion(text: string, offset: number, starts: readonly number[]): string[] {
  const pieces: string[] = [];
  let at = 0;
  for (const s of starts) {
    pieces.push(text.slice(at, s - offset));
    at = s - offset;
  }
  pieces.push(text.slice(at));
  return pieces;
}

/**
 * How much of a chunk's text the scan reads at a time past an edited region (whole lines).
 * The next chunk start is usually decided by its first line, or by the greeting after a few
 * comment lines, so the first piece is all an ordinary edit reads.
 */
const LOOK_AHEAD = 1024;

function pieceEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from + LOOK_AHEAD);
  return i < 0 ? text.length : i + 1;
}

const contentKey = (inForce: InForce, continues: Continuation | null, text: string): string => `${inForce.port}\u0000${inForce.time}\u0000${inForce.policy}\u0000${continues}\u0000${text}`;
const keyOf = (c: AnalyzedChunk): string => contentKey(c.inForce, c.content.continues, c.text);

export class IncrementalAnalysis {
  private list: AnalyzedChunk[] = [];
  private cachedFindings: Finding[] | null = null;
  private cachedSuppressed: Map<ChunkContent, readonly Finding[]> | null = null;
  private anyDirectives: boolean | null = null;
  private readonly views = new WeakMap<Analysis, Analysis>();
  /** Full analyses of the chunks used last, least recently used first. */
  private readonly kept = new Map<ChunkContent, Analysis>();
  private analysedChars = 0;
  /** The text past `maxChars`, not analysed, and where it starts. */
  private tail = '';
  private tailLines: LineIndex | null = null;
  private tailLine = 0;
  private tailColumn = 0;
  private analysesRun = 0;

  constructor(
    readonly settings: AnalysisSettings,
    private readonly options: IncrementalOptions = {},
  ) {}

  get chunks(): readonly AnalyzedChunk[] {
    return this.list;
  }

  /** True when the document is longer than `maxChars` and its end was not analysed. */
  get truncated(): boolean {
    return this.tail.length > 0;
  }

  /** Characters analysed (whole chunks up to maxChars). */
  get analysedLength(): number {
    return this.analysedChars;
  }

  /** Length of the whole text, analysed or not. */
  get length(): number {
    return this.analysedChars + this.tail.length;
  }

  /** Chunk analyses run so far (first analyses and analyses made again after being dropped). */
  get analysisCount(): number {
    return this.analysesRun;
  }

  /** Full analyses currently held. */
  get keptAnalysisCount(): number {
    return this.kept.size;
  }

  /**
   * Whether the readers of any chunk found an SMTP session or TLS bytes (analysing chunks that
   * never were): false for a text of which nothing was read, where no finding means nothing was
   * checked rather than a clean session. Stops at the first chunk that read something.
   */
  readsAnything(): boolean {
    return this.list.some((c) => this.summaryOf(c).sessionCount > 0);
  }

  /** The whole text (joins every chunk: for a re-read, not for every edit). */
  getText(): string {
    return this.list.map((c) => c.text).join('') + this.tail;
  }

  /** Takes a whole new text (reusing chunks whose text and context did not change). */
  setText(text: string): void {
    const reuse = new Map<string, ChunkContent>();
    for (const c of this.list) reuse.set(keyOf(c), c.content);
    this.list = [];
    const analysed = this.limitText(text);
    this.rebuild(analysed, 0, findChunkStarts(analysed, 0, analysed.length, this.options.chunkLimit), 0, NOTHING_IN_FORCE, null, reuse);
    this.setTail(text.slice(analysed.length));
  }

  /**
   * Applies an edit: characters [start, end) of the current text are replaced
   * by `insert`. Only the chunks the edit touches and their neighbours are cut
   * again. `fullText`, the whole text after the edit, is checked against the
   * chunks when given. Returns false when the edit cannot be applied
   * incrementally (it spans the end of the analysed text, or disagrees with
   * `fullText`); the caller then calls setText with the new text.
   */
  applyEdit(start: number, end: number, insert: string, fullText?: string): boolean {
    if (start < 0 || end < start || end > this.length) return false;
    if (this.list.length === 0) {
      // Nothing analysed: the document is all tail (or empty, where a re-read is as cheap).
      if (this.tail.length === 0) return false;
      this.setTail(this.tail.slice(0, start) + insert + this.tail.slice(end));
      return fullText === undefined || fullText === this.getText();
    }
    if (start >= this.analysedChars && this.tail.length > 0) {
      const at = start - this.analysedChars;
      this.setTail(this.tail.slice(0, at) + insert + this.tail.slice(end - this.analysedChars));
      return true;
    }
    // Chunks the edit touches, plus one neighbour each side.
    const first = Math.max(0, this.indexAt(start) - 1);
    const last = Math.min(this.list.length - 1, this.indexAt(Math.max(start, end - 1)) + 1);
    const regionStart = this.list[first].start;
    const old = this.list.slice(first, last + 1);
    const oldText = old.map((c) => c.text).join('');
    if (end > regionStart + oldText.length) return false;
    const text = oldText.slice(0, start - regionStart) + insert + oldText.slice(end - regionStart);
    if (fullText !== undefined && fullText.slice(regionStart, regionStart + text.length) !== text) return false;
    const reuse = new Map<string, ChunkContent>();
    for (const c of old) reuse.set(keyOf(c), c.content);
    const region = this.recut(text, regionStart, last + 1, reuse);
    const tail = this.list.slice(region.next);
    this.list = this.list.slice(0, first);
    const previous = this.list[this.list.length - 1];
    this.rebuild(
      region.text,
      regionStart,
      region.starts,
      previous ? this.chunkEndLine(previous) : 0,
      previous ? previous.content.inForceAfter : NOTHING_IN_FORCE,
      previous ? previous.content.continuesAfter : null,
      reuse,
    );
    // Re-base the chunks after the region; cut again (for a new analysis) those whose inherited port, time or continuation changed.
    const delta = insert.length - (end - start);
    for (const c of tail) {
      const prev = this.list[this.list.length - 1];
      const inForce = prev ? prev.content.inForceAfter : NOTHING_IN_FORCE;
      const continues = prev ? prev.content.continuesAfter : null;
      const line = prev ? this.chunkEndLine(prev) : 0;
      const same = sameInForce(c.inForce, inForce) && c.content.continues === continues;
      const content = same ? c.content : this.makeContent(c.text, inForce, continues, new Map());
      this.list.push(place(content, c.start + delta, line));
    }
    this.analysedChars = this.list.length > 0 ? this.chunkEnd(this.list.length - 1) : 0;
    this.placeTail();
    this.invalidate();
    return true;
  }

  /**
   * Cuts an edited region into chunks: `text` starts at `regionStart`, a chunk start the edit
   * left in place, and ends where the old chunk `next` starts. A quiet point of a postfix log
   * and a forced cut depend on all the text since the chunk's start, so the scan goes on into
   * the chunks after the region until it starts a chunk where an old chunk starts: from there
   * on text and scanner are as before the edit, and so are the cuts. Every chunk it passes
   * joins the region. Returns the grown region, its chunk starts (document offsets, as
   * findChunkStarts over the whole new text gives them) and the index of the first old chunk
   * kept. Usually the first line or few of the next chunk decide.
   */
  private recut(text: string, regionStart: number, next: number, reuse: Map<string, ChunkContent>): { text: string; starts: number[]; next: number } {
    const take = (): string => {
      const c = this.list[next++];
      reuse.set(keyOf(c), c.content);
      return c.text;
    };
    let region = text;
    // A CR ending the region and a LF starting the next chunk are one line break now: no chunk starts between them.
    while (next < this.list.length && region.endsWith('\r') && this.list[next].text.startsWith('\n')) region += take();
    const pieces = [region];
    let length = region.length;
    const scanner = new ChunkStartScanner(regionStart, this.options.chunkLimit);
    const starts = scanner.scan(region, 0, region.length, regionStart, next === this.list.length);
    while (next < this.list.length) {
      const chunk = this.list[next];
      // Where the old chunk starts in the new text.
      const at = regionStart + length;
      const final = next === this.list.length - 1;
      let passed = false;
      for (let pos = 0; pos < chunk.text.length; ) {
        const to = pieceEnd(chunk.text, pos);
        for (const s of scanner.scan(chunk.text, pos, to, at, final && to === chunk.text.length)) {
          if (s === at && !passed) return { text: pieces.length === 1 ? pieces[0] : pieces.join(''), starts, next };
          if (s > at) passed = true;
          starts.push(s);
        }
        pos = to;
      }
      const taken = take();
      pieces.push(taken);
      length += taken.length;
    }
    return { text: pieces.length === 1 ? pieces[0] : pieces.join(''), starts, next };
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

  /** What is kept of a chunk's analysis (analysing the chunk if it never was). */
  summaryOf(chunk: AnalyzedChunk): ChunkSummary {
    // Not kept: a pass over every chunk (the first diagnostics of a document) holds one analysis at a time.
    return chunk.content.summary ?? (this.analyse(chunk.content, false), chunk.content.summary!);
  }

  /**
   * Findings of the whole document with document offsets, after the
   * document's suppressions; identical to what a whole-text analysis of a
   * document cut into these chunks reports.
   */
  findings(): readonly Finding[] {
    return (this.cachedFindings ??= this.findingsOfChunks(this.list));
  }

  /**
   * The findings of the first `count` chunks (document offsets) after the suppression comments
   * those chunks hold: what the whole document reports there, since a suppression acts only on
   * lines after it (the next line, or from its `disable` to its `enable`). Analyses those chunks
   * if needed, none after them: a first part of a document's diagnostics while the rest waits.
   */
  prefixFindings(count: number): Finding[] {
    return this.findingsOfChunks(this.list.slice(0, Math.max(0, count)));
  }

  /** The findings of consecutive chunks from the first, document offsets, after the suppression comments they hold. */
  private findingsOfChunks(chunks: readonly AnalyzedChunk[]): Finding[] {
    const all: Finding[] = [];
    for (const c of chunks) {
      for (const f of this.summaryOf(c).findings) all.push(shiftFinding(f, c.start));
    }
    const suppressions = this.suppressionsOf(chunks);
    // Without suppressions the chunks' findings, each list sorted and deduplicated, are already in document order.
    return suppressions.length === 0 ? all : applySuppressions(all, suppressions, this.settings, (offset) => this.lineAt(offset));
  }

  /**
   * The findings the document reports in a chunk, after document suppressions,
   * chunk-relative. The very array of the chunk's summary when no suppression
   * changed it (callers may cache on its identity).
   */
  findingsOf(chunk: AnalyzedChunk): readonly Finding[] {
    const own = this.summaryOf(chunk).findings;
    this.anyDirectives ??= this.list.some((c) => c.content.directives.length > 0);
    if (!this.anyDirectives) return own;
    return this.suppressedByChunk().get(chunk.content) ?? own;
  }

  /**
   * The analysis of a chunk as features should see it: positions chunk-relative,
   * findings those the document reports there (after document-wide suppressions).
   * Made again when it was dropped; the same object while it is kept, so
   * per-analysis caches (hover's field index) stay valid across edits elsewhere.
   */
  analysisOf(chunk: AnalyzedChunk): Analysis {
    const full = this.fullAnalysis(chunk.content);
    const findings = this.findingsOf(chunk);
    if (findings === full.findings || findings === chunk.content.summary?.findings) return full;
    const cached = this.views.get(full);
    if (cached && cached.findings === findings) return cached;
    const view = { ...full, findings };
    this.views.set(full, view);
    return view;
  }

  /** Document line of a document offset. */
  lineAt(offset: number): number {
    return this.positionAt(offset).line;
  }

  /** Document position of a document offset (clamped to the text). */
  positionAt(offset: number): Position {
    if (this.tailLines && offset > this.analysedChars) {
      const p = this.tailLines.positionAt(offset - this.analysedChars);
      return { line: this.tailLine + p.line, character: p.line === 0 ? p.character + this.tailColumn : p.character };
    }
    const c = this.chunkAtOffset(offset);
    if (!c) return { line: 0, character: 0 };
    const p = c.content.lines.positionAt(offset - c.start);
    return { line: c.startLine + p.line, character: p.character };
  }

  /** Document offset of a position, as an editor's text document computes it (clamped to the line and the text). */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (this.tailLines && position.line >= this.tailLine) {
      const line = position.line - this.tailLine;
      if (line >= this.tailLines.lineCount) return this.length;
      const character = line === 0 ? position.character - this.tailColumn : position.character;
      // The tail's first line may begin in the last chunk (a cut inside a line).
      if (line === 0 && character < 0) return this.offsetInChunks({ line: position.line, character: position.character });
      return this.analysedChars + this.tailLines.offsetAt({ line, character });
    }
    return this.offsetInChunks(position);
  }

  /** Document lines: line breaks plus one. */
  get lineCount(): number {
    if (this.tailLines) return this.tailLine + this.tailLines.lineCount;
    const last = this.list[this.list.length - 1];
    return last ? last.startLine + last.content.lines.lineCount : 1;
  }

  private offsetInChunks(position: Position): number {
    const c = this.chunkAtLine(position.line);
    if (!c) return 0;
    const local = position.line - c.startLine;
    if (local >= c.content.lines.lineCount) return this.length;
    return c.start + c.content.lines.offsetAt({ line: local, character: position.character });
  }

  /** The full analysis of a chunk's content: kept, or made again (and kept, dropping the least recently used). */
  private fullAnalysis(content: ChunkContent): Analysis {
    const kept = this.kept.get(content);
    if (kept) {
      this.kept.delete(content);
      this.kept.set(content, kept);
      return kept;
    }
    return this.analyse(content);
  }

  private analyse(content: ChunkContent, keep = true): Analysis {
    // The port directive in force at the chunk start stands in for the `port` setting, which ranks
    // just below directives (rules/portContext.ts): the same port a whole-text analysis selects.
    const settings = inheritedSettings(this.settings, content.inForce);
    const analysis = analyzeDocument(content.text, settings, {
      suppress: false,
      continues: content.continues,
      endsAtCut: content.continuesAfter !== null,
    });
    this.analysesRun++;
    if (content.summary) {
      // Made again after being dropped: the same text and settings give the same findings; keep
      // the summary's array so that caches keyed on it stay valid.
      const again: Analysis = { ...analysis, findings: content.summary.findings };
      if (keep) this.keep(content, again);
      return again;
    }
    content.summary = {
      findings: analysis.findings,
      sessionCount: analysis.sessions.length,
      digest: this.options.digest ? this.options.digest(analysis) : undefined,
    };
    if (keep) this.keep(content, analysis);
    return analysis;
  }

  private keep(content: ChunkContent, analysis: Analysis): void {
    this.kept.set(content, analysis);
    const limit = Math.max(1, this.options.keepAnalyses ?? DEFAULT_KEPT_ANALYSES);
    while (this.kept.size > limit) this.kept.delete(this.kept.keys().next().value!);
  }

  /** The findings of each chunk after document suppressions, chunk-relative. */
  private suppressedByChunk(): Map<ChunkContent, readonly Finding[]> {
    if (this.cachedSuppressed) return this.cachedSuppressed;
    const map = new Map<ChunkContent, Finding[]>();
    for (const c of this.list) map.set(c.content, []);
    for (const f of this.findings()) {
      const c = this.chunkAtOffset(f.span.start);
      if (c) map.get(c.content)!.push(shiftFinding(f, -c.start));
    }
    // A chunk whose findings the suppressions left as they were keeps its own array.
    for (const c of this.list) {
      const own = this.summaryOf(c).findings;
      const mine = map.get(c.content)!;
      if (mine.length === own.length && mine.every((f, i) => sameFinding(f, own[i]))) map.set(c.content, own as Finding[]);
    }
    this.cachedSuppressed = map;
    return map;
  }

  /** The suppressions of the comments in `chunks` (consecutive from the first), over their lines. */
  private suppressionsOf(chunks: readonly AnalyzedChunk[]) {
    const directives: DirectiveComment[] = [];
    for (const c of chunks) {
      for (const d of c.content.directives) {
        directives.push(shiftDirective(d, c.start, c.startLine));
      }
    }
    const last = chunks[chunks.length - 1];
    const lineCount = last ? last.startLine + last.content.lines.lineCount : 1;
    return buildSuppressions(directives, lineCount);
  }

  private limitText(text: string): string {
    const limit = this.options.maxChars;
    if (limit === undefined || text.length <= limit) return text;
    // Cut at the last chunk start within the limit, else at the last line break.
    const starts = findChunkStarts(text, 0, limit, this.options.chunkLimit);
    const cut = starts.length > 0 ? starts[starts.length - 1] : text.lastIndexOf('\n', limit) + 1;
    return text.slice(0, cut > 0 ? cut : limit);
  }

  private setTail(tail: string): void {
    this.tail = tail;
    this.tailLines = tail.length > 0 ? new LineIndex(tail) : null;
    this.placeTail();
  }

  /** Line and column where the tail starts (after the last chunk). */
  private placeTail(): void {
    const last = this.list[this.list.length - 1];
    if (!last) {
      this.tailLine = 0;
      this.tailColumn = 0;
      return;
    }
    const lines = last.content.lines;
    const lastLine = lines.lineCount - 1;
    this.tailLine = last.startLine + lastLine;
    this.tailColumn = last.text.length - lines.lineStart(lastLine);
  }

  /** Appends the chunks of a region's text, cut at `starts` (document offsets). */
  private rebuild(
    text: string,
    offset: number,
    starts: readonly number[],
    line: number,
    inForceIn: InForce,
    continuesIn: Continuation | null,
    reuse: Map<string, ChunkContent>,
  ): void {
    let inForce = inForceIn;
    let continues = continuesIn;
    let at = offset;
    let l = line;
    for (const piece of splitRegion(text, offset, starts)) {
      if (piece.length === 0) continue;
      const c = place(this.makeContent(piece, inForce, continues, reuse), at, l);
      this.list.push(c);
      inForce = c.content.inForceAfter;
      continues = c.content.continuesAfter;
      at += piece.length;
      l = this.chunkEndLine(c);
    }
    this.analysedChars = at;
    this.invalidate();
  }

  /** A chunk's text-level facts (cheap: no analysis), or the reused ones of an identical chunk. */
  private makeContent(text: string, inForce: InForce, continues: Continuation | null, reuse: Map<string, ChunkContent>): ChunkContent {
    // The key joins the chunk's whole text: not built when there is nothing to reuse (opening a document).
    const hit = reuse.size > 0 ? reuse.get(contentKey(inForce, continues, text)) : undefined;
    if (hit) return hit;
    const lines = new LineIndex(text);
    return {
      text,
      inForce,
      continues,
      continuesAfter: continuationAfter(text, continues, this.options.chunkLimit),
      lines,
      // The same breaks (LF, CR LF, lone CR) as the line index's.
      lineBreaks: lines.lineCount - 1,
      directives: text.includes('smtptls-') ? listDirectiveComments(text, lines) : [],
      inForceAfter: inForceAfter(text, inForce),
      summary: null,
    };
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
    this.anyDirectives = null;
  }
}

function place(content: ChunkContent, start: number, startLine: number): AnalyzedChunk {
  return { start, startLine, text: content.text, lineBreaks: content.lineBreaks, inForce: content.inForce, content };
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
