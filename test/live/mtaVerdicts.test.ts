/**
 * Live stage: what Postfix says now of the mail lab's certificate servers (server/test/fixtures/mta-verdicts/
 * make-fixtures.sh into $SMTPTLS_LIVE_DIR/mta-verdicts: posttls-finger against 2527 (expired), 2528
 * (1024-bit key), 2529 (not yet valid), and the mail log of postfix/smtp delivering to each): every
 * output gives the findings the fixtures give, each verdict in the session of the server it names.
 */
import { join } from 'node:path';
import { test } from 'node:test';
import { assertMtaVerdictRuns } from '../../server/test/helpers/mtaVerdictRuns';

test('Postfix\'s verdicts and signing keys, made now, give the findings of the fixtures', () => {
  assertMtaVerdictRuns(join(process.env.SMTPTLS_LIVE_DIR ?? '', 'mta-verdicts'));
});
