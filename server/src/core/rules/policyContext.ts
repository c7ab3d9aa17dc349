/**
 * Which TLS policy the receiving domain publishes for a session's server: MTA-STS in enforce mode (RFC 8461 §5: no
 * delivery without TLS and a certificate valid for the MX host), DANE (RFC 7672 §2.2: no delivery without TLS), or
 * none (opportunistic TLS). A log does not show it: a `# smtptls-policy:` comment above or inside the session says so
 * (the last one at or before its last line), else the `policy` setting. Under the `rfc3207` baseline, which judges a
 * log as the 2001 text would, no policy applies.
 */
import type { AnalyzedSession } from '../analysis/analyzeDocument';
import type { PolicyDirective } from './directives';
import type { AnalysisSettings, TlsPolicy } from './types';
import { firstNotBefore } from './sites';

export function resolveSessionPolicy(session: AnalyzedSession, directives: readonly PolicyDirective[], settings: AnalysisSettings): TlsPolicy {
  if (settings.baseline === 'rfc3207') return 'none';
  // The directives are in document order: the last one at or before the session's last line.
  const k = firstNotBefore(directives.length, (i) => directives[i].line <= session.session.endLine) - 1;
  return (k >= 0 ? directives[k].policy : null) ?? settings.policy ?? 'none';
}

/** How a finding names a policy. */
export const POLICY_NAMES: Readonly<Record<Exclude<TlsPolicy, 'none'>, string>> = { 'mta-sts': 'MTA-STS (enforce)', dane: 'DANE TLSA records' };
