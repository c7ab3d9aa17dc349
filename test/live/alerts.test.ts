/**
 * Live stage: alerts tools state in words, from runs made now (server/test/fixtures/stated-alerts/
 * make-fixtures.sh into $SMTPTLS_LIVE_DIR/alerts: openssl s_client failing its handshake, with and
 * without -state; posttls-finger -L ssl-debug; gnutls-cli). What the client printed and postfix's log of the run
 * give the tls-alert the capture gives, and the capture holds the alert tshark reads in it.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALERT_RUNS, readAlertRun } from '../../server/test/helpers/statedAlerts';

const DIR = join(process.env.SMTPTLS_LIVE_DIR ?? '', 'alerts');

test('the alert runs were made', () => {
  for (const run of ALERT_RUNS) assert.ok(existsSync(join(DIR, `${run}.pcap`)), run);
});

for (const run of ALERT_RUNS) {
  test(`${run}: the client's output and postfix's log state the capture's alert`, () => {
    const r = readAlertRun(DIR, run);
    assert.ok(r.tshark, `${run}: tshark sees an alert in the capture`);
    assert.equal(r.capture.length, 1, `${run}: the capture's tls-alert findings: ${r.capture.join('; ')}`);
    assert.match(r.capture[0], new RegExp(` ${r.tshark.level === 2 ? 'fatal' : 'warning'} alert [a-z_]+ \\(${r.tshark.description}\\)$`));
    assert.deepEqual(r.client, r.capture, `${run}: the client's output`);
    assert.deepEqual(r.postfix, r.capture, `${run}: postfix's log`);
  });
}
