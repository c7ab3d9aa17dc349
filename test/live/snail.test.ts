/**
 * Live stage: s-nail -vv sending through the mail lab now (server/test/fixtures/s-nail/make-fixtures.sh into
 * $SMTPTLS_LIVE_DIR/s-nail): every output gives what the fixtures give, the dialogue checked against Postfix's log of it.
 */
import { join } from 'node:path';
import { test } from 'node:test';
import { assertSnailRuns } from '../../server/test/helpers/snailRuns';

test('s-nail\'s outputs, made now, give what the fixtures give', () => {
  assertSnailRuns(join(process.env.SMTPTLS_LIVE_DIR ?? '', 's-nail'));
});
