/**
 * When a session took place (rules/sessionTime.ts): s_client's `Start Time:` (read by detectRegions as a
 * session-time note) before a `# smtptls-time:` comment (directives.ts findTimeDirectives), the last
 * such comment at or before the session's last line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { findTimeDirectives } from '../../src/core/rules/directives';
import { resolveSessionTime } from '../../src/core/rules/sessionTime';
import { LineIndex } from '../../src/core/text/lineIndex';
import { computeHover } from '../../src/core/features/hover';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertPostfixSyslogRuns } from '../helpers/postfixSyslogRuns';

const SESSION = ['S: 220 mx.example.test ESMTP', 'C: EHLO client.example.test', 'S: 250 mx.example.test', 'C: QUIT', 'S: 221 bye'];

test('findTimeDirectives: RFC 3339 date-times in UTC or with their offset, with or without a fraction; anything else is no directive', () => {
  const text = [
    '# smtptls-time: 2026-11-30T08:13:50Z',
    '  #smtptls-time:2026-11-30T08:13:50.123456789Z  ',
    '# smtptls-time: 2026-11-30 08:13:50',
    '# smtptls-time: 2026-11-30T08:13:50+01:00',
    '# smtptls-time: 2026-13-45T99:99:99Z',
    'not a comment # smtptls-time: 2026-11-30T08:13:50Z',
    '# smtptls-time: 2026-11-30T08:13:50',
    '# smtptls-time: 2026-11-30T08:13:50Z and more',
    '# smtptls-time: 2026-02-30T08:13:50Z',
  ].join('\n');
  const found = findTimeDirectives(text, new LineIndex(text));
  assert.deepEqual(
    found.map((d) => [d.line, new Date(d.time).toISOString(), text.slice(d.span.start, d.span.end)]),
    [
      [0, '2026-11-30T08:13:50.000Z', '2026-11-30T08:13:50Z'],
      [1, '2026-11-30T08:13:50.123Z', '2026-11-30T08:13:50.123456789Z'],
      // A local time with its offset (one hour east of UTC), as a reviewer copies it from a log.
      [3, '2026-11-30T07:13:50.000Z', '2026-11-30T08:13:50+01:00'],
    ],
  );
  assert.deepEqual(findTimeDirectives('no comments', new LineIndex('no comments')), []);
});

test('resolveSessionTime: the last comment at or before each session\'s last line; none before the first', () => {
  const text = [...SESSION, '', '# smtptls-time: 2021-03-04T05:06:07Z', ...SESSION, '', '# smtptls-time: 2022-03-04T05:06:07Z', ...SESSION].join('\n');
  const a = analyzeDocument(text);
  assert.equal(a.sessions.length, 3);
  const directives = findTimeDirectives(text, a.lines);
  const times = a.sessions.map((s) => resolveSessionTime(s, directives));
  assert.equal(times[0], null);
  assert.equal(new Date(times[1]!.time).toISOString(), '2021-03-04T05:06:07.000Z');
  assert.equal(times[1]!.source, 'comment');
  // A comment may lie in another chunk of the document: it is not pointed at.
  assert.equal(times[1]!.span, null);
  assert.equal(new Date(times[2]!.time).toISOString(), '2022-03-04T05:06:07.000Z');
});

test('resolveSessionTime: s_client\'s Start Time in its session block wins over a comment', () => {
  const text = ['# smtptls-time: 2021-03-04T05:06:07Z', 'CONNECTED(00000003)', ...SESSION, 'SSL-Session:', '    Protocol  : TLSv1.3', '    Start Time: 1796027343', '    Timeout   : 7200 (sec)'].join('\n');
  const a = analyzeDocument(text);
  const t = resolveSessionTime(a.sessions[0], findTimeDirectives(text, a.lines));
  assert.equal(t?.source, 'tool');
  assert.equal(t?.time, 1796027343000);
  assert.equal(text.slice(t!.span!.start, t!.span!.end), 'Start Time: 1796027343');
  // Only as s_client writes it: four spaces, seconds.
  const loose = analyzeDocument(['CONNECTED(00000003)', ...SESSION, 'Start Time: 1796027343'].join('\n'));
  assert.equal(resolveSessionTime(loose.sessions[0], []), null);
});

test('resolveSessionTime: the time in force from earlier chunks (settings.time) when the chunk itself says nothing', () => {
  const text = SESSION.join('\n');
  const a = analyzeDocument(text);
  assert.equal(resolveSessionTime(a.sessions[0], [], null), null);
  assert.deepEqual(resolveSessionTime(a.sessions[0], [], 1600000000000), { time: 1600000000000, source: 'comment', span: null });
  const own = `# smtptls-time: 2021-03-04T05:06:07Z\n${text}`;
  const b = analyzeDocument(own);
  assert.equal(resolveSessionTime(b.sessions[0], findTimeDirectives(own, b.lines), 1600000000000)?.time, Date.parse('2021-03-04T05:06:07Z'));
});

test('hover: on s_client\'s Start Time and on a `# smtptls-time:` comment, when the session took place and what is judged at that time', () => {
  const text = ['# smtptls-time: 2021-03-04T05:06:07Z', 'CONNECTED(00000003)', ...SESSION, 'SSL-Session:', '    Protocol  : TLSv1.3', '    Start Time: 1796027343', '    Timeout   : 7200 (sec)'].join('\n');
  const a = analyzeDocument(text);
  const onComment = computeHover(a, text.indexOf('2021-03-04') + 3);
  assert.match(onComment?.markdown ?? '', /^\*\*When the sessions below took place: 2021-03-04 05:06:07 UTC\*\*/);
  assert.match(onComment?.markdown ?? '', /tls-certificate-expired/);
  assert.equal(text.slice(onComment!.span.start, onComment!.span.end), '2021-03-04T05:06:07Z');
  const onStart = computeHover(a, text.indexOf('Start Time') + 2);
  assert.match(onStart?.markdown ?? '', /^\*\*When the TLS session started: 2026-11-30 \d\d:\d\d:\d\d UTC\*\*/);
  assert.match(onStart?.markdown ?? '', /RFC 5280 §6\.1\.3/);
  // Elsewhere on those lines, or on other lines, nothing of this.
  assert.doesNotMatch(computeHover(a, text.indexOf('Timeout') + 2)?.markdown ?? '', /When the/);
});

// The mail lab's Postfix logging through rsyslogd as on Debian 12 (fixtures/postfix-syslog/make-fixtures.sh): RFC 3339
// timestamps; smtpd at smtpd_tls_loglevel 3 dumps the Certificate message it writes (TLS 1.2).
const SYSLOG_DIR = join(__dirname, '..', 'fixtures', 'postfix-syslog');
const EXPIRED = readFileSync(join(SYSLOG_DIR, 'expired-level3.log'), 'utf8');
const VALID = readFileSync(join(SYSLOG_DIR, 'valid-level3.log'), 'utf8');

test('tls-certificate-expired: the certificates of Postfix level-3 logs are judged at their session\'s RFC 3339 time (real rsyslog output)', () => {
  // The expired certificate on :2527 found, the lab's own on :2526 not, against openssl x509's dates of each.
  assertPostfixSyslogRuns(SYSLOG_DIR);
});

test('resolveSessionTime: the same logs with traditional timestamps (no year) date nothing, and judge nothing', () => {
  const traditional = EXPIRED.replace(/^2026-12-01T([0-9:]{8})\.[0-9]{6}\+00:00/gm, 'Dec  1 $1');
  assert.notEqual(traditional, EXPIRED);
  const b = analyzeDocument(traditional);
  assert.equal(b.sessions.length, 1);
  assert.equal(resolveSessionTime(b.sessions[0], []), null);
  assert.deepEqual(b.findings.filter((f) => f.rule === 'tls-certificate-expired'), []);
});

test('hover: on the timestamp of a Postfix session\'s first line, when the session started; not on its other lines', () => {
  const a = analyzeDocument(VALID);
  const h = computeHover(a, 5);
  assert.match(h?.markdown ?? '', /^\*\*When the session started: 2026-12-01 \d\d:\d\d:\d\d UTC\*\*/);
  assert.match(h?.markdown ?? '', /RFC 3339/);
  assert.match(h?.markdown ?? '', /tls-certificate-expired/);
  assert.equal(h!.span.start, 0);
  const second = VALID.indexOf('\n') + 1;
  assert.doesNotMatch(computeHover(a, second + 5)?.markdown ?? '', /When the session/);
});
