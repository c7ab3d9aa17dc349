/** Where a session stands with respect to STARTTLS at a given event. */
import type { SmtpCommandEvent, SmtpReplyEvent, TranscriptSession } from '../model/transcript';

export interface StarttlsContext {
  /** The last STARTTLS command before the event. */
  readonly command: SmtpCommandEvent;
  /** The first reply after that command, if it comes before the event. */
  readonly reply: SmtpReplyEvent | null;
}

/** For each event index, the STARTTLS command (and its reply) that precedes it, or null. */
export function findStarttlsContexts(session: TranscriptSession): (StarttlsContext | null)[] {
  const out: (StarttlsContext | null)[] = new Array(session.events.length);
  // One context object per (command, reply) state, shared by the events it covers.
  let current: StarttlsContext | null = null;
  session.events.forEach((event, i) => {
    out[i] = current;
    if (event.kind === 'command' && event.verb === 'STARTTLS') {
      current = { command: event, reply: null };
    } else if (event.kind === 'reply' && current && !current.reply) {
      current = { command: current.command, reply: event };
    }
  });
  return out;
}

/** True when the context says the server agreed to start TLS (RFC 3207 §4: reply 220). */
export function isStarttlsAccepted(ctx: StarttlsContext | null): boolean {
  return ctx !== null && ctx.reply !== null && ctx.reply.code === 220;
}
