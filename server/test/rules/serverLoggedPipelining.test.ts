/**
 * smtp-command-order on a server's log of a session (postfix smtpd with debug_peer_list): smtpd logs each
 * command when it reads it, after answering the one before, so commands a client pipelined (RFC 2920)
 * look sent one by one. Where the server offered PIPELINING, a DATA or RCPT that follows a refused
 * RCPT or MAIL may have been sent before the refusal came, and is not judged.
 * Fixture: server/test/fixtures/mta-verdicts/postfix-deliveries.log (real: postfix/smtp pipelining
 * MAIL, RCPT and DATA to the lab's smtpd on 2528, which refuses the RCPT with 554 and the DATA with 554).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { locatedFindings } from '../helpers/mtaVerdictRuns';

const LOG = readFileSync(join(__dirname, '..', 'fixtures', 'mta-verdicts', 'postfix-deliveries.log'), 'utf8');
const order = (text: string): string[] => locatedFindings(text, analyzeDocument(text).findings.filter((f) => f.rule === 'smtp-command-order'));
/** The log without lab2528's `250-PIPELINING` lines: a server that did not offer it (crafted from the real log). */
const withoutPipelining = (text: string): string =>
  text
    .split('\n')
    .filter((l) => !/lab2528\/smtpd\[[0-9]+\]: > localhost\[127\.0\.0\.1\]: 250-PIPELINING/.test(l))
    .join('\n');

test('smtpd\'s log: a DATA pipelined after a refused RCPT is not judged where PIPELINING was offered; without PIPELINING it is', () => {
  // lab2528/smtpd refused the RCPT (554, relay restrictions) and logged the DATA postfix/smtp had pipelined with it.
  assert.match(LOG, /lab2528\/smtpd\[[0-9]+\]: > localhost\[127\.0\.0\.1\]: 554 5\.7\.1 <postmaster@weak\.lab\.test>/);
  assert.match(LOG, /lab2528\/smtpd\[[0-9]+\]: < localhost\[127\.0\.0\.1\]: DATA/);
  assert.deepEqual(order(LOG), []);
  assert.deepEqual(order(withoutPipelining(LOG)), ['smtp-command-order warning: DATA']);
});

test('smtpd\'s log: a RCPT pipelined after a refused MAIL likewise (crafted: the real log with its MAIL refused, as smtpd_delay_reject=no would)', () => {
  // lab2528's reply to MAIL turned into a refusal and the RCPT's into smtpd's answer to a RCPT without MAIL.
  const refused = LOG.replace(/(lab2528\/smtpd\[[0-9]+\]: > localhost\[127\.0\.0\.1\]: )250 2\.1\.0 Ok/, '$1554 5.7.1 <lab@mx.example.test>: Sender address rejected: Access denied').replace(
    /(lab2528\/smtpd\[[0-9]+\]: > localhost\[127\.0\.0\.1\]: )554 5\.7\.1 <postmaster@weak\.lab\.test>: Recipient address rejected: Access denied/,
    '$1503 5.5.1 Error: need MAIL command',
  );
  assert.notEqual(refused, LOG);
  assert.match(refused, /Sender address rejected/);
  assert.deepEqual(order(refused), []);
  assert.deepEqual(order(withoutPipelining(refused)), ['smtp-command-order warning: RCPT TO:<postmaster@weak.lab.test> ORCPT=rfc822;postmaster@weak.lab.test', 'smtp-command-order warning: DATA']);
});

test('the client\'s log shows what it pipelined: postfix/smtp\'s sessions are not a server\'s log, smtpd\'s are', () => {
  // fixtures/postfix-client: postfix/smtp relaying through the lab with its dialogue logged (`>` commands it sent).
  const client = readFileSync(join(__dirname, '..', 'fixtures', 'postfix-client', 'postfix-smtp-client.log'), 'utf8');
  const sessions = analyzeDocument(client).sessions.filter((s) => s.session.events.some((e) => e.kind === 'command'));
  assert.ok(sessions.length > 0);
  for (const s of sessions) assert.equal(s.session.serverLogged, undefined);
  const smtpd = analyzeDocument(LOG).sessions.filter((s) => s.session.events.some((e) => e.kind === 'command'));
  assert.ok(smtpd.length >= 3);
  for (const s of smtpd) assert.equal(s.session.serverLogged, true);
});
