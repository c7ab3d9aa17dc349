/** Runs the CLI in this process against the real file system, capturing stdout, stderr and the exit code. */
import { runCli } from '../../src/cli/main';
import { REPO } from '../helpers/lspClient';

export interface InProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface InProcessOptions {
  readonly stdin?: string;
  readonly stdoutIsTty?: boolean;
  readonly stderrIsTty?: boolean;
  readonly env?: Record<string, string>;
  readonly cwd?: string;
}

export function runInProcess(args: readonly string[], options: InProcessOptions = {}): InProcessRun {
  let stdout = '';
  let stderr = '';
  const code = runCli(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    readStdin: () => options.stdin ?? '',
    stdoutIsTty: options.stdoutIsTty ?? false,
    stderrIsTty: options.stderrIsTty ?? false,
    env: options.env ?? {},
    cwd: options.cwd ?? REPO,
  });
  return { code, stdout, stderr };
}
