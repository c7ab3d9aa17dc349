/**
 * Checks the client libraries' runs share (helpers/nodemailerRuns.ts, rubyNetSmtpRuns.ts, jakartaMailRuns.ts): a session's
 * commands as lines, a STARTTLS run's dialogue as Postfix logged it, and AUTH credentials a library printed being masked
 * everywhere a person sees them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { getCredentialSpans } from '../../src/core/features/credentials';
import { computeHover } from '../../src/core/features/hover';
import { formatDecodeText } from '../../src/core/export/decodeText';
import type { TranscriptSession } from '../../src/core/model/transcript';
import { assertSidesAsPostfixLogged } from './postfixOracle';
import { locatedFindings } from './mtaVerdictRuns';

/** The client's commands of a session (message text apart), each marked ` (TLS)` when inside TLS. */
export function clientCommands(s: TranscriptSession): string[] {
  return s.events.flatMap((e) => (e.kind === 'command' && !e.dataLine ? [`${[e.verb, e.argument].filter((x) => x !== '').join(' ')}${e.inTls ? ' (TLS)' : ''}`] : []));
}

/**
 * The run `name` (its text) on `port`: the credentials are exactly `expected`, in document order; no finding quotes them
 * (there is none), decode leaves them out and the hover on each says it is masked without it.
 */
export function assertAuthMasked(name: string, text: string, port: number | null, expected: readonly string[]): void {
  const a = analyzeDocument(text);
  assert.equal(a.transcript.sessions[0].port ?? null, port, name);
  assert.deepEqual(getCredentialSpans(a).map((c) => text.slice(c.start, c.end)), [...expected], name);
  assert.deepEqual(a.findings, [], name);
  const decode = formatDecodeText(name, a);
  for (const secret of expected) {
    assert.ok(!decode.includes(secret), `${name}: decode`);
    const h = computeHover(a, text.indexOf(secret) + 1);
    assert.ok(h && !h.markdown.includes(secret) && /masked/.test(h.markdown), h?.markdown);
  }
}

/**
 * A library's STARTTLS run to the lab's :2526 (`NAME.txt` in `dir`, its Postfix log `NAME.postfix.log`): read in `format`, one
 * session on port 2526 (`port`: null for a library that does not print it) whose two sides are those Postfix's smtpd logged of
 * the connection (but the reply to QUIT when the tool does not read it), and no finding. Returns the session.
 */
export function assertStarttlsRunAsLogged(dir: string, name: string, format: string, port: number | null = 2526, readsQuitReply = true): TranscriptSession {
  const text = readFileSync(path.join(dir, `${name}.txt`), 'utf8');
  const t = readTranscript(text);
  assert.equal(t.format, format);
  assert.equal(t.sessions.length, 1);
  const s = t.sessions[0];
  assert.equal(s.port ?? null, port);
  assertSidesAsPostfixLogged(s, readFileSync(path.join(dir, `${name}.postfix.log`), 'utf8'), 'client.lab.test', readsQuitReply);
  assert.deepEqual(analyzeDocument(text).findings, []);
  return s;
}

/**
 * A library's runs whose STARTTLS handshake failed (`expected`: each file's findings as "rule severity: the words they point
 * at"): those findings; the handshake began after the 220 (a tls-start note), and no SMTP follows it.
 */
export function assertFailedHandshakes(dir: string, expected: Readonly<Record<string, readonly string[]>>): void {
  for (const [name, want] of Object.entries(expected)) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    const a = analyzeDocument(text);
    assert.deepEqual(locatedFindings(text, a.findings), want, name);
    const s = a.transcript.sessions[0];
    assert.ok(s.events.some((e) => e.kind === 'note' && e.note === 'tls-start'), `${name}: the handshake began`);
    const last = s.events.filter((e) => e.kind === 'reply' || e.kind === 'command').pop();
    assert.ok(last && last.kind === 'reply' && last.code === 220, `${name}: nothing of SMTP after the 220`);
  }
}
