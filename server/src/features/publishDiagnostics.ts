/**
 * The diagnostics of a chunked document for publication.
 *
 * Every publication carries all of a document's diagnostics (LSP push model),
 * but an edit changes the findings of one or two chunks: each chunk's findings
 * are converted once (cached on the findings array, whose identity changes only
 * when they do), and moved to document lines only when the chunk moved. For a
 * writer that takes raw JSON (the stdio transport), each chunk's JSON is made
 * once, kept as UTF-8 bytes, and re-rendered with other line numbers when the
 * chunk moves, so a publication is a concatenation of bytes instead of a
 * serialisation and encoding of every diagnostic. Each transport keeps only
 * the form it uses (objects for one, JSON for the other).
 *
 * Past `smtpTls.maxDiagnostics` a publication carries the diagnostics VS Code
 * would show (features/diagnosticLimit.ts): a chunk wholly inside the limit is
 * sent as its kept bytes, one across it as the byte ranges of the diagnostics
 * that fit.
 */
import type { Diagnostic } from 'vscode-languageserver';
import type { AnalyzedChunk, ChunkContent, IncrementalAnalysis } from '../core/analysis/incrementalAnalysis';
import type { Finding } from '../core/rules/types';
import { FULL_DIAGNOSTIC_SUPPORT, SEVERITY, toDiagnostics, type DiagnosticSupport } from './diagnostics';
import { LimitCursor, limitNote, noCounts, planLimit, type SeverityCounts } from './diagnosticLimit';

/**
 * A chunk's diagnostics as UTF-8 JSON at some document line, with where each line number is
 * in the bytes and its chunk-relative value, so that it can be rendered at another line.
 */
interface RenderedJson {
  readonly startLine: number;
  readonly bytes: Buffer;
  /** Byte offset of each line number in `bytes`. */
  readonly at: Int32Array;
  /** Each line number, chunk-relative. */
  readonly lines: Int32Array;
  /** Byte offset where each diagnostic starts in `bytes` (they are separated by one comma). */
  readonly starts: Int32Array;
}

interface ChunkEntry {
  readonly findings: readonly Finding[];
  readonly support: DiagnosticSupport;
  readonly count: number;
  /** LSP severity of each diagnostic, and how many there are of each. */
  readonly severities: Uint8Array;
  readonly bySeverity: SeverityCounts;
  local: Diagnostic[] | null;
  moved: { readonly startLine: number; readonly list: Diagnostic[] } | null;
  rendered: RenderedJson | null;
  /** Whether the last serialisation carried any of the chunk's diagnostics (past the limit, maybe none). */
  published: boolean;
}

const entries = new WeakMap<ChunkContent, ChunkEntry>();

function entryOf(doc: IncrementalAnalysis, chunk: AnalyzedChunk, support: DiagnosticSupport): ChunkEntry {
  const findings = doc.findingsOf(chunk);
  let entry = entries.get(chunk.content);
  if (!entry || entry.findings !== findings || !sameSupport(entry.support, support)) {
    const severities = new Uint8Array(findings.length);
    const bySeverity = noCounts();
    findings.forEach((f, i) => bySeverity[(severities[i] = SEVERITY[f.severity]) - 1]++);
    entry = { findings, support, count: findings.length, severities, bySeverity, local: null, moved: null, rendered: null, published: false };
    entries.set(chunk.content, entry);
  }
  return entry;
}

const sameSupport = (a: DiagnosticSupport, b: DiagnosticSupport): boolean => a.relatedInformation === b.relatedInformation && a.codeDescription === b.codeDescription;

function localOf(entry: ChunkEntry, chunk: AnalyzedChunk, uri: string): Diagnostic[] {
  return (entry.local ??= toDiagnostics({ findings: entry.findings, lines: chunk.content.lines }, uri, entry.support));
}

/** What a publication carries besides the chunks' diagnostics, and how many of those. */
export interface PublicationOptions {
  /** Diagnostics the server adds after the chunks' (the note of a document over the size limit). */
  readonly extra?: readonly Diagnostic[];
  /** The optional properties the client supports. */
  readonly support?: DiagnosticSupport;
  /** Only the first so many chunks (a first part of a document still being analysed). */
  readonly chunkCount?: number;
  /** `smtpTls.maxDiagnostics`: the most diagnostics in the publication, `extra` and the note included (0: no limit). */
  readonly maxDiagnostics?: number;
}

/** The chunks a publication covers, each with its kept entry, and which of their diagnostics it carries. */
function plan(doc: IncrementalAnalysis, options: PublicationOptions): { chunks: AnalyzedChunk[]; entries: ChunkEntry[]; cursor: LimitCursor; note: Diagnostic | null } {
  const support = options.support ?? FULL_DIAGNOSTIC_SUPPORT;
  const chunks = doc.chunks.slice(0, Math.min(doc.chunks.length, options.chunkCount ?? Infinity));
  const list = chunks.map((c) => entryOf(doc, c, support));
  const counts = noCounts();
  for (const e of list) for (let i = 0; i < 4; i++) counts[i] += e.bySeverity[i];
  const max = options.maxDiagnostics ?? 0;
  const limit = planLimit(counts, max, options.extra?.length ?? 0);
  return { chunks, entries: list, cursor: new LimitCursor(limit), note: limit ? limitNote(limit, max) : null };
}

/**
 * The diagnostics of the document at document lines (unchanged chunks' lists are reused), with
 * the optional properties the client supports, then `extra`, within the limit.
 */
export function collectDiagnostics(doc: IncrementalAnalysis, uri: string, options: PublicationOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { chunks, entries: list, cursor, note } = plan(doc, options);
  chunks.forEach((chunk, k) => {
    const entry = list[k];
    // (A chunk none of whose diagnostics fit under the limit is not even moved to its lines.)
    if (entry.count === 0 || cursor.includesNone(entry.bySeverity)) return;
    if (!entry.moved || entry.moved.startLine !== chunk.startLine) {
      entry.moved = { startLine: chunk.startLine, list: localOf(entry, chunk, uri).map((d) => moveDiagnostic(d, chunk.startLine)) };
    }
    if (cursor.includesAll(entry.bySeverity)) {
      cursor.takeAll(entry.bySeverity);
      for (const d of entry.moved.list) out.push(d);
      return;
    }
    entry.moved.list.forEach((d, i) => {
      if (cursor.include(entry.severities[i])) out.push(d);
    });
  });
  if (options.extra) out.push(...options.extra);
  if (note) out.push(note);
  return out;
}

const COMMA = Buffer.from(',');
const OPEN = Buffer.from('[');
const CLOSE = Buffer.from(']');

/**
 * The JSON array (UTF-8) of the document's diagnostics, in pieces to be written one after the
 * other: their concatenation is the bytes of JSON.stringify(collectDiagnostics(doc, uri, options)).
 */
export function serializeDiagnostics(doc: IncrementalAnalysis, uri: string, options: PublicationOptions = {}): Buffer[] {
  const pieces: Buffer[] = [OPEN];
  const { chunks, entries: list, cursor, note } = plan(doc, options);
  const add = (piece: Buffer): void => {
    if (pieces.length > 1) pieces.push(COMMA);
    pieces.push(piece);
  };
  chunks.forEach((chunk, k) => {
    const entry = list[k];
    // A chunk none of whose diagnostics fit under the limit is not rendered at its lines (after
    // an edit that moves lines, most chunks of a large log are such chunks).
    entry.published = entry.count > 0 && !cursor.includesNone(entry.bySeverity);
    if (!entry.published) return;
    if (!entry.rendered) {
      entry.rendered = cutAtLines(localOf(entry, chunk, uri).map((d) => JSON.stringify(d)));
      entry.local = null;
    }
    if (entry.rendered.startLine !== chunk.startLine) entry.rendered = renderAt(entry.rendered, chunk.startLine);
    const r = entry.rendered;
    if (cursor.includesAll(entry.bySeverity)) {
      cursor.takeAll(entry.bySeverity);
      add(r.bytes);
      return;
    }
    for (let i = 0; i < entry.count; i++) {
      if (cursor.include(entry.severities[i])) add(r.bytes.subarray(r.starts[i], i + 1 < entry.count ? r.starts[i + 1] - 1 : r.bytes.length));
    }
  });
  for (const d of options.extra ?? []) add(Buffer.from(JSON.stringify(d)));
  if (note) add(Buffer.from(JSON.stringify(note)));
  pieces.push(CLOSE);
  return pieces;
}

const LINE_KEY = Buffer.from('"line":');

/**
 * A chunk's diagnostics (each one's JSON) joined with commas, with where each starts and where
 * each position's line number is. Only a Position has a `"line"` key, and inside a JSON string a
 * quote is always escaped, so the pattern cannot match text of a message.
 */
function cutAtLines(json: readonly string[]): RenderedJson {
  const bytes = Buffer.from(json.join(','));
  const starts = new Int32Array(json.length);
  for (let i = 1, at = 0; i < json.length; i++) starts[i] = at += Buffer.byteLength(json[i - 1]) + 1;
  const at: number[] = [];
  const lines: number[] = [];
  for (let i = bytes.indexOf(LINE_KEY); i >= 0; i = bytes.indexOf(LINE_KEY, i + LINE_KEY.length)) {
    let j = i + LINE_KEY.length;
    let line = 0;
    for (; bytes[j] >= 0x30 && bytes[j] <= 0x39; j++) line = line * 10 + bytes[j] - 0x30;
    at.push(i + LINE_KEY.length);
    lines.push(line);
  }
  return { startLine: 0, bytes, at: Int32Array.from(at), lines: Int32Array.from(lines), starts };
}

const digits = (n: number): number => (n < 10 ? 1 : Math.floor(Math.log10(n)) + 1);

/** The same JSON with every line number moved to a chunk starting at `startLine`. */
function renderAt(r: RenderedJson, startLine: number): RenderedJson {
  let size = r.bytes.length;
  for (let i = 0; i < r.lines.length; i++) size += digits(r.lines[i] + startLine) - digits(r.lines[i] + r.startLine);
  const out = Buffer.allocUnsafeSlow(size);
  const at = new Int32Array(r.at.length);
  const starts = new Int32Array(r.starts.length);
  let from = 0;
  let to = 0;
  let d = 0;
  for (let i = 0; i < r.lines.length; i++) {
    // Diagnostics starting before this line number moved by what the numbers before them grew.
    for (; d < starts.length && r.starts[d] < r.at[i]; d++) starts[d] = r.starts[d] + to - from;
    to += r.bytes.copy(out, to, from, r.at[i]);
    at[i] = to;
    to += out.write(String(r.lines[i] + startLine), to, 'latin1');
    from = r.at[i] + digits(r.lines[i] + r.startLine);
  }
  for (; d < starts.length; d++) starts[d] = r.starts[d] + to - from;
  r.bytes.copy(out, to, from);
  return { startLine, bytes: out, at, lines: r.lines, starts };
}

function moveRange(r: Diagnostic['range'], delta: number): Diagnostic['range'] {
  return { start: { line: r.start.line + delta, character: r.start.character }, end: { line: r.end.line + delta, character: r.end.character } };
}

/** A copy of a chunk-relative diagnostic at document lines (the cached one stays as it is). */
function moveDiagnostic(d: Diagnostic, delta: number): Diagnostic {
  if (delta === 0) return d;
  const moved: Diagnostic = { ...d, range: moveRange(d.range, delta) };
  if (d.relatedInformation) {
    moved.relatedInformation = d.relatedInformation.map((r) => ({ ...r, location: { ...r.location, range: moveRange(r.location.range, delta) } }));
  }
  return moved;
}

/**
 * Whether a diagnostic of the last serialisation (its range or a related location) is on a line
 * in `ranges` ([first, last] document lines); a chunk not serialised yet counts as one that is.
 */
export function diagnosticsOnLines(doc: IncrementalAnalysis, ranges: readonly (readonly [number, number])[]): boolean {
  for (const chunk of doc.chunks) {
    const first = chunk.startLine;
    const last = chunk.startLine + chunk.lineBreaks;
    if (!ranges.some(([a, b]) => a <= last && b >= first)) continue;
    const entry = entries.get(chunk.content);
    if (!entry || entry.findings !== doc.findingsOf(chunk)) return true;
    // No diagnostic of the chunk was sent: there is no squiggle to move.
    if (entry.count === 0 || !entry.published) continue;
    if (!entry.rendered) return true;
    for (let i = 0; i < entry.rendered.lines.length; i++) {
      const line = entry.rendered.lines[i] + chunk.startLine;
      if (ranges.some(([a, b]) => line >= a && line <= b)) return true;
    }
  }
  return false;
}
