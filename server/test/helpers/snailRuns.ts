/**
 * What s-nail's outputs against the mail lab must give (server/test/fixtures/s-nail/make-fixtures.sh, run again by the
 * live stage): each check reads the files of one folder, the fixtures' or a fresh run's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { findChunkStarts } from '../../src/core/analysis/documentChunks';
import { findTlsSecrets } from '../../src/core/analysis/tlsSecrets';
import { computeHover } from '../../src/core/features/hover';
import { toDecodeJson } from '../../src/core/export/decodeJson';
import { formatDecodeText } from '../../src/core/export/decodeText';
import type { TranscriptSession } from '../../src/core/model/transcript';
import { assertSidesAsPostfixLogged } from './postfixOracle';

const readIn = (dir: string, name: string): string => readFileSync(path.join(dir, name), 'utf8');

/** A side's lines of a session, in order (`C ` commands, message text apart; `S ` replies), each with whether it was inside TLS. */
function side(s: TranscriptSession, c: 'C' | 'S'): string[] {
  return s.events.flatMap((e) => {
    if (c === 'C' && e.kind === 'command' && !e.dataLine && e.verb !== '.') return [`${e.verb} ${e.argument}`.trimEnd() + (e.inTls ? ' (TLS)' : '')];
    if (c === 'S' && e.kind === 'reply') return [`${e.code} ${e.lines.join(' | ')}` + (e.inTls ? ' (TLS)' : '')];
    return [];
  });
}

/** s-nail -vv's dialogue is the one Postfix's smtpd logged of the same connection; inside TLS after s-nail says so; TLS 1.3 stated; no finding. */
export function checkSnailStarttls(dir: string): void {
  const text = readIn(dir, 'snail-starttls.txt');
  const t = readTranscript(text);
  assert.equal(t.format, 's-nail');
  assert.equal(t.sessions.length, 1);
  const s = t.sessions[0];
  assert.equal(s.port, 2526);
  assertSidesAsPostfixLogged(s, readIn(dir, 'snail-starttls.postfix.log'), 'client.lab.test');
  // After the 220 to STARTTLS, everything is inside TLS (HELO, not EHLO: s-nail's choice, which RFC 3207 §4.2 allows).
  const commands = side(s, 'C');
  const tls = commands.findIndex((l) => l.startsWith('HELO'));
  assert.ok(tls > 0 && commands.slice(0, tls).every((l) => !l.endsWith('(TLS)')) && commands.slice(tls).every((l) => l.endsWith('(TLS)')), commands.join('\n'));
  const stated = s.events.find((e) => e.kind === 'stated' && e.subject === 'negotiated');
  assert.ok(stated && stated.kind === 'stated' && stated.version === 0x0304 && stated.cipherName === 'TLS_AES_256_GCM_SHA384');
  assert.deepEqual(analyzeDocument(text).findings, []);
}

/** TLS 1.0 as s-nail states it is tls-deprecated-version, on its words. */
export function checkSnailTls10(dir: string): void {
  const text = readIn(dir, 'snail-tls10.txt');
  const findings = analyzeDocument(text).findings.map((f) => `${f.rule} ${text.slice(f.span.start, f.span.end)}`);
  assert.deepEqual(findings, ['tls-deprecated-version TLSv1']);
}

/** The password s-nail prints on its Credentials line is a secret: the hover says what it is without it, decode never prints it. */
export function checkSnailAuth(dir: string): void {
  const text = readIn(dir, 'snail-auth.txt');
  const a = analyzeDocument(text);
  const secrets = findTlsSecrets(text, a.lines).map((x) => text.slice(x.start, x.end));
  assert.deepEqual(secrets, ['labsecret']);
  const h = computeHover(a, text.indexOf('labsecret') + 2);
  assert.ok(h && /SMTP AUTH password/.test(h.markdown) && !h.markdown.includes('labsecret'), h?.markdown);
  assert.ok(!JSON.stringify(toDecodeJson(a)).includes('labsecret'), 'decode JSON');
  assert.ok(!formatDecodeText('snail-auth.txt', a).includes('labsecret'), 'decode text');
  for (const f of a.findings) assert.ok(!f.message.includes('labsecret'), f.message);
  // The AUTH it tried, refused (the lab offers none).
  assert.ok(a.transcript.sessions[0].events.some((e) => e.kind === 'command' && e.verb === 'AUTH' && e.argument === 'PLAIN'));
}

/** Two runs appended: a session each, on its port, a chunk starting at each run's `Connecting to`. */
export function checkSnailTwoRuns(dir: string): void {
  const text = readIn(dir, 'snail-two-runs.txt');
  const t = readTranscript(text);
  assert.deepEqual(t.sessions.map((s) => s.port), [2526, 25]);
  // (The lines s-nail prints before it connects, its PRNG and credentials, are no session's.)
  const connecting = [...text.matchAll(/^s-nail: Connecting to /gm)].map((m) => m.index);
  assert.equal(connecting.length, 2);
  assert.deepEqual(findChunkStarts(text), connecting);
  assert.deepEqual(analyzeDocument(text).findings, []);
}

/** Every check, on the files of `dir`. */
export function assertSnailRuns(dir: string): void {
  checkSnailStarttls(dir);
  checkSnailTls10(dir);
  checkSnailAuth(dir);
  checkSnailTwoRuns(dir);
}
