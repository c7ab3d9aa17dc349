/** VS Code's own limit on the diagnostics of one file, as its extension host applies it (the oracle for smtpTls.maxDiagnostics). */
import type { Diagnostic } from 'vscode-languageserver';

/**
 * What VS Code's extension host keeps of `list` under a per-file limit of `max`, in list order:
 * a plain re-statement of its loop (errors first, then warnings, information, hints, each in
 * the order received; a diagnostic without severity counts as an error).
 */
export function vsCodeChoice(list: readonly Diagnostic[], max: number): Diagnostic[] {
  if (list.length <= max) return [...list];
  if (max <= 0) return [];
  const kept = new Set<Diagnostic>();
  outer: for (const severity of [1, 2, 3, 4]) {
    for (const d of list) {
      if ((d.severity ?? 1) !== severity) continue;
      kept.add(d);
      if (kept.size === max) break outer;
    }
  }
  return list.filter((d) => kept.has(d));
}
