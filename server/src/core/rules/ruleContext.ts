/** What a rule check sees and how it reports. */
import type { TextSpan, Transcript } from '../model/transcript';
import type { LineIndex } from '../text/lineIndex';
import type { AnalyzedSession } from '../analysis/analyzeDocument';
import type { AnalysisSettings, RelatedLocation, Severity, TlsPolicy } from './types';

export interface AnalysisInput {
  readonly text: string;
  readonly lines: LineIndex;
  readonly transcript: Transcript;
  readonly sessions: readonly AnalyzedSession[];
  readonly settings: AnalysisSettings;
}

export interface ReportedFinding {
  readonly span: TextSpan;
  readonly message: string;
  /** Overrides the rule's default severity for this baseline (e.g. the resumption exception). */
  readonly severity?: Severity;
  readonly related?: readonly RelatedLocation[];
}

export interface RuleContext {
  readonly input: AnalysisInput;
  report(finding: ReportedFinding): void;
  /** The server port of a session: from the capture, a `# smtptls-port:` comment, or the setting; null when unknown. */
  portOf(session: AnalyzedSession): number | null;
  /** The receiving domain's TLS policy for a session: a `# smtptls-policy:` comment, or the setting; 'none' when neither says. */
  policyOf(session: AnalyzedSession): TlsPolicy;
}

export type RuleCheck = (ctx: RuleContext) => void;

/** What checks compute once per session and share (the dialogue, the record index). */
export interface SessionCache<V> {
  /** The value for `session`, built by `build` on first use in this rules run. */
  get(session: AnalyzedSession, build: (session: AnalyzedSession) => V): V;
}

interface RunCache {
  map: WeakMap<AnalyzedSession, unknown>;
  /** The session asked for last and its value: a check asks for one session many times in a row. */
  lastSession: AnalyzedSession | null;
  lastValue: unknown;
}

const RUN_CACHES: RunCache[] = [];

/**
 * A cache by session that lives for one rules run: runRules empties every such cache
 * when it ends (forgetRunCaches), so an analysis kept for hover and edits does not also
 * keep what the checks derived from it.
 */
export function createSessionCache<V>(): SessionCache<V> {
  const cache: RunCache = { map: new WeakMap(), lastSession: null, lastValue: undefined };
  RUN_CACHES.push(cache);
  return {
    get(session, build) {
      if (cache.lastSession === session) return cache.lastValue as V;
      let value = cache.map.get(session) as V | undefined;
      if (value === undefined) {
        value = build(session);
        cache.map.set(session, value);
      }
      cache.lastSession = session;
      cache.lastValue = value;
      return value;
    },
  };
}

/** Empties every session cache (runRules calls it when its checks are done). */
export function forgetRunCaches(): void {
  for (const cache of RUN_CACHES) {
    cache.map = new WeakMap();
    cache.lastSession = null;
    cache.lastValue = undefined;
  }
}
