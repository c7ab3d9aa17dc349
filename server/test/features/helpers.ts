/** Shared helpers for the editor-feature tests: real samples and fixtures, edits applied as an editor would. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/lspClient';

export const CORPUS = path.join(REPO, 'server', 'test', 'fixtures', 'corpus', 'sessions');

export function readCorpus(session: string, file: string): string {
  return fs.readFileSync(path.join(CORPUS, session, file), 'utf8');
}

export interface OffsetEdit {
  readonly span: { readonly start: number; readonly end: number };
  readonly newText: string;
}

/** Applies non-overlapping edits (any order) to a text. */
export function applyEdits(text: string, edits: readonly OffsetEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

/** Document offset of the `n`-th occurrence (0-based) of `needle`. */
export function offsetOf(text: string, needle: string, n = 0): number {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" #${n} not found`);
  }
  return at;
}

/** A session with AUTH PLAIN (initial response) and AUTH LOGIN (two 334 challenges): every payload is a credential. */
export const AUTH_LINES: readonly string[] = [
  'S: 220 mx.example.test ESMTP',
  'C: EHLO client.example.test',
  'S: 250 AUTH PLAIN LOGIN',
  'C: AUTH PLAIN AGFsaWNlAHNlY3JldA==',
  'S: 235 2.7.0 Authentication successful',
  'C: AUTH LOGIN',
  'S: 334 VXNlcm5hbWU6',
  'C: YWxpY2U=',
  'S: 334 UGFzc3dvcmQ6',
  'C: c2VjcmV0',
  'S: 235 2.7.0 Authentication successful',
];

/** The credentials of AUTH_LINES, base64 and decoded ("alice", "secret"). */
export const AUTH_SECRETS: readonly string[] = ['AGFsaWNlAHNlY3JldA', 'YWxpY2U', 'c2VjcmV0', 'secret', 'alice'];
