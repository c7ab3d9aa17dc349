/**
 * What happens to the record sequence number (RFC 8446 §5.3, RFC 5246 §6.1: one per key, starting
 * at 0, +1 per record) when a record does not authenticate. A passive reader cannot tell a record
 * damaged in the capture from a record under keys it does not have, so:
 * - keys known good (a record already authenticated with them): the record is taken as damaged and
 *   the sequence number advances, so the next record opens at once;
 * - keys not yet known good (e.g. the very first record is damaged, or the secret is wrong): nothing
 *   advances, but the failure is counted, and the next record is also tried at the following
 *   sequence numbers (at most MAX_GAP more), so a damaged first record costs only itself.
 */

export interface SequenceState {
  seq: number;
  /** A record authenticated with these keys. */
  good: boolean;
  /** Failed records since the last authentic one, while not known good (at most MAX_GAP). */
  missed: number;
}

/** How many unauthenticated records the sequence search bridges before keys are known good. */
export const MAX_GAP = 3;

/** The sequence numbers to try for the next record, most likely first. */
export function candidateSequences(s: SequenceState): number[] {
  const out: number[] = [];
  for (let i = 0; i <= s.missed; i++) out.push(s.seq + i);
  return out;
}

/** After a record that opened with no candidate. */
export function afterFailure(s: SequenceState): void {
  if (s.good) s.seq++;
  else s.missed = Math.min(MAX_GAP, s.missed + 1);
}
