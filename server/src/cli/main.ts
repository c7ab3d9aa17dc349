/**
 * smtptls: the command-line face of the core. One file per command under
 * commands/; the contract (commands, JSON shapes, exit codes) is in README.md:
 * exit 0 = no error finding, 1 = error finding, 2 = usage or input error.
 */
import * as fs from 'fs';
import { InputError, decodeText, registerInputConverter } from './inputs';
import { UsageError, type CliCommand, type Io } from './cliTypes';
import { checkCommand } from './commands/check';
import { decodeCommand } from './commands/decode';
import { diagramCommand } from './commands/diagram';
import { importCommand } from './commands/import';
import { exportPcapCommand } from './commands/exportPcap';
import { captureInputConverter } from './captureInput';
import { TOOL_VERSION } from './version';

/** Registered commands, in the order `--help` lists them. */
const COMMANDS: readonly CliCommand[] = [checkCommand, decodeCommand, diagramCommand, importCommand, exportPcapCommand];
registerInputConverter(captureInputConverter);

function usage(): string {
  return [
    'usage: smtptls <command> [options] PATH...',
    '',
    'commands:',
    ...COMMANDS.map((c) => c.usage),
    '',
    'PATH may be a file, a folder (searched recursively for .smtp, .smtplog, .transcript, and for .txt, .log',
    'and extension-less files that look like transcripts), a glob (* ? **, quoted) or - for stdin.',
    'exit status: 0 no error finding, 1 an error finding (or more warnings than --max-warnings),',
    '2 usage or input error.',
  ].join('\n');
}

export function runCli(argv: readonly string[], io: Io): number {
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
      (name === undefined ? io.stderr : io.stdout)(usage() + '\n');
      return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === '-v') {
      io.stdout(TOOL_VERSION + '\n');
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command '${name}'`);
    return command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError) {
      io.stderr(`smtptls: ${err.message}\n`);
      if (err instanceof UsageError) io.stderr(`run 'smtptls --help' for usage\n`);
      return 2;
    }
    // A bug, not a finding: say so and exit 2 so pipelines never read it as "violations found".
    io.stderr(`smtptls: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 2;
  }
}

function readStdinBytes(): Buffer {
  try {
    return fs.readFileSync(0);
  } catch (err) {
    throw new InputError(`cannot read standard input: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Writes to standard output as it comes (a report may be larger than memory should hold):
 * synchronously, waiting while a non-blocking pipe is full; a reader that went away
 * (`| head`) ends the output, not the run.
 */
function createStdoutWriter(fd = 1): (s: string) => void {
  let closed = false;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  return (s) => {
    const bytes = Buffer.from(s, 'utf8');
    for (let at = 0; at < bytes.length && !closed; ) {
      try {
        at += fs.writeSync(fd, bytes, at, bytes.length - at);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 5);
        else if (code === 'EPIPE') closed = true;
        else throw err;
      }
    }
  };
}

/** The next bytes of standard input (0 at its end), waiting while a non-blocking stdin has none yet. */
function readStdinBlock(buf: Buffer): number {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      return fs.readSync(0, buf, 0, buf.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 5);
      else if (code === 'EOF') return 0;
      else throw new InputError(`cannot read standard input: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** Entry point used by bin/smtptls. */
export function main(): void {
  const code = runCli(process.argv.slice(2), {
    stdout: createStdoutWriter(),
    stderr: (s) => process.stderr.write(s),
    readStdin: () => decodeText(readStdinBytes()),
    readStdinBytes,
    readStdinBlock,
    stdoutIsTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  });
  process.exit(code);
}
