/** What every CLI command gets: its arguments and the process I/O (injectable for tests). */
import { parseArgs } from 'util';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Whole standard input; called at most once per `-` argument. */
  readStdin: () => string;
  /** Whole standard input as bytes (captures); optional for text-only callers. */
  readStdinBytes?: () => Buffer;
  /** Reads the next bytes of standard input into the buffer, returning how many (0 at its end); check streams stdin with it. */
  readStdinBlock?: (buf: Buffer) => number;
  /** Whether standard output / standard error are terminals (colour, progress); false when absent. */
  stdoutIsTty?: boolean;
  stderrIsTty?: boolean;
  /** Environment variables the CLI honours (NO_COLOR); none when absent. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Folder relative paths are resolved against; process.cwd() when absent. */
  cwd?: string;
}

export interface CliCommand {
  readonly name: string;
  /** One-paragraph usage shown by `smtptls --help`. */
  readonly usage: string;
  run(args: readonly string[], io: Io): number;
}

/** A usage error: message on stderr, exit 2. */
export class UsageError extends Error {}

type ParseOptions = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

export function parseCommandArgs(args: readonly string[], options: ParseOptions) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.split('\n')[0] : String(err));
  }
}
