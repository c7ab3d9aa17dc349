/**
 * `smtpTls/sessionDiagram`: the ladder diagram of the session at a position, for
 * the editor's diagram view. The SVG comes without its stylesheet (the webview adds
 * `css` under its content security policy) and `events` maps each arrow to its line.
 */
import type { Position } from 'vscode-languageserver';
import type { Analysis } from '../core/analysis/analyzeDocument';
import { drawSessionDiagram, findSessionIndexAt, type SessionDiagram } from '../core/diagram/sessionDiagram';

export const SESSION_DIAGRAM_REQUEST = 'smtpTls/sessionDiagram';

export interface SessionDiagramParams {
  readonly uri: string;
  readonly position: Position;
}

export type SessionDiagramResult = SessionDiagram;

/** The diagram of the session at `position` (the first session when the position is before any). */
export function computeSessionDiagram(analysis: Analysis, position: Position | undefined, title: string): SessionDiagramResult {
  const line = Number.isInteger(position?.line) ? (position as Position).line : 0;
  return drawSessionDiagram(analysis, findSessionIndexAt(analysis, line), { title, embedStyle: false });
}

/** The file name of a URI, for the drawing's heading. */
export function describeUri(uri: string): string {
  const last = uri.split(/[\\/]/).pop() ?? uri;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
