/**
 * The one entry point of the core: text in, transcript model, decoded TLS and
 * findings out. The CLI, the language server and the benchmarks all call this.
 */
import { readTranscript } from '../formats/readTranscript';
import type { Transcript, TranscriptSession } from '../model/transcript';
import { findLineStarts, LineIndex } from '../text/lineIndex';
import { DEFAULT_SETTINGS, type AnalysisSettings, type Finding } from '../rules/types';
import { runRules, type RunRulesOptions } from '../rules/runRules';
import { assembleTlsStreams, groupTlsEvents, type TlsEvent, type TlsStream } from './tlsStreams';
import { findStarttlsContexts, type StarttlsContext } from './starttlsContext';
import type { Continuation } from './chunkContinuation';

export interface AnalyzedSession {
  readonly session: TranscriptSession;
  readonly streams: readonly TlsStream[];
  readonly tlsEvents: readonly TlsEvent[];
  /** STARTTLS context per event index of session.events. */
  readonly starttls: readonly (StarttlsContext | null)[];
}

export interface Analysis {
  readonly text: string;
  readonly lines: LineIndex;
  readonly transcript: Transcript;
  readonly sessions: readonly AnalyzedSession[];
  readonly findings: readonly Finding[];
  readonly settings: AnalysisSettings;
}

export interface AnalyzeOptions extends RunRulesOptions {
  /** The text is a chunk after a forced cut, continuing a session (chunkContinuation.ts). */
  readonly continues?: Continuation | null;
  /** The text is a chunk that ends at a forced cut: its last session goes on after it. */
  readonly endsAtCut?: boolean;
}

export function analyzeDocument(text: string, settings: AnalysisSettings = DEFAULT_SETTINGS, options: AnalyzeOptions = {}): Analysis {
  // One pass for the line starts, shared by the readers and the analysis's line index.
  const lineStarts = findLineStarts(text);
  const transcript = readTranscript(text, options.continues ?? null, options.endsAtCut === true, lineStarts);
  const sessions = transcript.sessions.map((session): AnalyzedSession => {
    const streams = assembleTlsStreams(session);
    return {
      session,
      streams,
      tlsEvents: groupTlsEvents(session, streams),
      starttls: findStarttlsContexts(session),
    };
  });
  const partial = { text, lines: new LineIndex(text, lineStarts), transcript, sessions, settings };
  return { ...partial, findings: runRules(partial, options) };
}
