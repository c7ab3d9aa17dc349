/** Shared assertions for the format reader tests. */
import assert from 'node:assert/strict';
import type { ByteRunEvent, Transcript, TranscriptEvent } from '../../src/core/model/transcript';

export function allEvents(t: Transcript): TranscriptEvent[] {
  return t.sessions.flatMap((s) => [...s.events]);
}

export function byteRuns(t: Transcript): ByteRunEvent[] {
  return allEvents(t).filter((e): e is ByteRunEvent => e.kind === 'bytes');
}

/** Every byte of every run maps to the two hex digits it was read from. */
export function assertExactOffsets(text: string, t: Transcript): number {
  let checked = 0;
  for (const run of byteRuns(t)) {
    const { bytes, offsets } = run.view;
    assert.equal(bytes.length, offsets.length);
    for (let i = 0; i < bytes.length; i++) {
      const pair = text.slice(offsets[i], offsets[i] + 2);
      assert.match(pair, /^[0-9a-fA-F]{2}$/, `run at line ${run.line}, byte ${i}: ${JSON.stringify(pair)}`);
      assert.equal(parseInt(pair, 16), bytes[i], `run at line ${run.line}, byte ${i}`);
      checked++;
    }
  }
  return checked;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** The problems as [text under the span, message] pairs, for exact-span assertions. */
export function problemTexts(text: string, t: Transcript): string[] {
  return t.problems.map((p) => text.slice(p.span.start, p.span.end));
}
