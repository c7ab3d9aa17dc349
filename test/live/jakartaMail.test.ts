/**
 * Live stage: Jakarta Mail sending through the mail lab now (server/test/fixtures/jakarta-mail/make-fixtures.sh into
 * $SMTPTLS_LIVE_DIR/jakarta-mail): every output gives what the fixtures give, the dialogue checked against Postfix's log of it.
 */
import { join } from 'node:path';
import { test } from 'node:test';
import { assertJakartaMailRuns } from '../../server/test/helpers/jakartaMailRuns';

test('Jakarta Mail\'s debug outputs, made now, give what the fixtures give', () => {
  assertJakartaMailRuns(join(process.env.SMTPTLS_LIVE_DIR ?? '', 'jakarta-mail'));
});
