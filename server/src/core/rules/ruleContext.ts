/** What a rule check sees and how it reports. */
import type { TextSpan, Transcript } from '../model/transcript';
import type { LineIndex } from '../text/lineIndex';
import type { AnalyzedSession } from '../analysis/analyzeDocument';
import type { AnalysisSettings, RelatedLocation, Severity } from './types';

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
}

export type RuleCheck = (ctx: RuleContext) => void;
