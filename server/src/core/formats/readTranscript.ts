/**
 * Entry point of the format readers: any document text in, the transcript model out.
 * Never throws; linear in the size of the text.
 */
import type { Transcript } from '../model/transcript';
import { detectRegions } from './detectRegions';
import { DocumentLines } from './documentLines';
import { TranscriptBuilder } from './transcriptBuilder';

export function readTranscript(text: string): Transcript {
  const out = new TranscriptBuilder(text);
  try {
    detectRegions(new DocumentLines(text), out);
  } catch (err) {
    // A reader bug must not take the editor down: keep what was read so far.
    out.report(0, 0, `reader failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return out.build();
}
