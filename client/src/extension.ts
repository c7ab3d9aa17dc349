/** The VS Code client: starts the language server and tells it which documents are transcripts. */
import * as path from 'path';
import { window, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerDiagramPanel } from './diagramPanel';
import { CAPTURE_SCHEME, registerCaptureSupport } from './captureEditor';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
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
  const languageClient = new LanguageClient('smtpTls', 'SMTP/TLS Transcripts', serverOptions, clientOptions);
  client = languageClient;
  // Activation returns at once; the server starts in the background and features appear when it answers.
  const started = languageClient.start().then(
    () => languageClient,
    (err: unknown) => {
      void window.showErrorMessage(`SMTP/TLS Transcripts: the language server did not start: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    },
  );
  registerDiagramPanel(context, () => started);
  registerCaptureSupport(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
