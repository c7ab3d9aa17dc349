/**
 * The capture import as the editor runs it, in a bundle of its own (dist/client/captureImport.js)
 * that captureEditor.ts loads with require() when the first capture is opened: the importer and the
 * key log decryption stay out of the main bundle that activation evaluates (issue 10).
 */
import { createBufferSource } from '../../server/src/core/capture/captureSource';
import { openFileSource } from '../../server/src/core/capture/fileSource';
import { importCapture } from '../../server/src/core/capture/importCapture';
import { mergeKeyLogs, parseKeyLog, summarizeKeyLogProblems, type KeyLog } from '../../server/src/core/tls/decrypt/keyLogSecrets';

export interface CaptureImportOptions {
  readonly name: string;
  readonly smtpPorts: readonly number[];
  /** Key logs read by the editor: their name (for notes) and text. */
  readonly keyLogs: readonly { readonly name: string; readonly text: string }[];
}

/** Key logs as one, and what could not be read of them (line numbers and reasons, never a secret). */
function readKeyLogs(logs: CaptureImportOptions['keyLogs']): { keyLog?: KeyLog; notes: string[] } {
  const parsed: KeyLog[] = [];
  const notes: string[] = [];
  for (const { name, text } of logs) {
    const { keyLog, problems } = parseKeyLog(text);
    const unread = summarizeKeyLogProblems(problems);
    if (unread) notes.push(`key log ${name}: ${unread}`);
    parsed.push(keyLog);
  }
  return { ...(parsed.length > 0 ? { keyLog: parsed.length === 1 ? parsed[0] : mergeKeyLogs(parsed) } : {}), notes };
}

/** The transcript of a capture given as a file on disk (read in bounded chunks) or as bytes; notes about the key logs go first as comments. */
export function importCaptureText(input: { readonly file: string } | { readonly bytes: Uint8Array }, options: CaptureImportOptions): string {
  const { keyLog, notes } = readKeyLogs(options.keyLogs);
  const importOptions = { name: options.name, sourceMap: false, smtpPorts: options.smtpPorts, ...(keyLog ? { keyLog } : {}) };
  const head = notes.map((n) => `# ${n}\n`).join('');
  if ('bytes' in input) return head + importCapture(createBufferSource(input.bytes), importOptions).text;
  const source = openFileSource(input.file);
  try {
    return head + importCapture(source, importOptions).text;
  } finally {
    source.close();
  }
}
