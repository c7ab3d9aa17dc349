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

export interface ReportOutput {
  write(piece: string): void;
  /** Writes what is still buffered and closes FILE. */
  close(): void;
}

/** Pieces are gathered up to this many characters before each write. */
const OUTPUT_BUFFER = 1 << 16;

/**
 * A report written in pieces to FILE (created or truncated now; stdout then gets
 * nothing) or to stdout, in writes of about 64 KB; an unwritable FILE is exit 2.
 */
export function openReportOutput(outputFile: string | undefined, io: Io): ReportOutput {
  let fd: number | null = null;
  if (outputFile !== undefined) {
    try {
      fd = fs.openSync(path.resolve(io.cwd ?? process.cwd(), outputFile), 'w');
    } catch (err) {
      throw new InputError(`cannot write ${outputFile}: ${describeError(err)}`);
    }
  }
  let pending: string[] = [];
  let chars = 0;
  const flush = (): void => {
    if (chars === 0) return;
    const text = pending.join('');
    pending = [];
    chars = 0;
    if (fd === null) {
      io.stdout(text);
      return;
    }
    try {
      const bytes = Buffer.from(text, 'utf8');
      for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd, bytes, at, bytes.length - at);
    } catch (err) {
      throw new InputError(`cannot write ${outputFile}: ${describeError(err)}`);
    }
  };
  return {
    write(piece) {
      pending.push(piece);
      chars += piece.length;
      if (chars >= OUTPUT_BUFFER) flush();
    },
    close() {
      try {
        flush();
      } finally {
        if (fd !== null) fs.closeSync(fd);
        fd = null;
      }
    },
  };
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
