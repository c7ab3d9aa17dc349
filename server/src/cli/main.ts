/**
 * smtptls: the command-line face of the core. Commands and output follow the
 * CLI contract (docs/cli.md); exit 0 = no error finding, 1 = error finding,
 * 2 = usage or input error.
 */
import * as fs from 'fs';
import { parseArgs } from 'util';
import { analyzeDocument } from '../core/analysis/analyzeDocument';
import { toDecodeJson } from '../core/export/decodeJson';
import { findingsToJson, findingsToTextLines } from '../core/export/checkJson';
import { isBaseline, isSeveritySetting } from '../core/rules/settings';
import { findRule } from '../core/rules/catalog';
import type { AnalysisSettings, SeveritySetting } from '../core/rules/types';
import { InputError, readInputs, decodeText } from './inputs';

const VERSION = '0.1.0';

const USAGE = `usage: smtptls <command> [options] PATH...

commands:
  check   analyse transcripts and report findings
          --format text|json      output format (default text)
          --baseline current|rfc3207
          --rule ID=off|hint|information|warning|error   (repeatable)
  decode  print the decoded model
          --format json

PATH may be a file, a folder (searched for .smtp, .smtplog, .transcript, .txt, .log) or - for stdin.
exit status: 0 no error finding, 1 an error finding, 2 usage or input error.`;

class UsageError extends Error {}

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => string;
}

export function runCli(argv: readonly string[], io: Io): number {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      io.stdout(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(VERSION + '\n');
      return 0;
    }
    if (command === 'check') return runCheck(rest, io);
    if (command === 'decode') return runDecode(rest, io);
    throw new UsageError(`unknown command '${command}'`);
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError) {
      io.stderr(`smtptls: ${err.message}\n`);
      if (err instanceof UsageError) io.stderr(`run 'smtptls --help' for usage\n`);
      return 2;
    }
    throw err;
  }
}

type ParseOptions = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

function parse(args: readonly string[], options: ParseOptions) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.split('\n')[0] : String(err));
  }
}

function runCheck(args: readonly string[], io: Io): number {
  const { values, positionals } = parse(args, {
    format: { type: 'string', default: 'text' },
    baseline: { type: 'string', default: 'current' },
    rule: { type: 'string', multiple: true },
  });
  const format = values.format as string;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
  if (!isBaseline(values.baseline)) throw new UsageError(`--baseline must be current or rfc3207, not '${String(values.baseline)}'`);
  const rules: Record<string, SeveritySetting> = {};
  for (const spec of (values.rule as string[] | undefined) ?? []) {
    const m = /^([^=]+)=(.*)$/.exec(spec);
    if (!m || !findRule(m[1]) || !isSeveritySetting(m[2])) {
      throw new UsageError(`--rule expects ID=off|hint|information|warning|error with a known rule id, not '${spec}'`);
    }
    rules[m[1]] = m[2];
  }
  if (positionals.length === 0) throw new UsageError('check needs at least one PATH (or - for stdin)');
  const settings: AnalysisSettings = Object.keys(rules).length ? { baseline: values.baseline, rules } : { baseline: values.baseline };
  const inputs = readInputs(positionals, io.readStdin);

  let errors = 0;
  const files = [];
  const lines: string[] = [];
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const input of inputs) {
    const analysis = analyzeDocument(input.text, settings);
    for (const f of analysis.findings) counts[f.severity]++;
    errors += analysis.findings.filter((f) => f.severity === 'error').length;
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
  return errors > 0 ? 1 : 0;
}

function runDecode(args: readonly string[], io: Io): number {
  const { values, positionals } = parse(args, { format: { type: 'string', default: 'json' } });
  if (values.format !== 'json') throw new UsageError(`decode supports --format json, not '${String(values.format)}'`);
  if (positionals.length === 0) throw new UsageError('decode needs at least one PATH (or - for stdin)');
  const inputs = readInputs(positionals, io.readStdin);
  const files = inputs.map((input) => ({ path: input.path, ...toDecodeJson(analyzeDocument(input.text)) }));
  io.stdout(JSON.stringify({ files }) + '\n');
  return 0;
}

function readStdinSync(): string {
  try {
    return decodeText(fs.readFileSync(0));
  } catch (err) {
    throw new InputError(`cannot read standard input: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Entry point used by bin/smtptls. */
export function main(): void {
  const out: string[] = [];
  const code = runCli(process.argv.slice(2), {
    stdout: (s) => out.push(s),
    stderr: (s) => process.stderr.write(s),
    readStdin: readStdinSync,
  });
  process.stdout.write(out.join(''), () => process.exit(code));
}
