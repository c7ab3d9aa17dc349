/**
 * The first analysis of a large document, in slices.
 *
 * Opening a 20 MB log analyses thousands of chunks: seconds of work. Done in
 * one go, the server answers nothing meanwhile (a hover, a symbol request, the
 * next keystroke). Here the chunks not analysed yet are analysed a slice of
 * time at a time, with the server's other messages handled between slices; a
 * newer version of the document stops the pass (its own validation carries
 * on from the chunks already analysed, which keep their results). Along the
 * way the caller hears how far it got (progress) and, once, that a first part
 * is ready to be shown.
 */
import type { IncrementalAnalysis } from '../core/analysis/incrementalAnalysis';

export interface SliceHooks {
  /** False once the document changed (or its analysis was replaced): the pass stops. */
  stillCurrent(): boolean;
  /** The first `chunks` chunks are analysed and the rest will take a while (called at most once). */
  onPartial?(chunks: number): void;
  /** After a slice: `done` of `total` chunks analysed. */
  onProgress?(done: number, total: number): void;
}

export interface SliceTiming {
  /** Analysis between two yields, ms. */
  readonly sliceMs: number;
  /** Elapsed time after which what is ready is offered as a first part, ms. */
  readonly partialAfterMs: number;
}

export const DEFAULT_SLICE_TIMING: SliceTiming = { sliceMs: 25, partialAfterMs: 150 };

/**
 * Resumes in the next turn's timers phase: the messages read in between (poll phase) and the work
 * the protocol library queues for them (setImmediate, check phase) run first. A setImmediate here
 * would queue the pass ahead of that work, answering a hover only after another slice.
 */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Analyses every chunk of `doc` that has no summary yet, yielding to the event loop every
 * `sliceMs`. Resolves true when every chunk is analysed, false when `stillCurrent()` turned false.
 */
export async function analyseInSlices(doc: IncrementalAnalysis, hooks: SliceHooks, timing: SliceTiming = DEFAULT_SLICE_TIMING): Promise<boolean> {
  const chunks = doc.chunks;
  const total = chunks.length;
  const t0 = performance.now();
  let sliceStart = t0;
  let partialOffered = false;
  for (let i = 0; i < total; i++) {
    if (chunks[i].content.summary) continue;
    doc.summaryOf(chunks[i]);
    const now = performance.now();
    if (now - sliceStart < timing.sliceMs || i === total - 1) continue;
    if (!partialOffered && now - t0 >= timing.partialAfterMs && hooks.onPartial) {
      partialOffered = true;
      hooks.onPartial(i + 1);
    }
    hooks.onProgress?.(i + 1, total);
    await yieldToEventLoop();
    // An edit replaces the chunk list; settings replace the analysis: either way this pass is over.
    if (!hooks.stillCurrent() || doc.chunks !== chunks) return false;
    sliceStart = performance.now();
  }
  return true;
}
