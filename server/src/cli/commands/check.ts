/** `smtptls check`: analyse transcripts and report findings; exit 1 on an error finding. */
import * as path from 'path';
import { pathToFileURL } from 'url';
import { ChunkedCheck, NOTHING_READ } from '../../core/analysis/chunkedCheck';
import type { FindingLocator } from '../../core/export/checkReport';
import type { Redactor } from '../../core/export/redact';
import { createReportStream } from '../../core/export/reportStream';
import type { SarifArtifact, SarifOptions } from '../../core/export/sarif';
import { isBaseline, isSeveritySetting, isTlsPolicy } from '../../core/rules/settings';
import { findRule } from '../../core/rules/catalog';
import type { AnalysisSettings, Finding, SeveritySetting, TlsPolicy } from '../../core/rules/types';
import { InputError, resolveInputs, streamInput } from '../inputs';
import { ConfigError, createSettingsResolver } from '../../core/rules/projectConfig';
import * as fs from 'fs';
import { parseCommandArgs, UsageError, type CliCommand, type Io } from '../cliTypes';
import { createProgress, openReportOutput, shouldColor } from '../reportOutput';
import { FindingSpill, type SpillSegment } from '../findingSpill';
import { TOOL_INFORMATION_URI, TOOL_VERSION } from '../version';
import { CAPTURE_OPTIONS, CAPTURE_USAGE, createCaptureOptionsResolver, parseCaptureOptions } from '../captureOptions';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];

export const checkCommand: CliCommand = {
  name: 'check',
  usage: `  check [options] PATH...     analyse transcripts and report findings
          --format text|json|sarif|github   output format (default text)
          --baseline current|rfc3207
          --policy none|mta-sts|dane   the receiving domain's TLS policy, for sessions no '# smtptls-policy:' comment covers
          --rule ID=off|hint|information|warning|error   (repeatable)
          --config FILE           settings file (default: .smtptls.json found upward from each file)
          --max-warnings N        exit 1 when there are more than N warnings
          --quiet                 report errors only
          --output FILE, -o FILE  write the report to FILE instead of stdout
          --no-color, --color     never / always colour the text format (default: on a terminal, unless NO_COLOR is set)
          --progress              report progress on stderr even when it is not a terminal
          --sarif-base DIR        SARIF paths are relative to DIR (default: the current folder)
${CAPTURE_USAGE}
          PATH: a file, a folder, a glob ('logs/**/*.log'), or - for stdin`,
  run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      format: { type: 'string', default: 'text' },
      baseline: { type: 'string' },
      policy: { type: 'string' },
      rule: { type: 'string', multiple: true },
      config: { type: 'string' },
      'max-warnings': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      output: { type: 'string', short: 'o' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      progress: { type: 'boolean', default: false },
      'sarif-base': { type: 'string' },
      ...CAPTURE_OPTIONS,
    });
    const format = values.format as string;
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
    if (values.baseline !== undefined && !isBaseline(values.baseline)) throw new UsageError(`--baseline must be current or rfc3207, not '${String(values.baseline)}'`);
    if (values.policy !== undefined && !isTlsPolicy(values.policy)) throw new UsageError(`--policy must be none, mta-sts or dane, not '${String(values.policy)}'`);
    const rules = parseRuleOptions((values.rule as string[] | undefined) ?? []);
    const maxWarnings = parseMaxWarnings(values['max-warnings'] as string | undefined);
    const outputFile = values.output as string | undefined;
    // Config files are read once whoever asks (the settings and the capture options of a folder).
    const readConfigText = createConfigReader();
    const convertFor = createCaptureOptionsResolver(parseCaptureOptions(values, io), values.config as string | undefined, io, readConfigText);
    if (outputFile === '') throw new UsageError('--output needs a file name');
    if (positionals.length === 0) throw new UsageError('check needs at least one PATH (or - for stdin)');
    const settingsFor = createCliSettingsResolver(
      { baseline: values.baseline as AnalysisSettings['baseline'] | undefined, policy: values.policy as TlsPolicy | undefined },
      rules,
      values.config as string | undefined,
      io,
      readConfigText,
    );

    const refs = resolveInputs(positionals);
    const progress = createProgress(values.progress === true, io);
    const quiet = values.quiet === true;
    const keepText = format === 'sarif';
    // Each input is checked chunk by chunk as it is read, and each chunk's findings go to the
    // spill as soon as they are final: memory holds one chunk, not the findings.
    const spill = new FindingSpill();
    try {
      const files: { path: string; redact: Redactor; segment: SpillSegment }[] = [];
      let warnings = 0;
      let errors = 0;
      refs.forEach((ref, i) => {
        progress.step(i, refs.length, ref.path);
        let check: ChunkedCheck | null = null;
        let first = 0;
        const onFindings = (findings: readonly Finding[], locate: FindingLocator): void => {
          spill.add(quiet ? findings.filter((f) => f.severity === 'error') : findings, locate, keepText);
        };
        const sink = {
          // A document read again (streamInput) starts over: the records of the first reading are skipped.
          begin: () => {
            check = new ChunkedCheck(settingsFor(ref.path), { keepText, onFindings });
            first = spill.count;
          },
          push: (piece: string) => check!.push(piece),
        };
        if (!streamInput(ref, sink, io.readStdin, { readStdinBytes: io.readStdinBytes, readStdinBlock: io.readStdinBlock, convert: convertFor(ref.path) })) return;
        const result = (check as ChunkedCheck | null)!.end();
        // "0 findings" must not read as a clean bill for a file of which nothing was read.
        if (result.sessions === 0 && !quiet) io.stderr(`smtptls: ${ref.path}: nothing checked: ${NOTHING_READ}\n`);
        warnings += result.counts.warning;
        errors += result.counts.error;
        files.push({ path: ref.path, redact: result.redact, segment: { first, count: spill.count - first } });
      });
      progress.done();

      const tooManyWarnings = maxWarnings !== undefined && warnings > maxWarnings;
      const exitCode = errors > 0 || tooManyWarnings ? 1 : 0;
      const color = shouldColor({ color: values.color as boolean | undefined, noColor: values['no-color'] as boolean | undefined, toFile: outputFile !== undefined }, io);
      const output = openReportOutput(outputFile, io);
      try {
        const sarif = format === 'sarif' ? sarifOptions((values.baseline as AnalysisSettings['baseline'] | undefined) ?? 'current', exitCode, values['sarif-base'] as string | undefined, io) : undefined;
        const report = createReportStream(format as Format, { color, sarif }, output.write);
        spill.replay(
          files.map((f) => f.segment),
          {
            beginSegment: (i) => report.beginFile(files[i].path, files[i].redact),
            batch: (findings, locate) => report.findings(findings, locate),
            endSegment: () => report.endFile(),
          },
        );
        report.end();
      } finally {
        output.close();
      }
      if (tooManyWarnings) io.stderr(`smtptls: ${warnings} warning${warnings === 1 ? '' : 's'} found, more than --max-warnings ${maxWarnings}\n`);
      return exitCode;
    } finally {
      spill.close();
    }
  },
};

/** The SARIF run's tool, invocation and artifact locations (paths relative to --sarif-base, default the current folder). */
function sarifOptions(baseline: AnalysisSettings['baseline'], exitCode: number, sarifBase: string | undefined, io: Io): SarifOptions {
  const cwd = io.cwd ?? process.cwd();
  const base = path.resolve(cwd, sarifBase ?? '.');
  return {
    toolVersion: TOOL_VERSION,
    informationUri: TOOL_INFORMATION_URI,
    baseline,
    exitCode,
    locateArtifact: (p) => locateArtifact(p, cwd, base),
    uriBaseIds: { SRCROOT: pathToFileURL(base).href.replace(/\/?$/, '/') },
  };
}

/** A checked path as a SARIF location: relative to the base (uriBaseId SRCROOT) when inside it, else an absolute file URI. */
export function locateArtifact(p: string, cwd: string, base: string): SarifArtifact {
  if (p === '-') return { uri: 'stdin' };
  const abs = path.resolve(cwd, p);
  const rel = path.relative(base, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
}

function parseMaxWarnings(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--max-warnings expects a whole number, not '${raw}'`);
  return Number(raw);
}

/** `--rule ID=severity`, repeatable; unknown ids and severities are usage errors. */
export function parseRuleOptions(specs: readonly string[]): Record<string, SeveritySetting> {
  const rules: Record<string, SeveritySetting> = {};
  for (const spec of specs) {
    const m = /^([^=]+)=(.*)$/.exec(spec);
    if (!m || !findRule(m[1]) || !isSeveritySetting(m[2])) {
      throw new UsageError(`--rule expects ID=off|hint|information|warning|error with a known rule id, not '${spec}'`);
    }
    rules[m[1]] = m[2];
  }
  return rules;
}

/** Settings per file: .smtptls.json (or --config) under the command-line flags; a bad config file is an input error (exit 2). */
function createCliSettingsResolver(
  { baseline, policy }: { baseline: AnalysisSettings['baseline'] | undefined; policy: TlsPolicy | undefined },
  rules: Record<string, SeveritySetting>,
  configPath: string | undefined,
  io: Io,
  readText: (path: string) => string | null,
): (inputPath: string) => AnalysisSettings {
  const wrap = <T>(f: () => T): T => {
    try {
      return f();
    } catch (err) {
      if (err instanceof ConfigError) throw new InputError(err.message);
      throw err;
    }
  };
  const request = {
    ...(baseline ? { baseline } : {}),
    ...(policy ? { policy } : {}),
    ...(Object.keys(rules).length ? { rules } : {}),
    ...(configPath !== undefined ? { configPath } : {}),
  };
  const resolve = wrap(() => createSettingsResolver(request, { readText, dirname: path.dirname, join: path.join }, (io as { cwd?: string }).cwd ?? process.cwd(), path.resolve));
  return (inputPath) => wrap(() => resolve(inputPath));
}

/** A config file's text (null when it cannot be read), each path read once. */
function createConfigReader(): (path: string) => string | null {
  const read = new Map<string, string | null>();
  return (p) => {
    if (!read.has(p)) {
      let text: string | null;
      try {
        text = fs.readFileSync(p, 'utf8');
      } catch {
        text = null;
      }
      read.set(p, text);
    }
    return read.get(p) ?? null;
  };
}
