/**
 * Live stage: the mail lab's Postfix logging through rsyslogd now, RFC 3339 timestamps as on Debian 12
 * (server/test/fixtures/postfix-syslog/make-fixtures.sh into $SMTPTLS_LIVE_DIR/postfix-syslog): each session dated by its
 * first line, the certificates of smtpd's level-3 dumps judged at that time against `openssl x509`'s dates.
 */
import { join } from 'node:path';
import { test } from 'node:test';
import { assertPostfixSyslogRuns } from '../../server/test/helpers/postfixSyslogRuns';

test('Postfix logging through rsyslogd (RFC 3339 timestamps), made now: sessions dated, certificates judged at that time', () => {
  assertPostfixSyslogRuns(join(process.env.SMTPTLS_LIVE_DIR ?? '', 'postfix-syslog'));
});
