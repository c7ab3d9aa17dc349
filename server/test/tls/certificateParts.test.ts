/**
 * locateCertificateParts (where each part of a DER certificate lies), describeCertificatePart
 * (the hover's line on a certificate byte) and the host-name matching of the name rule, on the
 * real certificates of server/test/fixtures/certificates (each run's chain.pem, made by
 * make-fixtures.sh with openssl), checked against `openssl asn1parse` offsets written below.
 */
import { describeKeyIds, describeValidity, formatKeyId } from '../../src/core/tls/certificateFacts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CERTIFICATE_PARTS, locateCertificateParts } from '../../src/core/tls/certificateLayout';
import { certificateCoversName, commonNamesOf, matchesPresentedName } from '../../src/core/tls/hostnameMatch';
import { describeCertificatePart } from '../../src/core/features/certificatePartNotes';
import type { FieldNode } from '../../src/core/model/tls';
import { describeKey } from '../../src/core/tls/certificate';
import { readCertificate } from '../../src/core/tls/x509Summary';

const DIR = join(__dirname, '..', 'fixtures', 'certificates');

/** The DER certificates of a chain.pem, in file order. */
function readChain(name: string): Uint8Array[] {
  const pem = readFileSync(join(DIR, `${name}.chain.pem`), 'utf8');
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => Uint8Array.from(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
}

/** The DER tag byte at an offset. */
function tagAt(der: Uint8Array, at: number): number {
  return der[at];
}

test('locateCertificateParts: every part of a real certificate, in order, each starting with its DER tag', () => {
  const [leaf] = readChain('weak-key');
  const layout = locateCertificateParts(leaf);
  // openssl asn1parse -inform DER of this leaf: tbsCertificate at 4; [0] version at 8; serial at 13.
  assert.equal(layout.version?.start, 8);
  assert.equal(tagAt(leaf, layout.version!.start), 0xa0);
  assert.equal(layout.serialNumber?.start, 13);
  assert.equal(tagAt(leaf, layout.serialNumber!.start), 0x02);
  for (const part of ['signature', 'issuer', 'validity', 'subject', 'subjectPublicKeyInfo', 'subjectAltName', 'signatureAlgorithm'] as const) {
    assert.equal(tagAt(leaf, layout[part]!.start), 0x30, part);
  }
  assert.equal(tagAt(leaf, layout.extensions!.start), 0xa3);
  assert.equal(tagAt(leaf, layout.signatureValue!.start), 0x03);
  // The parts follow each other; subjectAltName lies inside extensions; the signature ends the certificate.
  const order = CERTIFICATE_PARTS.filter((p) => p !== 'subjectAltName').map((p) => layout[p]!);
  for (let i = 1; i < order.length; i++) assert.ok(order[i].start >= order[i - 1].end, CERTIFICATE_PARTS[i]);
  assert.ok(layout.subjectAltName!.start > layout.extensions!.start && layout.subjectAltName!.end <= layout.extensions!.end);
  assert.equal(layout.signatureValue!.end, leaf.length);
  // The inner and outer algorithm identifiers have the same bytes (RFC 5280 §4.1.1.2).
  const bytes = (r: { start: number; end: number }) => Buffer.from(leaf.subarray(r.start, r.end)).toString('hex');
  assert.equal(bytes(layout.signature!), bytes(layout.signatureAlgorithm!));
});

test('locateCertificateParts: a certificate without extensions has no subjectAltName; cut or foreign bytes give nothing, never a throw', () => {
  const [, inter] = readChain('good-chain');
  const layout = locateCertificateParts(inter);
  assert.ok(layout.extensions);
  assert.equal(layout.subjectAltName, undefined);
  const [leaf] = readChain('good-chain');
  assert.deepEqual(locateCertificateParts(leaf.subarray(0, 100)), {});
  assert.deepEqual(locateCertificateParts(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])), {});
  assert.deepEqual(locateCertificateParts(new Uint8Array(0)), {});
  assert.deepEqual(locateCertificateParts(new Uint8Array([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])), {});
});

test('describeCertificatePart: the part under a byte and its value; null off a certificate or when its bytes are split', () => {
  const [leaf] = readChain('weak-key');
  const layout = locateCertificateParts(leaf);
  const node: FieldNode = { name: 'cert_data', start: 100, end: 100 + leaf.length, value: Buffer.from(leaf).toString('hex'), kind: 'opaque' };
  assert.equal(describeCertificatePart(node, 100 + layout.subjectPublicKeyInfo!.start + 5), 'subjectPublicKeyInfo: RSA, 1024 bits');
  assert.equal(describeCertificatePart(node, 100 + layout.subjectAltName!.start + 3), 'subjectAltName: DNS:weak.cert-lab.test');
  assert.equal(describeCertificatePart(node, 100 + layout.extensions!.start), 'extensions: the certificate extensions');
  assert.equal(describeCertificatePart(node, 100 + layout.signatureAlgorithm!.start), 'signatureAlgorithm: sha256WithRSAEncryption');
  assert.match(describeCertificatePart(node, 100 + layout.validity!.start) ?? '', /^validity: 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC to 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  assert.equal(describeCertificatePart(node, 100), null, 'the outer SEQUENCE header is no part');
  assert.equal(describeCertificatePart({ ...node, name: 'cipher_suite' }, 110), null);
  assert.equal(describeCertificatePart({ ...node, end: node.end + 5 }, 110), null, 'record headers between its bytes');
});

test('matchesPresentedName: exact names, case and a final dot ignored; a wildcard is one whole leftmost label (RFC 6125 §6.4.3)', () => {
  assert.equal(matchesPresentedName('mx.example.test', 'mx.example.test'), true);
  assert.equal(matchesPresentedName('MX.Example.TEST.', 'mx.example.test'), true);
  assert.equal(matchesPresentedName('mx.example.test', 'mx2.example.test'), false);
  assert.equal(matchesPresentedName('mx.example.test', '*.example.test'), true);
  assert.equal(matchesPresentedName('a.mx.example.test', '*.example.test'), false, 'one label only');
  assert.equal(matchesPresentedName('example.test', '*.example.test'), false, 'not the bare domain');
  assert.equal(matchesPresentedName('mx.test', '*.test'), false, 'never over a single remaining label');
  assert.equal(matchesPresentedName('mx.example.test', 'm*.example.test'), false, 'a partial-label wildcard is not accepted');
  assert.equal(matchesPresentedName('', 'mx.example.test'), false);
  assert.equal(matchesPresentedName('mx.example.test', ''), false);
});

test('commonNamesOf and certificateCoversName: DNS names first; the common name only when there is none', () => {
  assert.deepEqual(commonNamesOf('CN=mx.example.test, O=Example'), ['mx.example.test']);
  assert.deepEqual(commonNamesOf('O=Example\\, Inc., CN=mail.example.test'), ['mail.example.test']);
  assert.deepEqual(commonNamesOf('O=Example'), []);
  assert.deepEqual(certificateCoversName('mx.example.test', ['DNS:mail.example.test', 'IP:127.0.0.1'], 'CN=mx.example.test'), {
    covered: false,
    presented: ['mail.example.test'],
    from: 'subjectAltName',
  });
  assert.deepEqual(certificateCoversName('mx.example.test', ['IP:127.0.0.1'], 'CN=mx.example.test'), { covered: true, presented: ['mx.example.test'], from: 'commonName' });
  assert.deepEqual(certificateCoversName('mx.example.test', [], 'O=Example'), { covered: false, presented: [], from: 'none' });
});

test('describeKey: the key as the hovers name it, curve and size when known', () => {
  const [leaf] = readChain('weak-key');
  const reading = readCertificate(leaf);
  assert.ok('summary' in reading);
  assert.equal(describeKey(reading.summary), 'RSA, 1024 bits');
  assert.equal(describeKey({ ...reading.summary, keyType: 'EC', keyBits: 256, namedCurve: 'P-256' }), 'EC P-256, 256 bits');
  assert.equal(describeKey({ ...reading.summary, keyType: 'DSA', keyBits: 0 }), 'DSA, size not read');
});

test('describeValidity: ISO times as UTC dates and times; text that is not one as it is', () => {
  assert.equal(describeValidity({ notBefore: '2026-11-30T08:36:37.000Z', notAfter: '2099-01-01T00:00:00Z' }), '2026-11-30 08:36:37 UTC to 2099-01-01 00:00:00 UTC');
  assert.equal(describeValidity({ notBefore: 'Invalid Date', notAfter: '2036-11-27T08:36:37.123Z' }), 'Invalid Date to 2036-11-27 08:36:37 UTC');
});

test('formatKeyId and describeKeyIds: key identifiers as openssl prints them; null without any', () => {
  assert.equal(formatKeyId('95faa34f'), '95:FA:A3:4F');
  assert.equal(describeKeyIds({ subjectKeyId: 'd09f', authorityKeyId: '95fa' }), 'subject D0:9F, authority 95:FA');
  assert.equal(describeKeyIds({ authorityKeyId: '95fa' }), 'authority 95:FA');
  assert.equal(describeKeyIds({}), null);
});
