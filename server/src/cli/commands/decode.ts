/** `smtptls decode`: print the decoded model (CLI contract: decode --format json). */
import { analyzeDocument } from '../../core/analysis/analyzeDocument';
import { toDecodeJson } from '../../core/export/decodeJson';
import { readInputs } from '../inputs';
import { parseCommandArgs, UsageError, type CliCommand } from '../cliTypes';

export const decodeCommand: CliCommand = {
  name: 'decode',
  usage: `  decode --format json PATH... print the decoded model`,
  run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { format: { type: 'string', default: 'json' } });
    if (values.format !== 'json') throw new UsageError(`decode supports --format json, not '${String(values.format)}'`);
    if (positionals.length === 0) throw new UsageError('decode needs at least one PATH (or - for stdin)');
    const inputs = readInputs(positionals, io.readStdin);
    const files = inputs.map((input) => ({ path: input.path, ...toDecodeJson(analyzeDocument(input.text)) }));
    io.stdout(JSON.stringify({ files }) + '\n');
    return 0;
  },
};
