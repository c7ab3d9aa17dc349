/** `smtptls import CAPTURE [-o OUT]`: pcap/pcapng → C:/S: transcript text (CLI contract; exit 0, or 2). */
import * as fs from 'fs';
import * as path from 'path';
import { createBufferSource, type CaptureSource } from '../../core/capture/captureSource';
import { openFileSource } from '../../core/capture/fileSource';
import { importCapture, type ImportResult } from '../../core/capture/importCapture';
import { InputError, describeError } from '../inputs';
import { parseCommandArgs, UsageError, type CliCommand } from '../cliTypes';
import { CAPTURE_OPTIONS, CAPTURE_USAGE, parseCaptureOptions } from '../captureOptions';

export const importCommand: CliCommand = {
  name: 'import',
  usage: `  import CAPTURE [-o OUT]     pcap/pcapng → transcript text (stdout or OUT); CAPTURE may be - for stdin
          --full-hex              show encrypted TLS records as hex too (default: summarised)
          --source-map FILE       write the transcript line → frame numbers map as JSON
${CAPTURE_USAGE}`,
  run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      output: { type: 'string', short: 'o' },
      'full-hex': { type: 'boolean', default: false },
      'source-map': { type: 'string' },
      ...CAPTURE_OPTIONS,
    });
    if (positionals.length !== 1) throw new UsageError('import needs exactly one CAPTURE (a .pcap or .pcapng file, or - for stdin)');
    const capture = positionals[0];
    const output = values.output as string | undefined;
    const sourceMapFile = values['source-map'] as string | undefined;
    const { smtpPorts, keyLog } = parseCaptureOptions(values, io);
    // Every byte as hex is the records as sent: nothing is decrypted then.
    if (keyLog && values['full-hex'] === true) io.stderr('smtptls import: warning: --full-hex shows the encrypted records as sent; --keylog decrypts nothing with it\n');

    let source: CaptureSource;
    let close = (): void => undefined;
    if (capture === '-') {
      if (!io.readStdinBytes) throw new InputError('cannot read a capture from standard input here');
      source = createBufferSource(io.readStdinBytes());
    } else {
      try {
        const file = openFileSource(capture);
        source = file;
        close = () => file.close();
      } catch (err) {
        throw new InputError(`cannot read ${capture}: ${describeError(err)}`);
      }
    }

    let fd: number | undefined;
    if (output !== undefined) {
      try {
        fd = fs.openSync(output, 'w');
      } catch (err) {
        close();
        throw new InputError(`cannot write ${output}: ${describeError(err)}`);
      }
    }
    let result: ImportResult;
    try {
      result = importCapture(source, {
        name: capture === '-' ? 'standard input' : path.basename(capture),
        elideApplicationData: values['full-hex'] !== true,
        sourceMap: sourceMapFile !== undefined,
        smtpPorts,
        ...(keyLog ? { keyLog } : {}),
        write: fd !== undefined ? (chunk) => fs.writeSync(fd!, chunk) : io.stdout,
      });
    } finally {
      close();
      if (fd !== undefined) fs.closeSync(fd);
    }
    if (sourceMapFile !== undefined) writeSourceMap(sourceMapFile, result);
    for (const p of result.problems) io.stderr(`${capture}: ${p.severity}: ${p.message}\n`);
    if (result.info === null) return 2;
    if (result.sessionCount === 0) io.stderr(`${capture}: no SMTP session found\n`);
    // A file that could not be read to its end: what was read is written, and the exit says it is incomplete.
    return result.failed ? 2 : 0;
  },
};

function writeSourceMap(file: string, result: ImportResult): void {
  const lines: (readonly [number, number] | null)[] = [];
  for (let i = 0; i < result.lineCount; i++) {
    const a = result.lineFrames[2 * i];
    lines.push(a === 0 ? null : [a, result.lineFrames[2 * i + 1]]);
  }
  try {
    fs.writeFileSync(file, JSON.stringify({ lines, sessions: result.sessions }) + '\n');
  } catch (err) {
    throw new InputError(`cannot write ${file}: ${describeError(err)}`);
  }
}
