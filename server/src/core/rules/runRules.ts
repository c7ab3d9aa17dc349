/** Runs every implemented rule and applies baseline defaults and user overrides. */
import { RULES } from './catalog';
import { CHECKS } from './checks';
import type { Finding, Severity, SeveritySetting } from './types';
import type { AnalysisInput } from './ruleContext';

export function runRules(input: AnalysisInput): Finding[] {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const check = CHECKS[rule.id];
    if (!check) continue;
    const baseSeverity = rule.severity[input.settings.baseline];
    const override: SeveritySetting | undefined = input.settings.rules?.[rule.id];
    if ((override ?? baseSeverity) === 'off') continue;
    check({
      input,
      report(f) {
        const severity: Severity = override && override !== 'off' ? override : (f.severity ?? (baseSeverity as Severity));
        findings.push({ rule: rule.id, severity, message: f.message, span: f.span, related: f.related });
      },
    });
  }
  findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.rule.localeCompare(b.rule));
  return dedupe(findings);
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
