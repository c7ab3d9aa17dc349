/**
 * The most diagnostics published for one document (`smtpTls.maxDiagnostics`).
 *
 * VS Code keeps at most 1,000 diagnostics per file and source: past that, its extension host
 * keeps errors first, then warnings, information and hints, each in the order received, and
 * adds a note of its own. The server makes the same choice before it sends anything, so a large
 * log's publication carries what an editor can show rather than every finding (the CLI reports
 * them all), and says how many it left out. 0 publishes everything.
 */
import type { Diagnostic } from 'vscode-languageserver';

export const DEFAULT_MAX_DIAGNOSTICS = 1000;

/** Diagnostics per LSP severity: index 0 errors, 1 warnings, 2 information, 3 hints. */
export type SeverityCounts = [number, number, number, number];

export const noCounts = (): SeverityCounts => [0, 0, 0, 0];

export interface LimitPlan {
  /** The LSP severity (1–4) the limit falls in: every more severe diagnostic is published, none less severe. */
  readonly level: number;
  /** How many diagnostics of severity `level` are published: the first ones in publication order. */
  readonly take: number;
  /** Diagnostics published (the note not counted). */
  readonly shown: number;
  /** Diagnostics left out. */
  readonly hidden: number;
}

/**
 * Which diagnostics fit: none to leave out (null) when all of them and `reserved` other
 * diagnostics (notes the server adds) are at most `max`, or `max` is 0 (no limit); otherwise
 * `max − reserved − 1` of them, the last place going to the note that says how many are left out.
 */
export function planLimit(counts: Readonly<SeverityCounts>, max: number, reserved = 0): LimitPlan | null {
  const total = counts[0] + counts[1] + counts[2] + counts[3];
  if (!(max > 0) || total + reserved <= max) return null;
  const shown = Math.max(0, max - reserved - 1);
  let remaining = shown;
  for (let level = 1; level <= 4; level++) {
    const n = counts[level - 1];
    if (n >= remaining) return { level, take: remaining, shown, hidden: total - shown };
    remaining -= n;
  }
  // Unreachable: total > shown.
  return { level: 4, take: counts[3], shown: total, hidden: 0 };
}

/** Says of each diagnostic, in publication order, whether it is published under `plan` (null: all are). */
export class LimitCursor {
  private taken = 0;

  constructor(private readonly plan: LimitPlan | null) {}

  include(severity: number): boolean {
    const plan = this.plan;
    if (!plan || severity < plan.level) return true;
    if (severity > plan.level || this.taken >= plan.take) return false;
    this.taken++;
    return true;
  }

  /** Whether the next `counts` diagnostics (of one chunk) would all be published. */
  includesAll(counts: Readonly<SeverityCounts>): boolean {
    const plan = this.plan;
    if (!plan) return true;
    for (let level = plan.level + 1; level <= 4; level++) if (counts[level - 1] > 0) return false;
    return this.taken + counts[plan.level - 1] <= plan.take;
  }

  /** Whether none of the next `counts` diagnostics (of one chunk) would be published. */
  includesNone(counts: Readonly<SeverityCounts>): boolean {
    const plan = this.plan;
    if (!plan) return counts[0] + counts[1] + counts[2] + counts[3] === 0;
    for (let level = 1; level < plan.level; level++) if (counts[level - 1] > 0) return false;
    return counts[plan.level - 1] === 0 || this.taken >= plan.take;
  }

  /** Counts the next `counts` diagnostics as published (after includesAll said they all are). */
  takeAll(counts: Readonly<SeverityCounts>): void {
    if (this.plan) this.taken += counts[this.plan.level - 1];
  }
}

/** Counts of a list of diagnostics by severity (a missing severity counts as an error, as in VS Code). */
export function countSeverities(list: readonly Pick<Diagnostic, 'severity'>[]): SeverityCounts {
  const counts = noCounts();
  for (const d of list) counts[(d.severity ?? 1) - 1]++;
  return counts;
}

/** `list` limited to `max` under the same plan (the note added when some are left out). */
export function limitDiagnostics(list: readonly Diagnostic[], max: number, reserved = 0): Diagnostic[] {
  const plan = planLimit(countSeverities(list), max, reserved);
  if (!plan) return [...list];
  const cursor = new LimitCursor(plan);
  const out = list.filter((d) => cursor.include(d.severity ?? 1));
  out.push(limitNote(plan, max));
  return out;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The information diagnostic, at the top of the document, that says how many diagnostics are left out and why. */
export function limitNote(plan: LimitPlan, max: number): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 3,
    code: 'diagnostics-limit',
    source: 'smtptls',
    message:
      `${count(plan.hidden)} more diagnostics are not shown: at most ${count(max)} are published per document ` +
      `(smtpTls.maxDiagnostics; errors first, then warnings, information and hints, in document order). ` +
      `Set it to 0 to publish all ${count(plan.shown + plan.hidden)}, or run \`smtptls check\` for the full report.`,
  };
}
