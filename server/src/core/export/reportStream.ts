/**
 * Every `check` output format written piece by piece: files one after another, each
 * file's findings in batches (each batch with its own locator), so a report of any
 * number of findings is written without holding them. The pieces joined are exactly
 * the text the whole-report formatters give (formatCheckText, formatCheckJson,
 * formatGithubAnnotations, formatSarif) for the same files and findings.
 */
import type { Finding } from '../rules/types';
import type { CheckedFile, FindingLocator, SeverityCounts } from './checkReport';
import { findingsToJson } from './checkJson';
import { formatFindingLines, formatTextSummary } from './checkText';
import { formatGithubAnnotations } from './githubAnnotations';
import type { Redactor } from './redact';
import { buildSarifLog, buildSarifResult, createFingerprinter, type SarifArtifact, type SarifOptions } from './sarif';

export type ReportFormat = 'text' | 'json' | 'sarif' | 'github';

export interface ReportStream {
  /** Starts the next checked file (its findings follow). */
  beginFile(path: string, redact: Redactor): void;
  /** The next findings of the current file, in document order, and where their spans are. */
  findings(findings: readonly Finding[], locate: FindingLocator): void;
  endFile(): void;
  /** Ends the report (the text format's summary line, the closing brackets). */
  end(): void;
}

export interface ReportStreamOptions {
  /** Text format: colour escapes. */
  readonly color?: boolean;
  /** SARIF format: the run's tool, invocation and artifact locations. */
  readonly sarif?: SarifOptions;
}

export function createReportStream(format: ReportFormat, options: ReportStreamOptions, write: (piece: string) => void): ReportStream {
  let file: { path: string; redact: Redactor } | null = null;
  const current = (): { path: string; redact: Redactor } => {
    if (!file) throw new Error('ReportStream: findings outside a file');
    return file;
  };
  const batch = (findings: readonly Finding[], locate: FindingLocator): CheckedFile => ({ ...current(), findings, locate });
  const base = {
    beginFile(path: string, redact: Redactor) {
      file = { path, redact };
    },
    endFile() {
      file = null;
    },
  };
  switch (format) {
    case 'text': {
      let files = 0;
      const counts: SeverityCounts = { error: 0, warning: 0, information: 0, hint: 0 };
      return {
        ...base,
        beginFile(path, redact) {
          files++;
          base.beginFile(path, redact);
        },
        findings(findings, locate) {
          for (const f of findings) counts[f.severity]++;
          const lines = formatFindingLines([batch(findings, locate)], options);
          if (lines.length > 0) write(lines.join('\n') + '\n');
        },
        end: () => write(formatTextSummary(files, counts, options) + '\n'),
      };
    }
    case 'github':
      return { ...base, findings: (findings, locate) => write(formatGithubAnnotations([batch(findings, locate)])), end: () => undefined };
    case 'json': {
      let files = 0;
      let first = true;
      write('{"files":[');
      return {
        beginFile(path, redact) {
          base.beginFile(path, redact);
          write(`${files++ > 0 ? ',' : ''}{"path":${JSON.stringify(path)},"diagnostics":[`);
          first = true;
        },
        findings(findings, locate) {
          const items = findingsToJson(locate, findings, current().redact).map((d) => JSON.stringify(d));
          if (items.length === 0) return;
          write((first ? '' : ',') + items.join(','));
          first = false;
        },
        endFile() {
          base.endFile();
          write(']}');
        },
        end: () => write(']}\n'),
      };
    }
    case 'sarif':
      return createSarifStream(options, write, base, batch);
  }
}

/** The SARIF log (formatSarif's indented JSON) with its results written one by one where a placeholder result stands. */
function createSarifStream(
  options: ReportStreamOptions,
  write: (piece: string) => void,
  base: Pick<ReportStream, 'beginFile' | 'endFile'>,
  batch: (findings: readonly Finding[], locate: FindingLocator) => CheckedFile,
): ReportStream {
  const sarif = options.sarif;
  if (!sarif) throw new Error('ReportStream: the SARIF format needs its options');
  const PLACEHOLDER = '\u0000results\u0000';
  const log = buildSarifLog([], sarif);
  const empty = JSON.stringify(log, null, 2) + '\n';
  (log.runs[0] as { results: unknown[] }).results = [PLACEHOLDER];
  const whole = JSON.stringify(log, null, 2) + '\n';
  const at = whole.indexOf(JSON.stringify(PLACEHOLDER));
  const head = whole.slice(0, at);
  const tail = whole.slice(at + JSON.stringify(PLACEHOLDER).length);
  // The results array's items are indented as deep as the placeholder is.
  const indent = '\n' + head.slice(head.lastIndexOf('\n') + 1);
  let results = 0;
  let fingerprint = createFingerprinter();
  let artifact: SarifArtifact | null = null;
  return {
    beginFile(path, redact) {
      base.beginFile(path, redact);
      fingerprint = createFingerprinter();
      artifact = sarif.locateArtifact(path);
    },
    findings(findings, locate) {
      const file = batch(findings, locate);
      const pieces: string[] = [];
      for (const f of findings) {
        const result = buildSarifResult(file, f, artifact!, fingerprint(f, file));
        pieces.push((results++ === 0 ? head : ',' + indent) + JSON.stringify(result, null, 2).split('\n').join(indent));
      }
      if (pieces.length > 0) write(pieces.join(''));
    },
    endFile: base.endFile,
    end: () => write(results === 0 ? empty : tail),
  };
}
