/**
 * Sessions whose start or end is not in the text (TranscriptSession.startMissing, endMissing): a
 * postfix log that begins mid-connection (log rotation), one that stops while a connection is open,
 * and a chunk cut inside a connection (documentChunks.ts, the forced cut of a log that never goes
 * quiet). What happened outside the text is unknown, so no rule may judge by it: a log cut anywhere
 * gives no finding the whole log does not have.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { findChunkStarts } from '../../src/core/analysis/documentChunks';
import { IncrementalAnalysis } from '../../src/core/analysis/incrementalAnalysis';
import { buildDialogue } from '../../src/core/rules/dialogue';
import { collectCredentialSecrets } from '../../src/core/export/redact';
import { DEFAULT_SETTINGS, type Finding } from '../../src/core/rules/types';
import { busyPostfixLog, POSTFIX_LOG_FILES } from '../helpers/postfixLogs';

const POSTFIX_LOGS = POSTFIX_LOG_FILES;

/** A finding's rule and place (its message may say less in a part: an alert without the hello it answers). */
function key(f: Finding, shift: number): string {
  return `${f.rule} ${f.span.start + shift}:${f.span.end + shift}`;
}

/**
 * A tls-alert finding's alert (who sends which): a part that holds a level-3 log's `SSL3 alert` line but
 * not the dump of the alert record before it reports the alert on that statement, where the whole log
 * reports the same alert on its bytes.
 */
function alertKey(f: Finding): string | null {
  const m = f.rule === 'tls-alert' ? /^(?:The server|The client|A peer) sends a [a-z]+ alert [a-z_]+ \([0-9]+\)/.exec(f.message) : null;
  return m ? `tls-alert ${m[0]}` : null;
}

/** Line starts of a text after its first line, before its end. */
function innerLineStarts(text: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0 && i < text.length - 1; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

test('a postfix log cut at any line: neither part has a finding the whole log lacks, and the parts know what they miss', () => {
  assert.ok(POSTFIX_LOGS.length >= 30);
  let cuts = 0;
  let startMissing = 0;
  let endMissing = 0;
  let judged = 0;
  const extra: string[] = [];
  for (const { name, text } of POSTFIX_LOGS) {
    const whole = analyzeDocument(text);
    assert.ok(whole.transcript.sessions.every((s) => !s.startMissing && !s.endMissing), `${name}: the whole log holds its connections`);
    const expected = new Set(whole.findings.flatMap((f) => [key(f, 0), alertKey(f) ?? '']));
    for (const at of innerLineStarts(text)) {
      cuts++;
      for (const [part, shift] of [
        [text.slice(at), at],
        [text.slice(0, at), 0],
      ] as const) {
        const a = analyzeDocument(part);
        startMissing += a.transcript.sessions.filter((s) => s.startMissing).length;
        endMissing += a.transcript.sessions.filter((s) => s.endMissing).length;
        judged += a.findings.length;
        for (const f of a.findings) if (!expected.has(key(f, shift)) && !expected.has(alertKey(f) ?? key(f, shift))) extra.push(`${name} cut at ${at}: ${f.rule}: ${f.message}`);
      }
    }
  }
  assert.ok(cuts > 2000, `${cuts} cuts`);
  assert.ok(startMissing > cuts / 2 && endMissing > cuts / 2, `${startMissing} sessions without start, ${endMissing} without end`);
  assert.ok(judged > cuts / 4, `the parts still have findings (${judged})`);
  // Before sessions knew their missing start: 765 smtp-command-order, 427 starttls-not-advertised,
  // 14 tls-malformed (a record body read without its header), 8 starttls-tls-without-220 in the
  // later parts; 145 tls-truncated and 8 tls-weak-cipher-selected (a cut ServerHello) in the earlier.
  assert.deepEqual(extra.slice(0, 5), []);
});

/** A syslog line of a postfix process. */
function pf(pid: number, message: string, program = 'postfix/smtpd'): string {
  return `Nov 29 04:16:08 mx ${program}[${pid}]: ${message}\n`;
}
const C = (pid: number, line: string) => pf(pid, `< client.example.test[192.0.2.7]: ${line}`);
const S = (pid: number, line: string) => pf(pid, `> client.example.test[192.0.2.7]: ${line}`);
const CONNECT = (pid: number) => pf(pid, 'connect from client.example.test[192.0.2.7]');
const DISCONNECT = (pid: number) => pf(pid, 'disconnect from client.example.test[192.0.2.7] ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7');

function rules(text: string): string[] {
  return analyzeDocument(text).findings.map((f) => f.rule);
}

test('postfix reader: a session knows when its start or its end is not in the text', () => {
  const body = S(1, '220 mx.example.test ESMTP Postfix') + C(1, 'EHLO c') + S(1, '250 mx.example.test');
  const read = (text: string) => analyzeDocument(text).transcript.sessions.map((s) => [s.events.length, s.startMissing ?? false, s.endMissing ?? false]);
  assert.deepEqual(read(CONNECT(1) + body + DISCONNECT(1)), [[5, false, false]]);
  // No `connect from`, but the greeting comes first: the start is there (a log trimmed above it).
  assert.deepEqual(read(pf(1, 'match_list_match: x: no match') + body + DISCONNECT(1)), [[4, false, false]]);
  assert.deepEqual(read(C(1, 'MAIL FROM:<a@b>') + S(1, '250 2.1.0 Ok') + DISCONNECT(1)), [[3, true, false]]);
  assert.deepEqual(read(CONNECT(1) + body), [[4, false, true]]);
  // A `connect from` before the last connection's `disconnect from`: that one ends unseen.
  assert.deepEqual(read(CONNECT(1) + body + CONNECT(1) + body + DISCONNECT(1)), [
    [4, false, true],
    [5, false, false],
  ]);
  // Two processes: only the one that started before the text misses its start.
  assert.deepEqual(read(C(2, 'QUIT') + CONNECT(1) + body + DISCONNECT(1) + S(2, '221 Bye') + DISCONNECT(2)), [
    [3, true, false],
    [5, false, false],
  ]);
});

test('dialogue: replies before the first client line of a session without its start answer nothing, and are no greeting', () => {
  const text = S(1, '250 2.1.0 Ok') + S(1, '250 2.1.5 Ok') + C(1, 'DATA') + S(1, '354 End data with <CR><LF>.<CR><LF>') + DISCONNECT(1);
  const [session] = analyzeDocument(text).transcript.sessions;
  assert.equal(session.startMissing, true);
  const d = buildDialogue(session);
  assert.equal(d.greeting, null);
  assert.deepEqual(d.steps.map((s) => [s.command.verb, s.reply?.code]), [['DATA', 354]]);
  // The same events with the start in the text: the first reply is the greeting.
  const seen = buildDialogue({ ...session, startMissing: undefined });
  assert.equal(seen.greeting?.code, 250);
  assert.deepEqual(seen.steps.map((s) => [s.command.verb, s.reply?.code]), [['DATA', 354]]);
});

test('rules that need the session start do not judge what comes before the first command that sets it again', () => {
  const tail =
    C(1, 'STARTTLS') + S(1, '220 2.0.0 Ready to start TLS') + pf(1, 'Anonymous TLS connection established from client.example.test[192.0.2.7]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)');
  // Cut between EHLO and its reply: STARTTLS without a known EHLO reply.
  const afterEhlo = S(1, '250-mx.example.test') + S(1, '250-PIPELINING') + S(1, '250 STARTTLS') + tail + DISCONNECT(1);
  assert.deepEqual(rules(afterEhlo), []);
  // The same with a greeting and an EHLO whose reply lacks STARTTLS: judged.
  assert.deepEqual(rules(CONNECT(1) + S(1, '220 mx ESMTP') + C(1, 'EHLO c') + S(1, '250-mx.example.test') + S(1, '250 PIPELINING') + tail + DISCONNECT(1)), ['starttls-not-advertised']);
  // An EHLO inside the text makes its reply known again, also in a session without its start.
  assert.deepEqual(rules(C(1, 'RSET') + S(1, '250 Ok') + C(1, 'EHLO c') + S(1, '250-mx.example.test') + S(1, '250 PIPELINING') + tail + DISCONNECT(1)), ['starttls-not-advertised']);

  // MAIL, RCPT and DATA after a greeting, MAIL and RCPT before the text.
  const mail = C(1, 'RCPT TO:<b@example.test>') + S(1, '250 2.1.5 Ok') + C(1, 'DATA') + S(1, '354 go') + C(1, 'QUIT') + S(1, '221 Bye') + DISCONNECT(1);
  assert.deepEqual(rules(mail), []);
  // RCPT without MAIL, DATA without RCPT.
  assert.deepEqual(rules(CONNECT(1) + S(1, '220 mx ESMTP') + mail), ['smtp-command-order', 'smtp-command-order']);
  assert.deepEqual(rules(C(1, 'EHLO c') + S(1, '250 mx') + mail), ['smtp-command-order', 'smtp-command-order'], 'after an EHLO in the text, MAIL is needed again');

  // Pipelined commands after an EHLO before the text: unknown whether PIPELINING was advertised.
  const piped = C(1, 'MAIL FROM:<a@example.test>') + C(1, 'RCPT TO:<b@example.test>') + S(1, '250 2.1.0 Ok') + S(1, '250 2.1.5 Ok') + DISCONNECT(1);
  assert.deepEqual(rules(piped), []);
  assert.deepEqual(rules(CONNECT(1) + S(1, '220 mx ESMTP') + C(1, 'EHLO c') + S(1, '250 mx') + piped), ['smtp-pipelining-not-advertised']);

  // AUTH and MAIL ... REQUIRETLS before any STARTTLS of the text: TLS may have started before it.
  const auth = C(1, 'AUTH PLAIN AGJvYgBzZWNyZXQ=') + S(1, '235 2.7.0 Authentication successful') + C(1, 'MAIL FROM:<a@example.test> REQUIRETLS') + S(1, '250 Ok') + DISCONNECT(1);
  assert.deepEqual(rules(auth), []);
  assert.deepEqual(rules(CONNECT(1) + S(1, '220 mx ESMTP') + C(1, 'EHLO c') + S(1, '250 mx') + auth).sort(), ['auth-before-tls', 'requiretls-before-tls']);
  assert.deepEqual(rules(C(1, 'STARTTLS') + S(1, '454 4.7.0 TLS not available') + auth).sort(), ['auth-before-tls', 'requiretls-before-tls'], 'after a refused STARTTLS of the text');
});

test('a session without its start: a first client line that is no command may answer a 334 before the text, and is masked', () => {
  const user = 'Ym9iQGV4YW1wbGUudGVzdA==';
  const password = 'c2VjcmV0LXBhc3N3b3Jk';
  const text = C(1, user) + S(1, '334 UGFzc3dvcmQ6') + C(1, password) + S(1, '235 2.7.0 Authentication successful') + C(1, 'QUIT') + S(1, '221 Bye') + DISCONNECT(1);
  const a = analyzeDocument(text);
  const commands = a.transcript.sessions[0].events.filter((e) => e.kind === 'command');
  assert.deepEqual(
    commands.map((e) => e.kind === 'command' && [e.authPayload ?? false, e.secretSpan !== undefined]),
    [
      [true, true],
      [true, true],
      [false, false],
    ],
  );
  assert.deepEqual(collectCredentialSecrets(a).sort(), [password, user, 'bob@example.test', 'secret-password'].sort());
  const out = JSON.stringify(a.findings);
  assert.ok(!out.includes(user) && !out.includes(password));
  // With the start in the text, such a line is an unknown command (reported, and shown: it is no credential).
  assert.deepEqual(rules(CONNECT(1) + S(1, '220 mx ESMTP') + C(1, 'XYZZY 1') + S(1, '502 5.5.2 Error: command not recognized') + DISCONNECT(1)), ['smtp-unknown-command']);
});

test('a session without its start: a read that may be the body of a record whose header came before the text is not decoded', () => {
  const log = POSTFIX_LOGS.find((l) => l.name.endsWith('live/malformed-hello-p2526.postfix.log'))!.text;
  // The first read after the 5-byte header read of the ClientHello record.
  const header = log.indexOf('(5 bytes => 5');
  const cut = log.indexOf('\n', log.indexOf('\n', header) + 1) + 1;
  assert.match(log.slice(cut, log.indexOf('\n', cut)), /read from .* \((?!5 bytes)[0-9]+ bytes/);
  const whole = analyzeDocument(log);
  const later = analyzeDocument(log.slice(cut));
  assert.equal(later.transcript.sessions[0].startMissing, true);
  assert.deepEqual(later.findings.filter((f) => f.rule === 'tls-malformed'), []);
  // The server's records and the client's later records (read header first) are decoded.
  assert.ok(later.sessions[0].streams.length > 0);
  const expected = new Set(whole.findings.map((f) => key(f, 0)));
  assert.deepEqual(later.findings.filter((f) => !expected.has(key(f, cut))), []);
});

test('a record cut by the end of the text in a session that goes on is not tls-truncated; a ServerHello cut before its cipher suite selects none', () => {
  const log = POSTFIX_LOGS.find((l) => l.name.endsWith('live/sslv2-hello-tls10-p2526.postfix.log'))!.text;
  const write = log.indexOf('write to', log.indexOf('write server hello'));
  const cut = log.indexOf('\n', log.indexOf('\n', log.indexOf('\n', write) + 1) + 1) + 1;
  const part = analyzeDocument(log.slice(0, cut));
  assert.equal(part.transcript.sessions[0].endMissing, true);
  const rulesOf = part.findings.map((f) => f.rule);
  assert.ok(!rulesOf.includes('tls-truncated') && !rulesOf.includes('tls-weak-cipher-selected'), rulesOf.join());
  assert.ok(part.sessions[0].tlsEvents.some((e) => e.records.some((r) => r.messages.some((m) => m.name === 'ServerHello'))), 'the ServerHello is decoded as far as it goes');
  // The same cut ServerHello in a session that ended (the text goes on after it): truncated.
  const closed = log.slice(0, cut) + DISCONNECT(21603).replace('smtpd', 'lab2526/smtpd');
  assert.ok(rules(closed).includes('tls-truncated'));
});

test('a busy postfix log cut only by the chunk size limit: the chunks have no finding the whole log lacks', () => {
  const text = busyPostfixLog(1_000_000);
  const limit = 20_000;
  const starts = findChunkStarts(text, 0, text.length, limit);
  // Cuts at the limit, inside smtpd connections (a quarter of the limit rarely holds a point with no smtpd open).
  const hard = [0, ...starts].filter((s, k) => k < starts.length && starts[k] - s >= limit).length;
  assert.ok(hard > 20, `${hard} of ${starts.length} cuts at the limit`);
  const inc = new IncrementalAnalysis(DEFAULT_SETTINGS, { chunkLimit: limit });
  inc.setText(text);
  assert.equal(inc.chunks.length, starts.length + 1);
  const whole = new Set(analyzeDocument(text).findings.map((f) => key(f, 0)));
  const chunked = inc.findings();
  // (84 at this size: the logs' level-3 dumps no longer read short where Postfix left out trailing NULs,
  // which made about 20 more, all tls-truncated.)
  assert.ok(chunked.length > 60, `${chunked.length} findings`);
  // Before sessions knew their missing start: 17 starttls-not-advertised and 109 smtp-command-order more than the whole log at a limit of 100,000.
  assert.deepEqual(
    chunked.filter((f) => !whole.has(key(f, 0))).map((f) => f.rule),
    [],
  );
});
