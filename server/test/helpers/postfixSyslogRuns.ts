/**
 * What the mail lab's Postfix logging through rsyslogd (RFC 3339 timestamps, as on Debian 12) must give
 * (server/test/fixtures/postfix-syslog/make-fixtures.sh, run again by the live stage): each session is dated by its
 * first line, and the certificate smtpd's level-3 dump shows is judged at that time against the dates `openssl x509`
 * states for the certificate the port serves (`<name>.dates.txt`, the oracle).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { findTimeDirectives } from '../../src/core/rules/directives';
import { resolveSessionTime } from '../../src/core/rules/sessionTime';

/** `openssl x509 -noout -subject -startdate -enddate`: the subject's CN and the two dates in ms since the epoch. */
function readDates(text: string): { cn: string; notBefore: number; notAfter: number } {
  const field = (name: string): string => {
    const m = new RegExp(`^${name}=(.*)$`, 'm').exec(text);
    assert.ok(m, `${name} in ${text}`);
    return m[1].trim();
  };
  return { cn: field('subject').replace(/^CN ?= ?/, ''), notBefore: Date.parse(field('notBefore')), notAfter: Date.parse(field('notAfter')) };
}

const dayUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/**
 * One log of `dir` (`name`.log and its `name`.dates.txt): one session, dated by the RFC 3339 timestamp of its first line
 * (`connect from`); a tls-certificate-expired finding on the certificate's validity exactly when the session lies
 * outside the oracle's dates. Returns the session's time.
 */
export function assertSyslogSessionJudged(dir: string, name: string): number {
  const text = readFileSync(path.join(dir, `${name}.log`), 'utf8');
  const dates = readDates(readFileSync(path.join(dir, `${name}.dates.txt`), 'utf8'));
  const a = analyzeDocument(text);
  assert.equal(a.sessions.length, 1, name);
  const first = text.slice(0, text.indexOf('\n'));
  assert.match(first, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 \S+ postfix\/lab\d+\/smtpd\[\d+\]: connect from /, name);
  const when = resolveSessionTime(a.sessions[0], findTimeDirectives(text, a.lines));
  assert.equal(when?.source, 'log', name);
  assert.equal(text.slice(when!.span!.start, when!.span!.end), first.slice(0, first.indexOf(' ')), name);
  assert.equal(when!.time, Date.parse(`${first.slice(0, 23)}Z`), name);
  const found = a.findings.filter((f) => f.rule === 'tls-certificate-expired');
  if (when!.time <= dates.notAfter && when!.time >= dates.notBefore) {
    assert.deepEqual(found, [], name);
    return when!.time;
  }
  assert.equal(found.length, 1, name);
  const expired = when!.time > dates.notAfter;
  const edge = dayUtc(expired ? dates.notAfter : dates.notBefore);
  assert.ok(
    found[0].message.startsWith(`The server's certificate (CN=${dates.cn}) ${expired ? 'expired on' : 'becomes valid only on'} ${edge} UTC, `),
    `${name}: ${found[0].message}`,
  );
  assert.ok(found[0].message.includes(`the session (${dayUtc(when!.time)} UTC, the timestamp of its first log line)`), `${name}: ${found[0].message}`);
  // On the certificate's validity, in smtpd's dump of what it wrote: a SEQUENCE of two UTCTimes (30 1e 17 0d ...).
  assert.match(text.slice(found[0].span.start, found[0].span.end), /^30 1e 17 0d [\s\S]* 5a$/, name);
  return when!.time;
}

/** Both logs of a run: the expired certificate on :2527 judged, the lab's own on :2526 not. */
export function assertPostfixSyslogRuns(dir: string): void {
  assertSyslogSessionJudged(dir, 'expired-level3');
  assertSyslogSessionJudged(dir, 'valid-level3');
  // Each of the two cases is what its name says, so that both branches above were taken: the expired one gives the finding.
  const expired = analyzeDocument(readFileSync(path.join(dir, 'expired-level3.log'), 'utf8'));
  assert.equal(expired.findings.filter((f) => f.rule === 'tls-certificate-expired').length, 1);
}
