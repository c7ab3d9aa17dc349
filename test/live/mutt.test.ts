/**
 * Live stage: Mutt and NeoMutt sending through the mail lab now (server/test/fixtures/mutt/make-fixtures.sh into
 * $SMTPTLS_LIVE_DIR/mutt): every log gives what the fixtures give, the dialogue checked against Postfix's log of it.
 */
import { join } from 'node:path';
import { test } from 'node:test';
import { assertMuttRuns } from '../../server/test/helpers/muttRuns';

test('Mutt\'s and NeoMutt\'s debug logs, made now, give what the fixtures give', () => {
  assertMuttRuns(join(process.env.SMTPTLS_LIVE_DIR ?? '', 'mutt'));
});
