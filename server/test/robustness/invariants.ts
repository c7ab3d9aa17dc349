/**
 * What must hold for any input, whatever it is: each check throws an Error that says
 * what broke (fast-check then shrinks the input that made it throw).
 */
import type { Analysis } from '../../src/core/analysis/analyzeDocument';
import type { TextSpan, Transcript } from '../../src/core/model/transcript';
import type { DecodedTlsStream } from '../../src/core/model/tls';
import { findSpanViolation } from '../tls/helpers';
import { createRepeatCheck, splitByteAt } from '../formats/helpers';

export function fail(message: string): never {
  throw new Error(message);
}

function spanInside(span: TextSpan | undefined, length: number, what: string): void {
  if (!span) return;
  const { start, end } = span;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end || end > length) fail(`${what}: span [${start}, ${end}) outside the document of ${length} characters`);
}

/** Number of lines of `text` as the LineIndex counts them (\r\n, \n and lone \r end a line). */
export function countLines(text: string): number {
  let lines = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) lines++;
  }
  return lines;
}

/** Every span of the transcript model lies in the document; every byte maps to the hex pair it was read from. */
export function checkTranscript(text: string, t: Transcript): void {
  const lines = countLines(text);
  for (const p of t.problems) {
    spanInside(p.span, text.length, `problem "${p.message}"`);
    if (/reader failed/.test(p.message)) fail(`a reader threw: ${p.message}`);
  }
  for (const s of t.sessions) {
    if (!(s.startLine >= 0 && s.startLine <= s.endLine && s.endLine < lines)) fail(`session lines ${s.startLine}-${s.endLine} outside ${lines} lines`);
    for (const e of s.events) {
      if (!(e.line >= 0 && e.line < lines)) fail(`${e.kind} event on line ${e.line} of ${lines}`);
      if ('span' in e) spanInside(e.span, text.length, `${e.kind} event`);
      if (e.kind === 'command') spanInside(e.secretSpan, text.length, 'secret span');
      if (e.kind === 'reply') for (const part of e.parts) spanInside(part.span, text.length, 'reply line');
      if (e.kind === 'stated' && e.valueSpans) for (const [k, v] of Object.entries(e.valueSpans)) spanInside(v, text.length, `stated ${k}`);
      const view = e.kind === 'bytes' || e.kind === 'command' ? e.view : undefined;
      if (view) {
        if (view.bytes.length !== view.offsets.length) fail(`view of ${view.bytes.length} bytes with ${view.offsets.length} offsets`);
        const repeatsLineBefore = createRepeatCheck(text, view);
        for (let i = 0; i < view.bytes.length; i++) {
          // Bytes a hex dump's "*" line stands for: the line before it, repeated.
          if (e.kind === 'bytes' && text[view.offsets[i]] === '*' && repeatsLineBefore(i)) continue;
          // Bytes Postfix's dump left out as <SPACES/NULLS>: each a NUL or a space, at the marker.
          if (e.kind === 'bytes' && text.startsWith('<SPACES/NULLS>', view.offsets[i]) && (view.bytes[i] === 0 || view.bytes[i] === 0x20)) continue;
          // A byte other output cut in two (s_client -debug with stderr: "dd 3" + "depth=0 ...", later "a 9b ..."):
          // its high digit at the offset, its low digit starting a later line.
          if (e.kind === 'bytes' && splitByteAt(text, view.offsets[i], view.bytes[i])) continue;
          const pair = text.slice(view.offsets[i], view.offsets[i] + 2);
          if (!/^[0-9a-fA-F]{2}$/.test(pair) || parseInt(pair, 16) !== view.bytes[i]) {
            fail(`${e.kind} event on line ${e.line}: byte ${i} (${view.bytes[i]}) maps to ${JSON.stringify(pair)} at ${view.offsets[i]}`);
          }
        }
      }
    }
  }
}

/** Findings, related locations and the decoded streams stay inside the document; every range converts. */
export function checkAnalysis(text: string, a: Analysis): void {
  checkTranscript(text, a.transcript);
  for (const f of a.findings) {
    spanInside(f.span, text.length, `finding ${f.rule}`);
    for (const r of f.related ?? []) spanInside(r.span, text.length, `related of ${f.rule}`);
    if (typeof f.message !== 'string' || f.message.length === 0) fail(`finding ${f.rule} without a message`);
    const range = a.lines.rangeOf(f.span.start, f.span.end);
    if (range.end.line >= a.lines.lineCount || range.start.line > range.end.line) fail(`finding ${f.rule}: range ${JSON.stringify(range)} of ${a.lines.lineCount} lines`);
  }
  for (const s of a.sessions) {
    for (const stream of s.streams) checkDecoded(stream.decoded, stream.view.bytes.length, 'stream');
  }
}

export function checkDecoded(decoded: DecodedTlsStream, n: number, what: string): void {
  const v = findSpanViolation(decoded, n);
  if (v) fail(`${what}: ${v}`);
  for (const p of decoded.problems) if (p.kind !== 'truncated' && p.kind !== 'malformed') fail(`${what}: problem kind ${String(p.kind)}`);
}

/** Stable JSON of what an analysis reports (findings), for determinism checks. */
export function findingsKey(a: Analysis): string {
  return JSON.stringify(a.findings);
}
