/** `smtptls diagram PATH [--session N] -o OUT.svg`: one session as a standalone ladder diagram (CLI contract). */
import * as fs from 'fs';
import { analyzeDocument } from '../../core/analysis/analyzeDocument';
import { drawSessionDiagram } from '../../core/diagram/sessionDiagram';
import { InputError, readInputs } from '../inputs';
import { parseCommandArgs, UsageError, type CliCommand } from '../cliTypes';
import { CAPTURE_OPTIONS, CAPTURE_USAGE, parseCaptureOptions } from '../captureOptions';

export const diagramCommand: CliCommand = {
  name: 'diagram',
  usage: `  diagram PATH [--session N] -o OUT.svg   draw session N (1-based, default 1) as a ladder diagram
${CAPTURE_USAGE}`,
  run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      session: { type: 'string' },
      output: { type: 'string', short: 'o' },
      ...CAPTURE_OPTIONS,
    });
    if (positionals.length !== 1) throw new UsageError('diagram needs exactly one PATH (a file, or - for stdin)');
    const output = values.output;
    if (typeof output !== 'string' || output === '') throw new UsageError('diagram needs -o OUT.svg');
    const session = parseSessionNumber(values.session);
    const inputs = readInputs(positionals, io.readStdin, { readStdinBytes: io.readStdinBytes, convert: parseCaptureOptions(values, io) });
    if (inputs.length !== 1) throw new InputError(`${positionals[0]}: diagram draws one file, not a folder of ${inputs.length}`);
    const input = inputs[0];
    const analysis = analyzeDocument(input.text);
    const count = analysis.sessions.length;
    if (session > count) {
      throw new InputError(count === 0 ? `${input.path}: no session found` : `${input.path}: no session ${session} (it has ${count})`);
    }
    const diagram = drawSessionDiagram(analysis, session - 1, { title: input.path });
    try {
      fs.writeFileSync(output, diagram.svg);
    } catch (err) {
      throw new InputError(`cannot write ${output}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return 0;
  },
};

function parseSessionNumber(raw: unknown): number {
  if (raw === undefined) return 1;
  if (typeof raw !== 'string' || !/^[0-9]+$/.test(raw) || Number(raw) < 1) {
    throw new UsageError(`--session takes a session number from 1, not '${String(raw)}'`);
  }
  return Number(raw);
}
