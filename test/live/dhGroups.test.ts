/**
 * Live stage: key exchanges made now (server/test/fixtures/dh-groups/make-fixtures.sh into
 * $SMTPTLS_LIVE_DIR/dh-groups: openssl s_server with a 1024-bit Diffie-Hellman group, a 2048-bit one and
 * ECDHE, s_client's outputs, each -msg run captured; posttls-finger against the mail lab's 2530): every
 * output gives the findings the fixtures give, tshark's p_len agreeing.
 */
import { join } from 'node:path';
import { test } from 'node:test';
import { assertDhGroupRuns } from '../../server/test/helpers/dhGroupRuns';

test('key exchanges made now give the findings of the fixtures', () => {
  assertDhGroupRuns(join(process.env.SMTPTLS_LIVE_DIR ?? '', 'dh-groups'));
});
