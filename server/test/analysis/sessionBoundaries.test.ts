/**
 * Chunk boundaries inside runs of text that have no blank line between sessions
 * (documentChunks.ts): several swaks runs appended to one file. Each run is a session and
 * a chunk of its own; the findings of the whole file, of the streaming check and of the
 * editor's incremental analysis are those of each run analysed alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { checkInChunks } from '../../src/core/analysis/chunkedCheck';
import { findChunkStarts } from '../../src/core/analysis/documentChunks';
import { IncrementalAnalysis } from '../../src/core/analysis/incrementalAnalysis';
import { DEFAULT_SETTINGS, type Finding } from '../../src/core/rules/types';
import { REPO } from '../helpers/lspClient';

const SWAKS = fs.readFileSync(path.join(REPO, 'server/test/fixtures/corpus/sessions/swaks-starttls/swaks.txt'), 'utf8');
const SWAKS_SAMPLE = fs.readFileSync(path.join(REPO, 'samples/swaks-starttls.transcript'), 'utf8');

/** A run cut right after the server accepted STARTTLS (the next run's greeting must not be taken as that reply). */
const CUT_AFTER_STARTTLS = SWAKS.slice(0, SWAKS.indexOf('=== TLS started'));
/** A run that authenticates in the clear (auth-before-tls), built from the real run's first lines. */
const AUTH_IN_CLEAR =
  SWAKS.slice(0, SWAKS.indexOf(' -> STARTTLS')) +
  ' -> AUTH PLAIN AGJvYgBzZWNyZXQ=\n<-  235 2.7.0 Authentication successful\n -> QUIT\n<-  221 2.0.0 Bye\n=== Connection closed with remote host.\n';
/** What swaks prints when nothing listens. */
const REFUSED = '=== Trying 192.0.2.1:25...\n*** Error connecting to 192.0.2.1:25:\n***\tIO::Socket::INET6: connect: Connection refused\n';

function comparable(findings: readonly Finding[], shift = 0): string[] {
  return findings.map((f) =>
    JSON.stringify([f.rule, f.severity, f.span.start + shift, f.span.end + shift, f.message, (f.related ?? []).map((r) => [r.span.start + shift, r.span.end + shift, r.message])]),
  );
}

/** The runs' findings, each run analysed alone, at the run's place in the joined text. */
function perRun(runs: readonly string[]): { findings: string[]; sessions: number[][] } {
  const findings: string[] = [];
  const sessions: number[][] = [];
  let at = 0;
  let line = 0;
  for (const run of runs) {
    const a = analyzeDocument(run);
    findings.push(...comparable(a.findings, at));
    for (const s of a.transcript.sessions) sessions.push([s.startLine + line, s.endLine + line, s.events.length]);
    at += run.length;
    line += a.lines.lineCount - 1;
  }
  return { findings, sessions };
}

test('swaks runs appended to one file: one session and one chunk per run, findings those of each run alone', () => {
  const runs = [SWAKS_SAMPLE, CUT_AFTER_STARTTLS, SWAKS, AUTH_IN_CLEAR, REFUSED, SWAKS_SAMPLE, CUT_AFTER_STARTTLS, AUTH_IN_CLEAR, SWAKS];
  const text = runs.join('');
  const expected = perRun(runs);
  assert.ok(expected.findings.some((f) => f.includes('auth-before-tls')), 'some run has findings');
  const whole = analyzeDocument(text);
  assert.deepEqual(
    whole.transcript.sessions.map((s) => [s.startLine, s.endLine, s.events.length]),
    expected.sessions,
    'the whole-text read starts a session at every run',
  );
  assert.deepEqual(comparable(whole.findings), expected.findings);
  // The sample's comment header goes with its run (the comment lines just above `=== Trying`).
  const starts = findChunkStarts(text);
  assert.equal(starts.length, runs.length - 1);
  let at = 0;
  for (let k = 1; k < runs.length; k++) {
    at += runs[k - 1].length;
    assert.equal(starts[k - 1], at, `run ${k} starts a chunk`);
  }
  const check = checkInChunks(text, DEFAULT_SETTINGS);
  assert.equal(check.chunks, runs.length);
  assert.deepEqual(comparable(check.findings), expected.findings);
  const inc = new IncrementalAnalysis(DEFAULT_SETTINGS);
  inc.setText(text);
  assert.equal(inc.chunks.length, runs.length);
  assert.deepEqual(comparable(inc.findings()), expected.findings);
});

test('`=== Trying` starts a chunk after any line, never at the start of the text, and only at the start of a line', () => {
  assert.deepEqual(findChunkStarts('=== Trying a:25...\n<-  220 x\n'), []);
  assert.deepEqual(findChunkStarts('# c\n# d\n=== Trying a:25...\n'), [], 'the comment run above it reaches the start');
  const text = 'x\n# c\n=== Trying a:25...\ny\n\n=== Trying b:25...\n  === Trying c:25...\n';
  assert.deepEqual(findChunkStarts(text), [text.indexOf('# c'), text.indexOf('=== Trying b')]);
});
