/** Rule metadata and findings: the vocabulary shared by checks, the CLI and the LSP adapter. */
import type { TextSpan } from '../model/transcript';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';
export type Baseline = 'current' | 'rfc3207';
export const BASELINES: readonly Baseline[] = ['current', 'rfc3207'];
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];
/**
 * The TLS policy the receiving domain publishes for its MX hosts: MTA-STS in enforce mode (RFC 8461), DANE TLSA
 * records (RFC 7672), or none (opportunistic TLS, RFC 7435). Declared by a `# smtptls-policy:` comment or a setting.
 */
export type TlsPolicy = 'mta-sts' | 'dane' | 'none';
export const TLS_POLICIES: readonly TlsPolicy[] = ['none', 'mta-sts', 'dane'];

export interface RuleReference {
  /** Short label as printed in messages: "RFC 7568 §3". */
  readonly label: string;
  readonly url: string;
}

export interface RuleDefinition {
  /** Stable public id (never renamed). */
  readonly id: string;
  /** One-line summary in our own words. */
  readonly title: string;
  /** Default severity per baseline; 'off' where a baseline does not judge it. */
  readonly severity: Readonly<Record<Baseline, SeveritySetting>>;
  /** First reference is the primary one (LSP codeDescription, SARIF helpUri). */
  readonly references: readonly RuleReference[];
  /** What the rule checks and why, in a few sentences (documentation, hover, SARIF help). */
  readonly description: string;
}

/** Another place in the document that explains a finding (the STARTTLS command, its reply). */
export interface RelatedLocation {
  readonly span: TextSpan;
  readonly message: string;
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  /** Document offsets of the offending characters. */
  readonly span: TextSpan;
  readonly related?: readonly RelatedLocation[];
}

export interface AnalysisSettings {
  readonly baseline: Baseline;
  /** Per-rule overrides by id. */
  readonly rules?: Readonly<Record<string, SeveritySetting>>;
  /**
   * Server port to assume when the transcript does not state one (25 relay, 587/465 submission).
   * A `# smtptls-port: N` comment in the document takes precedence over it.
   */
  readonly port?: number | null;
  /**
   * When the sessions took place (ms since the epoch) when the transcript does not say: a chunk of a
   * document analysed alone gets the `# smtptls-time:` comment in force from the chunks before it.
   */
  readonly time?: number | null;
  /**
   * The TLS policy to assume for sessions no `# smtptls-policy:` comment covers (default none); a chunk of a document
   * analysed alone gets the comment in force from the chunks before it.
   */
  readonly policy?: TlsPolicy | null;
}

export const DEFAULT_SETTINGS: AnalysisSettings = { baseline: 'current' };
