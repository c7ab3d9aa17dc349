/**
 * Live stage: swaks delivering to the mail lab's port 25 now, with and without STARTTLS (server/test/fixtures/policy/
 * make-fixtures.sh into $SMTPTLS_LIVE_DIR/policy), judged under a declared MTA-STS or DANE policy.
 */
import { join } from 'node:path';
import { test } from 'node:test';
import { assertPolicyRuns } from '../../server/test/helpers/policyRuns';

test('swaks to port 25 made now, under a declared TLS policy: the plain run\'s MAIL is policy-tls-required, the STARTTLS run clean', () => {
  assertPolicyRuns(join(process.env.SMTPTLS_LIVE_DIR ?? '', 'policy'));
});
