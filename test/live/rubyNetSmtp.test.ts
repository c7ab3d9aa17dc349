/**
 * Live stage: Ruby's Net::SMTP sending through the mail lab now (server/test/fixtures/ruby-net-smtp/make-fixtures.sh into
 * $SMTPTLS_LIVE_DIR/ruby-net-smtp): every output gives what the fixtures give, the dialogue checked against Postfix's log of it.
 */
import { join } from 'node:path';
import { test } from 'node:test';
import { assertRubyNetSmtpRuns } from '../../server/test/helpers/rubyNetSmtpRuns';

test('Ruby Net::SMTP\'s debug outputs, made now, give what the fixtures give', () => {
  assertRubyNetSmtpRuns(join(process.env.SMTPTLS_LIVE_DIR ?? '', 'ruby-net-smtp'));
});
