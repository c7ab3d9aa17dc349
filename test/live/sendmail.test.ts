/**
 * Live stage: sendmail made to deliver and receive now (server/test/fixtures/sendmail/make-fixtures.sh into
 * $SMTPTLS_LIVE_DIR/sendmail: `sendmail -v` against the mail lab, its client and server syslog lines): every
 * output gives what the fixtures give, sendmail -v's dialogue checked against Postfix's log of the same connection.
 */
import { join } from 'node:path';
import { test } from 'node:test';
import { assertSendmailRuns } from '../../server/test/helpers/sendmailRuns';

test('sendmail\'s outputs, made now, give what the fixtures give', () => {
  assertSendmailRuns(join(process.env.SMTPTLS_LIVE_DIR ?? '', 'sendmail'));
});
