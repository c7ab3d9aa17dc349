/**
 * Runs editor features on a chunked document (core/analysis/incrementalAnalysis.ts).
 *
 * Each chunk is analysed as a text of its own, starting at a line start, so a
 * chunk-relative position differs from the document position only by the
 * chunk's first line: results are moved by adding that line number to every
 * position they carry. Features that cover the whole document run per chunk
 * and are concatenated; features at a position run on the chunk there.
 *
 * The outline, folding ranges, code lenses and links of a chunk are small and
 * are kept with the chunk (its digest, made with its first analysis), so these
 * whole-document features never need the chunks' full analyses again.
 */
import type { Position, Range } from 'vscode-languageserver';
import type { Analysis } from './core/analysis/analyzeDocument';
import type { AnalyzedChunk, IncrementalAnalysis } from './core/analysis/incrementalAnalysis';
import { computeSemanticTokens, encodeSemanticTokens, MAX_HEX_TOKENS, type SemanticToken } from './core/features/semanticTokens';
import { computeDocumentSymbols, type OutlineSymbol } from './core/features/symbols';
import { computeFoldingRanges, type FoldingItem } from './core/features/folding';
import { computeCodeLenses, type LensItem } from './core/features/codeLens';
import { computeDocumentLinks, type LinkItem } from './core/features/documentLinks';

/** What a chunk keeps of its analysis for the whole-document features (chunk-relative). */
export interface ChunkDigest {
  readonly outline: readonly OutlineSymbol[];
  readonly folding: readonly FoldingItem[];
  /** Made with the chunk's own findings: valid while the document's suppressions leave them as they are. */
  readonly lenses: readonly LensItem[];
  readonly links: readonly LinkItem[];
}

/** The digest of a fresh chunk analysis (IncrementalOptions.digest). */
export function digestChunk(analysis: Analysis): ChunkDigest {
  return {
    outline: computeDocumentSymbols(analysis),
    folding: computeFoldingRanges(analysis),
    lenses: computeCodeLenses(analysis),
    links: computeDocumentLinks(analysis),
  };
}

function digestOf(doc: IncrementalAnalysis, chunk: AnalyzedChunk): ChunkDigest {
  return (doc.summaryOf(chunk).digest as ChunkDigest | undefined) ?? digestChunk(doc.analysisOf(chunk));
}

/**
 * Runs a whole-document feature on each chunk's digest (the chunk's line index
 * positions it) and joins the results in document order. Code lenses count a
 * session's findings, so a chunk whose findings the document's suppressions
 * changed has its lenses made again from its analysis.
 */
export function runOnDigests<T>(
  doc: IncrementalAnalysis,
  feature: (digest: ChunkDigest, lines: Analysis['lines'], chunk: AnalyzedChunk) => T[],
  limit = Infinity,
): T[] {
  const out: T[] = [];
  for (const c of doc.chunks) {
    if (out.length >= limit) break;
    out.push(...shiftLines(feature(digestOf(doc, c), c.content.lines, c), c.startLine));
  }
  return out;
}

/** The code lens items of a chunk after the document's suppressions. */
export function lensesOf(doc: IncrementalAnalysis, chunk: AnalyzedChunk): readonly LensItem[] {
  const own = doc.findingsOf(chunk) === doc.summaryOf(chunk).findings;
  return own ? digestOf(doc, chunk).lenses : computeCodeLenses(doc.analysisOf(chunk));
}

function isPosition(v: unknown): v is { line: number; character: number } {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { line?: unknown }).line === 'number' &&
    typeof (v as { character?: unknown }).character === 'number'
  );
}

/**
 * Adds `delta` to the line of every LSP position inside `value` (ranges,
 * locations, edits, inlay hint positions) and to `startLine`/`endLine` of
 * folding ranges; returns `value`, changed in place. Text is never touched.
 */
export function shiftLines<T>(value: T, delta: number): T {
  if (delta === 0) return value;
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    const o = v as Record<string, unknown>;
    if (isPosition(o)) {
      o.line = (o.line as number) + delta;
      return;
    }
    if (typeof o.startLine === 'number' && typeof o.endLine === 'number' && !('start' in o)) {
      o.startLine = (o.startLine as number) + delta;
      o.endLine = (o.endLine as number) + delta;
    }
    for (const key of Object.keys(o)) visit(o[key]);
  };
  visit(value);
  return value;
}

/** A position in the chunk that holds it. */
export function toChunkPosition(chunk: AnalyzedChunk, p: Position): Position {
  return { line: Math.max(0, p.line - chunk.startLine), character: p.character };
}

/** Runs `feature` on the analysis of the chunk holding `position`, with the position moved into the chunk. */
export function runAtPosition<T>(
  doc: IncrementalAnalysis,
  position: Position,
  feature: (analysis: Analysis, position: Position) => T,
): T | null {
  const chunk = doc.chunkAtLine(position.line);
  if (!chunk) return null;
  return shiftLines(feature(doc.analysisOf(chunk), toChunkPosition(chunk, position)), chunk.startLine);
}

/** Chunks overlapping lines [fromLine, toLine]. */
export function chunksInLines(doc: IncrementalAnalysis, fromLine: number, toLine: number): AnalyzedChunk[] {
  const out: AnalyzedChunk[] = [];
  const first = doc.chunkAtLine(fromLine);
  if (!first) return out;
  for (let i = doc.chunks.indexOf(first); i < doc.chunks.length; i++) {
    const c = doc.chunks[i];
    if (c.startLine > toLine) break;
    out.push(c);
  }
  return out;
}

/** Runs a range feature on every chunk the range overlaps, with the range clipped and moved into each chunk. */
export function runInRange<T>(doc: IncrementalAnalysis, range: Range, feature: (analysis: Analysis, range: Range) => T[]): T[] {
  const out: T[] = [];
  for (const c of chunksInLines(doc, range.start.line, range.end.line)) {
    const local: Range = {
      start: range.start.line < c.startLine ? { line: 0, character: 0 } : toChunkPosition(c, range.start),
      end: toChunkPosition(c, range.end.line > c.startLine + c.lineBreaks ? { line: c.startLine + c.lineBreaks, character: 0 } : range.end),
    };
    out.push(...shiftLines(feature(doc.analysisOf(c), local), c.startLine));
  }
  return out;
}

/** Semantic tokens over chunks: computed per chunk in document lines, then encoded once. */
export function computeChunkedSemanticTokens(doc: IncrementalAnalysis, range?: Range): number[] {
  const tokens: SemanticToken[] = [];
  const chunks = range ? chunksInLines(doc, range.start.line, range.end.line) : doc.chunks;
  for (const c of chunks) {
    // The same bound a single analysis applies: editors ask by range for the rest of a huge file.
    if (tokens.length >= MAX_HEX_TOKENS) break;
    const a = doc.analysisOf(c);
    const from = range ? Math.max(0, range.start.line - c.startLine) : 0;
    const to = range ? Math.min(c.lineBreaks, range.end.line - c.startLine) : c.content.lines.lineCount - 1;
    for (const t of computeSemanticTokens(a, from, to)) tokens.push({ ...t, line: t.line + c.startLine });
  }
  return encodeSemanticTokens(tokens);
}
