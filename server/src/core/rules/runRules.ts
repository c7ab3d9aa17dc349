/**
 * Runs every rule of the catalog, applies baseline defaults, port context and
 * user overrides, then inline suppressions (`# smtptls-disable...`).
 */
import { RULES, getRule } from './catalog';
import { forgetRunCaches, type AnalysisInput } from './ruleContext';
import { CHECKS } from './checks';
import { findPolicyDirectives, findPortDirectives, isSuppressed, parseSuppressions, type Suppression } from './directives';
import { resolveSessionPort } from './portContext';
import { resolveSessionPolicy } from './policyContext';
import type { AnalyzedSession } from '../analysis/analyzeDocument';
import type { AnalysisSettings, Finding, Severity, SeveritySetting, TlsPolicy } from './types';

export const SUPPRESSION_WITHOUT_REASON = 'suppression-without-reason';

export interface RunRulesOptions {
  /**
   * Apply the text's own suppression comments (default). The incremental
   * analyser turns this off per chunk and applies the document's suppressions
   * once over all chunks (see analysis/incrementalAnalysis.ts).
   */
  readonly suppress?: boolean;
}

export function runRules(input: AnalysisInput, options: RunRulesOptions = {}): Finding[] {
  try {
    return runChecks(input, options);
  } finally {
    forgetRunCaches();
  }
}

function runChecks(input: AnalysisInput, options: RunRulesOptions): Finding[] {
  const findings: Finding[] = [];
  const directives = findPortDirectives(input.text, input.lines);
  const ports = new Map<AnalyzedSession, number | null>();
  const portOf = (session: AnalyzedSession): number | null => {
    if (!ports.has(session)) ports.set(session, resolveSessionPort(session, directives, input.settings));
    return ports.get(session) ?? null;
  };
  const policies = input.text.includes('smtptls-policy') ? findPolicyDirectives(input.text, input.lines) : [];
  const policyOf = (session: AnalyzedSession): TlsPolicy => resolveSessionPolicy(session, policies, input.settings);
  for (const rule of RULES) {
    const check = CHECKS[rule.id];
    if (!check) continue;
    const severity = effectiveSeverity(input.settings, rule.id, rule.severity[input.settings.baseline]);
    if (severity === 'off') continue;
    const override = input.settings.rules?.[rule.id];
    check({
      input,
      portOf,
      policyOf,
      report(f) {
        const s: Severity = override && override !== 'off' ? override : (f.severity ?? (severity as Severity));
        findings.push({ rule: rule.id, severity: s, message: f.message, span: f.span, related: f.related });
      },
    });
  }
  if (options.suppress === false) return sortFindings(findings);
  const suppressions = parseSuppressions(input.text, input.lines);
  return applySuppressions(findings, suppressions, input.settings, (offset) => input.lines.lineAt(offset));
}

/**
 * Drops findings a suppression covers (by the line where each starts), adds a
 * finding for each suppression without a reason, and sorts in document order.
 */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  settings: AnalysisSettings,
  lineOf: (offset: number) => number,
): Finding[] {
  const kept = suppressions.length === 0 ? [...findings] : findings.filter((f) => !isSuppressed(suppressions, f.rule, lineOf(f.span.start)));
  kept.push(...reportSuppressionsWithoutReason(settings, suppressions));
  return sortFindings(kept);
}

function sortFindings(findings: Finding[]): Finding[] {
  findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.rule.localeCompare(b.rule));
  return dedupe(findings);
}

function effectiveSeverity(settings: AnalysisSettings, id: string, base: SeveritySetting): SeveritySetting {
  return settings.rules?.[id] ?? base;
}

/** A suppression must say why (`-- <reason>`); one finding per directive comment. */
function reportSuppressionsWithoutReason(settings: AnalysisSettings, suppressions: readonly Suppression[]): Finding[] {
  const severity = effectiveSeverity(settings, SUPPRESSION_WITHOUT_REASON, getRule(SUPPRESSION_WITHOUT_REASON).severity[settings.baseline]);
  if (severity === 'off') return [];
  const out: Finding[] = [];
  const seen = new Set<number>();
  for (const s of suppressions) {
    if (s.reason !== '' || seen.has(s.line)) continue;
    seen.add(s.line);
    out.push({
      rule: SUPPRESSION_WITHOUT_REASON,
      severity,
      span: s.span,
      message:
        `Suppression of ${s.ids.join(', ')} gives no reason; write it after " -- " ` +
        `(# smtptls-${s.kind === 'block' ? 'disable' : 'disable-next-line'} ${s.ids[0]} -- <reason>).`,
    });
  }
  return out;
}

/** One finding per rule and place (a problem seen through two paths is reported once). */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}:${f.span.start}:${f.span.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
