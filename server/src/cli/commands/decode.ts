/** `smtptls decode`: print the decoded model (CLI contract: decode --format json|text). */
import { analyzeDocument } from '../../core/analysis/analyzeDocument';
import { toDecodeJson } from '../../core/export/decodeJson';
import { formatDecodeText } from '../../core/export/decodeText';
import { readInputs } from '../inputs';
import { parseCommandArgs, UsageError, type CliCommand } from '../cliTypes';
import { writeReport } from '../reportOutput';
import { parseSmtpPorts, SMTP_PORT_OPTION, SMTP_PORT_USAGE } from '../smtpPortOption';

export const decodeCommand: CliCommand = {
  name: 'decode',
  usage: `  decode [--format json|text] [-o FILE] PATH...
                              print the decoded model: JSON (default) or a tree for terminals
${SMTP_PORT_USAGE}`,
  run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      format: { type: 'string', default: 'json' },
      output: { type: 'string', short: 'o' },
      ...SMTP_PORT_OPTION,
    });
    if (values.format !== 'json' && values.format !== 'text') {
      throw new UsageError(`decode supports --format json or text, not '${String(values.format)}'`);
    }
    if (positionals.length === 0) throw new UsageError('decode needs at least one PATH (or - for stdin)');
    const inputs = readInputs(positionals, io.readStdin, { readStdinBytes: io.readStdinBytes, convert: { smtpPorts: parseSmtpPorts(values['smtp-port'] as string[] | undefined) } });
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
