/**
 * Captures in the editor: a .pcap/.pcapng opens as a read-only virtual transcript
 * (`smtptls-capture:` scheme, language smtp-transcript) that the language server checks
 * like any transcript. The import itself is the core's (server/src/core/capture).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type * as CaptureImportBundle from './captureImport';

export const CAPTURE_SCHEME = 'smtptls-capture';
const VIEW_TYPE = 'smtpTls.captureTranscript';
/** The largest key log read. */
const MAX_KEY_LOG_BYTES = 64 * 1024 * 1024;

/** dist/client/captureImport.js, required when the first capture is opened. */
let captureImportBundle = '';
let captureImport: typeof CaptureImportBundle | undefined;

function loadCaptureImport(): typeof CaptureImportBundle {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  captureImport ??= require(captureImportBundle) as typeof CaptureImportBundle;
  return captureImport;
}

/**
 * The virtual transcript of a capture: the path ends in `.transcript`, the query holds the capture's
 * URI, the fragment the key logs picked for it with "Open capture with key log…" (a JSON list of URIs).
 */
export function toTranscriptUri(capture: vscode.Uri, keyLogs: readonly vscode.Uri[] = []): vscode.Uri {
  const fragment = keyLogs.length > 0 ? JSON.stringify(keyLogs.map((k) => k.toString())) : '';
  return vscode.Uri.from({ scheme: CAPTURE_SCHEME, path: `${capture.path}.transcript`, query: capture.toString(), fragment });
}

/** The key logs a transcript URI names (its fragment); none when it names none or cannot be read. */
function keyLogsOf(transcript: vscode.Uri): vscode.Uri[] {
  if (transcript.fragment === '') return [];
  try {
    const list: unknown = JSON.parse(transcript.fragment);
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string').map((x) => vscode.Uri.parse(x)) : [];
  } catch {
    return [];
  }
}

/** `smtpTls.capture.smtpPorts`: more ports read as SMTP (the CLI's `--smtp-port`); values that are no port are left out. */
function configuredSmtpPorts(capture: vscode.Uri): number[] {
  const value = vscode.workspace.getConfiguration('smtpTls', capture).get<unknown>('capture.smtpPorts', []);
  return Array.isArray(value) ? value.filter((p): p is number => Number.isInteger(p) && p >= 1 && p <= 65535) : [];
}

/**
 * `smtpTls.capture.keyLogFiles`: NSS key logs (the CLI's `--keylog`), relative paths from the
 * capture's folder, read through the workspace file system. A file that cannot be read becomes a
 * note at the transcript's head. (In an untrusted workspace VS Code ignores the workspace's value of
 * this setting: package.json `restrictedConfigurations`.)
 */
async function configuredKeyLogs(capture: vscode.Uri, picked: readonly vscode.Uri[]): Promise<{ logs: { name: string; text: string }[]; notes: string[] }> {
  const value = vscode.workspace.getConfiguration('smtpTls', capture).get<unknown>('capture.keyLogFiles', []);
  const files = Array.isArray(value) ? value.filter((f): f is string => typeof f === 'string' && f.trim() !== '') : [];
  const logs: { name: string; text: string }[] = [];
  const notes: string[] = [];
  const sources = [
    ...files.map((file) => ({ name: file, uri: path.isAbsolute(file) ? vscode.Uri.file(file) : vscode.Uri.joinPath(capture, '..', file) })),
    // Picked with "Open capture with key log…".
    ...picked.map((uri) => ({ name: path.basename(uri.path), uri })),
  ];
  for (const { name: file, uri } of sources) {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_KEY_LOG_BYTES) throw new Error(`larger than ${MAX_KEY_LOG_BYTES / 1024 / 1024} MB`);
      logs.push({ name: file, text: new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri)) });
    } catch (err) {
      notes.push(`# key log ${file} (smtpTls.capture.keyLogFiles): cannot read it: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  return { logs, notes };
}

async function readTranscriptOf(capture: vscode.Uri, picked: readonly vscode.Uri[]): Promise<string> {
  const name = path.basename(capture.path);
  const smtpPorts = configuredSmtpPorts(capture);
  const { logs, notes } = await configuredKeyLogs(capture, picked);
  const options = { name, smtpPorts, keyLogs: logs };
  const { importCaptureText } = loadCaptureImport();
  // Files on disk are read in chunks (bounded memory); other file systems through the workspace API.
  if (capture.scheme === 'file') return notes.join('') + importCaptureText({ file: capture.fsPath }, options);
  return notes.join('') + importCaptureText({ bytes: await vscode.workspace.fs.readFile(capture) }, options);
}

function pickCapture(): Thenable<vscode.Uri | undefined> {
  return vscode.window
    .showOpenDialog({ canSelectMany: false, filters: { Captures: ['pcap', 'pcapng', 'cap'], 'All files': ['*'] }, openLabel: 'Open as transcript' })
    .then((picked) => picked?.[0]);
}

class CaptureContentProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** Imports the open captures again (their SMTP ports or key logs changed). */
  refreshOpen(): void {
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === CAPTURE_SCHEME) this.changed.fire(doc.uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    try {
      return await readTranscriptOf(vscode.Uri.parse(uri.query), keyLogsOf(uri));
    } catch (err) {
      return `# cannot read ${uri.query}: ${err instanceof Error ? err.message : String(err)}\n`;
    }
  }
}

export async function openCaptureAsTranscript(capture: vscode.Uri, column?: vscode.ViewColumn, keyLogs: readonly vscode.Uri[] = []): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(toTranscriptUri(capture, keyLogs));
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
  captureImportBundle = context.asAbsolutePath(path.join('dist', 'client', 'captureImport.js'));
  const provider = new CaptureContentProvider();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(CAPTURE_SCHEME, provider),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('smtpTls.capture.smtpPorts') || e.affectsConfiguration('smtpTls.capture.keyLogFiles')) provider.refreshOpen();
    }),
    vscode.window.registerCustomEditorProvider(VIEW_TYPE, new CaptureEditorProvider(), { supportsMultipleEditorsPerDocument: true }),
    vscode.commands.registerCommand('smtpTls.openCapture', async (uri?: vscode.Uri) => {
      const picked = uri ?? (await pickCapture());
      if (picked) await openCaptureAsTranscript(picked);
    }),
    // The capture (from the explorer, or picked) and its key log(s), picked now: decrypted without a setting.
    vscode.commands.registerCommand('smtpTls.openCaptureWithKeyLog', async (uri?: vscode.Uri, keyLogs?: vscode.Uri[]) => {
      const capture = uri ?? (await pickCapture());
      if (!capture) return;
      const logs =
        keyLogs ??
        (await vscode.window.showOpenDialog({
          canSelectMany: true,
          defaultUri: vscode.Uri.joinPath(capture, '..'),
          filters: { 'Key logs': ['txt', 'log', 'keylog', 'keys'], 'All files': ['*'] },
          openLabel: 'Decrypt with this key log',
          title: 'Key log (SSLKEYLOGFILE, openssl -keylogfile) for ' + path.basename(capture.path),
        }));
      if (logs && logs.length > 0) await openCaptureAsTranscript(capture, undefined, logs);
    }),
  );
}
