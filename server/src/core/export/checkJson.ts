/** Findings as the JSON of `smtptls check --format json` (CLI contract). */
import { findRule } from '../rules/catalog';
import type { Finding } from '../rules/types';
import type { CheckedFile, FindingLocator } from './checkReport';
import type { JsonValue } from './decodeJson';
import { redactJson, type Redactor } from './redact';

type JsonObject = { [key: string]: JsonValue };

const KEEP: Redactor = (s) => s;

export function findingsToJson(locate: FindingLocator, findings: readonly Finding[], redact: Redactor = KEEP): JsonObject[] {
  return findings.map((f) => {
    const r = locate.rangeOf(f.span);
    return redactJson(
      {
        rule: f.rule,
        severity: f.severity,
        message: f.message,
        range: {
          start: { line: r.start.line, character: r.start.character },
          end: { line: r.end.line, character: r.end.character },
        },
        reference: findRule(f.rule)?.references[0]?.url ?? null,
      },
      redact,
    );
  });
}

/** The whole `check --format json` document. */
export function formatCheckJson(files: readonly CheckedFile[]): string {
  const out = files.map((f) => ({ path: f.path, diagnostics: findingsToJson(f.locate, f.findings, f.redact) }));
  return JSON.stringify({ files: out }) + '\n';
}

