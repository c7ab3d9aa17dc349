/**
 * Every handler runs through here: an exception becomes a logged error and an empty answer, never a
 * dead server. Requests answer `fallback`; notifications (no answer) are only logged.
 */
import type { CancellationToken, Connection } from 'vscode-languageserver';

function logFailure(connection: Connection, name: string, err: unknown): void {
  connection.console.error(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
}

export function runSafe<T>(connection: Connection, name: string, fallback: T, work: () => T, token?: CancellationToken): T {
  if (token?.isCancellationRequested) return fallback;
  try {
    return work();
  } catch (err) {
    logFailure(connection, name, err);
    return fallback;
  }
}

/** runSafe for asynchronous work: a rejection is logged and answered with `fallback` too. */
export async function runSafeAsync<T>(connection: Connection, name: string, fallback: T, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    logFailure(connection, name, err);
    return fallback;
  }
}

/** A notification handler that logs its failures instead of throwing them into the protocol layer. */
export function safeHandler<P>(connection: Connection, name: string, handler: (params: P) => void): (params: P) => void {
  return (params) => runSafe(connection, name, undefined, () => handler(params));
}
