/**
 * Live stage: PHPMailer sending through the mail lab now (server/test/fixtures/phpmailer/make-fixtures.sh into
 * $SMTPTLS_LIVE_DIR/phpmailer): every output gives what the fixtures give, the dialogue checked against Postfix's log of it.
 */
import { join } from 'node:path';
import { test } from 'node:test';
import { assertPhpmailerRuns } from '../../server/test/helpers/phpmailerRuns';

test('PHPMailer\'s outputs, made now, give what the fixtures give', () => {
  assertPhpmailerRuns(join(process.env.SMTPTLS_LIVE_DIR ?? '', 'phpmailer'));
});
