/**
 * Live stage: Nodemailer sending through the mail lab now (server/test/fixtures/nodemailer/make-fixtures.sh into
 * $SMTPTLS_LIVE_DIR/nodemailer): every output gives what the fixtures give, the dialogue checked against Postfix's log of it.
 */
import { join } from 'node:path';
import { test } from 'node:test';
import { assertNodemailerRuns } from '../../server/test/helpers/nodemailerRuns';

test('Nodemailer\'s logs, made now, give what the fixtures give', () => {
  assertNodemailerRuns(join(process.env.SMTPTLS_LIVE_DIR ?? '', 'nodemailer'));
});
