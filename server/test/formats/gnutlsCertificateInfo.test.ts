/**
 * gnutls-cli's one-line reading of each certificate (formats/gnutlsCertificateInfo.ts), on real runs of
 * the certificate lab (fixtures/certificates/make-fixtures.sh, `<name>.gnutls-default.txt`): each reads as
 * the DER of the certificate the server sent does (`<name>.chain.pem`), for every fact the line states.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { computeHover } from '../../src/core/features/hover';
import type { StatedEvent } from '../../src/core/model/transcript';
import { fromRfc4514Order, readGnutlsCertificateInfo } from '../../src/core/formats/gnutlsCertificateInfo';
import type { CertificateSummary } from '../../src/core/tls/x509Summary';
import { CERTIFICATE_RUNS, findingText, readServedChain } from '../helpers/certificateRuns';

const DIR = join(__dirname, '..', 'fixtures', 'certificates');

/** The facts gnutls-cli's line states. */
const stated = (s: CertificateSummary): unknown => ({
  subject: s.subject, issuer: s.issuer, notBefore: s.notBefore, notAfter: s.notAfter, keyType: s.keyType, keyBits: s.keyBits,
  signatureAlgorithmOid: s.signatureAlgorithmOid, signatureAlgorithm: s.signatureAlgorithm, serialNumber: s.serialNumber.replace(/^00/, ''), selfSigned: s.selfSigned,
});

for (const name of Object.keys(CERTIFICATE_RUNS)) {
  test(`gnutlsCertificateInfo: ${name}: each certificate gnutls-cli describes reads as its DER does`, () => {
    const events: StatedEvent[] = [];
    for (const s of analyzeDocument(readFileSync(join(DIR, `${name}.gnutls-default.txt`), 'utf8')).sessions) {
      for (const e of s.session.events) if (e.kind === 'stated' && e.subject === 'certificate') events.push(e);
    }
    const chain = readServedChain(DIR, name);
    assert.deepEqual(events.map((e) => e.certificateIndex), chain.map((_, i) => i));
    events.forEach((e, i) => {
      assert.ok(e.printed?.summary.subjectAltNamesUnread);
      assert.deepEqual(stated(e.printed.summary), stated(chain[i]), `${name} ${i}`);
    });
  });
}

test('gnutlsCertificateInfo: with --print-cert the PEM is read, not the line above it', () => {
  const text = readFileSync(join(DIR, 'weak-key.gnutls.txt'), 'utf8');
  const certs = analyzeDocument(text).sessions.flatMap((s) => s.session.events).filter((e) => e.kind === 'stated' && e.subject === 'certificate');
  assert.ok(certs.length >= 2);
  assert.ok(certs.every((e) => e.kind === 'stated' && e.base64Spans && !e.printed));
});

test('gnutlsCertificateInfo: the findings point at the words of the part they judge', () => {
  const at = (name: string, rule: string): string => findingText(DIR, `${name}.gnutls-default.txt`, rule);
  assert.equal(at('weak-key', 'tls-certificate-weak-key'), 'RSA key 1024 bits');
  assert.equal(at('sha1-signed', 'tls-certificate-weak-signature'), 'RSA-SHA1');
  assert.equal(at('wrong-order-tls12', 'tls-certificate-chain-order'), 'O=SMTP TLS Transcripts test,CN=Cert Lab Root CA');
});

test('fromRfc4514Order and readGnutlsCertificateInfo: names turned to the certificate\'s order, escaped commas kept; other lines are none', () => {
  assert.equal(fromRfc4514Order('O=SMTP TLS Transcripts test,CN=Cert Lab Issuing CA'), 'CN=Cert Lab Issuing CA, O=SMTP TLS Transcripts test');
  assert.equal(fromRfc4514Order('O=Example\\, Inc.,CN=mx'), 'CN=mx, O=Example\\, Inc.');
  assert.equal(fromRfc4514Order('CN=mx'), 'CN=mx');
  const line = " - subject `CN=mx', issuer `CN=mx', serial 0x01, EC/ECDSA key 256 bits, signed using ECDSA-SHA256, activated `2026-11-30 08:36:37 UTC', expires `2036-11-27 08:36:37 UTC', pin-sha256=\"x\"";
  const r = readGnutlsCertificateInfo(line, 100);
  assert.ok(r);
  assert.deepEqual([r.summary.keyType, r.summary.keyBits, r.summary.signatureAlgorithm, r.summary.selfSigned], ['EC', 256, 'ecdsa-with-SHA256', true]);
  assert.equal(line.slice(r.parts.validity!.start - 100, r.parts.validity!.end - 100), "2026-11-30 08:36:37 UTC', expires `2036-11-27 08:36:37 UTC");
  assert.equal(readGnutlsCertificateInfo(' - subject `CN=mx\', cut here', 0), null);
  assert.equal(readGnutlsCertificateInfo('- Status: The certificate is NOT trusted.', 0), null);
});

test('gnutlsCertificateInfo: hover on the line gives the certificate, the part under the cursor, and what the line leaves out', () => {
  const text = readFileSync(join(DIR, 'weak-key.gnutls-default.txt'), 'utf8');
  const at = text.indexOf('RSA key 1024 bits');
  const hover = computeHover(analyzeDocument(text), at + 2);
  assert.ok(hover);
  assert.match(hover.markdown, /^\*\*Certificate\*\* — CN=weak\.cert-lab\.test \(as gnutls-cli describes it\)/);
  assert.match(hover.markdown, /\| Under the cursor \| subjectPublicKeyInfo: RSA, 1024 bits \|/);
  assert.match(hover.markdown, /names no subjectAltName and no key identifier/);
});
