/** The syslog prefix of mail logs (formats/syslogPrefix.ts), in its traditional and RFC 3339 forms. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchSyslogProcess, maySyslogLine, parseSyslogTime } from '../../src/core/formats/syslogPrefix';
import { sendmailLineKind } from '../../src/core/formats/sendmailLog';

test('maySyslogLine: a line starting "Mmm " or "YYYY-", by its first characters alone', () => {
  for (const l of ['Nov 30 16:08:19 vm sendmail[1]: x', '2026-11-30T16:08:19.123456+00:00 mx sm-mta[2]: x', 'Jan  5 01:02:03 h p[3]: x']) assert.equal(maySyslogLine(l, 0), true, l);
  for (const l of ['nov 30 16:08:19', 'NOV 30', '>>> EHLO x', '220 mx ESMTP', '2026/11/30', '']) assert.equal(maySyslogLine(l, 0), false, l);
});

test('matchSyslogProcess: the program, its PID and where the message starts (offsets from the line\'s document offset)', () => {
  const traditional = 'Nov 30 16:08:19 vm sendmail[821]: STARTTLS=client, relay=[127.0.0.1]';
  assert.deepEqual(matchSyslogProcess(traditional, 100), { program: 'sendmail', pid: '821', messageStart: 100 + traditional.indexOf('STARTTLS') });
  const rfc3339 = '2026-11-30T16:08:19.123456+00:00 mx postfix/submission/smtpd[12]: connect from x';
  assert.deepEqual(matchSyslogProcess(rfc3339, 0), { program: 'postfix/submission/smtpd', pid: '12', messageStart: rfc3339.indexOf('connect') });
  // No PID, no program, no host: not a program's line.
  for (const l of ['Nov 29 17:46:43 mx kernel: [    0.000000] Linux', 'Nov 30 16:08:19 sendmail[1]: x', '2026-11-29 17:46:43 1xXkBV-0001lO-37 Completed']) assert.equal(matchSyslogProcess(l, 0), null, l);
});

test('sendmailLineKind: any line of sendmail\'s own, a verifymsg= line joined to the connection before it, other programs\' lines none', () => {
  const kind = (l: string): ReturnType<typeof sendmailLineKind> => sendmailLineKind(l, 0, l.length);
  assert.equal(kind('Nov 30 16:08:19 vm sendmail[821]: 6AUG8JQi000821: from=root@client.lab.test, size=48'), 'own');
  assert.equal(kind('Nov 30 16:08:19 vm sm-mta[864]: STARTTLS=server, relay=localhost [127.0.0.1], version=TLSv1, verify=NO, cipher=AES256-SHA, bits=256/256'), 'own');
  assert.equal(kind('Nov 30 16:08:19 vm sendmail[821]: STARTTLS=client, cert-subject=/CN=x, cert-issuer=/CN=y, verifymsg=certificate has expired'), 'joined');
  for (const l of ['Nov 30 16:08:19 mx postfix/smtpd[1]: connect from x', 'Nov 30 16:08:19 mx sendmail-helper[1]: x', '>>> EHLO x']) assert.equal(kind(l), null, l);
});

test('parseSyslogTime: an RFC 3339 timestamp with its offset from UTC (rsyslog, journalctl -o short-iso); a traditional one, or one without its offset, dates nothing', () => {
  const at = (l: string): [string, number] | null => {
    const t = parseSyslogTime(l);
    return t ? [new Date(t.time).toISOString(), t.length] : null;
  };
  // rsyslog's default (Debian 12): microseconds and the offset with a colon.
  assert.deepEqual(at('2026-12-01T00:19:54.809590+00:00 vm postfix/lab2527/smtpd[28572]: connect from x'), ['2026-12-01T00:19:54.809Z', 32]);
  // journalctl -o short-iso and short-iso-precise: the offset without a colon; an offset east and west of UTC.
  assert.deepEqual(at('2026-12-01T02:19:54+0200 mx postfix/smtpd[1]: x'), ['2026-12-01T00:19:54.000Z', 24]);
  assert.deepEqual(at('2026-11-30T19:19:54.5-05:00 mx postfix/smtpd[1]: x'), ['2026-12-01T00:19:54.500Z', 27]);
  assert.deepEqual(at('2026-12-01T00:19:54Z mx postfix/smtpd[1]: x'), ['2026-12-01T00:19:54.000Z', 20]);
  for (const l of [
    'Dec  1 00:19:54 mx postfix/smtpd[1]: x',
    '2026-12-01T00:19:54 mx postfix/smtpd[1]: x',
    '2026-12-01T00:19:54.809590+00:00',
    '2026-13-01T00:19:54Z mx p[1]: x',
    '2026-12-01T24:19:54Z mx p[1]: x',
    '2026-12-01T00:19:54+25:00 mx p[1]: x',
    '2026-12-01 00:19:54 +0000 mx p[1]: x',
  ]) {
    assert.equal(parseSyslogTime(l), null, l);
  }
});
