/**
 * Documentation generated from the catalog: the README rule table, the rule
 * reference in docs/rules.md and the `smtpTls.rules.<id>` settings of
 * package.json. scripts/gen-rule-docs.ts writes them; a test fails when the
 * files drift from the catalog.
 */
import { RULES } from './catalog';
import { TLS_POLICIES, type RuleDefinition, type SeveritySetting, type TlsPolicy } from './types';

export const README_MARKERS = { start: '<!-- rules:start -->', end: '<!-- rules:end -->' } as const;
export const DOCS_MARKERS = { start: '<!-- rules-reference:start -->', end: '<!-- rules-reference:end -->' } as const;

/** Setting prefix for per-rule severities in package.json. */
export const RULE_SETTING_PREFIX = 'smtpTls.rules.';

function describeDefault(rule: RuleDefinition): string {
  const { current, rfc3207 } = rule.severity;
  return current === rfc3207 ? current : `${current} (\`rfc3207\`: ${rfc3207})`;
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The README table: one row per rule, in catalog order. */
export function renderRuleTable(rules: readonly RuleDefinition[] = RULES): string {
  const rows = rules.map((r) => {
    const refs = r.references.map((ref) => `[${ref.label}](${ref.url})`).join(', ') || '—';
    return `| \`${r.id}\` | ${describeDefault(r)} | ${escapeCell(r.title)} | ${refs} |`;
  });
  return ['| id | default | what | reference |', '|---|---|---|---|', ...rows].join('\n');
}

/** docs/rules.md reference: a section per rule with its full description. */
export function renderRuleReference(rules: readonly RuleDefinition[] = RULES): string {
  const out: string[] = [];
  for (const r of rules) {
    out.push(`### \`${r.id}\``, '');
    out.push(`${r.title}. Default: ${describeDefault(r)}.`, '');
    out.push(r.description, '');
    if (r.references.length > 0) out.push(`References: ${r.references.map((ref) => `[${ref.label}](${ref.url})`).join(', ')}.`, '');
    out.push(`Configure: \`"smtpTls.rules.${r.id}": "off"\` (editor), \`--rule ${r.id}=off\` (CLI), \`{"rules": {"${r.id}": "off"}}\` (\`.smtptls.json\`); suppress one place with \`# smtptls-disable-next-line ${r.id} -- <reason>\`.`, '');
  }
  return out.join('\n').trimEnd();
}

export interface SettingSchema {
  readonly type: string | string[];
  readonly enum?: readonly (string | null)[];
  readonly default: SeveritySetting | TlsPolicy | number | null;
  readonly scope: 'resource';
  readonly markdownDescription: string;
  readonly minimum?: number;
  readonly maximum?: number;
}

const SEVERITY_ENUM: readonly SeveritySetting[] = ['off', 'hint', 'information', 'warning', 'error'];

/**
 * package.json `contributes.configuration.properties` owned by the rule engine:
 * `smtpTls.port`, `smtpTls.policy` and one `smtpTls.rules.<id>` per rule. Rule settings have no
 * default, so that the baseline's default applies until the user sets one.
 */
export function buildRuleSettings(rules: readonly RuleDefinition[] = RULES): Record<string, SettingSchema | Omit<SettingSchema, 'default'>> {
  const out: Record<string, SettingSchema | Omit<SettingSchema, 'default'>> = {
    'smtpTls.port': {
      type: ['number', 'null'],
      default: null,
      minimum: 1,
      maximum: 65535,
      scope: 'resource',
      markdownDescription:
        'Server port to assume when a transcript does not state it (25 relay, 587/465 submission); some rules are stricter on submission ports. A `# smtptls-port: N` comment in the file wins over this setting.',
    },
    'smtpTls.policy': {
      type: 'string',
      enum: TLS_POLICIES,
      default: 'none',
      scope: 'resource',
      markdownDescription:
        "The TLS policy the receiving domain publishes, which a log does not show: `mta-sts` (enforce mode), `dane` (TLSA records) or `none` (opportunistic TLS). Under a policy, `policy-tls-required` reports mail sent without TLS, and under MTA-STS a certificate's name and dates are errors on any port. A `# smtptls-policy: mta-sts|dane|none` comment in the file wins over this setting, for the sessions below it.",
    },
  };
  for (const r of rules) {
    out[`${RULE_SETTING_PREFIX}${r.id}`] = {
      type: 'string',
      enum: SEVERITY_ENUM,
      scope: 'resource',
      markdownDescription: `${r.title}. Default: ${describeDefault(r)}. ${r.description}`,
    };
  }
  return out;
}

/** Replaces the text between two marker lines; throws when a marker is missing. */
export function replaceBetweenMarkers(text: string, markers: { start: string; end: string }, body: string): string {
  const a = text.indexOf(markers.start);
  const b = text.indexOf(markers.end);
  if (a < 0 || b < a) throw new Error(`markers ${markers.start} ... ${markers.end} not found`);
  return text.slice(0, a + markers.start.length) + '\n' + body + '\n' + text.slice(b);
}

/** The text between two markers (without the surrounding newlines), or null. */
export function readBetweenMarkers(text: string, markers: { start: string; end: string }): string | null {
  const a = text.indexOf(markers.start);
  const b = text.indexOf(markers.end);
  if (a < 0 || b < a) return null;
  return text.slice(a + markers.start.length, b).replace(/^\n/, '').replace(/\n$/, '');
}

/**
 * package.json properties with the rule settings replaced by the generated ones,
 * keeping every other property and its position; rule settings follow `smtpTls.baseline`.
 */
export function mergeRuleSettings(properties: Record<string, unknown>, generated: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const isOurs = (k: string): boolean => k === 'smtpTls.port' || k.startsWith(RULE_SETTING_PREFIX);
  let inserted = false;
  const insert = (): void => {
    if (inserted) return;
    inserted = true;
    Object.assign(out, generated);
  };
  for (const [k, v] of Object.entries(properties)) {
    if (isOurs(k)) continue;
    out[k] = v;
    if (k === 'smtpTls.baseline') insert();
  }
  insert();
  return out;
}
