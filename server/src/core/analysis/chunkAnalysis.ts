/**
 * One chunk of a document (documentChunks.ts) analysed on its own, with what it
 * contributes to document-wide context: the port, time and policy directives it leaves in force for
 * the chunks after it, and its suppression comments, whose blocks may run across
 * chunks. The editor's incremental analyser and the CLI's streaming check both
 * analyse chunks through this, so they agree with each other and with a whole-text
 * analysis of the document cut the same way.
 */
import { analyzeDocument, type Analysis } from './analyzeDocument';
import { continuationAfter, type Continuation } from './chunkContinuation';
import { findLastPolicyDirective, findLastPortDirective, findLastTimeDirective, listDirectiveComments, type DirectiveComment } from '../rules/directives';
import type { AnalysisSettings, TlsPolicy } from '../rules/types';

export interface ChunkAnalysis {
  /** The chunk analysed alone; findings unsuppressed, positions chunk-relative. */
  readonly analysis: Analysis;
  /** Suppression comments of the chunk, chunk-relative lines and offsets. */
  readonly directives: readonly DirectiveComment[];
  /** What the chunk's directives, or those before it, leave in force for the chunk after it. */
  readonly inForceAfter: InForce;
  /** What the chunk after this one continues, if this one ends at a forced cut (chunkContinuation.ts). */
  readonly continuesAfter: Continuation | null;
}

/**
 * What the directives of the text before a chunk leave in force at its start: the last
 * `# smtptls-port: N`, the last `# smtptls-time:` (ms since the epoch) and the last `# smtptls-policy:`; null where
 * there is none.
 */
export interface InForce {
  readonly port: number | null;
  readonly time: number | null;
  readonly policy: TlsPolicy | null;
}

export const NOTHING_IN_FORCE: InForce = Object.freeze({ port: null, time: null, policy: null });

/** What is in force after `text`: its own last directives, else what was in force before it (the same object when nothing changes). */
export function inForceAfter(text: string, before: InForce): InForce {
  const port = findLastPortDirective(text) ?? before.port;
  const time = findLastTimeDirective(text) ?? before.time;
  const policy = findLastPolicyDirective(text) ?? before.policy;
  return port === before.port && time === before.time && policy === before.policy ? before : { port, time, policy };
}

export function sameInForce(a: InForce, b: InForce): boolean {
  return a.port === b.port && a.time === b.time && a.policy === b.policy;
}

/**
 * Analyses a chunk given the port, time and policy directives in force at its start (from earlier
 * chunks). They stand in for the `port`, `time` and `policy` settings, which rank just below
 * directives (rules/portContext.ts, rules/sessionTime.ts, rules/policyContext.ts): what a whole-text analysis selects.
 * `continues`: what the chunk before, ending at a forced cut, left open (chunkContinuation.ts).
 */
export function analyzeChunk(text: string, settings: AnalysisSettings, inForce: InForce = NOTHING_IN_FORCE, continues: Continuation | null = null): ChunkAnalysis {
  const effective = inheritedSettings(settings, inForce);
  const continuesAfter = continuationAfter(text, continues);
  const analysis = analyzeDocument(text, effective, { suppress: false, continues, endsAtCut: continuesAfter !== null });
  return {
    analysis,
    directives: text.includes('smtptls-') ? listDirectiveComments(text, analysis.lines) : [],
    inForceAfter: inForceAfter(text, inForce),
    continuesAfter,
  };
}

/** The settings a chunk is analysed with: the port, time and policy directives in force at its start stand in for the settings. */
export function inheritedSettings(settings: AnalysisSettings, { port, time, policy }: InForce): AnalysisSettings {
  if (port === null && time === null && policy === null) return settings;
  return { ...settings, ...(port !== null ? { port } : {}), ...(time !== null ? { time } : {}), ...(policy !== null ? { policy } : {}) };
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
