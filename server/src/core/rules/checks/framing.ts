/** dump-malformed, tls-truncated, tls-malformed: problems found while reading text and decoding bytes. */
import { documentSpanOfBytes } from '../../bytes/byteView';
import type { TlsProblem } from '../../model/tls';
import type { TlsStream } from '../../analysis/tlsStreams';
import type { AnalyzedSession } from '../../analysis/analyzeDocument';
import { readPlaintextSmtp } from '../dialogue';
import type { RuleCheck, RuleContext } from '../ruleContext';
import { listClientHellos, listRecords, listServerHellos } from '../sites';
import { findDuplicateExtensions } from './helloContent';
import { isOverflowingRecord } from './records';

export const checkDumpMalformed: RuleCheck = (ctx) => {
  for (const p of ctx.input.transcript.problems) {
    if (p.rule === 'dump-malformed') ctx.report({ span: p.span, message: p.message });
  }
};

/**
 * Decoder problems that a more specific rule reports (tls-record-overflow,
 * tls-duplicate-extension), keyed by stream and byte span, so that tls-malformed
 * does not report them a second time.
 */
function findProblemsOwnedElsewhere(ctx: RuleContext): Map<TlsStream, Set<string>> {
  const owned = new Map<TlsStream, Set<string>>();
  const add = (stream: TlsStream, start: number, end: number): void => {
    const set = owned.get(stream) ?? new Set<string>();
    set.add(`${start}:${end}`);
    owned.set(stream, set);
  };
  for (const site of listRecords(ctx.input.sessions)) {
    if (isOverflowingRecord(site)) add(site.event.stream, site.record.start + 3, site.record.start + 5);
  }
  for (const site of [...listClientHellos(ctx.input.sessions), ...listServerHellos(ctx.input.sessions)]) {
    for (const d of findDuplicateExtensions(site.message)) add(site.event.stream, d.start, d.start + 2);
  }
  return owned;
}

/** A stream whose every run is SMTP text written as hex: the STARTTLS rules report it, not as broken TLS. */
function isPlaintextStream(session: AnalyzedSession, stream: TlsStream): boolean {
  return stream.runIndices.every((i) => {
    const e = session.session.events[i];
    return e.kind === 'bytes' && readPlaintextSmtp(e) !== null;
  });
}

/**
 * Index of a session's last event after which only notes come, when the text ends before the session
 * does (TranscriptSession.endMissing), else Infinity: a stream that reaches it goes on after the text.
 */
function lastEventBeforeCut(session: AnalyzedSession): number {
  if (!session.session.endMissing) return Infinity;
  const events = session.session.events;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e.kind !== 'note' || e.note === 'connection-closed') return i;
  }
  return -1;
}

/**
 * Whether the bytes the stream lacks at its end are a capture's gap: the next event of the same
 * side is a `<N bytes not captured>` (a snapshot length, a lost segment). capture-gap reports
 * those bytes; a record they cut is not reported again as truncated.
 */
function endsAtCaptureGap(session: AnalyzedSession, stream: TlsStream): boolean {
  const events = session.session.events;
  const last = events[stream.runIndices[stream.runIndices.length - 1]];
  if (last.kind !== 'bytes') return false;
  for (let i = stream.runIndices[stream.runIndices.length - 1] + 1; i < events.length; i++) {
    const e = events[i];
    if (e.kind === 'note' || e.kind === 'stated') continue;
    if ((e.kind === 'gap' || e.kind === 'bytes') && e.direction !== last.direction) continue;
    return e.kind === 'gap' && e.cause === 'not-captured';
  }
  return false;
}

function reportTlsProblems(ctx: RuleContext, kind: TlsProblem['kind']): void {
  const owned = kind === 'malformed' ? findProblemsOwnedElsewhere(ctx) : new Map<TlsStream, Set<string>>();
  for (const s of ctx.input.sessions) {
    const cut = kind === 'truncated' ? lastEventBeforeCut(s) : Infinity;
    for (const stream of s.streams) {
      if (isPlaintextStream(s, stream)) continue;
      // A record cut by the end of the text, in a session that goes on after it, is not cut on the wire.
      if (stream.runIndices[stream.runIndices.length - 1] >= cut) continue;
      for (const p of stream.decoded.problems) {
        if (p.kind !== kind || owned.get(stream)?.has(`${p.start}:${p.end}`)) continue;
        // Only the stream's last record can lack bytes: a capture's gap after it took them.
        if (kind === 'truncated' && endsAtCaptureGap(s, stream)) continue;
        ctx.report({ span: documentSpanOfBytes(stream.view, p.start, p.end), message: p.message });
      }
    }
  }
}

export const checkTlsTruncated: RuleCheck = (ctx) => reportTlsProblems(ctx, 'truncated');
export const checkTlsMalformed: RuleCheck = (ctx) => reportTlsProblems(ctx, 'malformed');
