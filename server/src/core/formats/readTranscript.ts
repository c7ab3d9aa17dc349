/**
 * Entry point of the format readers: any document text in, the transcript model out.
 * Never throws; linear in the size of the text.
 */
import type { Continuation } from '../analysis/chunkContinuation';
import type { Transcript } from '../model/transcript';
import { detectRegions } from './detectRegions';
import { DocumentLines } from './documentLines';
import { TranscriptBuilder } from './transcriptBuilder';

/**
 * `continues`: the text is a chunk after a forced cut (analysis/chunkContinuation.ts); its first
 * session began before it, and with 'data' its first client lines are message text.
 * `endsAtCut`: the text ends at a forced cut; its last session goes on after it.
 */
export function readTranscript(text: string, continues: Continuation | null = null, endsAtCut = false, lineStarts?: Int32Array): Transcript {
  const out = new TranscriptBuilder(text);
  if (continues) out.markStartMissing();
  if (continues === 'data') out.markInData();
  try {
    detectRegions(new DocumentLines(text, lineStarts), out, endsAtCut);
  } catch (err) {
    // A reader bug must not take the editor down: keep what was read so far.
    out.report(0, 0, `reader failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (endsAtCut) out.markOpenSessionsEndMissing();
  return out.build();
}
