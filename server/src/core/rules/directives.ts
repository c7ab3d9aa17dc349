/**
 * Comment directives a user writes into a transcript (any format: a line whose
 * first non-blank character is `#`):
 *
 *   # smtptls-port: 587
 *   # smtptls-time: 2026-11-30T08:13:50Z   (when the sessions below took place, RFC 3339; a capture import writes it)
 *   # smtptls-policy: mta-sts               (the receiving domain's TLS policy: mta-sts, dane or none)
 *   # smtptls-disable-next-line <id>[ <id>...] -- <reason>
 *   # smtptls-disable <id>[ <id>...] -- <reason>      (until `# smtptls-enable <id>` or the end)
 *   # smtptls-enable <id>[ <id>...]
 *
 * Ids may be separated by spaces or commas. The reason after ` -- ` is
 * required; a suppression without one still applies and is reported
 * (`suppression-without-reason`).
 */
import type { TextSpan } from '../model/transcript';
import type { TlsPolicy } from './types';
import type { LineIndex } from '../text/lineIndex';
import { parseRfc3339 } from '../text/rfc3339';

export interface CommentLine {
  readonly line: number;
  /** Offsets of the line's content (without line ending). */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface PortDirective {
  readonly line: number;
  readonly port: number;
}

export interface Suppression {
  readonly kind: 'next-line' | 'block';
  readonly ids: readonly string[];
  readonly reason: string;
  /** Line of the comment. */
  readonly line: number;
  /** The directive text (for the missing-reason finding). */
  readonly span: TextSpan;
  /** First and last line the suppression covers (inclusive; -1 when it covers nothing). */
  readonly fromLine: number;
  readonly toLine: number;
}

/** Lines whose first non-blank character is `#`. Only lines containing `needle` are returned when given. */
export function listCommentLines(text: string, lines: LineIndex, needle?: string): CommentLine[] {
  const out: CommentLine[] = [];
  if (needle !== undefined && !text.includes(needle)) return out;
  for (let line = 0; line < lines.lineCount; line++) {
    const start = lines.lineStart(line);
    const end = lines.lineEnd(line);
    let p = start;
    while (p < end && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
    if (p >= end || text.charCodeAt(p) !== 35) continue;
    const content = text.slice(start, end);
    if (needle !== undefined && !content.includes(needle)) continue;
    out.push({ line, start, end, text: content });
  }
  return out;
}

/**
 * The comment lines (as listCommentLines reads them) containing `needle`, the last one first,
 * found from the end of the text without a line index: the search stops at the first that
 * `accept` maps to a value, having read only the lines from there to the end that hold `needle`.
 */
function lastCommentLine<T>(text: string, needle: string, accept: (line: string) => T | null): T | null {
  for (let at = text.lastIndexOf(needle); at >= 0; ) {
    let start = at;
    while (start > 0 && text.charCodeAt(start - 1) !== 10 && text.charCodeAt(start - 1) !== 13) start--;
    let end = at + needle.length;
    while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
    let p = start;
    while (p < end && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
    if (text.charCodeAt(p) === 35) {
      const value = accept(text.slice(start, end));
      if (value !== null) return value;
    }
    at = start > 0 ? text.lastIndexOf(needle, start - 1) : -1;
  }
  return null;
}

const PORT = /^\s*#\s*smtptls-port:\s*([0-9]{1,5})\s*$/;

/** The port of a `# smtptls-port: N` comment line; null for another line or a port outside 1-65535. */
function parsePortDirective(line: string): number | null {
  const m = PORT.exec(line);
  const port = m ? Number(m[1]) : 0;
  return port > 0 && port < 65536 ? port : null;
}

/** Every `# smtptls-port: N` comment, in document order (ports outside 1-65535 are ignored). */
export function findPortDirectives(text: string, lines: LineIndex): PortDirective[] {
  const out: PortDirective[] = [];
  for (const c of listCommentLines(text, lines, 'smtptls-port')) {
    const port = parsePortDirective(c.text);
    if (port !== null) out.push({ line: c.line, port });
  }
  return out;
}

/** The port of the last `# smtptls-port: N` comment of a text (findPortDirectives' last), or null. */
export function findLastPortDirective(text: string): number | null {
  return lastCommentLine(text, 'smtptls-port', parsePortDirective);
}

export interface PolicyDirective {
  readonly line: number;
  readonly policy: TlsPolicy;
}

const POLICY = /^\s*#\s*smtptls-policy:\s*(mta-sts|dane|none)\s*$/i;

/** The policy of a `# smtptls-policy: mta-sts|dane|none` comment line; null for another line. */
function parsePolicyDirective(line: string): TlsPolicy | null {
  const m = POLICY.exec(line);
  return m ? (m[1].toLowerCase() as TlsPolicy) : null;
}

/** Every `# smtptls-policy:` comment, in document order. */
export function findPolicyDirectives(text: string, lines: LineIndex): PolicyDirective[] {
  const out: PolicyDirective[] = [];
  for (const c of listCommentLines(text, lines, 'smtptls-policy')) {
    const policy = parsePolicyDirective(c.text);
    if (policy !== null) out.push({ line: c.line, policy });
  }
  return out;
}

/** The policy of the last `# smtptls-policy:` comment of a text (findPolicyDirectives' last), or null. */
export function findLastPolicyDirective(text: string): TlsPolicy | null {
  return lastCommentLine(text, 'smtptls-policy', parsePolicyDirective);
}

export interface TimeDirective {
  readonly line: number;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** The time as written. */
  readonly span: TextSpan;
}

const TIME = /^(\s*#\s*smtptls-time:\s*)(\S{1,40})\s*$/;

/**
 * The time of a `# smtptls-time:` comment line (ms since the epoch) and where it is written in the line; null for another
 * line or a value that is not an RFC 3339 date-time with its offset from UTC (`Z`, `+01:00`).
 */
function parseTimeDirective(line: string): { time: number; at: number; length: number } | null {
  const m = TIME.exec(line);
  const t = m ? parseRfc3339(m[2]) : null;
  return t && t.length === m![2].length ? { time: t.time, at: m![1].length, length: t.length } : null;
}

/** Every `# smtptls-time: <RFC 3339 date-time>` comment, in document order (other values are ignored). */
export function findTimeDirectives(text: string, lines: LineIndex): TimeDirective[] {
  const out: TimeDirective[] = [];
  for (const c of listCommentLines(text, lines, 'smtptls-time')) {
    const t = parseTimeDirective(c.text);
    if (t) out.push({ line: c.line, time: t.time, span: { start: c.start + t.at, end: c.start + t.at + t.length } });
  }
  return out;
}

/** The time of the last `# smtptls-time:` comment of a text (findTimeDirectives' last; ms since the epoch), or null. */
export function findLastTimeDirective(text: string): number | null {
  return lastCommentLine(text, 'smtptls-time', (line) => parseTimeDirective(line)?.time ?? null);
}

const DIRECTIVE = /^\s*#\s*smtptls-(disable-next-line|disable|enable)(?=\s|$)(.*)$/;

function splitIdsAndReason(rest: string): { ids: string[]; reason: string } {
  const sep = rest.search(/(?:^|\s)--(?:\s|$)/);
  const idPart = sep < 0 ? rest : rest.slice(0, sep);
  const reason = sep < 0 ? '' : rest.slice(sep).replace(/^\s*--/, '').trim();
  const ids = idPart.split(/[\s,]+/).filter((s) => s.length > 0);
  return { ids, reason };
}

/** The next line at or after `line` that is not a comment line; -1 when none. */
function findNextContentLine(text: string, lines: LineIndex, line: number): number {
  for (let l = line; l < lines.lineCount; l++) {
    const start = lines.lineStart(l);
    const end = lines.lineEnd(l);
    let p = start;
    while (p < end && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
    if (p < end && text.charCodeAt(p) === 35) continue;
    return l;
  }
  return -1;
}

/** One `# smtptls-disable...`/`enable` comment, as written. */
export interface DirectiveComment {
  readonly kind: 'disable-next-line' | 'disable' | 'enable';
  readonly ids: readonly string[];
  readonly reason: string;
  readonly line: number;
  readonly span: TextSpan;
  /** For `disable-next-line`: the next line that is not a comment (-1 when none). */
  readonly target: number;
}

/** The suppression directives of a text, in document order. */
export function listDirectiveComments(text: string, lines: LineIndex): DirectiveComment[] {
  const out: DirectiveComment[] = [];
  for (const c of listCommentLines(text, lines, 'smtptls-')) {
    const m = DIRECTIVE.exec(c.text);
    if (!m) continue;
    const { ids, reason } = splitIdsAndReason(m[2]);
    const kind = m[1] as DirectiveComment['kind'];
    const span = { start: c.start + c.text.indexOf('#'), end: c.end };
    const target = kind === 'disable-next-line' ? findNextContentLine(text, lines, c.line + 1) : -1;
    out.push({ kind, ids, reason, line: c.line, span, target });
  }
  return out;
}

/**
 * Suppressions from directive comments (in document order) of a document of
 * `lineCount` lines. A next-line suppression covers the next line that is not
 * a comment (so several stacked directives all apply to it); a block covers
 * the lines after it up to the matching enable or the end.
 */
export function buildSuppressions(directives: readonly DirectiveComment[], lineCount: number): Suppression[] {
  const out: Suppression[] = [];
  // Index in `out` of the open block of each id.
  const open = new Map<string, number>();
  for (const d of directives) {
    if (d.kind === 'enable') {
      for (const id of d.ids) {
        const i = open.get(id);
        if (i === undefined) continue;
        out[i] = { ...out[i], toLine: d.line };
        open.delete(id);
      }
    } else if (d.kind === 'disable-next-line') {
      if (d.ids.length === 0) continue;
      out.push({ kind: 'next-line', ids: d.ids, reason: d.reason, line: d.line, span: d.span, fromLine: d.target, toLine: d.target });
    } else {
      // One block per id, so that `enable` can end them one by one.
      for (const id of d.ids) {
        if (open.has(id)) continue;
        open.set(id, out.length);
        out.push({ kind: 'block', ids: [id], reason: d.reason, line: d.line, span: d.span, fromLine: d.line + 1, toLine: lineCount - 1 });
      }
    }
  }
  return out;
}

/** The suppressions of a whole document. */
export function parseSuppressions(text: string, lines: LineIndex): Suppression[] {
  return buildSuppressions(listDirectiveComments(text, lines), lines.lineCount);
}

/** True when a suppression covers a finding of `rule` that starts on `line`. */
export function isSuppressed(suppressions: readonly Suppression[], rule: string, line: number): boolean {
  for (const s of suppressions) {
    if (line >= s.fromLine && line <= s.toLine && s.fromLine >= 0 && (s.ids.includes(rule) || s.ids.includes('all'))) return true;
  }
  return false;
}
