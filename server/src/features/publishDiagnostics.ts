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

/** Chunk-relative JSON of diagnostics, cut at every line number so it can be rendered at any line. */
interface LineTemplate {
  readonly parts: readonly string[];
  readonly lines: readonly number[];
}

interface ChunkEntry {
  readonly findings: readonly Finding[];
  readonly support: DiagnosticSupport;
  readonly count: number;
  local: Diagnostic[] | null;
  moved: { readonly startLine: number; readonly list: Diagnostic[] } | null;
  template: LineTemplate | null;
  rendered: { readonly startLine: number; readonly bytes: Buffer } | null;
}

const entries = new WeakMap<ChunkContent, ChunkEntry>();

function entryOf(doc: IncrementalAnalysis, chunk: AnalyzedChunk, support: DiagnosticSupport): ChunkEntry {
  const findings = doc.findingsOf(chunk);
  let entry = entries.get(chunk.content);
  if (!entry || entry.findings !== findings || !sameSupport(entry.support, support)) {
    entry = { findings, support, count: findings.length, local: null, moved: null, template: null, rendered: null };
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
): Buffer[] {
  const pieces: Buffer[] = [OPEN];
  for (const chunk of doc.chunks) {
    const entry = entryOf(doc, chunk, support);
    if (entry.count === 0) continue;
    if (!entry.rendered || entry.rendered.startLine !== chunk.startLine) {
      entry.template ??= makeTemplate(JSON.stringify(localOf(entry, chunk, uri)).slice(1, -1));
      entry.local = null;
      entry.rendered = { startLine: chunk.startLine, bytes: Buffer.from(renderTemplate(entry.template, chunk.startLine)) };
    }
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

/**
 * Cuts diagnostics JSON at each position's line number. Only a Position has a
 * `"line"` key, and inside a JSON string a quote is always escaped, so the
 * pattern cannot match text of a message.
 */
function makeTemplate(json: string): LineTemplate {
  const parts: string[] = [];
  const lines: number[] = [];
  const re = /"line":(\d+)/g;
  let at = 0;
  for (let m = re.exec(json); m; m = re.exec(json)) {
    const numberStart = m.index + 7;
    parts.push(json.slice(at, numberStart));
    lines.push(Number(m[1]));
    at = numberStart + m[1].length;
  }
  parts.push(json.slice(at));
  return { parts, lines };
}

function renderTemplate(t: LineTemplate, delta: number): string {
  const out: (string | number)[] = [t.parts[0]];
  for (let i = 0; i < t.lines.length; i++) out.push(t.lines[i] + delta, t.parts[i + 1]);
  return out.join('');
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
