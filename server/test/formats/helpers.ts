/** Shared assertions for the format reader tests. */
import assert from 'node:assert/strict';
import type { ByteRunEvent, Transcript, TranscriptEvent } from '../../src/core/model/transcript';
import { OTHER_AFTER_DIGIT } from '../../src/core/formats/opensslDebug';

export function allEvents(t: Transcript): TranscriptEvent[] {
  return t.sessions.flatMap((s) => [...s.events]);
}

export function byteRuns(t: Transcript): ByteRunEvent[] {
  return allEvents(t).filter((e): e is ByteRunEvent => e.kind === 'bytes');
}

type ByteView = { readonly bytes: Uint8Array; readonly offsets: Int32Array };

/**
 * Whether byte `i` of `view`, placed at a "*" of a hex dump, repeats the dump line before the "*":
 * the bytes of that line (those placed on the document line of the last byte before the "*"),
 * over and over from the first byte placed at the "*". Asked for every byte of a view in turn, it
 * finds each "*"'s first byte and line once (a "*" may stand for 64 KB: no walk back per byte).
 */
export function createRepeatCheck(text: string, view: ByteView): (i: number) => boolean {
  let lastAt = -1;
  let first = 0;
  let length = 0;
  return (i) => {
    const at = view.offsets[i];
    if (at !== lastAt || i < first) {
      lastAt = at;
      first = i;
      while (first > 0 && view.offsets[first - 1] === at) first--;
      length = 0;
      if (first > 0) {
        const before = view.offsets[first - 1];
        const lineStart = Math.max(text.lastIndexOf('\n', before), text.lastIndexOf('\r', before)) + 1;
        while (first - length - 1 >= 0 && view.offsets[first - length - 1] >= lineStart) length++;
      }
    }
    if (first === 0 || length === 0) return false;
    return view.bytes[i] === view.bytes[first - length + ((i - first) % length)];
  };
}

/**
 * Every byte of every run maps to the two hex digits it was read from; a byte a hex dump's "*"
 * line stands for maps to the "*" and repeats the line before it; one Postfix's dump left out maps
 * to its `<SPACES/NULLS>` and is a NUL or a space.
 */
export function assertExactOffsets(text: string, t: Transcript): number {
  let checked = 0;
  for (const run of byteRuns(t)) {
    const { bytes, offsets } = run.view;
    assert.equal(bytes.length, offsets.length);
    const repeatsLineBefore = createRepeatCheck(text, run.view);
    for (let i = 0; i < bytes.length; i++) {
      if (text[offsets[i]] === '*') {
        assert.ok(repeatsLineBefore(i), `run at line ${run.line}, byte ${i}: at a "*", not a repetition of the line before`);
        checked++;
        continue;
      }
      if (text.startsWith('<SPACES/NULLS>', offsets[i])) {
        assert.ok(bytes[i] === 0x00 || bytes[i] === 0x20, `run at line ${run.line}, byte ${i}: ${bytes[i]} at <SPACES/NULLS>`);
        checked++;
        continue;
      }
      // A byte other output cut in two (splitByteAt below).
      if (splitByteAt(text, offsets[i], bytes[i])) {
        checked++;
        continue;
      }
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

/**
 * Whether `byte` was read split: its high hex digit at `at`, other output right after it
 * (opensslDebug's OTHER_AFTER_DIGIT: s_client's stderr, an SMTP reply), its low digit starting one of the 16 lines after (opensslDebug CUT_REST_LINES).
 * Lines end with LF, CR LF or a lone CR.
 */
export function splitByteAt(text: string, at: number, byte: number): boolean {
  if (parseInt(text[at], 16) !== byte >> 4 || !OTHER_AFTER_DIGIT.test(text.slice(at + 1, at + 40))) return false;
  let p = at;
  for (let n = 0; n <= 16; n++) {
    const lf = text.indexOf('\n', p);
    const cr = text.indexOf('\r', p);
    let end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
    if (end < 0) return false;
    if (text[end] === '\r' && text[end + 1] === '\n') end++;
    p = end + 1;
    if (/^[0-9a-fA-F][ -]/.test(text.slice(p, p + 2)) && parseInt(text[p], 16) === (byte & 15)) return true;
  }
  return false;
}
