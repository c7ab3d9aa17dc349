/**
 * Semantic tokens: direction markers, SMTP verbs, reply codes by class,
 * enhanced status codes, credentials, and every decoded hex pair by the kind
 * of its innermost field (header, length, version, list, opaque, enum).
 */
import type { Analysis } from '../analysis/analyzeDocument';
import type { FieldNode } from '../model/tls';
import { HEX_PAIR_WIDTH } from '../bytes/byteView';
import { describePair, findPairIndex, getFieldIndex } from './fieldIndex';
import { getCredentialSpans } from './credentials';
import { getLineEvents } from './lineEvents';
import { DIRECTION_MARKERS } from './smtpNotes';

export const TOKEN_TYPES = [
  'direction',
  'smtpVerb',
  'replyCode',
  'enhancedStatus',
  'credential',
  'tlsHeader',
  'tlsLength',
  'tlsVersion',
  'tlsList',
  'tlsOpaque',
  'tlsEnum',
] as const;
export const TOKEN_MODIFIERS = ['client', 'server', 'success', 'intermediate', 'transientFailure', 'permanentFailure', 'inTls'] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export interface SemanticToken {
  readonly line: number;
  readonly character: number;
  readonly length: number;
  readonly type: TokenType;
  readonly modifiers: readonly TokenModifier[];
}

/** At most this many hex-pair tokens per request; editors ask by range for the rest of a huge file. */
export const MAX_HEX_TOKENS = 200000;

/** Tokens of lines [fromLine, toLine] (the whole document by default), sorted by position. */
export function computeSemanticTokens(analysis: Analysis, fromLine = 0, toLine = analysis.lines.lineCount - 1): SemanticToken[] {
  const tokens: SemanticToken[] = [];
  const push = (offset: number, length: number, type: TokenType, modifiers: TokenModifier[] = []): void => {
    const p = analysis.lines.positionAt(offset);
    if (p.line < fromLine || p.line > toLine || length <= 0) return;
    tokens.push({ line: p.line, character: p.character, length, type, modifiers });
  };
  const credentials = getCredentialSpans(analysis);
  const credentialLines = new Set(credentials.map((c) => c.line));
  const lineEvents = getLineEvents(analysis);
  const index = getFieldIndex(analysis);
  // Line by line through the requested range only: a huge document costs what the visible part costs.
  for (let line = Math.max(0, fromLine); line <= Math.min(toLine, analysis.lines.lineCount - 1); line++) {
    const at = lineEvents.get(line);
    if (!at) {
      // A dump line: its marker (C:, S:) takes the side of the bytes on it.
      const k = findPairIndex(index, analysis.lines.lineStart(line));
      const next = k + 1 < index.offsets.length ? k + 1 : -1;
      if (next < 0 || index.offsets[next] >= analysis.lines.lineEnd(line)) continue;
      const dir = index.streams[index.streamIds[next]].stream.direction;
      pushMarker(analysis, line, index.offsets[next], dir ? [dir] : [], push);
      continue;
    }
    if (at.kind === 'command') {
      const ev = at.event;
      const side: TokenModifier[] = ['client', ...(ev.inTls ? (['inTls'] as TokenModifier[]) : [])];
      pushMarker(analysis, line, ev.span.start, side, push);
      if (ev.dataLine || !ev.verb || (credentialLines.has(ev.line) && ev.verb !== 'AUTH')) continue;
      const text = analysis.text.slice(ev.span.start, ev.span.end);
      const m = /^\s*\S+/.exec(text);
      if (m) push(ev.span.start + m[0].length - m[0].trimStart().length, m[0].trimStart().length, 'smtpVerb', side);
      continue;
    }
    const { event: ev, part } = at;
    const side: TokenModifier[] = ['server', ...(ev.inTls ? (['inTls'] as TokenModifier[]) : [])];
    pushMarker(analysis, line, part.span.start, side, push);
    const text = analysis.text.slice(part.span.start, part.span.end);
    const m = /^(\s*)([0-9]{3})([ -]?)(\s*)([245]\.[0-9]{1,3}\.[0-9]{1,3})?/.exec(text);
    if (!m) continue;
    const klass = replyClass(m[2]);
    const start = part.span.start + m[1].length;
    push(start, 3, 'replyCode', klass ? [...side, klass] : side);
    if (m[5]) push(start + 3 + m[3].length + m[4].length, m[5].length, 'enhancedStatus', klass ? [...side, klass] : side);
  }
  for (const c of credentials) if (c.line >= fromLine && c.line <= toLine) push(c.start, c.end - c.start, 'credential');
  pushHexTokens(analysis, fromLine, toLine, push);
  tokens.sort((a, b) => a.line - b.line || a.character - b.character);
  // Drop overlaps (a marker found twice, a credential inside a verb token).
  const out: SemanticToken[] = [];
  for (const t of tokens) {
    const prev = out[out.length - 1];
    if (prev && prev.line === t.line && prev.character + prev.length > t.character) continue;
    out.push(t);
  }
  return out;
}

function replyClass(code: string): TokenModifier | null {
  switch (code[0]) {
    case '2':
      return 'success';
    case '3':
      return 'intermediate';
    case '4':
      return 'transientFailure';
    case '5':
      return 'permanentFailure';
    default:
      return null;
  }
}

/** A direction marker at the start of `line`, ending before `limit`. */
function pushMarker(
  analysis: Analysis,
  line: number,
  limit: number,
  modifiers: TokenModifier[],
  push: (offset: number, length: number, type: TokenType, modifiers?: TokenModifier[]) => void,
): void {
  const start = analysis.lines.lineStart(line);
  const text = analysis.text.slice(start, Math.min(limit, start + 16));
  const lead = /^[ \t]*/.exec(text)?.[0].length ?? 0;
  for (const marker of DIRECTION_MARKERS) {
    if (!text.startsWith(marker, lead)) continue;
    const after = text.charAt(lead + marker.length);
    if (after !== '' && after !== ' ' && after !== '\t') continue;
    push(start + lead, marker.length, 'direction', modifiers);
    return;
  }
}

/** Token type of a hex pair from the path to its innermost field. */
export function classifyFieldPath(path: readonly FieldNode[]): TokenType | null {
  const leaf = path[path.length - 1];
  if (!leaf) return null;
  const inList = path.slice(0, -1).some((n) => n.kind === 'list');
  switch (leaf.kind) {
    case 'version':
      return 'tlsVersion';
    case 'length':
      return 'tlsLength';
    case 'opaque':
      return 'tlsOpaque';
    case 'list':
      return 'tlsList';
    case 'header':
      return 'tlsHeader';
    case 'enum':
      if (inList) return 'tlsList';
      return path.some((n) => n.kind === 'header') ? 'tlsHeader' : 'tlsEnum';
    default:
      return path.some((n) => n.kind === 'header') ? 'tlsHeader' : null;
  }
}

function pushHexTokens(
  analysis: Analysis,
  fromLine: number,
  toLine: number,
  push: (offset: number, length: number, type: TokenType, modifiers?: TokenModifier[]) => void,
): void {
  const index = getFieldIndex(analysis);
  const startOffset = analysis.lines.lineStart(fromLine);
  const endOffset = analysis.lines.lineEnd(toLine);
  let k = findPairIndex(index, startOffset);
  if (k < 0 || index.offsets[k] < startOffset) k++;
  let emitted = 0;
  for (; k < index.offsets.length && index.offsets[k] < endOffset && emitted < MAX_HEX_TOKENS; k++) {
    const hit = describePair(index, k);
    const type = classifyFieldPath(hit.path);
    if (!type) continue;
    const dir = hit.stream.direction;
    push(hit.offset, HEX_PAIR_WIDTH, type, dir ? [dir] : []);
    emitted++;
  }
}

/** LSP wire encoding: five integers per token, positions relative to the previous token. */
export function encodeSemanticTokens(tokens: readonly SemanticToken[]): number[] {
  const data: number[] = [];
  let line = 0;
  let character = 0;
  for (const t of tokens) {
    const dl = t.line - line;
    data.push(dl, dl === 0 ? t.character - character : t.character, t.length, TOKEN_TYPES.indexOf(t.type), encodeModifiers(t.modifiers));
    line = t.line;
    character = t.character;
  }
  return data;
}

function encodeModifiers(modifiers: readonly TokenModifier[]): number {
  let bits = 0;
  for (const m of modifiers) bits |= 1 << TOKEN_MODIFIERS.indexOf(m);
  return bits;
}
