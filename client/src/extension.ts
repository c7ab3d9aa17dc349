/**
 * The VS Code client. activate() registers what must exist at once (the diagram command, the capture
 * editor and its command) and returns; the language client (vscode-languageclient, nine tenths of
 * the client's code) is a second bundle that is loaded and started right after activation, so that
 * activation stays short (issue 10). Whatever needs the client awaits `languageClient`.
 */
import * as path from 'path';
import { window, type ExtensionContext } from 'vscode';
import type { LanguageClient, LanguageClientOptions } from 'vscode-languageclient/node';
import type * as LanguageClientBundle from './languageClient';
import { registerDiagramPanel } from './diagramPanel';
import { CAPTURE_SCHEME, registerCaptureSupport } from './captureEditor';

/** Settles once the client has started (undefined if it could not start or the extension was deactivated first). */
let languageClient: Promise<LanguageClient | undefined> | undefined;
let deactivated = false;

export function activate(context: ExtensionContext): void {
  deactivated = false;
  const serverModule = context.asAbsolutePath(path.join('dist', 'server', 'server.js'));
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'smtp-transcript' },
      { scheme: 'untitled', language: 'smtp-transcript' },
      { scheme: CAPTURE_SCHEME, language: 'smtp-transcript' },
      // Virtual workspaces (package.json capabilities.virtualWorkspaces): the server needs only the text.
      { scheme: 'vscode-vfs', language: 'smtp-transcript' },
    ],
    synchronize: { configurationSection: 'smtpTls' },
  };
  const bundle = context.asAbsolutePath(path.join('dist', 'client', 'languageClient.js'));
  // setImmediate runs after the extension host has finished this activation (a chain of promise
  // callbacks); the server then starts in the background and features appear when it answers.
  const started = new Promise<void>((resolve) => setImmediate(resolve)).then(() => startLanguageClient(bundle, serverModule, clientOptions));
  languageClient = started;
  registerDiagramPanel(context, () => started);
  registerCaptureSupport(context);
  performance.mark('smtpTls/activated');
}

async function startLanguageClient(bundle: string, serverModule: string, clientOptions: LanguageClientOptions): Promise<LanguageClient | undefined> {
  if (deactivated) return undefined;
  try {
    performance.mark('smtpTls/languageClient/willLoad');
    // A path computed at run time, so esbuild leaves this require to Node: the bundle is loaded now, not with this file.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createLanguageClient } = require(bundle) as typeof LanguageClientBundle;
    performance.mark('smtpTls/languageClient/didLoad');
    const client = createLanguageClient(serverModule, clientOptions);
    await client.start();
    performance.mark('smtpTls/languageClient/ready');
    return client;
  } catch (err) {
    void window.showErrorMessage(`SMTP/TLS Transcripts: the language server did not start: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

export async function deactivate(): Promise<void> {
  deactivated = true; // a start not yet begun does not happen
  // A start in progress finishes first: vscode-languageclient cannot stop a client that is still starting.
  const client = await languageClient;
  languageClient = undefined;
  if (client?.isRunning()) await client.stop();
}
