/** Every handler runs through here: an exception becomes a logged error and an empty answer, never a dead server. */
import type { CancellationToken, Connection } from 'vscode-languageserver';

export function runSafe<T>(connection: Connection, name: string, fallback: T, work: () => T, token?: CancellationToken): T {
  if (token?.isCancellationRequested) return fallback;
  try {
    return work();
  } catch (err) {
    connection.console.error(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return fallback;
  }
}
