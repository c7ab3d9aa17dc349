/**
 * Captures in the editor: a .pcap/.pcapng opens as a read-only virtual transcript
 * (`smtptls-capture:` scheme, language smtp-transcript) that the language server checks
 * like any transcript. The import itself is the core's (server/src/core/capture).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { createBufferSource } from '../../server/src/core/capture/captureSource';
import { openFileSource } from '../../server/src/core/capture/fileSource';
import { importCapture } from '../../server/src/core/capture/importCapture';

export const CAPTURE_SCHEME = 'smtptls-capture';
const VIEW_TYPE = 'smtpTls.captureTranscript';

/** The virtual transcript of a capture: the path ends in `.transcript`, the query holds the capture's URI. */
export function toTranscriptUri(capture: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: CAPTURE_SCHEME, path: `${capture.path}.transcript`, query: capture.toString() });
}

/** `smtpTls.capture.smtpPorts`: more ports read as SMTP (the CLI's `--smtp-port`); values that are no port are left out. */
function configuredSmtpPorts(capture: vscode.Uri): number[] {
  const value = vscode.workspace.getConfiguration('smtpTls', capture).get<unknown>('capture.smtpPorts', []);
  return Array.isArray(value) ? value.filter((p): p is number => Number.isInteger(p) && p >= 1 && p <= 65535) : [];
}

async function readTranscriptOf(capture: vscode.Uri): Promise<string> {
  const name = path.basename(capture.path);
  const smtpPorts = configuredSmtpPorts(capture);
  // Files on disk are read in chunks (bounded memory); other file systems through the workspace API.
  if (capture.scheme === 'file') {
    const source = openFileSource(capture.fsPath);
    try {
      return importCapture(source, { name, sourceMap: false, smtpPorts }).text;
    } finally {
      source.close();
    }
  }
  const bytes = await vscode.workspace.fs.readFile(capture);
  return importCapture(createBufferSource(bytes), { name, sourceMap: false, smtpPorts }).text;
}

class CaptureContentProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** Imports the open captures again (their SMTP ports changed). */
  refreshOpen(): void {
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === CAPTURE_SCHEME) this.changed.fire(doc.uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    try {
      return await readTranscriptOf(vscode.Uri.parse(uri.query));
    } catch (err) {
      return `# cannot read ${uri.query}: ${err instanceof Error ? err.message : String(err)}\n`;
    }
  }
}

export async function openCaptureAsTranscript(capture: vscode.Uri, column?: vscode.ViewColumn): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(toTranscriptUri(capture));
  const transcript = doc.languageId === 'smtp-transcript' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'smtp-transcript');
  await vscode.window.showTextDocument(transcript, { viewColumn: column, preview: false });
}

/** Opening a capture file hands it over to its transcript (a text editor) and closes the placeholder. */
class CaptureEditorProvider implements vscode.CustomReadonlyEditorProvider {
  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.html = '<!DOCTYPE html><html><body>Opening the capture as a transcript…</body></html>';
    await openCaptureAsTranscript(document.uri, panel.viewColumn);
    panel.dispose();
  }
}

export function registerCaptureSupport(context: vscode.ExtensionContext): void {
  const provider = new CaptureContentProvider();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(CAPTURE_SCHEME, provider),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('smtpTls.capture.smtpPorts')) provider.refreshOpen();
    }),
    vscode.window.registerCustomEditorProvider(VIEW_TYPE, new CaptureEditorProvider(), { supportsMultipleEditorsPerDocument: true }),
    vscode.commands.registerCommand('smtpTls.openCapture', async (uri?: vscode.Uri) => {
      const picked = uri ?? (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Captures: ['pcap', 'pcapng', 'cap'], 'All files': ['*'] }, openLabel: 'Open as transcript' }))?.[0];
      if (picked) await openCaptureAsTranscript(picked);
    }),
  );
}
