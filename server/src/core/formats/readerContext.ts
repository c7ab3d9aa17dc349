/** State the region readers share while walking one document. */
import type { DocumentLines } from './documentLines';
import type { TranscriptBuilder } from './transcriptBuilder';

export interface ReaderContext {
  readonly doc: DocumentLines;
  readonly out: TranscriptBuilder;
  /**
   * SMTP lines printed bare (no prefix) belong to the TLS phase: openssl s_client and
   * gnutls-cli print what they read after the handshake that way.
   */
  bareLinesInTls: boolean;
  /** The log was printed by the server side (openssl s_server printed `ACCEPT`). */
  sentIsServer: boolean;
  /** The text ends at a forced cut (analysis/chunkContinuation.ts): what its last lines began goes on after it. */
  readonly endsAtCut?: boolean;
}

/** A reader of one format's lines: reads from line `i` and returns the next line, or -1 when line `i` is not its. */
export interface LineReader {
  tryRead(i: number): number;
  /** The document ended, or another format took over: emit what is pending. */
  flush(): void;
}

/** Only this much of a line is matched against line patterns (the rest is payload). */
export const HEAD_SCAN = 400;

export function headOf(doc: DocumentLines, i: number): string {
  return doc.head(i, HEAD_SCAN);
}

/** Line `i`: the text, its bounds without the line ending, and its first character code (NaN when empty). */
export function lineBounds(doc: DocumentLines, i: number): { text: string; s: number; e: number; c: number } {
  const s = doc.start(i);
  return { text: doc.text, s, e: doc.end(i), c: doc.text.charCodeAt(s) };
}

/**
 * Whether text[at..] starts with a time as `YYYY-MM-DD HH:MM:SS` (2026-11-30 18:59:20: PHP's gmdate('Y-m-d H:i:s'),
 * Nodemailer's and Mutt's log times inside their brackets), by its 19 characters.
 */
export function isDateTimeAt(text: string, at: number): boolean {
  for (let k = 0; k < 19; k++) {
    const c = text.charCodeAt(at + k);
    const want = k === 4 || k === 7 ? 45 : k === 10 ? 32 : k === 13 || k === 16 ? 58 : -1;
    if (want >= 0 ? c !== want : !(c >= 48 && c <= 57)) return false;
  }
  return true;
}
