/**
 * A check of a document that arrives in pieces (a file read block by block, a
 * capture imported connection by connection), in memory bounded by the largest
 * chunk (plus the findings, unless they are handed on as they are found).
 *
 * The text is cut into chunks where documentChunks.ts cuts it; each chunk is
 * analysed as soon as the next one visibly starts (chunkAnalysis.ts, with the
 * port directive in force at its start), and only its findings are kept, located
 * (document lines and characters, and for SARIF the text around them) while the
 * chunk is still there.
 *
 * Suppression comments only ever act forward: a `disable-next-line` on the next
 * content line, a block from the line after its `disable` up to its `enable`. So a
 * chunk's findings are final once the directives of the chunks up to it are known:
 * they are filtered against the blocks still open and the chunk's own directives
 * (rules/directives.ts, rules/runRules.ts, as a whole-text analysis applies them)
 * and handed to `onFindings` in document order, the chunk's text and findings then
 * let go. Only the directives of open blocks are carried on. Credential secrets are
 * collected over the whole document (the redactor at the end scrubs them anywhere).
 */
import { analyzeChunk, NOTHING_IN_FORCE, shiftDirective, type InForce } from './chunkAnalysis';
import type { Continuation } from './chunkContinuation';
import { ChunkStartScanner } from './documentChunks';
import { buildSuppressions, type DirectiveComment } from '../rules/directives';
import { applySuppressions, SUPPRESSION_WITHOUT_REASON } from '../rules/runRules';
import type { AnalysisSettings, Finding } from '../rules/types';
import type { TextSpan } from '../model/transcript';
import type { Range } from '../text/lineIndex';
import { createTextLocator, type FindingLocator, type SeverityCounts, type SpanText } from '../export/checkReport';
import { collectCredentialSecrets, createSecretsRedactor, type Redactor } from '../export/redact';

export interface ChunkedCheckOptions {
  /** Keep the text around each finding (SARIF snippets and fingerprints); positions only otherwise. */
  readonly keepText?: boolean;
  /**
   * Receives the findings as soon as they are final (after suppressions), in document
   * order, about a chunk's worth at a time, with a locator for their spans (plain data).
   * When given, the check keeps no finding: end() returns none, only their counts.
   */
  readonly onFindings?: (findings: readonly Finding[], locate: FindingLocator) => void;
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
  /** SMTP sessions (or TLS byte runs without one) the chunk's readers found. */
  readonly sessions: number;
  /** Findings of the chunk alone, unsuppressed. */
  readonly findings: readonly Finding[];
  /** Every span of the findings, their related locations and the directives, located. */
  readonly spans: readonly LocatedSpan[];
  readonly directives: readonly DirectiveComment[];
  /** The port and time directives in force after the chunk. */
  readonly inForceAfter: InForce;
  /** What the next chunk continues (chunkContinuation.ts). */
  readonly continuesAfter: Continuation | null;
  readonly secrets: readonly string[];
}

/**
 * Why a text of which no reader found anything gets a note rather than a clean report: `check`
 * writes it on stderr, the language server publishes it as an information diagnostic.
 */
export const NOTHING_READ = 'no SMTP session or TLS bytes found in a format smtptls reads (README: "Inputs read")';

export interface ChunkedCheckResult {
  /** Every finding after the document's suppressions, document offsets, in document order (none with onFindings). */
  readonly findings: readonly Finding[];
  readonly counts: SeverityCounts;
  /** Positions (and, with keepText, text) of the findings' spans and related spans. */
  readonly locate: FindingLocator;
  /** Scrubs the credentials of every chunk (export/redact.ts). */
  readonly redact: Redactor;
  /** Chunks analysed, and the characters and lines read. */
  readonly chunks: number;
  /** Sessions the chunks' readers found (a session across a cut counts in each part): 0 when nothing in the text was read. */
  readonly sessions: number;
  readonly length: number;
  readonly lineCount: number;
}

/** Where a span is, and (with keepText) the text around it. */
export interface Located {
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

/** A span as a map key: `start:end`. */
export function spanKey(span: TextSpan): string {
  return `${span.start}:${span.end}`;
}

/** Offset just after the last line break of `text` that is surely complete (a \r at the very end may be half of \r\n). */
function completeLinesEnd(text: string): number {
  const lf = text.lastIndexOf('\n');
  const cr = text.lastIndexOf('\r');
  if (cr > lf && cr < text.length - 1) return cr + 1;
  return lf + 1;
}

/** Analyses one chunk (given the port and time directives in force at its start) and keeps what a check reports. */
export function checkChunk(text: string, settings: AnalysisSettings, inForce: InForce, keepText: boolean, continues: Continuation | null = null): ChunkFindings {
  const { analysis, directives, inForceAfter, continuesAfter } = analyzeChunk(text, settings, inForce, continues);
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
    sessions: analysis.sessions.length,
    findings,
    spans,
    directives: directives.map((d) => {
      locate(d.span);
      return { ...d, ids: d.ids.map(detach), reason: detach(d.reason), span: { start: d.span.start, end: d.span.end } };
    }),
    inForceAfter,
    continuesAfter,
    secrets: collectCredentialSecrets(analysis).map(detach),
  };
}

/** Findings not yet handed on, with their spans located (document coordinates). */
interface Batch {
  readonly findings: Finding[];
  readonly located: Map<string, Located>;
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
  /** The port and time directives in force at the current chunk's start. */
  private inForce: InForce = NOTHING_IN_FORCE;
  /** What the next chunk continues (the last one ended at a forced cut). */
  private continues: Continuation | null = null;
  private chunkCount = 0;
  /** The `disable` directives of the blocks still open (only the ids each opened), in document order. */
  private open: DirectiveComment[] = [];
  /** Findings of the last chunk that start at its very end: they sort among the next chunk's. */
  private carry: Batch = { findings: [], located: new Map() };
  private readonly counts: SeverityCounts = { error: 0, warning: 0, information: 0, hint: 0 };
  private sessionCount = 0;
  /** Without onFindings: every finding handed on, and the located spans of them. */
  private readonly findings: Finding[] = [];
  private readonly located = new Map<string, Located>();
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

  /** Analyses the rest and hands on the last findings. */
  end(): ChunkedCheckResult {
    if (!this.ended) {
      this.ended = true;
      this.scanLines(this.scan.length, true);
      this.analyse(this.head.join(''));
      this.head = [];
      this.handOn(this.carry, this.offset, [], this.carry.findings.length < 2);
      this.carry = { findings: [], located: new Map() };
    }
    return {
      findings: this.findings,
      counts: { ...this.counts },
      locate: createSpanLocator(this.located),
      redact: createSecretsRedactor([...this.secrets]),
      chunks: this.chunkCount,
      sessions: this.sessionCount,
      length: this.offset,
      // The last chunk ends on document line `this.line`.
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
    if (text.length > 0) this.add(checkChunk(text, this.settings, this.inForce, this.options.keepText === true, this.continues));
  }

  /** Takes a chunk's findings at the current document position and hands on those that are final. */
  private add(c: ChunkFindings): void {
    const offset = this.offset;
    const line = this.line;
    const end = offset + c.length;
    const shift = (span: TextSpan): TextSpan => ({ start: span.start + offset, end: span.end + offset });
    // A chunk's findings come sorted (runRules); with findings carried from the chunk before they need sorting.
    const sorted = this.carry.findings.length === 0;
    const batch: Batch = { findings: this.carry.findings, located: this.carry.located };
    for (const l of c.spans) {
      const key = `${l.start + offset}:${l.end + offset}`;
      if (batch.located.has(key)) continue;
      // A chunk starts at a line start: only lines move.
      const r = l.range;
      batch.located.set(key, { range: { start: { line: r.start.line + line, character: r.start.character }, end: { line: r.end.line + line, character: r.end.character } }, text: l.text });
    }
    for (const f of c.findings) {
      batch.findings.push({ ...f, span: shift(f.span), ...(f.related ? { related: f.related.map((r) => ({ span: shift(r.span), message: r.message })) } : {}) });
    }
    for (const s of c.secrets) this.secrets.add(s);
    this.sessionCount += c.sessions;
    this.inForce = c.inForceAfter;
    this.continues = c.continuesAfter;
    this.chunkCount++;
    this.offset = end;
    this.line += c.lineCount - 1;
    // A finding starting at the chunk's very end (an empty span) may sort after one of the next chunk.
    const now = batch.findings.filter((f) => f.span.start < end);
    const later = now.length === batch.findings.length ? [] : batch.findings.filter((f) => f.span.start >= end);
    const carried = new Map<string, Located>();
    for (const f of later) for (const span of spansOf(f)) carried.set(spanKey(span), batch.located.get(spanKey(span))!);
    this.carry = { findings: later, located: carried };
    this.handOn({ findings: now, located: batch.located }, offset, c.directives.map((d) => shiftDirective(d, offset, line)), sorted);
  }

  /**
   * Applies the blocks still open and the chunk's own directives (which start at `offset`) to
   * findings of the chunk, hands on what remains, and carries on the blocks left open.
   */
  private handOn(batch: Batch, offset: number, directives: readonly DirectiveComment[], sorted: boolean): void {
    const all = directives.length === 0 ? this.open : [...this.open, ...directives];
    let findings = batch.findings;
    if (all.length > 0 || !sorted) {
      // Suppressions ask for the line where each finding starts; every finding's span was located.
      const lines = new Map<number, number>();
      if (all.length > 0) for (const f of findings) lines.set(f.span.start, batch.located.get(spanKey(f.span))!.range.start.line);
      findings = applySuppressions(findings, buildSuppressions(all, Number.MAX_SAFE_INTEGER), this.settings, (o) => lines.get(o) ?? 0);
      // A directive of an earlier chunk was reported (no reason given) with that chunk.
      if (this.open.length > 0) findings = findings.filter((f) => f.rule !== SUPPRESSION_WITHOUT_REASON || f.span.start >= offset);
    }
    if (directives.length > 0) this.open = openBlocks(all);
    if (findings.length === 0) return;
    for (const f of findings) this.counts[f.severity]++;
    if (this.options.onFindings) {
      this.options.onFindings(findings, createSpanLocator(batch.located));
      return;
    }
    for (const f of findings) {
      this.findings.push(f);
      for (const span of spansOf(f)) this.located.set(spanKey(span), batch.located.get(spanKey(span))!);
    }
  }
}

function spansOf(f: Finding): TextSpan[] {
  return f.related ? [f.span, ...f.related.map((r) => r.span)] : [f.span];
}

/** The `disable` directives whose blocks no later `enable` closed, each with only the ids it opened (buildSuppressions' rules). */
function openBlocks(directives: readonly DirectiveComment[]): DirectiveComment[] {
  const opener = new Map<string, DirectiveComment>();
  for (const d of directives) {
    if (d.kind === 'enable') for (const id of d.ids) opener.delete(id);
    else if (d.kind === 'disable') for (const id of d.ids) if (!opener.has(id)) opener.set(id, d);
  }
  const out: DirectiveComment[] = [];
  for (const d of directives) {
    const ids = d.ids.filter((id) => opener.get(id) === d);
    if (ids.length > 0) out.push(ids.length === d.ids.length ? d : { ...d, ids });
  }
  return out;
}

/** A locator answering from spans located beforehand (keyed by spanKey); an unknown span is a bug. */
export function createSpanLocator(located: ReadonlyMap<string, Located>): FindingLocator {
  const get = (span: TextSpan): Located => {
    const hit = located.get(spanKey(span));
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

/** A whole text checked chunk by chunk (the same findings as pushing it in pieces). */
export function checkInChunks(text: string, settings: AnalysisSettings, options: ChunkedCheckOptions = {}): ChunkedCheckResult {
  const check = new ChunkedCheck(settings, options);
  check.push(text);
  return check.end();
}
