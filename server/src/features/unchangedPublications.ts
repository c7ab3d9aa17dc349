/**
 * Leaves out a publication of diagnostics that would repeat the last one.
 *
 * Typing in a large log (a comment, a review note) rarely changes its findings,
 * but every publication carries all of a document's diagnostics (LSP push):
 * thousands of them, megabytes of JSON the editor parses and renders again at
 * every keystroke. When the JSON of a new publication is byte for byte the one
 * sent last, the client already shows exactly these diagnostics, and nothing is
 * sent.
 *
 * One exception keeps an editor's squiggles right: an editor moves a marker's
 * decoration when text is typed on its line (VS Code does), so a publication is
 * sent whenever a line edited since the last one carries a diagnostic, even if
 * the diagnostics are the same.
 */
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { findLineStarts } from '../core/text/lineIndex';

/** Edited line ranges kept per document before giving up and publishing anyway. */
const MAX_EDITED_RANGES = 64;

interface DocumentState {
  /** The JSON pieces of the last publication. */
  last: readonly Buffer[] | null;
  /** Lines edited since the last publication, [first, last] pairs in current line numbers. */
  edited: [number, number][];
  /** A whole-text replacement or too many edits since the last publication. */
  dirty: boolean;
}

export class UnchangedPublications {
  private readonly docs = new Map<string, DocumentState>();

  private stateOf(uri: string): DocumentState {
    let s = this.docs.get(uri);
    if (!s) this.docs.set(uri, (s = { last: null, edited: [], dirty: false }));
    return s;
  }

  /** Records the lines an edit touched (in the document after it), moving earlier records by the lines it added or removed. */
  noteChanges(uri: string, changes: readonly TextDocumentContentChangeEvent[]): void {
    const s = this.stateOf(uri);
    // Changes the server could not apply as given (a malformed message) make the next publication go out.
    if (!Array.isArray(changes)) {
      s.dirty = true;
      return;
    }
    for (const change of changes) {
      const range = change && typeof change === 'object' && 'range' in change ? change.range : undefined;
      const a = range?.start?.line;
      const b = range?.end?.line;
      if (typeof a !== 'number' || typeof b !== 'number' || typeof change.text !== 'string') {
        s.dirty = true;
        continue;
      }
      const first = Math.min(a, b);
      const oldLast = Math.max(a, b);
      // Line breaks as the line index counts them (LF, CR LF, lone CR).
      const added = findLineStarts(change.text).length - 1;
      const delta = added - (oldLast - first);
      const moved: [number, number][] = [];
      let lo = first;
      let hi = first + added;
      for (const [x, y] of s.edited) {
        if (y < first) moved.push([x, y]);
        else if (x > oldLast) moved.push([x + delta, y + delta]);
        else {
          // Overlaps the edit: merged with it.
          lo = Math.min(lo, x);
          hi = Math.max(hi, y + delta);
        }
      }
      moved.push([lo, hi]);
      s.edited = moved;
      if (s.edited.length > MAX_EDITED_RANGES) s.dirty = true;
    }
  }

  /**
   * Whether a publication of `pieces` can be left out: the same bytes as the last one sent, and
   * no edited line carries a diagnostic (`carriesDiagnostic` tells, given the edited ranges).
   */
  isUnchanged(uri: string, pieces: readonly Buffer[], carriesDiagnostic: (ranges: readonly (readonly [number, number])[]) => boolean): boolean {
    const s = this.docs.get(uri);
    if (!s || !s.last || s.dirty || !samePieces(s.last, pieces)) return false;
    return s.edited.length === 0 || !carriesDiagnostic(s.edited);
  }

  /** The publication of `pieces` was sent (or left out as unchanged). */
  sent(uri: string, pieces: readonly Buffer[]): void {
    const s = this.stateOf(uri);
    s.last = pieces;
    s.edited = [];
    s.dirty = false;
  }

  forget(uri: string): void {
    this.docs.delete(uri);
  }
}

/** Same bytes, piece by piece (a chunk not analysed again keeps its very Buffer). */
export function samePieces(a: readonly Buffer[], b: readonly Buffer[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !a[i].equals(b[i])) return false;
  return true;
}
