/**
 * Inlay hints after dump lines: the decoded value of the key fields that
 * start on the line (`client_version=0x0300 SSL 3.0`, `cipher_suite=0xc030 TLS_...`).
 */
import type { Analysis } from '../analysis/analyzeDocument';
import type { FieldNode } from '../model/tls';
import { describePair, findPairIndex, getFieldIndex } from './fieldIndex';

export interface InlayHintItem {
  /** Document offset the hint sits at (end of the dump line). */
  readonly offset: number;
  readonly label: string;
  /** The full list when the label had to be shortened. */
  readonly tooltip?: string;
}

const MAX_LABEL = 120;
const MAX_LINES = 5000;

/** Hints for the dump lines in [fromLine, toLine]. */
export function computeInlayHints(analysis: Analysis, fromLine: number, toLine: number): InlayHintItem[] {
  const index = getFieldIndex(analysis);
  const out: InlayHintItem[] = [];
  const last = Math.min(toLine, analysis.lines.lineCount - 1, fromLine + MAX_LINES);
  for (let line = Math.max(0, fromLine); line <= last; line++) {
    const start = analysis.lines.lineStart(line);
    const end = analysis.lines.lineEnd(line);
    let k = findPairIndex(index, start);
    if (k < 0 || index.offsets[k] < start) k++;
    const parts: string[] = [];
    const seen = new Set<FieldNode>();
    for (; k < index.offsets.length && index.offsets[k] < end; k++) {
      const hit = describePair(index, k);
      hit.path.forEach((node, depth) => {
        if (node.start !== hit.byteIndex || seen.has(node)) return;
        seen.add(node);
        const label = formatHintField(node, hit.path[depth - 1]);
        if (label) parts.push(label);
      });
    }
    if (parts.length === 0) continue;
    const full = parts.join(', ');
    out.push(full.length > MAX_LABEL ? { offset: end, label: ` ${full.slice(0, MAX_LABEL - 1)}…`, tooltip: full } : { offset: end, label: ` ${full}` });
  }
  return out;
}

/** "client_version=0x0300 SSL 3.0" for the fields worth a hint, else null. */
export function formatHintField(node: FieldNode, parent: FieldNode | undefined): string | null {
  if (parent?.kind === 'list') return null;
  if (node.kind === 'list' && node.children && node.children.length > 0) return `${node.name}: ${node.children.length}`;
  if (typeof node.value !== 'number') return null;
  if (node.kind !== 'version' && node.kind !== 'enum') return null;
  const digits = Math.max(2, Math.min(8, (node.end - node.start) * 2));
  const hex = `0x${node.value.toString(16).padStart(digits, '0')}`;
  const name = stripHexSuffix(node.display ?? '');
  return `${node.name}=${hex}${name ? ` ${name}` : ''}`;
}

const WHITESPACE = /\s/;

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * `display` without a trailing "(0x…)" and the whitespace before it: "TLS 1.2 (0x0303)" ->
 * "TLS 1.2" (the hint shows the value in hex already). One backward scan: a display may
 * hold long runs of whitespace, on which a regex like /\s*\(0x[0-9a-f]+\)$/ is quadratic.
 */
export function stripHexSuffix(display: string): string {
  const n = display.length;
  if (n < 5 || display.charCodeAt(n - 1) !== 41) return display; // ')'
  let p = n - 2;
  while (p >= 0 && isHexDigit(display.charCodeAt(p))) p--;
  // At least one hex digit, after "0x" or "0X", after "(".
  if (p === n - 2 || p < 2 || (display.charCodeAt(p) | 0x20) !== 120 || display.charCodeAt(p - 1) !== 48 || display.charCodeAt(p - 2) !== 40) return display;
  let end = p - 2;
  while (end > 0 && WHITESPACE.test(display[end - 1])) end--;
  return display.slice(0, end);
}
