/** The syslog prefix of mail logs (formats/syslogPrefix.ts), in its traditional and RFC 3339 forms. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchSyslogProcess, maySyslogLine } from '../../src/core/formats/syslogPrefix';
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
