/** `smtptls decode`: print the decoded model (CLI contract: decode --format json|text). */
import { analyzeDocument } from '../../core/analysis/analyzeDocument';
import { toDecodeJson } from '../../core/export/decodeJson';
import { formatDecodeText } from '../../core/export/decodeText';
import { readInputs } from '../inputs';
import { parseCommandArgs, UsageError, type CliCommand } from '../cliTypes';
import { writeReport } from '../reportOutput';
import { CAPTURE_OPTIONS, CAPTURE_USAGE, parseCaptureOptions } from '../captureOptions';

export const decodeCommand: CliCommand = {
  name: 'decode',
  usage: `  decode [--format json|text] [-o FILE] PATH...
                              print the decoded model: JSON (default) or a tree for terminals
${CAPTURE_USAGE}`,
  run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      format: { type: 'string', default: 'json' },
      output: { type: 'string', short: 'o' },
      ...CAPTURE_OPTIONS,
    });
    if (values.format !== 'json' && values.format !== 'text') {
      throw new UsageError(`decode supports --format json or text, not '${String(values.format)}'`);
    }
    if (positionals.length === 0) throw new UsageError('decode needs at least one PATH (or - for stdin)');
    const inputs = readInputs(positionals, io.readStdin, { readStdinBytes: io.readStdinBytes, convert: parseCaptureOptions(values, io) });
    let report: string;
    if (values.format === 'text') {
      report = inputs.map((input) => formatDecodeText(input.path, analyzeDocument(input.text))).join('\n');
    } else {
      const files = inputs.map((input) => ({ path: input.path, ...toDecodeJson(analyzeDocument(input.text)) }));
      report = JSON.stringify({ files }) + '\n';
    }
    writeReport(report, values.output as string | undefined, io);
    return 0;
  },
};
