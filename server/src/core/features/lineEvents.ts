/**
 * Which SMTP command or reply line sits on each document line, built once per
 * Analysis (cached beside it) so hovers and tokens find it without scanning.
 */
import type { Analysis } from '../analysis/analyzeDocument';
import type { SmtpCommandEvent, SmtpReplyEvent, SmtpReplyLine } from '../model/transcript';

export type LineEvent =
  | { readonly kind: 'command'; readonly sessionIndex: number; readonly eventIndex: number; readonly event: SmtpCommandEvent }
  | {
      readonly kind: 'reply';
      readonly sessionIndex: number;
      readonly eventIndex: number;
      readonly event: SmtpReplyEvent;
      readonly part: SmtpReplyLine;
    };

const CACHE = new WeakMap<Analysis, ReadonlyMap<number, LineEvent>>();

/** Map from document line to the command or reply line on it. */
export function getLineEvents(analysis: Analysis): ReadonlyMap<number, LineEvent> {
  let map = CACHE.get(analysis);
  if (!map) {
    map = buildLineEvents(analysis);
    CACHE.set(analysis, map);
  }
  return map;
}

export function buildLineEvents(analysis: Analysis): Map<number, LineEvent> {
  const map = new Map<number, LineEvent>();
  analysis.sessions.forEach((s, sessionIndex) => {
    s.session.events.forEach((event, eventIndex) => {
      if (event.kind === 'command') {
        if (!map.has(event.line)) map.set(event.line, { kind: 'command', sessionIndex, eventIndex, event });
      } else if (event.kind === 'reply') {
        for (const part of event.parts) {
          if (!map.has(part.line)) map.set(part.line, { kind: 'reply', sessionIndex, eventIndex, event, part });
        }
      }
    });
  });
  return map;
}
