/** `smtptls check`: analyse transcripts and report findings; exit 1 on an error finding. */
import { analyzeDocument } from '../../core/analysis/analyzeDocument';
import { findingsToJson, findingsToTextLines } from '../../core/export/checkJson';
import { isBaseline, isSeveritySetting } from '../../core/rules/settings';
import { findRule } from '../../core/rules/catalog';
import type { AnalysisSettings, SeveritySetting } from '../../core/rules/types';
import { InputError, readInputs } from '../inputs';
import { ConfigError, createSettingsResolver } from '../../core/rules/projectConfig';
import * as fs from 'fs';
import * as path from 'path';
import { parseCommandArgs, UsageError, type CliCommand, type Io } from '../cliTypes';

export const checkCommand: CliCommand = {
  name: 'check',
  usage: `  check [options] PATH...     analyse transcripts and report findings
          --format text|json      output format (default text)
          --baseline current|rfc3207
          --rule ID=off|hint|information|warning|error   (repeatable)
          --config FILE           settings file (default: .smtptls.json found upward from each file)`,
  run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      format: { type: 'string', default: 'text' },
      baseline: { type: 'string' },
      rule: { type: 'string', multiple: true },
      config: { type: 'string' },
    });
    const format = values.format as string;
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
    if (values.baseline !== undefined && !isBaseline(values.baseline)) throw new UsageError(`--baseline must be current or rfc3207, not '${String(values.baseline)}'`);
    const rules = parseRuleOptions((values.rule as string[] | undefined) ?? []);
    if (positionals.length === 0) throw new UsageError('check needs at least one PATH (or - for stdin)');
    const settingsFor = createCliSettingsResolver(values.baseline as AnalysisSettings['baseline'] | undefined, rules, values.config as string | undefined, io);
    const inputs = readInputs(positionals, io.readStdin);

    const files = [];
    const lines: string[] = [];
    const counts = { error: 0, warning: 0, information: 0, hint: 0 };
    for (const input of inputs) {
      const analysis = analyzeDocument(input.text, settingsFor(input.path));
      for (const f of analysis.findings) counts[f.severity]++;
      if (format === 'json') files.push({ path: input.path, diagnostics: findingsToJson(analysis) });
      else lines.push(...findingsToTextLines(analysis, input.path));
    }
    if (format === 'json') {
      io.stdout(JSON.stringify({ files }) + '\n');
    } else {
      for (const l of lines) io.stdout(l + '\n');
      const total = counts.error + counts.warning + counts.information + counts.hint;
      io.stdout(
        `${inputs.length} file${inputs.length === 1 ? '' : 's'} checked: ${total} finding${total === 1 ? '' : 's'} ` +
          `(${counts.error} error, ${counts.warning} warning, ${counts.information} information, ${counts.hint} hint)\n`,
      );
    }
    return counts.error > 0 ? 1 : 0;
  },
};

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
  baseline: AnalysisSettings['baseline'] | undefined,
  rules: Record<string, SeveritySetting>,
  configPath: string | undefined,
  io: Io,
): (inputPath: string) => AnalysisSettings {
  const readText = (p: string): string | null => {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return null;
    }
  };
  const wrap = <T>(f: () => T): T => {
    try {
      return f();
    } catch (err) {
      if (err instanceof ConfigError) throw new InputError(err.message);
      throw err;
    }
  };
  const request = { ...(baseline ? { baseline } : {}), ...(Object.keys(rules).length ? { rules } : {}), ...(configPath !== undefined ? { configPath } : {}) };
  const resolve = wrap(() => createSettingsResolver(request, { readText, dirname: path.dirname, join: path.join }, (io as { cwd?: string }).cwd ?? process.cwd(), path.resolve));
  return (inputPath) => wrap(() => resolve(inputPath));
}
