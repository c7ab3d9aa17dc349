/** Turns untrusted settings (from an editor, a config file, CLI flags) into AnalysisSettings. */
import { findRule } from './catalog';
import { BASELINES, type AnalysisSettings, type Baseline, type SeveritySetting } from './types';

const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'information', 'warning', 'error'];

export function isBaseline(value: unknown): value is Baseline {
  return typeof value === 'string' && (BASELINES as readonly string[]).includes(value);
}

export function isSeveritySetting(value: unknown): value is SeveritySetting {
  return typeof value === 'string' && (SEVERITY_SETTINGS as readonly string[]).includes(value);
}

/** Unknown keys, unknown rule ids and invalid values are ignored. */
export function normalizeSettings(raw: unknown): AnalysisSettings {
  const obj = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const baseline = isBaseline(obj.baseline) ? obj.baseline : 'current';
  const rules: Record<string, SeveritySetting> = {};
  if (obj.rules && typeof obj.rules === 'object') {
    for (const [id, value] of Object.entries(obj.rules as Record<string, unknown>)) {
      if (findRule(id) && isSeveritySetting(value)) rules[id] = value;
    }
  }
  return Object.keys(rules).length > 0 ? { baseline, rules } : { baseline };
}
