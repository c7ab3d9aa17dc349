/**
 * `openssl x509 -noout -text`'s description of a certificate (formats/opensslX509Text.ts), on real runs of
 * the certificate lab (fixtures/certificates/make-fixtures.sh: s_client piped into openssl x509 -noout -text,
 * `<name>.x509-text.txt`): the server's certificate reads as its DER does (`<name>.chain.pem`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { computeHover } from '../../src/core/features/hover';
import { fromOnelineName } from '../../src/core/formats/opensslX509Text';
import { signatureOidOf } from '../../src/core/tls/certificateFacts';
import { lookupCurveByName } from '../../src/core/tls/namedCurves';
import { CERTIFICATE_RUNS, findingText, readServedChain } from '../helpers/certificateRuns';

const DIR = join(__dirname, '..', 'fixtures', 'certificates');

function certificateEvents(text: string) {
  return analyzeDocument(text).sessions.flatMap((s) => s.session.events).filter((e) => e.kind === 'stated' && e.subject === 'certificate');
}

for (const name of Object.keys(CERTIFICATE_RUNS)) {
  test(`opensslX509Text: ${name}: the server's certificate as openssl x509 -text describes it reads as its DER does`, () => {
    const events = certificateEvents(readRunOutput(name));
    assert.equal(events.length, 1);
    const [e] = events;
    assert.ok(e.kind === 'stated' && e.printed && !e.base64Spans);
    const [leaf] = readServedChain(DIR, name);
    // Serial numbers: openssl prints the INTEGER's bytes (a leading 00 where the top bit is set), @peculiar/x509 without it.
    assert.deepEqual({ ...e.printed.summary, serialNumber: e.printed.summary.serialNumber.replace(/^00/, '') }, leaf);
  });
}

function readRunOutput(name: string): string {
  return readFileSync(join(DIR, `${name}.x509-text.txt`), 'utf8');
}

test('opensslX509Text: the findings point at the words of the part they judge; the hover says whose words', () => {
  assert.equal(findingText(DIR, 'weak-key.x509-text.txt', 'tls-certificate-weak-key'), 'Public-Key: (1024 bit)');
  assert.equal(findingText(DIR, 'sha1-signed.x509-text.txt', 'tls-certificate-weak-signature'), 'sha1WithRSAEncryption');
  const text = readRunOutput('weak-key');
  const hover = computeHover(analyzeDocument(text), text.indexOf('Public-Key: (1024 bit)') + 3);
  assert.match(hover?.markdown ?? '', /^\*\*Certificate\*\* — CN=weak\.cert-lab\.test \(as openssl x509 -text describes it\)/);
  assert.match(hover?.markdown ?? '', /\| Under the cursor \| subjectPublicKeyInfo: RSA, 1024 bits \|/);
});

test('opensslX509Text: with the PEM after the description (x509 -text without -noout), the PEM is read', () => {
  // What `openssl x509 -text` prints: the description, then the certificate in PEM (both from the weak-key run).
  const pem = readFileSync(join(DIR, 'weak-key.chain.pem'), 'utf8').split('-----END CERTIFICATE-----')[0] + '-----END CERTIFICATE-----\n';
  const events = certificateEvents(readRunOutput('weak-key') + pem);
  assert.equal(events.length, 1);
  assert.ok(events[0].kind === 'stated' && events[0].base64Spans && !events[0].printed);
  // A description cut before its validity is no certificate reading.
  const cut = readRunOutput('weak-key').split('\n').slice(0, 8).join('\n') + '\n';
  assert.equal(certificateEvents(cut).length, 0);
});

test('fromOnelineName, signatureOidOf and lookupCurveByName: openssl\'s words as the readings name them', () => {
  assert.equal(fromOnelineName('CN = Cert Lab Issuing CA, O = SMTP TLS Transcripts test'), 'CN=Cert Lab Issuing CA, O=SMTP TLS Transcripts test');
  assert.equal(fromOnelineName('CN = a + OU = b, C = DE'), 'CN=a+OU=b, C=DE');
  assert.equal(signatureOidOf('sha1WithRSAEncryption'), '1.2.840.113549.1.1.5');
  assert.equal(signatureOidOf('ED25519'), '1.3.101.112');
  assert.equal(signatureOidOf('nonsense'), undefined);
  assert.deepEqual(lookupCurveByName('prime256v1'), { name: 'P-256', bits: 256 });
  assert.deepEqual(lookupCurveByName('brainpoolP384r1'), { name: 'brainpoolP384r1', bits: 384 });
  assert.equal(lookupCurveByName('nonsense'), undefined);
});

test('opensslX509Text: openssl -trace prints each certificate\'s description and then its PEM; stderr cut into the description (2>&1) does not hide the PEM after it', () => {
  // A real s_client -trace run whose stderr (depth=0 ..., verify return:1) fell inside the description.
  const text = readFileSync(join(__dirname, '..', 'fixtures', 'openssl-trace', 'trace-tls10.txt'), 'utf8');
  assert.ok(/^ {7}depth=0 /m.test(text) && /^verify return:1$/m.test(text));
  const events = certificateEvents(text);
  assert.ok(events.length > 0);
  assert.ok(events.every((e) => e.kind === 'stated' && e.base64Spans && !e.printed));
});
