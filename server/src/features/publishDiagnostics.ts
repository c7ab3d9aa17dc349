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
 */
import type { Diagnostic } from 'vscode-languageserver';
import type { AnalyzedChunk, ChunkContent, IncrementalAnalysis } from '../core/analysis/incrementalAnalysis';
import type { Finding } from '../core/rules/types';
import { FULL_DIAGNOSTIC_SUPPORT, toDiagnostics, type DiagnosticSupport } from './diagnostics';

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
}

interface ChunkEntry {
  readonly findings: readonly Finding[];
  readonly support: DiagnosticSupport;
  readonly count: number;
  local: Diagnostic[] | null;
  moved: { readonly startLine: number; readonly list: Diagnostic[] } | null;
  rendered: RenderedJson | null;
}

const entries = new WeakMap<ChunkContent, ChunkEntry>();

function entryOf(doc: IncrementalAnalysis, chunk: AnalyzedChunk, support: DiagnosticSupport): ChunkEntry {
  const findings = doc.findingsOf(chunk);
  let entry = entries.get(chunk.content);
  if (!entry || entry.findings !== findings || !sameSupport(entry.support, support)) {
    entry = { findings, support, count: findings.length, local: null, moved: null, rendered: null };
    entries.set(chunk.content, entry);
  }
  return entry;
}

const sameSupport = (a: DiagnosticSupport, b: DiagnosticSupport): boolean => a.relatedInformation === b.relatedInformation && a.codeDescription === b.codeDescription;

function localOf(entry: ChunkEntry, chunk: AnalyzedChunk, uri: string): Diagnostic[] {
  return (entry.local ??= toDiagnostics({ findings: entry.findings, lines: chunk.content.lines }, uri, entry.support));
}

/**
 * Every diagnostic of the document at document lines (unchanged chunks' lists are reused), with
 * the optional properties the client supports.
 */
export function collectDiagnostics(doc: IncrementalAnalysis, uri: string, support: DiagnosticSupport = FULL_DIAGNOSTIC_SUPPORT): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const chunk of doc.chunks) {
    const entry = entryOf(doc, chunk, support);
    if (entry.count === 0) continue;
    if (!entry.moved || entry.moved.startLine !== chunk.startLine) {
      entry.moved = { startLine: chunk.startLine, list: localOf(entry, chunk, uri).map((d) => moveDiagnostic(d, chunk.startLine)) };
    }
    for (const d of entry.moved.list) out.push(d);
  }
  return out;
}

const COMMA = Buffer.from(',');
const OPEN = Buffer.from('[');
const CLOSE = Buffer.from(']');

/**
 * The JSON array (UTF-8) of every diagnostic of the document, followed by
 * `extra`, in pieces to be written one after the other: their concatenation is
 * the bytes of JSON.stringify([...collectDiagnostics(doc, uri, support), ...extra]).
 */
export function serializeDiagnostics(
  doc: IncrementalAnalysis,
  uri: string,
  extra: readonly Diagnostic[] = [],
  support: DiagnosticSupport = FULL_DIAGNOSTIC_SUPPORT,
  /** Only the first so many chunks (a first part of a document still being analysed). */
  chunkCount = Infinity,
): Buffer[] {
  const pieces: Buffer[] = [OPEN];
  const chunks = doc.chunks;
  const n = Math.min(chunks.length, chunkCount);
  for (let i = 0; i < n; i++) {
    const chunk = chunks[i];
    const entry = entryOf(doc, chunk, support);
    if (entry.count === 0) continue;
    if (!entry.rendered) {
      entry.rendered = cutAtLines(Buffer.from(JSON.stringify(localOf(entry, chunk, uri)).slice(1, -1)));
      entry.local = null;
    }
    if (entry.rendered.startLine !== chunk.startLine) entry.rendered = renderAt(entry.rendered, chunk.startLine);
    if (pieces.length > 1) pieces.push(COMMA);
    pieces.push(entry.rendered.bytes);
  }
  for (const d of extra) {
    if (pieces.length > 1) pieces.push(COMMA);
    pieces.push(Buffer.from(JSON.stringify(d)));
  }
  pieces.push(CLOSE);
  return pieces;
}

const LINE_KEY = Buffer.from('"line":');

/**
 * Finds each position's line number in chunk-relative diagnostics JSON. Only a Position has a
 * `"line"` key, and inside a JSON string a quote is always escaped, so the pattern cannot match
 * text of a message.
 */
function cutAtLines(bytes: Buffer): RenderedJson {
  const at: number[] = [];
  const lines: number[] = [];
  for (let i = bytes.indexOf(LINE_KEY); i >= 0; i = bytes.indexOf(LINE_KEY, i + LINE_KEY.length)) {
    let j = i + LINE_KEY.length;
    let line = 0;
    for (; bytes[j] >= 0x30 && bytes[j] <= 0x39; j++) line = line * 10 + bytes[j] - 0x30;
    at.push(i + LINE_KEY.length);
    lines.push(line);
  }
  return { startLine: 0, bytes, at: Int32Array.from(at), lines: Int32Array.from(lines) };
}

const digits = (n: number): number => (n < 10 ? 1 : Math.floor(Math.log10(n)) + 1);

/** The same JSON with every line number moved to a chunk starting at `startLine`. */
function renderAt(r: RenderedJson, startLine: number): RenderedJson {
  let size = r.bytes.length;
  for (let i = 0; i < r.lines.length; i++) size += digits(r.lines[i] + startLine) - digits(r.lines[i] + r.startLine);
  const out = Buffer.allocUnsafeSlow(size);
  const at = new Int32Array(r.at.length);
  let from = 0;
  let to = 0;
  for (let i = 0; i < r.lines.length; i++) {
    to += r.bytes.copy(out, to, from, r.at[i]);
    at[i] = to;
    to += out.write(String(r.lines[i] + startLine), to, 'latin1');
    from = r.at[i] + digits(r.lines[i] + r.startLine);
  }
  r.bytes.copy(out, to, from);
  return { startLine, bytes: out, at, lines: r.lines };
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
    if (entry.count === 0) continue;
    if (!entry.rendered) return true;
    for (let i = 0; i < entry.rendered.lines.length; i++) {
      const line = entry.rendered.lines[i] + chunk.startLine;
      if (ranges.some(([a, b]) => line >= a && line <= b)) return true;
    }
  }
  return false;
}
