/** Where a report goes (stdout or `--output FILE`), colour decisions, and progress on stderr. */
import * as fs from 'fs';
import * as path from 'path';
import { InputError, describeError } from './inputs';
import type { Io } from './cliTypes';

/** Writes the report to FILE (stdout then gets nothing) or to stdout; an unwritable FILE is exit 2. */
export function writeReport(report: string, outputFile: string | undefined, io: Io): void {
  if (outputFile === undefined) {
    io.stdout(report);
    return;
  }
  const target = path.resolve(io.cwd ?? process.cwd(), outputFile);
  try {
    fs.writeFileSync(target, report);
  } catch (err) {
    throw new InputError(`cannot write ${outputFile}: ${describeError(err)}`);
  }
}

/**
 * Colour when explicitly asked (`--color`), else when the report goes to a terminal
 * and neither `--no-color` nor a non-empty NO_COLOR variable says otherwise.
 */
export function shouldColor(flags: { color?: boolean; noColor?: boolean; toFile: boolean }, io: Io): boolean {
  if (flags.noColor || flags.toFile) return false;
  if (flags.color) return true;
  const noColor = io.env?.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return io.stdoutIsTty === true;
}

export interface Progress {
  /** Called before input `index` (0-based) of `total` is read. */
  step(index: number, total: number, path: string): void;
  /** Clears a terminal status line. */
  done(): void;
}

const NO_PROGRESS: Progress = { step: () => undefined, done: () => undefined };
/** A terminal status line is redrawn at most this often, and only once a run lasts this long. */
const REDRAW_MS = 100;
const QUIET_START_MS = 250;

/**
 * Progress on stderr, never on stdout: a status line redrawn in place when stderr is a
 * terminal; one line per input with `--progress` when it is not (CI logs).
 */
export function createProgress(forced: boolean, io: Io, now: () => number = Date.now): Progress {
  if (io.stderrIsTty) {
    const start = now();
    let last = -Infinity;
    let drawn = false;
    return {
      step(index, total, file) {
        const t = now();
        if (t - start < QUIET_START_MS || t - last < REDRAW_MS) return;
        last = t;
        drawn = true;
        io.stderr(`\r\u001b[K[${index + 1}/${total}] ${file}`);
      },
      done() {
        if (drawn) io.stderr('\r\u001b[K');
      },
    };
  }
  if (!forced) return NO_PROGRESS;
  return {
    step: (index, total, file) => io.stderr(`smtptls: [${index + 1}/${total}] ${file}\n`),
    done: () => undefined,
  };
}
