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
import { computeDocumentSymbols, type OutlineSymbol, type PhaseKind } from './core/features/symbols';
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

const PHASE_CODE: Record<PhaseKind, number> = {
  session: 0, greeting: 1, ehlo: 2, starttls: 3, tls: 4, 'tls-message': 5, auth: 6, mail: 7, command: 8, data: 9, quit: 10,
};
const PHASES = Object.keys(PHASE_CODE).sort((a, b) => PHASE_CODE[a as PhaseKind] - PHASE_CODE[b as PhaseKind]) as PhaseKind[];
const FOLD_KINDS: readonly FoldingItem['kind'][] = [undefined, 'comment', 'region'];

/** Strings packed as one flat string and their lengths (no separator: any text survives). */
class PackedStrings {
  private readonly text: string;
  private readonly ends: Int32Array;

  constructor(strings: readonly string[]) {
    this.text = strings.join('');
    this.ends = new Int32Array(strings.length);
    let at = 0;
    strings.forEach((x, i) => (this.ends[i] = at += x.length));
  }

  get(i: number): string {
    return this.text.slice(i === 0 ? 0 : this.ends[i - 1], this.ends[i]);
  }
}

/**
 * A chunk digest kept as numbers in typed arrays and one flat string per kind of text (the
 * objects, with a rope per concatenated name, took about 3 KB per session: 16 MB for a 19 MB
 * document). Each property is unpacked into fresh objects when read.
 */
class PackedDigest implements ChunkDigest {
  /** Per outline symbol in pre-order: kind, first line, last line, number of children. */
  private readonly shape: Int32Array;
  /** Per outline symbol: name, then detail. */
  private readonly names: PackedStrings;
  /** Per folding range: first line, last line, kind. */
  private readonly folds: Int32Array;
  private readonly lensLines: Int32Array;
  private readonly lensTitles: PackedStrings;

  constructor(
    outline: readonly OutlineSymbol[],
    folding: readonly FoldingItem[],
    lenses: readonly LensItem[],
    readonly links: readonly LinkItem[],
  ) {
    const shape: number[] = [];
    const names: string[] = [];
    const visit = (x: OutlineSymbol): void => {
      shape.push(PHASE_CODE[x.kind], x.startLine, x.endLine, x.children.length);
      names.push(x.name, x.detail);
      x.children.forEach(visit);
    };
    outline.forEach(visit);
    this.shape = Int32Array.from(shape);
    this.names = new PackedStrings(names);
    this.folds = Int32Array.from(folding.flatMap((f) => [f.startLine, f.endLine, FOLD_KINDS.indexOf(f.kind)]));
    this.lensLines = Int32Array.from(lenses, (l) => l.line);
    this.lensTitles = new PackedStrings(lenses.map((l) => l.title));
  }

  get outline(): OutlineSymbol[] {
    let at = 0;
    const read = (): OutlineSymbol => {
      const i = at++;
      const children: OutlineSymbol[] = [];
      for (let k = 0; k < this.shape[i * 4 + 3]; k++) children.push(read());
      return { name: this.names.get(2 * i), detail: this.names.get(2 * i + 1), kind: PHASES[this.shape[i * 4]], startLine: this.shape[i * 4 + 1], endLine: this.shape[i * 4 + 2], children };
    };
    const out: OutlineSymbol[] = [];
    while (at * 4 < this.shape.length) out.push(read());
    return out;
  }

  get folding(): FoldingItem[] {
    const out: FoldingItem[] = [];
    for (let i = 0; i < this.folds.length; i += 3) {
      const kind = FOLD_KINDS[this.folds[i + 2]];
      out.push(kind ? { startLine: this.folds[i], endLine: this.folds[i + 1], kind } : { startLine: this.folds[i], endLine: this.folds[i + 1] });
    }
    return out;
  }

  get lenses(): LensItem[] {
    return Array.from(this.lensLines, (line, i) => ({ line, title: this.lensTitles.get(i) }));
  }
}

/** The digest of a fresh chunk analysis (IncrementalOptions.digest). */
export function digestChunk(analysis: Analysis): ChunkDigest {
  return new PackedDigest(computeDocumentSymbols(analysis), computeFoldingRanges(analysis), computeCodeLenses(analysis), computeDocumentLinks(analysis));
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
