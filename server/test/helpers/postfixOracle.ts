/**
 * Postfix's smtpd log as the oracle of a client tool's dialogue: smtpd (debug_peer_list) logs each line it reads or
 * writes, TLS or not, so each side's lines of the same connection must be the tool's, in the same order. The two
 * sides interleave differently (smtpd answers a pipelined RCPT before it reads DATA), and smtpd logs the end of the
 * message text, not its lines: those are left out.
 */
import assert from 'node:assert/strict';
import { readTranscript } from '../../src/core/formats/readTranscript';
import type { TranscriptSession } from '../../src/core/model/transcript';

/** A side's lines of a session, in order: `C` commands (message text and its "." apart), `S` replies. */
function sideOf(s: TranscriptSession, c: 'C' | 'S'): string[] {
  return s.events.flatMap((e) => {
    if (c === 'C' && e.kind === 'command' && !e.dataLine && e.verb !== '.') return [`${e.verb} ${e.argument}`.trimEnd()];
    if (c === 'S' && e.kind === 'reply') return [`${e.code} ${e.lines.join(' | ')}`];
    return [];
  });
}

/**
 * The tool's session `s` has, side by side, the dialogue of the one session of `postfixLog` whose client greeted as `helo`.
 * `readsQuitReply` false: the tool closes after QUIT without reading (Mutt), so Postfix's last reply, a 221, is not in `s`.
 */
export function assertSidesAsPostfixLogged(s: TranscriptSession, postfixLog: string, helo: string, readsQuitReply = true): void {
  const logged = readTranscript(postfixLog).sessions.filter((p) => p.events.some((e) => e.kind === 'command' && e.argument === helo));
  assert.equal(logged.length, 1, `Postfix's sessions of ${helo}`);
  for (const c of ['C', 'S'] as const) {
    const want = sideOf(logged[0], c);
    if (c === 'S' && !readsQuitReply) assert.match(want.pop() ?? '', /^221 /, 'Postfix answered QUIT');
    assert.deepEqual(sideOf(s, c), want, c);
  }
}
