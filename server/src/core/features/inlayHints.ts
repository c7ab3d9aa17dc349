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
  const name = (node.display ?? '').replace(/\s*\(0x[0-9a-f]+\)$/i, '');
  return `${node.name}=${hex}${name ? ` ${name}` : ''}`;
}
