/**
 * Live stage: Perl's Net::SMTP sending through the mail lab now (server/test/fixtures/perl-net-smtp/make-fixtures.sh into
 * $SMTPTLS_LIVE_DIR/perl-net-smtp): every output gives what the fixtures give, the dialogue checked against Postfix's log of it.
 */
import { join } from 'node:path';
import { test } from 'node:test';
import { assertPerlNetSmtpRuns } from '../../server/test/helpers/perlNetSmtpRuns';

test('Perl Net::SMTP\'s debug outputs, made now, give what the fixtures give', () => {
  assertPerlNetSmtpRuns(join(process.env.SMTPTLS_LIVE_DIR ?? '', 'perl-net-smtp'));
});
