/**
 * Live stage: the certificate rules on chains served now (server/test/fixtures/certificates/
 * make-fixtures.sh into $SMTPTLS_LIVE_DIR/certificates: openssl s_server on 465 with a PKI made
 * in the run, openssl s_client -msg, each captured). Each run gives the findings its kind must
 * give, from the clients' outputs (s_client with -msg, with -showcerts, plain; gnutls-cli --print-cert) and from
 * the capture alike, tshark -V of the capture gives the capture's findings word for word, and every handshake message,
 * certificates included, agrees with tshark's dissection.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertCertificateRun, CERTIFICATE_RUNS } from '../../server/test/helpers/certificateRuns';
import { registerTlsDifferential } from '../../server/test/tls/tsharkCompare';

const DIR = join(process.env.SMTPTLS_LIVE_DIR ?? '', 'certificates');

test('the certificate runs were made', () => {
  for (const run of Object.keys(CERTIFICATE_RUNS)) assert.ok(existsSync(join(DIR, `${run}.pcap`)), run);
});

for (const [run, want] of Object.entries(CERTIFICATE_RUNS)) {
  test(`${run}: the client's outputs and the capture give ${want.capture.join(', ') || 'no certificate finding'}`, () => {
    assertCertificateRun(DIR, run);
  });
}

registerTlsDifferential(DIR, { label: 'live certificate runs', minCases: 8, minFields: 300 });
