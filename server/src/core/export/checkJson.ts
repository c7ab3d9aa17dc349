/** Findings as the JSON of `smtptls check --format json` (CLI contract) and as text lines. */
import type { Analysis } from '../analysis/analyzeDocument';
import { findRule } from '../rules/catalog';
import type { JsonValue } from './decodeJson';

type JsonObject = { [key: string]: JsonValue };

export function findingsToJson(analysis: Analysis): JsonObject[] {
  return analysis.findings.map((f) => {
    const r = analysis.lines.rangeOf(f.span.start, f.span.end);
    return {
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      range: {
        start: { line: r.start.line, character: r.start.character },
        end: { line: r.end.line, character: r.end.character },
      },
      reference: findRule(f.rule)?.references[0]?.url ?? null,
    };
  });
}

/** `path:line:col: severity rule-id message`, 1-based. */
export function findingsToTextLines(analysis: Analysis, path: string): string[] {
  return analysis.findings.map((f) => {
    const p = analysis.lines.positionAt(f.span.start);
    return `${path}:${p.line + 1}:${p.character + 1}: ${f.severity} ${f.rule} ${f.message}`;
  });
}
