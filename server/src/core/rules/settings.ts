/** Turns untrusted settings (from an editor, a config file, CLI flags) into AnalysisSettings. */
import { findRule } from './catalog';
import { BASELINES, TLS_POLICIES, type AnalysisSettings, type Baseline, type SeveritySetting, type TlsPolicy } from './types';

const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'information', 'warning', 'error'];

export function isBaseline(value: unknown): value is Baseline {
  return typeof value === 'string' && (BASELINES as readonly string[]).includes(value);
}

export function isSeveritySetting(value: unknown): value is SeveritySetting {
  return typeof value === 'string' && (SEVERITY_SETTINGS as readonly string[]).includes(value);
}

export function isTlsPolicy(value: unknown): value is TlsPolicy {
  return typeof value === 'string' && (TLS_POLICIES as readonly string[]).includes(value);
}

/** A TCP port 1-65535, or null. */
export function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536;
}

/**
 * Rule overrides by id. Editors that expand dotted setting names
 * (`smtpTls.rules.tls-hello-version-below-3.1`) hand them over nested
 * (`{"tls-hello-version-below-3": {"1": "off"}}`); the keys are joined again.
 */
function flattenRuleSettings(raw: unknown, prefix = '', out: Record<string, unknown> = {}, depth = 0): Record<string, unknown> {
  if (!raw || typeof raw !== 'object' || depth > 4) return out;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const id = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object') flattenRuleSettings(value, id, out, depth + 1);
    else out[id] = value;
  }
  return out;
}

/** Unknown keys, unknown rule ids and invalid values are ignored. */
export function normalizeSettings(raw: unknown): AnalysisSettings {
  const obj = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const baseline = isBaseline(obj.baseline) ? obj.baseline : 'current';
  const rules: Record<string, SeveritySetting> = {};
  for (const [id, value] of Object.entries(flattenRuleSettings(obj.rules))) {
    if (findRule(id) && isSeveritySetting(value)) rules[id] = value;
  }
  const settings: { baseline: Baseline; rules?: Record<string, SeveritySetting>; port?: number; policy?: TlsPolicy } = { baseline };
  if (Object.keys(rules).length > 0) settings.rules = rules;
  if (isPort(obj.port)) settings.port = obj.port;
  if (isTlsPolicy(obj.policy) && obj.policy !== 'none') settings.policy = obj.policy;
  return settings;
}

/** Settings `over` applied on top of `base`: baseline, port and policy replace, rule overrides merge. */
export function mergeSettings(base: AnalysisSettings, over: Partial<AnalysisSettings>): AnalysisSettings {
  const rules = { ...(base.rules ?? {}), ...(over.rules ?? {}) };
  const merged: { baseline: Baseline; rules?: Record<string, SeveritySetting>; port?: number | null; policy?: TlsPolicy } = { baseline: over.baseline ?? base.baseline };
  if (Object.keys(rules).length > 0) merged.rules = rules;
  const port = over.port !== undefined ? over.port : base.port;
  if (port !== undefined && port !== null) merged.port = port;
  const policy = over.policy !== undefined ? over.policy : base.policy;
  if (policy !== undefined && policy !== null && policy !== 'none') merged.policy = policy;
  return merged;
}
