/** A minimal LSP client over stdio for protocol tests: starts bin/smtptls-language-server as an editor would. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const REPO = path.resolve(__dirname, '..', '..', '..');

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    severity?: number;
    code?: string | number;
    codeDescription?: { href: string };
    message: string;
    relatedInformation?: unknown[];
  }[];
  /**
   * Not a publication: the server analysed this version and left out a publication that would
   * repeat the last one (its trace says so); the diagnostics are the last ones published.
   */
  repeated?: boolean;
  /** The first part of a large document's diagnostics, published while the rest is analysed (the trace says so). */
  partial?: boolean;
}

const PARTIAL_TRACE = /^partial diagnostics: (\S+) version (-?\d+),/;

const UNCHANGED_TRACE = /^diagnostics unchanged: (\S+) version (-?\d+) /;

/**
 * What VS Code's language client (vscode-languageclient 9) declares for pushed diagnostics: the
 * server sends relatedInformation and codeDescription only to clients that declare them.
 */
export const VSCODE_PUBLISH_DIAGNOSTICS = Object.freeze({
  relatedInformation: true,
  versionSupport: false,
  tagSupport: { valueSet: [1, 2] },
  codeDescriptionSupport: true,
  dataSupport: true,
});

/**
 * Asks a server to shut down and exit (LSP shutdown request, waited for at most `waitMs`, then the
 * exit notification); a server already gone is fine. Whoever holds the process decides how to end it.
 */
export async function requestShutdown(connection: MessageConnection, waitMs: number): Promise<void> {
  try {
    await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, waitMs))]);
    await connection.sendNotification('exit');
  } catch {
    // The server may already be gone.
  }
}

export class LspClient {
  readonly connection: MessageConnection;
  private readonly published = new Map<string, PublishedDiagnostics[]>();
  private readonly waiters: { uri: string; resolve: (p: PublishedDiagnostics) => void; predicate: (p: PublishedDiagnostics) => boolean }[] = [];
  stderr = '';

  private constructor(readonly child: ChildProcess) {
    this.connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      // The trace announcing a first part comes just before it.
      if (this.partialNext.delete(p.uri)) p.partial = true;
      this.receive(p);
    });
    // The server's trace (the client asks for it in initialize): a version analysed without a publication.
    this.connection.onNotification('$/logTrace', (p: { message: string }) => {
      const partial = PARTIAL_TRACE.exec(p.message);
      if (partial) this.partialNext.add(partial[1]);
      const m = UNCHANGED_TRACE.exec(p.message);
      if (!m) return;
      const last = this.latest.get(m[1]);
      if (last) this.receive({ ...last, version: Number(m[2]), repeated: true, partial: false });
    });
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => this.configuration));
    this.connection.listen();
  }

  private readonly latest = new Map<string, PublishedDiagnostics>();
  private readonly partialNext = new Set<string>();

  private receive(p: PublishedDiagnostics): void {
    // An editor keeps the latest publication; tests keep them all (keepLatestOnly: the benchmark).
    const list = this.keepLatestOnly ? [] : (this.published.get(p.uri) ?? []);
    list.push(p);
    this.published.set(p.uri, list);
    this.latest.set(p.uri, p);
    for (const w of [...this.waiters]) {
      if (w.uri === p.uri && w.predicate(p)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  }

  /** Every publication received for `uri` so far, in order (with the versions heard as repeated). */
  publications(uri: string): readonly PublishedDiagnostics[] {
    return this.published.get(uri) ?? [];
  }

  configuration: unknown = null;
  keepLatestOnly = false;

  /**
   * `publishDiagnostics`: the client's declared diagnostic capabilities (default: VS Code's);
   * `nodeArgs`: Node flags for the server process (before SMTPTLS_SERVER_NODE_ARGS).
   */
  static async start(
    options: {
      initializationOptions?: unknown;
      configurationCapability?: boolean;
      publishDiagnostics?: object;
      nodeArgs?: readonly string[];
      /** The server's trace level (default 'messages': versions analysed without a publication are heard). */
      trace?: 'off' | 'messages' | 'verbose';
      /** Window capabilities to declare (e.g. workDoneProgress); none by default. */
      window?: object;
      /** Hover capabilities to declare (e.g. contentFormat); none by default. */
      hover?: object;
    } = {},
  ): Promise<LspClient> {
    // SMTPTLS_SERVER_NODE_ARGS: extra node flags for the server process (the benchmark's `--cpu-prof`, say);
    // SMTPTLS_SERVER_SCRIPT: another server script than bin/smtptls-language-server (a bundle built elsewhere).
    const nodeArgs = [...(options.nodeArgs ?? []), ...(process.env.SMTPTLS_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)];
    const script = process.env.SMTPTLS_SERVER_SCRIPT ?? path.join(REPO, 'bin', 'smtptls-language-server');
    const child = spawn(process.execPath, [...nodeArgs, script, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const client = new LspClient(child);
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: options.configurationCapability ?? false },
        textDocument: { publishDiagnostics: options.publishDiagnostics ?? VSCODE_PUBLISH_DIAGNOSTICS, ...(options.hover ? { hover: options.hover } : {}) },
        ...(options.window ? { window: options.window } : {}),
      },
      initializationOptions: options.initializationOptions,
      trace: options.trace ?? 'messages',
    });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'smtp-transcript', version, text },
    });
  }

  change(uri: string, version: number, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  /**
   * The first publication for `uri` that `predicate` accepts (a first part of a large document's
   * diagnostics only with `includePartial`), received already or to come within `timeoutMs`.
   */
  waitForDiagnostics(
    uri: string,
    accept: (p: PublishedDiagnostics) => boolean = () => true,
    timeoutMs = 10000,
    options: { includePartial?: boolean } = {},
  ): Promise<PublishedDiagnostics> {
    const predicate = options.includePartial ? accept : (p: PublishedDiagnostics) => !p.partial && accept(p);
    const seen = (this.published.get(uri) ?? []).find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({
        uri,
        predicate,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  async stop(): Promise<number | null> {
    await requestShutdown(this.connection, 2000);
    const code = await new Promise<number | null>((resolve) => {
      if (this.child.exitCode !== null) return resolve(this.child.exitCode);
      const t = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve(null);
      }, 3000);
      this.child.on('exit', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    this.connection.dispose();
    return code;
  }
}
