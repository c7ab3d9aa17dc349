/**
 * The language client, bundled on its own (dist/client/languageClient.js): vscode-languageclient is
 * nine tenths of the client's code, so extension.ts loads this bundle only after activate() has
 * returned (issue 10: activation ≤ 50 ms).
 */
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_EXEC_ARGV } from './serverExecArgv';

/**
 * The client of the bundled server module, over stdio; not started yet. Over stdio the server
 * writes each publication of diagnostics from the JSON it keeps per chunk (server/src/stdioWriter.ts);
 * over node IPC Node would serialise every diagnostic object of every publication again.
 */
export function createLanguageClient(serverModule: string, clientOptions: LanguageClientOptions): LanguageClient {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: [...SERVER_EXEC_ARGV] } },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6011'] } },
  };
  return new LanguageClient('smtpTls', 'SMTP/TLS Transcripts', serverOptions, clientOptions);
}
