/**
 * The language client, bundled on its own (dist/client/languageClient.js): vscode-languageclient is
 * nine tenths of the client's code, so extension.ts loads this bundle only after activate() has
 * returned (issue 10: activation ≤ 50 ms).
 */
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** The client of the bundled server module, over Node IPC; not started yet. */
export function createLanguageClient(serverModule: string, clientOptions: LanguageClientOptions): LanguageClient {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  return new LanguageClient('smtpTls', 'SMTP/TLS Transcripts', serverOptions, clientOptions);
}
