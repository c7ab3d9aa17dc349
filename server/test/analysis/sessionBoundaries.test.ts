/**
 * Chunk boundaries inside text that has no blank line between sessions (documentChunks.ts):
 * several swaks runs appended to one file, each a session and a chunk of its own, with the
 * findings of each run analysed alone; and postfix logs, cut where no smtpd connection is
 * open, with the findings of a whole-text analysis, whether checked in chunks, pushed in
 * pieces or held by the editor's incremental analysis; and text with no boundary at all,
 * cut every MAX_CHUNK_CHARS with a note before each cut.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { ChunkedCheck, checkInChunks } from '../../src/core/analysis/chunkedCheck';
import { ChunkStartScanner, endsAtForcedCut, findChunkStarts, MAX_CHUNK_CHARS } from '../../src/core/analysis/documentChunks';
import { IncrementalAnalysis } from '../../src/core/analysis/incrementalAnalysis';
import { DEFAULT_SETTINGS, type Finding } from '../../src/core/rules/types';
import { REPO } from '../helpers/lspClient';
import { busyPostfixLog } from '../helpers/postfixLogs';

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

/**
 * The runs appended: a chunk starts at each run's `startOf` (its offset in the run) but the first's,
 * and the chunked check has the `expected` findings (each run's alone, at its place).
 */
function assertChunkPerRun(runs: readonly string[], startOf: (run: string) => number, expected: readonly string[]): void {
  const text = runs.join('');
  let at = 0;
  const runStarts = runs.map((r) => {
    const start = at + startOf(r);
    at += r.length;
    return start;
  });
  assert.deepEqual(findChunkStarts(text), runStarts.slice(1));
  const check = checkInChunks(text, DEFAULT_SETTINGS);
  assert.equal(check.chunks, runs.length);
  assert.deepEqual(comparable(check.findings), expected);
}

test('msmtp --debug runs appended to one file: one session and one chunk per run, findings those of each run alone', () => {
  const msmtp = (name: string): string => fs.readFileSync(path.join(REPO, 'server/test/fixtures/msmtp', name), 'utf8');
  // Real runs (server/test/fixtures/msmtp/README.md): STARTTLS, AUTH in clear, TLS 1.1 on 465, a refused recipient.
  const runs = [msmtp('msmtp-starttls.txt'), msmtp('msmtp-auth-plain.txt'), msmtp('msmtp-implicit-tls11.txt'), msmtp('msmtp-rcpt-rejected.txt'), msmtp('msmtp-auth-login.txt')];
  const text = runs.join('');
  const expected = perRun(runs);
  assert.ok(expected.findings.some((f) => f.includes('auth-before-tls')) && expected.findings.some((f) => f.includes('tls-deprecated-version')));
  const whole = analyzeDocument(text);
  assert.deepEqual(comparable(whole.findings), expected.findings);
  // Each run's chunk starts at its first line naming the account or a configuration file (the refused
  // recipient's run has msmtp's error lines above it: stderr came out first; they stay with the run before).
  assertChunkPerRun(runs, (r) => r.search(/^(?:using account |loaded user configuration file |ignoring system configuration file )/m), expected.findings);
});

test('posttls-finger runs appended to one file (a survey of servers): one session and one chunk per connection, findings those of each run alone', () => {
  const run = (name: string): string => fs.readFileSync(path.join(REPO, 'server/test/fixtures/posttls-finger', name), 'utf8');
  // Real runs (server/test/fixtures/posttls-finger/README.md); the TLS 1.0 one has findings of its own.
  const runs = [run('default.txt'), run('tls10-legacy-sigalg.txt'), run('tls12-session-dump.txt'), run('tls13-handshake-dump.txt')];
  const text = runs.join('');
  const expected = perRun(runs);
  assert.ok(expected.findings.some((f) => f.includes('tls-deprecated-version')));
  assert.deepEqual(comparable(analyzeDocument(text).findings), expected.findings);
  assert.equal(analyzeDocument(text).sessions.length, runs.length);
  assertChunkPerRun(runs, (r) => r.indexOf('posttls-finger: Connected to '), expected.findings);
});

test('telnet sessions appended to one file (the terminal kept scrolling): one chunk per connection from its `Trying`, findings those of each run alone', () => {
  const run = (name: string): string => fs.readFileSync(path.join(REPO, 'server/test/fixtures/telnet', name), 'utf8');
  // Real terminal sessions (server/test/fixtures/telnet/README.md); STARTTLS then QUIT typed in the clear has a finding.
  const runs = [run('telnet-message.txt'), run('telnet-starttls-quit.txt'), run('telnet-message.txt')];
  const expected = perRun(runs);
  assert.ok(expected.findings.some((f) => f.includes('starttls-plaintext-after-220')));
  assert.deepEqual(comparable(analyzeDocument(runs.join('')).findings), expected.findings);
  assert.equal(analyzeDocument(runs.join('')).sessions.length, runs.length);
  assertChunkPerRun(runs, (r) => r.indexOf('Trying '), expected.findings);
});

test('`=== Trying` starts a chunk after any line, never at the start of the text, and only at the start of a line', () => {
  assert.deepEqual(findChunkStarts('=== Trying a:25...\n<-  220 x\n'), []);
  assert.deepEqual(findChunkStarts('# c\n# d\n=== Trying a:25...\n'), [], 'the comment run above it reaches the start');
  const text = 'x\n# c\n=== Trying a:25...\ny\n\n=== Trying b:25...\n  === Trying c:25...\n';
  assert.deepEqual(findChunkStarts(text), [text.indexOf('# c'), text.indexOf('=== Trying b')]);
});

const POSTFIX_LOGS = [
  ...fs.readdirSync(path.join(REPO, 'server/test/fixtures/live')).filter((f) => f.endsWith('.postfix.log')).sort().map((f) => path.join('server/test/fixtures/live', f)),
  ...fs.readdirSync(path.join(REPO, 'server/test/fixtures/corpus/sessions')).sort().map((d) => path.join('server/test/fixtures/corpus/sessions', d, 'postfix.log')),
]
  .filter((f) => fs.existsSync(path.join(REPO, f)))
  .map((f) => fs.readFileSync(path.join(REPO, f), 'utf8'));

/** Offsets just after each `disconnect from` line that is not the text's last line. */
function afterDisconnects(text: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(': disconnect from '); at >= 0; at = text.indexOf(': disconnect from ', at + 1)) {
    const next = text.indexOf('\n', at) + 1;
    if (next > 0 && next < text.length) out.push(next);
  }
  return out;
}

/** The streaming check's findings for the text pushed in seeded random pieces. */
function checkInPieces(text: string, seed: number): { findings: string[]; chunks: number } {
  const check = new ChunkedCheck(DEFAULT_SETTINGS);
  let s = seed;
  for (let at = 0; at < text.length; ) {
    s = (s * 1664525 + 1013904223) >>> 0;
    const n = 1 + (s % 5000);
    check.push(text.slice(at, at + n));
    at += n;
  }
  const r = check.end();
  return { findings: comparable(r.findings), chunks: r.chunks };
}

function assertChunkedAsWhole(name: string, text: string, chunks: number): void {
  const whole = comparable(analyzeDocument(text).findings);
  const check = checkInChunks(text, DEFAULT_SETTINGS);
  assert.equal(check.chunks, chunks, name);
  assert.deepEqual(comparable(check.findings), whole, name);
  assert.deepEqual(checkInPieces(text, chunks), { findings: whole, chunks }, `${name}, in pieces`);
  const inc = new IncrementalAnalysis(DEFAULT_SETTINGS);
  inc.setText(text);
  assert.equal(inc.chunks.length, chunks, name);
  assert.deepEqual(comparable(inc.findings()), whole, name);
}

test('postfix logs appended three times: a chunk starts after each `disconnect from`, and the findings are those of the whole text', () => {
  assert.ok(POSTFIX_LOGS.length >= 30, `${POSTFIX_LOGS.length} logs`);
  const text = [...POSTFIX_LOGS, ...POSTFIX_LOGS, ...POSTFIX_LOGS].join('');
  const expected = afterDisconnects(text);
  // One `disconnect from` per log; the text's last line may be one (no chunk starts at the very end).
  assert.equal(afterDisconnects(text + 'x').length, 3 * POSTFIX_LOGS.length);
  assert.ok(expected.length >= 3 * POSTFIX_LOGS.length - 1);
  assert.deepEqual(findChunkStarts(text), expected);
  assert.ok(analyzeDocument(text).findings.length > 30, 'the logs have findings');
  assertChunkedAsWhole('postfix logs', text, expected.length + 1);
});

test('postfix: connections of two processes interleaved line by line are cut only where both are closed', () => {
  const [a, b] = [POSTFIX_LOGS.find((l) => l.includes('postfix/lab2526/smtpd[')), POSTFIX_LOGS.find((l) => l.includes(' postfix/smtpd['))].map((l) => l!.split(/(?<=\n)/));
  const lines: string[] = [];
  for (let k = 0; k < Math.max(a.length, b.length); k++) lines.push(...(k < a.length ? [a[k]] : []), ...(k < b.length ? [b[k]] : []));
  const one = lines.join('');
  const text = one + one + one;
  const starts = findChunkStarts(text);
  // Only the later of the two disconnects of each copy leaves nothing open.
  assert.deepEqual(starts, afterDisconnects(text).filter((_, k) => k % 2 === 1));
  assertChunkedAsWhole('interleaved processes', text, 3);
  assert.equal(analyzeDocument(one).transcript.sessions.length, 2);
});

test('postfix: no cut after a postfix/smtp client line (it never logs `disconnect from`) or after a line that is no syslog line', () => {
  // A log with lines after its `disconnect from` (qmgr, local).
  const log = POSTFIX_LOGS.find((l) => !/disconnect from [^\n]*\n$/.test(l))!;
  const twice = log + log + log;
  assert.deepEqual(findChunkStarts(twice), afterDisconnects(twice), 'cut after each disconnect');
  assert.equal(afterDisconnects(twice).length, 3);
  const client = 'Nov 29 04:17:02 mx postfix/smtp[999]: Trusted TLS connection established to mx.example.test[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\n';
  assert.deepEqual(findChunkStarts(client + twice), []);
  assert.deepEqual(findChunkStarts('S: 250 ok\n' + twice), []);
  // Until the next chunk start (here a capture import's section header): the postfix log after it has quiet points again.
  const mixed = client + log + '\n# smtptls-session\n' + log + log;
  const starts = findChunkStarts(mixed);
  assert.deepEqual(starts, [mixed.indexOf('# smtptls-session'), ...afterDisconnects(mixed).slice(1)]);
  // A chunk that starts with a line of another format (a swaks run) has none.
  assert.deepEqual(findChunkStarts(client + log + '=== Trying 192.0.2.1:25...\n' + log + log), [(client + log).length]);
  assertChunkedAsWhole('after a client line', client + twice, 1);
});

test('postfix reader: `disconnect from` ends the process\'s session (a line of the same process after it starts a new one)', () => {
  const text =
    'Nov 29 04:16:08 mx postfix/smtpd[1]: connect from a[192.0.2.1]\n' +
    'Nov 29 04:16:08 mx postfix/smtpd[1]: > a[192.0.2.1]: 220 mx ESMTP\n' +
    'Nov 29 04:16:09 mx postfix/smtpd[1]: disconnect from a[192.0.2.1] commands=0/0\n' +
    'Nov 29 04:16:10 mx postfix/smtpd[1]: > a[192.0.2.1]: 250 ok\n';
  const sessions = analyzeDocument(text).transcript.sessions;
  assert.deepEqual(sessions.map((s) => [s.startLine, s.endLine, s.events.length]), [[0, 2, 3], [3, 3, 1]]);
});

test('forced cuts: with no chunk start for `limit` characters, a chunk starts at the next line start, and only that chunk ends at a forced cut', () => {
  const line = 'free text of a log without any session start\n';
  const text = line.repeat(100);
  const limit = 10 * line.length + 5;
  const starts = findChunkStarts(text, 0, text.length, limit);
  // The first line start at least `limit` after each chunk's start: every 11 lines.
  assert.deepEqual(starts, Array.from({ length: 9 }, (_, k) => (k + 1) * 11 * line.length));
  const pieces = [0, ...starts, text.length].slice(1).map((end, k) => text.slice(k === 0 ? 0 : starts[k - 1], end));
  assert.deepEqual(
    pieces.map((p) => endsAtForcedCut(p, limit)),
    pieces.map((_, k) => (k < 9 ? { start: 10 * line.length, end: 11 * line.length - 1 } : null)),
  );
  // Chunk starts of their own reset the distance; a cut never lands at the very end.
  const swaks = text.slice(0, 5 * line.length) + '=== Trying a:25...\n' + text.slice(0, 12 * line.length);
  assert.deepEqual(findChunkStarts(swaks, 0, swaks.length, limit), [5 * line.length, 5 * line.length + 19 + 10 * line.length]);
  assert.deepEqual(findChunkStarts(line.repeat(11), 0, 11 * line.length, limit), [], 'the 12th line would start it, but there is none');
});

test('endsAtForcedCut: the last line (LF, CR LF, lone CR) when it starts before the limit and the text reaches it', () => {
  assert.deepEqual(endsAtForcedCut('ab\ncdefgh\n', 5), { start: 3, end: 9 });
  assert.deepEqual(endsAtForcedCut('ab\r\ncdefgh\r\n', 5), { start: 4, end: 10 });
  assert.deepEqual(endsAtForcedCut('ab\rcdefgh\r', 5), { start: 3, end: 9 });
  assert.equal(endsAtForcedCut('ab\ncdefgh', 5), null, 'no final line break: not cut');
  assert.equal(endsAtForcedCut('abcdef\ngh\n', 5), null, 'the last line starts after the limit');
  assert.equal(endsAtForcedCut('ab\n', 5), null, 'shorter than the limit');
  assert.deepEqual(endsAtForcedCut('abcdefgh\n', 5), { start: 0, end: 8 }, 'one long line');
});

test('a text with no session boundary for more than 4 MB: cut every 4 MB, a document-no-session-boundary note before each cut, the same in the check and the editor', () => {
  const line = 'Nov 29 04:17:02 mx kernel: a log line of another program, no SMTP process in it\n';
  const text = line.repeat(Math.ceil((2.2 * MAX_CHUNK_CHARS) / line.length));
  const per = Math.ceil(MAX_CHUNK_CHARS / line.length);
  const starts = findChunkStarts(text);
  assert.deepEqual(starts, [per * line.length, 2 * per * line.length]);
  const check = checkInChunks(text, DEFAULT_SETTINGS, { keepText: true });
  assert.equal(check.chunks, 3);
  const notes = check.findings.filter((f) => f.rule === 'document-no-session-boundary');
  assert.deepEqual(
    notes.map((f) => [f.span.start, f.span.end, f.severity]),
    starts.map((s) => [s - line.length, s - 1, 'information']),
  );
  assert.ok(notes.every((f) => check.locate.rangeOf(f.span).start.line === f.span.start / line.length));
  assert.match(notes[0].message, /No session boundary in the last 4 MB/);
  const inc = new IncrementalAnalysis(DEFAULT_SETTINGS);
  inc.setText(text);
  assert.equal(inc.chunks.length, 3);
  assert.deepEqual(comparable(inc.findings()), comparable(check.findings));
  assert.deepEqual(analyzeDocument(text).findings, [], 'the whole text is no forced chunk');
});

/** The chunk starts of a ChunkStartScanner fed the text in blocks of `block` characters, complete lines at a time, as ChunkedCheck feeds it. */
function streamedStarts(text: string, block: number, limit: number): number[] {
  const scanner = new ChunkStartScanner(0, limit);
  const starts: number[] = [];
  let pending = '';
  let base = 0;
  for (let at = 0; at < text.length; at += block) {
    pending += text.slice(at, at + block);
    const end = pending.lastIndexOf('\n') + 1;
    if (end === 0) continue;
    starts.push(...scanner.scan(pending, 0, end, base, false));
    pending = pending.slice(end);
    base += end;
  }
  starts.push(...scanner.scan(pending, 0, pending.length, base, true));
  return starts;
}

/** Whether the line before `at` is a postfix smtpd `disconnect from` line. */
function afterDisconnect(text: string, at: number): boolean {
  return /postfix\/(?:[a-z0-9]+\/)?smtpd\[[0-9]+\]: disconnect from /.test(text.slice(text.lastIndexOf('\n', at - 2) + 1, at));
}

test('postfix log kept from quiet points by postfix/smtp processes: cut in the last quarter before the limit after a `disconnect from` with no smtpd open, the same scanned whole, streamed or held by the editor', () => {
  // A quarter of the limit holds a whole copy (two logs of at most 22 KB interleaved).
  const text = busyPostfixLog(1_600_000);
  const limit = 180_000;
  const soft = limit - limit / 4;
  // Without the postfix/smtp lines: quiet points after every copy.
  const inboundOnly = text.replace(/^.* postfix\/smtp\[.*\n/gm, '');
  const copies = text.length - inboundOnly.length > 0 ? (text.match(/ postfix\/smtp\[/g) ?? []).length : 0;
  assert.ok(copies > 80 && findChunkStarts(inboundOnly, 0, inboundOnly.length, limit).length >= copies - 1);
  const starts = findChunkStarts(text, 0, text.length, limit);
  assert.ok(starts.length >= 8, `${starts.length} cuts`);
  const chunks = [0, ...starts];
  for (let k = 1; k < chunks.length; k++) {
    const length = chunks[k] - chunks[k - 1];
    // Each copy has a point with no smtpd open, so every cut is a soft one.
    assert.ok(afterDisconnect(text, chunks[k]) && length > soft && length < limit, `cut ${k} after ${length} characters`);
    const cut = endsAtForcedCut(text.slice(chunks[k - 1], chunks[k]), limit);
    assert.equal(cut?.soft, true, `chunk ${k} ends at a soft cut`);
    assert.equal(cut!.end, chunks[k] - chunks[k - 1] - 1);
  }
  assert.equal(endsAtForcedCut(text.slice(chunks[chunks.length - 1]), limit), null, 'the last chunk ends with the text');
  // A soft cut needs a postfix/smtp process: a quiet point (no process open) is no forced cut.
  const quiet = findChunkStarts(POSTFIX_LOGS[0] + POSTFIX_LOGS[1])[0];
  const first = (POSTFIX_LOGS[0] + POSTFIX_LOGS[1]).slice(0, quiet);
  assert.equal(endsAtForcedCut(first, quiet + 100), null);
  assert.equal(endsAtForcedCut(`Nov 29 04:17:01 mx postfix/smtp[1]: x\n${first}`, quiet + 100)?.soft, true, 'the same with a postfix/smtp line');
  for (const block of [7, 4096, 1 << 20]) assert.deepEqual(streamedStarts(text, block, limit), starts, `streamed in blocks of ${block}`);
  const inc = new IncrementalAnalysis(DEFAULT_SETTINGS, { chunkLimit: limit });
  inc.setText(text);
  assert.deepEqual(
    inc.chunks.map((c) => c.start),
    chunks,
  );
  // Only postfix/smtp sessions run across the cuts, and their parts miss nothing the whole log reports.
  assert.deepEqual(comparable(inc.findings()), comparable(analyzeDocument(text).findings));
});

test('the soft cut at the real limit: a note that says only postfix/smtp sessions run across it, in the streaming check and in the editor', () => {
  const text = busyPostfixLog(MAX_CHUNK_CHARS - MAX_CHUNK_CHARS / 4 + 200_000);
  const starts = findChunkStarts(text);
  assert.equal(starts.length, 1);
  assert.ok(afterDisconnect(text, starts[0]) && starts[0] > MAX_CHUNK_CHARS - MAX_CHUNK_CHARS / 4);
  const check = checkInPieces(text, 7);
  assert.equal(check.chunks, 2);
  const notes = check.findings.filter((f) => f.includes('document-no-session-boundary'));
  assert.equal(notes.length, 1);
  assert.match(notes[0], /No session boundary in the last 3 MB: .*postfix\/smtp client processes/);
  assert.ok(notes[0].includes(`${text.lastIndexOf('\n', starts[0] - 2) + 1},${starts[0] - 1}`));
  const inc = new IncrementalAnalysis(DEFAULT_SETTINGS);
  inc.setText(text);
  assert.deepEqual(comparable(inc.findings()), check.findings);
});

test('chunk starts fall on the same lines whatever the line endings (LF, CR LF, lone CR), scanned whole or in pieces', () => {
  const samples = ['ssl3-hello.transcript', 'swaks-starttls.transcript', 'openssl-tls12-clean.transcript'].map((n) => fs.readFileSync(path.join(REPO, 'samples', n), 'utf8'));
  const lf = [...samples, SWAKS, busyPostfixLog(2).slice(0, 20000)].join('\n\n').replace(/\r\n?/g, '\n');
  const lineOf = (text: string, offset: number): number => text.slice(0, offset).split(/\r\n|\r|\n/).length - 1;
  const linesOfStarts = (text: string): number[] => findChunkStarts(text).map((s) => lineOf(text, s));
  const expected = linesOfStarts(lf);
  assert.ok(expected.length >= 3, `chunk starts: ${expected.length}`);
  for (const [name, text] of [
    ['CR LF', lf.replace(/\n/g, '\r\n')],
    ['lone CR', lf.replace(/\n/g, '\r')],
    ['CR LF in the second half only', lf.slice(0, lf.length >> 1) + lf.slice(lf.length >> 1).replace(/\n/g, '\r\n')],
  ]) {
    assert.deepEqual(linesOfStarts(text), expected, name);
    // Scanned in pieces of whole lines, as the streaming check feeds it.
    const scanner = new ChunkStartScanner(0);
    const starts: number[] = [];
    const breaks = [...text.matchAll(/\r\n|\r(?!\n)|\n/g)].map((m) => m.index + m[0].length);
    let from = 0;
    for (let k = 0; k < breaks.length; k += 37) {
      const to = breaks[Math.min(k + 36, breaks.length - 1)];
      starts.push(...scanner.scan(text, from, to, 0, false));
      from = to;
    }
    starts.push(...scanner.scan(text, from, text.length, 0, true));
    assert.deepEqual(starts.map((s) => lineOf(text, s)), expected, `${name}, in pieces`);
  }
});

/**
 * A log whose lines are each read on their own (or nearly): `text`'s chunks start in the last quarter before
 * `limit`, each at a line `cutLine` accepts, with no note; the same streamed and in the editor, whose findings are
 * the whole text's (`findings` of them).
 */
function assertExactCuts(text: string, limit: number, cutLine: (line: string) => void, findings: number): void {
  const soft = limit - limit / 4;
  const starts = findChunkStarts(text, 0, text.length, limit);
  assert.ok(starts.length >= 10, `${starts.length} cuts`);
  const chunks = [0, ...starts];
  for (let k = 1; k < chunks.length; k++) {
    const length = chunks[k] - chunks[k - 1];
    assert.ok(length >= soft && length < limit, `cut ${k} after ${length} characters`);
    cutLine(text.slice(chunks[k], text.indexOf('\n', chunks[k])));
    assert.equal(endsAtForcedCut(text.slice(chunks[k - 1], chunks[k]), limit), null, `chunk ${k} ends at a session boundary`);
  }
  for (const block of [7, 4096]) assert.deepEqual(streamedStarts(text, block, limit), starts, `streamed in blocks of ${block}`);
  const inc = new IncrementalAnalysis(DEFAULT_SETTINGS, { chunkLimit: limit });
  inc.setText(text);
  assert.deepEqual(inc.chunks.map((c) => c.start), chunks);
  const whole = analyzeDocument(text).findings;
  assert.equal(whole.length, findings);
  assert.deepEqual(comparable(inc.findings()), comparable(whole));
}

test('sendmail\'s syslog: in the last quarter before the limit a chunk starts at its next line but a verifymsg= line, with no note; the same whole, streamed and in the editor', () => {
  // The real client log of server/test/fixtures/sendmail (verdicts, TLS 1.0, an alert), its copies appended.
  const log = fs.readFileSync(path.join(REPO, 'server/test/fixtures/sendmail/maillog-client.log'), 'utf8');
  const limit = 60_000;
  const cutLine = (line: string): void => {
    assert.match(line, /^[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [^ ]+ sendmail\[[0-9]+\]: /);
    assert.ok(!line.includes('verifymsg='), line);
  };
  assertExactCuts(log.repeat(300), limit, cutLine, analyzeDocument(log).findings.length * 300);
  // A Postfix line in the chunk: no such cut there.
  const mixed = `Nov 30 16:08:19 mx postfix/qmgr[1]: 4ABC: removed\n${log.repeat(300)}`;
  assert.ok(findChunkStarts(mixed, 0, mixed.length, limit)[0] >= limit);
});

test('Exim main log: every line is read on its own, so in the last quarter before the limit a chunk starts at the next of its lines, with no note; the same whole, streamed and in the editor', () => {
  // The real main log of server/test/fixtures/exim-mainlog, its copies appended (as a day's log grows).
  const log = fs.readFileSync(path.join(REPO, 'server/test/fixtures/exim-mainlog/mainlog'), 'utf8');
  const text = log.repeat(400);
  const limit = 60_000;
  assertExactCuts(text, limit, (line) => assert.match(line, /^2026-11-29 [0-9:]{8} /), 2 * 400);
  // A line of another format in the chunk: no such cut there (the forced cut at the limit, with its note).
  const mixed = `S: 220 mx.example.test ESMTP\n${text}`;
  const mixedStarts = findChunkStarts(mixed, 0, mixed.length, limit);
  assert.ok(mixedStarts[0] - 0 >= limit, `the first cut comes at the limit (${mixedStarts[0]})`);
  assert.notEqual(endsAtForcedCut(mixed.slice(0, mixedStarts[0]), limit), null);
});

test('Mutt and Perl Net::SMTP logs appended to one file: a chunk per connection, at Mutt\'s `Connected to` and at the greeting a Net::SMTP object reads', () => {
  const fixture = (dir: string, name: string): string => fs.readFileSync(path.join(REPO, 'server/test/fixtures', dir, name), 'utf8');
  // (NeoMutt's log ends with a `# vim: syntax=neomuttlog` comment, which would go with the run after it, as comment lines
  // above a chunk start do: it comes last.)
  const mutt = [fixture('mutt', 'mutt-starttls.txt'), fixture('mutt', 'mutt-untrusted.txt'), fixture('mutt', 'neomutt-auth-plain.txt')];
  // Each run's chunk starts at its header line (the first `Connected to` goes with it).
  assertChunkPerRun(mutt, () => 0, perRun(mutt).findings);
  // Two connections in one run: the second `Connected to` starts a chunk.
  const run = fixture('mutt', 'mutt-starttls.txt');
  const second = run.slice(run.indexOf('\n', run.indexOf('Connected to ')) + 1);
  const connected = run.slice(run.lastIndexOf('\n', run.indexOf('Connected to ')) + 1, run.indexOf('\n', run.indexOf('Connected to ')) + 1);
  const twice = run + connected + second;
  assert.deepEqual(findChunkStarts(twice), [run.length]);
  assert.equal(analyzeDocument(twice).transcript.sessions.filter((x) => x.events.some((e) => e.kind === 'command')).length, 2);
  const perl = [fixture('perl-net-smtp', 'perl-starttls.txt'), fixture('perl-net-smtp', 'perl-name-mismatch.txt'), fixture('perl-net-smtp', 'perl-alert.txt')];
  const expected = perRun(perl);
  assert.ok(expected.findings.some((f) => f.includes('tls-certificate-name-mismatch')) && expected.findings.some((f) => f.includes('tls-alert')));
  // Each run's chunk starts at its first version line.
  assertChunkPerRun(perl, () => 0, expected.findings);
  // Two connections of one run (perl-two-messages.txt): the second greeting starts a chunk.
  const two = fixture('perl-net-smtp', 'perl-two-messages.txt');
  const greetings = [...two.matchAll(/^Net::SMTP=GLOB\(0x[0-9a-f]+\)<<< 220 [^\n]*ESMTP/gm)].map((m) => m.index);
  assert.equal(greetings.length, 2);
  assert.deepEqual(findChunkStarts(two), [greetings[1]]);
  // A server whose answer to STARTTLS names SMTP (as Exchange's does): no chunk starts there.
  const g = 'Net::SMTP=GLOB(0x1)';
  const exchange = [`${g}<<< 220 mx Microsoft ESMTP MAIL Service ready`, `${g}>>> EHLO c`, `${g}<<< 250 STARTTLS`, `${g}>>> STARTTLS`, `${g}<<< 220 2.0.0 SMTP server ready`, 'Net::SMTP::_SSL=GLOB(0x1)>>> EHLO c', ''].join('\n');
  assert.deepEqual(findChunkStarts(exchange), []);
});
