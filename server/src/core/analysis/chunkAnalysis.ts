/**
 * One chunk of a document (documentChunks.ts) analysed on its own, with what it
 * contributes to document-wide context: the port and time directives it leaves in force for
 * the chunks after it, and its suppression comments, whose blocks may run across
 * chunks. The editor's incremental analyser and the CLI's streaming check both
 * analyse chunks through this, so they agree with each other and with a whole-text
 * analysis of the document cut the same way.
 */
import { analyzeDocument, type Analysis } from './analyzeDocument';
import { continuationAfter, type Continuation } from './chunkContinuation';
import { findPortDirectives, findTimeDirectives, listDirectiveComments, type DirectiveComment } from '../rules/directives';
import type { AnalysisSettings } from '../rules/types';
import type { LineIndex } from '../text/lineIndex';

export interface ChunkAnalysis {
  /** The chunk analysed alone; findings unsuppressed, positions chunk-relative. */
  readonly analysis: Analysis;
  /** Suppression comments of the chunk, chunk-relative lines and offsets. */
  readonly directives: readonly DirectiveComment[];
  /** Last `# smtptls-port: N` of the chunk, if any. */
  readonly lastPortDirective: number | null;
  /** Last `# smtptls-time:` of the chunk (ms since the epoch), if any. */
  readonly lastTimeDirective: number | null;
  /** What the chunk after this one continues, if this one ends at a forced cut (chunkContinuation.ts). */
  readonly continuesAfter: Continuation | null;
}

/**
 * Analyses a chunk given the port and time directives in force at its start (from earlier
 * chunks). They stand in for the `port` and `time` settings, which rank just below
 * directives (rules/portContext.ts, rules/sessionTime.ts): what a whole-text analysis selects.
 * `continues`: what the chunk before, ending at a forced cut, left open (chunkContinuation.ts).
 */
export function analyzeChunk(
  text: string,
  settings: AnalysisSettings,
  inheritedPort: number | null,
  continues: Continuation | null = null,
  inheritedTime: number | null = null,
): ChunkAnalysis {
  const effective = inheritedSettings(settings, inheritedPort, inheritedTime);
  const continuesAfter = continuationAfter(text, continues);
  const analysis = analyzeDocument(text, effective, { suppress: false, continues, endsAtCut: continuesAfter !== null });
  return {
    analysis,
    directives: text.includes('smtptls-') ? listDirectiveComments(text, analysis.lines) : [],
    lastPortDirective: findLastPortDirective(text, analysis.lines),
    lastTimeDirective: findLastTimeDirective(text, analysis.lines),
    continuesAfter,
  };
}

/** The settings a chunk is analysed with: the port and time directives in force at its start stand in for the settings. */
export function inheritedSettings(settings: AnalysisSettings, port: number | null, time: number | null): AnalysisSettings {
  if (port === null && time === null) return settings;
  return { ...settings, ...(port !== null ? { port } : {}), ...(time !== null ? { time } : {}) };
}

/** The last `# smtptls-time:` of a text, if any (ms since the epoch): the time it leaves in force for the text after it. */
export function findLastTimeDirective(text: string, lines: LineIndex): number | null {
  const times = text.includes('smtptls-time') ? findTimeDirectives(text, lines) : [];
  return times.length > 0 ? times[times.length - 1].time : null;
}

/** The last `# smtptls-port: N` of a text, if any: the port it leaves in force for the text after it. */
export function findLastPortDirective(text: string, lines: LineIndex): number | null {
  const ports = text.includes('smtptls-port') ? findPortDirectives(text, lines) : [];
  return ports.length > 0 ? ports[ports.length - 1].port : null;
}

/** A chunk's directive comment moved to document coordinates (the chunk starts at `offset`, on `line`). */
export function shiftDirective(d: DirectiveComment, offset: number, line: number): DirectiveComment {
  return {
    ...d,
    line: d.line + line,
    target: d.target < 0 ? -1 : d.target + line,
    span: { start: d.span.start + offset, end: d.span.end + offset },
  };
}
