/**
 * `check --format sarif`: a SARIF 2.1.0 log (OASIS SARIF v2.1.0) for code-scanning
 * services and SARIF viewers. One run; every catalog rule described once; results
 * with 1-based regions whose columns count UTF-16 code units (`columnKind`), the
 * offending text as a snippet, and `partialFingerprints` that survive unrelated
 * edits (see computeFindingFingerprints).
 */
import { createHash } from 'node:crypto';
import type * as Sarif from 'sarif';
import { RULES } from '../rules/catalog';
import type { Baseline, Finding, RuleDefinition, SeveritySetting } from '../rules/types';
import type { CheckedFile } from './checkReport';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Key under which our fingerprint is stored; bump the suffix if the recipe ever changes. */
export const FINGERPRINT_KEY = 'smtptlsFinding/v1';

export interface SarifArtifact {
  /** Relative (to uriBaseId) or absolute URI of the checked file. */
  readonly uri: string;
  readonly uriBaseId?: string;
}

export interface SarifOptions {
  readonly toolVersion: string;
  readonly informationUri?: string;
  readonly baseline: Baseline;
  /** The exit code the invocation ends with. */
  readonly exitCode: number;
  /** Where each checked path is, as a SARIF artifact location. */
  readonly locateArtifact: (path: string) => SarifArtifact;
  /** Absolute file URIs (ending in `/`) of the uriBaseIds used by locateArtifact. */
  readonly uriBaseIds?: Readonly<Record<string, string>>;
}

const LEVEL: Record<SeveritySetting, Sarif.ReportingConfiguration.level> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
  off: 'none',
};

const RULE_INDEX = new Map(RULES.map((r, i) => [r.id, i]));

export function buildSarifLog(files: readonly CheckedFile[], options: SarifOptions): Sarif.Log {
  const results: Sarif.Result[] = [];
  for (const file of files) {
    const artifact = options.locateArtifact(file.path);
    const fingerprints = computeFindingFingerprints(file);
    file.findings.forEach((f, i) => {
      results.push(buildSarifResult(file, f, artifact, fingerprints[i]));
    });
  }
  const driver: Sarif.ToolComponent = {
    name: 'smtptls',
    fullName: 'SMTP/TLS Transcripts checker (smtptls)',
    version: options.toolVersion,
    semanticVersion: options.toolVersion,
    rules: RULES.map((r) => describeRule(r, options.baseline)),
  };
  if (options.informationUri) driver.informationUri = options.informationUri;
  const run: Sarif.Run = {
    tool: { driver },
    invocations: [{ executionSuccessful: true, exitCode: options.exitCode }],
    columnKind: 'utf16CodeUnits',
    results,
    properties: { baseline: options.baseline },
  };
  if (options.uriBaseIds && Object.keys(options.uriBaseIds).length > 0) {
    run.originalUriBaseIds = Object.fromEntries(Object.entries(options.uriBaseIds).map(([k, uri]) => [k, { uri }]));
  }
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

export function formatSarif(files: readonly CheckedFile[], options: SarifOptions): string {
  return JSON.stringify(buildSarifLog(files, options), null, 2) + '\n';
}

/** `tls-hello-version-below-3.1` → `TlsHelloVersionBelow31`: SARIF's friendly rule name. */
export function toRuleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

function describeRule(r: RuleDefinition, baseline: Baseline): Sarif.ReportingDescriptor {
  const severity = r.severity[baseline];
  const refsText = r.references.map((ref) => `- ${ref.label}: ${ref.url}`);
  const refsMarkdown = r.references.map((ref) => `- [${ref.label}](${ref.url})`);
  const descriptor: Sarif.ReportingDescriptor = {
    id: r.id,
    name: toRuleName(r.id),
    shortDescription: { text: endSentence(r.title) },
    fullDescription: { text: endSentence(r.description) },
    help: {
      text: [endSentence(r.description), ...(refsText.length ? ['', 'References:', ...refsText] : [])].join('\n'),
      markdown: [`**${r.title}** (\`${r.id}\`)`, '', endSentence(r.description), ...(refsMarkdown.length ? ['', 'References:', '', ...refsMarkdown] : [])].join('\n'),
    },
    defaultConfiguration: severity === 'off' ? { enabled: false, level: 'none' } : { level: LEVEL[severity] },
    properties: { tags: [r.id.split('-')[0]] },
  };
  if (r.references[0]) descriptor.helpUri = r.references[0].url;
  return descriptor;
}

function endSentence(s: string): string {
  return /[.!?]$/.test(s) ? s : s + '.';
}

/** One finding of a file as a SARIF result (its fingerprint from computeFindingFingerprints or createFingerprinter). */
export function buildSarifResult(file: Pick<CheckedFile, 'locate' | 'redact'>, f: Finding, artifact: SarifArtifact, fingerprint: string): Sarif.Result {
  const ruleIndex = RULE_INDEX.get(f.rule);
  const result: Sarif.Result = {
    ruleId: f.rule,
    level: LEVEL[f.severity],
    message: { text: endSentence(file.redact(f.message)) },
    locations: [{ physicalLocation: physicalLocation(file, f.span, artifact) }],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
  };
  if (ruleIndex !== undefined) result.ruleIndex = ruleIndex;
  if (f.related?.length) {
    result.relatedLocations = f.related.map((rel, i) => ({
      id: i + 1,
      physicalLocation: physicalLocation(file, rel.span, artifact),
      message: { text: endSentence(file.redact(rel.message)) },
    }));
  }
  return result;
}

function physicalLocation(file: Pick<CheckedFile, 'locate' | 'redact'>, span: { start: number; end: number }, artifact: SarifArtifact): Sarif.PhysicalLocation {
  const r = file.locate.rangeOf(span);
  const { snippet, context } = file.locate.textOf(span);
  const region: Sarif.Region = {
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    // SARIF: the column of the character after the region (an empty region ends where it starts).
    endColumn: r.end.character + 1,
  };
  if (snippet !== '') region.snippet = { text: file.redact(snippet) };
  // The whole lines around the region, for viewers that do not have the file.
  const contextRegion: Sarif.Region = {
    startLine: r.start.line + 1,
    endLine: r.end.line + 1,
    snippet: { text: file.redact(context) },
  };
  const location: Sarif.ArtifactLocation = { uri: artifact.uri };
  if (artifact.uriBaseId) location.uriBaseId = artifact.uriBaseId;
  return { artifactLocation: location, region, contextRegion };
}

/**
 * One fingerprint per reported finding, in order: sha-256 over the rule id, the
 * whitespace-normalised text of the line(s) the finding covers (credentials removed)
 * and its occurrence index among findings of the same rule on identical text. Line
 * numbers are left out, so inserting or deleting unrelated lines changes nothing;
 * editing the offending line itself gives a new finding.
 */
export function computeFindingFingerprints(file: CheckedFile): string[] {
  const fingerprint = createFingerprinter();
  return file.findings.map((f) => fingerprint(f, file));
}

/**
 * computeFindingFingerprints one finding at a time, for a file whose findings come in
 * batches (each with its own locator): call it on the file's findings in order. It
 * remembers 128 bits of a digest of each distinct covered text (16 one-byte characters), not the text.
 */
export function createFingerprinter(): (f: Finding, file: Pick<CheckedFile, 'locate' | 'redact'>) => string {
  const seen = new Map<string, number>();
  return (f, file) => {
    const covered = file.locate.textOf(f.span).covered.map((l) => l.trim().replace(/\s+/g, ' '));
    const key = f.rule + '\u0000' + file.redact(covered.join('\n'));
    const id = createHash('sha256').update(key).digest().toString('latin1', 0, 16);
    const occurrence = seen.get(id) ?? 0;
    seen.set(id, occurrence + 1);
    return createHash('sha256').update(`${key}\u0000${occurrence}`).digest('hex').slice(0, 32) + ':' + (occurrence + 1);
  };
}
