/**
 * Information diagnostics about a document as a whole, which no rule reports: where analysis of a
 * document over the size limit stopped, and that nothing in a document was read (no finding there
 * means nothing was checked, not a clean session; `check` says the same on stderr).
 */
import type { Diagnostic } from 'vscode-languageserver';
import { NOTHING_READ } from '../core/analysis/chunkedCheck';
import type { IncrementalAnalysis } from '../core/analysis/incrementalAnalysis';

const INFORMATION = 3;

/** The note where analysis of a document over `smtpTls.maxDocumentSize` stopped. */
export function truncationNote(doc: IncrementalAnalysis, maxDocumentChars: number): Diagnostic {
  const at = doc.positionAt(doc.analysedLength);
  return {
    range: { start: at, end: at },
    severity: INFORMATION,
    code: 'document-too-large',
    source: 'smtptls',
    message:
      `Only the first ${(doc.analysedLength / 1e6).toFixed(1)} MB of this document were analysed ` +
      `(smtpTls.maxDocumentSize is ${(maxDocumentChars / 1e6).toFixed(0)} MB); split the file or raise the limit to see the rest.`,
  };
}

/**
 * The note on the first non-blank line of a document whose analysed part no reader found anything
 * in; null when something was read, or when the document is blank (a new file being typed).
 */
export function nothingReadNote(doc: IncrementalAnalysis): Diagnostic | null {
  if (doc.readsAnything()) return null;
  for (const chunk of doc.chunks) {
    const m = /\S/.exec(chunk.text);
    if (!m) continue;
    const lineEnd = chunk.text.indexOf('\n', m.index);
    let end = lineEnd < 0 ? chunk.text.length : lineEnd;
    if (end > m.index && chunk.text.charCodeAt(end - 1) === 0x0d) end--;
    return {
      range: { start: doc.positionAt(chunk.start + m.index), end: doc.positionAt(chunk.start + end) },
      severity: INFORMATION,
      code: 'document-nothing-read',
      source: 'smtptls',
      message: `Nothing in this document was checked: ${NOTHING_READ}; the absence of other diagnostics says nothing about it.`,
    };
  }
  return null;
}
