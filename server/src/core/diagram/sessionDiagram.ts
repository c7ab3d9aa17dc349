/**
 * The diagram of one session of an analysed document, as the CLI writes it
 * and the language server returns it: the SVG and, per arrow, the document
 * line it stands for (so a click can reveal it).
 */
import type { Analysis } from '../analysis/analyzeDocument';
import { buildLadder } from './ladder';
import { buildLadderStylesheet, renderLadderSvg, type LadderSvgOptions } from './ladderSvg';

export interface SessionDiagramEvent {
  /** Matches `data-event-id` of the arrow's `<g>` in the SVG. */
  readonly id: number;
  /** 0-based document line. */
  readonly line: number;
}

export interface SessionDiagram {
  readonly svg: string;
  /** The stylesheet, for a host that passed embedStyle: false. */
  readonly css: string;
  readonly events: readonly SessionDiagramEvent[];
  /** 0-based index of the drawn session, and how many the document has. */
  readonly sessionIndex: number;
  readonly sessionCount: number;
}

/** Draws session `sessionIndex` (0-based); a document without sessions gives a drawing that says so. */
export function drawSessionDiagram(analysis: Analysis, sessionIndex: number, options: LadderSvgOptions = {}): SessionDiagram {
  const ladder = buildLadder(analysis, sessionIndex);
  return {
    svg: renderLadderSvg(ladder, options),
    css: buildLadderStylesheet(),
    events: ladder.events.map((e) => ({ id: e.id, line: e.line })),
    sessionIndex: ladder.sessionIndex,
    sessionCount: ladder.sessionCount,
  };
}

/**
 * The session a 0-based line belongs to: the one whose lines contain it, else
 * the last one starting before it, else the first (0 when there is none).
 */
export function findSessionIndexAt(analysis: Analysis, line: number): number {
  const sessions = analysis.sessions;
  let best = 0;
  for (let i = 0; i < sessions.length; i++) {
    const s = sessions[i].session;
    if (line >= s.startLine && line <= s.endLine) return i;
    if (s.startLine <= line) best = i;
  }
  return best;
}
