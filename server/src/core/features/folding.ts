/**
 * Folding ranges: sessions, hex dumps, certificates printed in PEM, multi-line replies, the phases of the
 * outline (EHLO exchange, AUTH, mail transactions, DATA, TLS handshake) and
 * runs of `# ` comment lines.
 */
import type { Analysis } from '../analysis/analyzeDocument';
import { findSessionPhases, type OutlineSymbol } from './symbols';

export interface FoldingItem {
  readonly startLine: number;
  readonly endLine: number;
  readonly kind?: 'comment' | 'region';
}

const MAX_RANGES = 20000;

export function computeFoldingRanges(analysis: Analysis): FoldingItem[] {
  const out: FoldingItem[] = [];
  const seen = new Set<string>();
  const add = (startLine: number, endLine: number, kind?: FoldingItem['kind']): void => {
    if (endLine <= startLine || out.length >= MAX_RANGES) return;
    const key = `${startLine}:${endLine}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(kind ? { startLine, endLine, kind } : { startLine, endLine });
  };
  analysis.sessions.forEach((s, i) => {
    add(s.session.startLine, s.session.endLine, 'region');
    for (const ev of s.session.events) {
      if (ev.kind === 'bytes') add(ev.line, ev.endLine);
      // A certificate a tool prints in PEM: BEGIN to END.
      else if (ev.kind === 'stated' && ev.subject === 'certificate') add(ev.line, analysis.lines.lineAt(ev.span.end));
      else if (ev.kind === 'reply' && ev.parts.length > 1) add(ev.parts[0].line, ev.parts[ev.parts.length - 1].line);
    }
    const visit = (p: OutlineSymbol): void => {
      add(p.startLine, p.endLine);
      p.children.forEach(visit);
    };
    findSessionPhases(analysis, i).forEach(visit);
  });
  addCommentBlocks(analysis, add);
  out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return out;
}

function addCommentBlocks(analysis: Analysis, add: (a: number, b: number, kind: 'comment') => void): void {
  let start = -1;
  const n = analysis.lines.lineCount;
  for (let line = 0; line <= n; line++) {
    const isComment = line < n && analysis.text.startsWith('#', analysis.lines.lineStart(line)) && analysis.lines.lineEnd(line) > analysis.lines.lineStart(line);
    if (isComment && start < 0) start = line;
    if (!isComment && start >= 0) {
      add(start, line - 1, 'comment');
      start = -1;
    }
  }
}
