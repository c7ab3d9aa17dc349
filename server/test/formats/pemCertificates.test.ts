/**
 * PEM certificates a tool prints (formats/pemCertificates.ts), on real s_client output of
 * server/test/fixtures/certificates (make-fixtures.sh: `-showcerts` prints the chain, each block
 * after its ` N s:` line; without it s_client prints only "Server certificate"), and the mapping
 * from DER bytes to the base64 characters that carry them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { certificateDer, spanOfDerBytes } from '../../src/core/formats/pemCertificates';
import { findPemCertificateAt, findPemCertificateEvent } from '../../src/core/features/certificatePartNotes';
import { computeHover } from '../../src/core/features/hover';
import type { StatedEvent } from '../../src/core/model/transcript';
import { toDecodeJson } from '../../src/core/export/decodeJson';
import { formatDecodeText } from '../../src/core/export/decodeText';
import { buildLadder } from '../../src/core/diagram/ladder';
import { computeFoldingRanges } from '../../src/core/features/folding';
import { findSessionPhases } from '../../src/core/features/symbols';

const DIR = join(__dirname, '..', 'fixtures', 'certificates');

function pemEvents(text: string): StatedEvent[] {
  return analyzeDocument(text).sessions.flatMap((s) => s.session.events.filter((e): e is StatedEvent => e.kind === 'stated' && e.subject === 'certificate'));
}

/** The DER of the chain.pem the server sent (the certificates in the order it sent them). */
function servedChain(name: string): Buffer[] {
  const pem = readFileSync(join(DIR, `${name}.chain.pem`), 'utf8');
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END/g)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
}

test('s_client -showcerts: every certificate of the chain, numbered as s_client numbers it, with the DER the server sent', () => {
  const text = readFileSync(join(DIR, 'wrong-order-tls12.showcerts.txt'), 'utf8');
  const events = pemEvents(text);
  assert.deepEqual(events.map((e) => e.certificateIndex), [0, 1, 2]);
  assert.deepEqual(events.map((e) => e.direction), ['server', 'server', 'server']);
  const served = servedChain('wrong-order-tls12');
  events.forEach((e, i) => assert.ok(Buffer.from(certificateDer(text, e.base64Spans ?? [])).equals(served[i]), `certificate ${i}`));
});

test('s_client without -showcerts: the server certificate only, without a number', () => {
  const text = readFileSync(join(DIR, 'wrong-order-tls12.plain.txt'), 'utf8');
  const events = pemEvents(text);
  assert.equal(events.length, 1);
  assert.equal(events[0].certificateIndex, undefined);
  assert.ok(Buffer.from(certificateDer(text, events[0].base64Spans ?? [])).equals(servedChain('wrong-order-tls12')[0]));
});

test('a PEM block without its END line, with a line that is not base64, empty, or holding no certificate, is not read', () => {
  const body = 'MIIBszCCAVmgAwIBAgIU';
  assert.equal(pemEvents(`-----BEGIN CERTIFICATE-----\n${body}\n`).length, 0);
  assert.equal(pemEvents(`-----BEGIN CERTIFICATE-----\n${body}\nnot base64!\n-----END CERTIFICATE-----\n`).length, 0);
  assert.equal(pemEvents('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n').length, 0);
  // A line far longer than PEM writes (64) is no PEM line: the block is not read, the line not copied.
  const real = readFileSync(join(DIR, 'weak-key.plain.txt'), 'utf8');
  const oneLine = real.replace(/(-----BEGIN CERTIFICATE-----\n)([\s\S]*?)(\n-----END)/, (_, a: string, b: string, c: string) => a + b.replace(/\n/g, '') + c);
  assert.notEqual(oneLine, real);
  assert.equal(pemEvents(oneLine).length, 0);
  // Well formed, but no certificate (a fragment pasted as an example): text, as before.
  const text = `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
  assert.equal(pemEvents(text).length, 0);
  assert.deepEqual(analyzeDocument(text).findings.filter((f) => f.rule.startsWith('tls-certificate-')), []);
  assert.equal(findPemCertificateAt(analyzeDocument(text), text.indexOf(body) + 2), null);
});

test('spanOfDerBytes: the characters that carry the bytes, across line ends', () => {
  // Two lines of 8 characters (6 bytes each) at offsets 100 and 200.
  const spans = [
    { start: 100, end: 108 },
    { start: 200, end: 208 },
  ];
  assert.deepEqual(spanOfDerBytes(spans, 0, 3), { start: 100, end: 104 });
  // Byte 1 starts in character 1 (bits 8..13); byte 2 ends in character 3.
  assert.deepEqual(spanOfDerBytes(spans, 1, 3), { start: 101, end: 104 });
  // Bytes 5 and 6: bits 40..55, characters 6 (bits 36..41) to 9 (bits 54..59).
  assert.deepEqual(spanOfDerBytes(spans, 5, 7), { start: 106, end: 202 });
  assert.deepEqual(spanOfDerBytes(spans, 6, 12), { start: 200, end: 208 });
  assert.deepEqual(spanOfDerBytes(spans, 40, 50), { start: 208, end: 208 }, 'past the end: the end of the last line');
  assert.deepEqual(spanOfDerBytes([], 0, 3), { start: 0, end: 0 });
});

test('hover on the base64 of a printed certificate: the certificate, and the part the character encodes', () => {
  const text = readFileSync(join(DIR, 'weak-key.plain.txt'), 'utf8');
  const analysis = analyzeDocument(text);
  const [f] = analysis.findings;
  assert.equal(f.rule, 'tls-certificate-weak-key');
  const hover = computeHover(analysis, f.span.start)?.markdown ?? '';
  assert.match(hover, /^\*\*Certificate\*\* — CN=weak\.cert-lab\.test \(in PEM, as the tool prints it\)/);
  assert.match(hover, /\| Key \| RSA, 1024 bits \|/);
  assert.match(hover, /\| Under the cursor \| subjectPublicKeyInfo: RSA, 1024 bits \(byte \d+ of \d+\) \|/);
  // Off the base64 (the BEGIN line), no certificate hover.
  assert.equal(findPemCertificateAt(analysis, text.indexOf('-----BEGIN CERTIFICATE-----') + 3), null);
});

test('decode: a printed certificate is a stated certificate event with its position and reading, in JSON and in the text tree', () => {
  const analysis = analyzeDocument(readFileSync(join(DIR, 'wrong-order-tls12.showcerts.txt'), 'utf8'));
  const json = toDecodeJson(analysis) as { sessions: { events: Record<string, unknown>[] }[] };
  const certs = json.sessions.flatMap((s) => s.events).filter((e) => e.subject === 'certificate');
  assert.deepEqual(certs.map((c) => c.certificateIndex), [0, 1, 2]);
  assert.deepEqual(certs.map((c) => (c.certificate as { subject: string }).subject), ['CN=mx.cert-lab.test', 'CN=Cert Lab Root CA, O=SMTP TLS Transcripts test', 'CN=Cert Lab Issuing CA, O=SMTP TLS Transcripts test']);
  assert.equal((certs[0].certificate as { keyBits: number }).keyBits, 2048);
  const tree = formatDecodeText('x', analysis);
  assert.match(tree, /S: stated by the tool \(certificate 1: CN=Cert Lab Root CA, O=SMTP TLS Transcripts test \(issuer CN=Cert Lab Root CA, O=SMTP TLS Transcripts test; RSA 2048 bits; sha256WithRSAEncryption; valid /);
});

test('diagram: a printed chain is one arrow from the server named by its first certificate; not drawn where the Certificate message is decoded', () => {
  const showcerts = buildLadder(analyzeDocument(readFileSync(join(DIR, 'wrong-order-tls12.showcerts.txt'), 'utf8')), 0);
  const printed = showcerts.events.filter((e) => e.label.startsWith('Certificate'));
  assert.deepEqual(printed.map((e) => [e.from, e.label]), [['server', 'Certificate: CN=mx.cert-lab.test and 2 more (printed by the tool)']]);
  assert.match(printed[0].detail, /^CN=mx\.cert-lab\.test \(issuer CN=Cert Lab Issuing CA/);
  const msg = buildLadder(analyzeDocument(readFileSync(join(DIR, 'wrong-order-tls12.msg.txt'), 'utf8')), 0);
  assert.equal(msg.events.filter((e) => e.label.includes('(printed by the tool)')).length, 0);
});

test('a certificate block with a reviewer\'s comment lines inside is read as without them', () => {
  const text = readFileSync(join(DIR, 'weak-key.plain.txt'), 'utf8');
  const annotated = text.replace(/\n(?=[A-Za-z0-9+/=]{64}\n)/g, '\n# base64 line follows\n');
  assert.notEqual(annotated, text);
  const [a] = pemEvents(text);
  const [b] = pemEvents(annotated);
  assert.ok(Buffer.from(certificateDer(annotated, b.base64Spans ?? [])).equals(Buffer.from(certificateDer(text, a.base64Spans ?? []))));
});

test('gnutls-cli --print-cert: the chain numbered by its "- Certificate[N] info:" lines, with the DER the server sent', () => {
  const text = readFileSync(join(DIR, 'wrong-order-tls12.gnutls.txt'), 'utf8');
  const events = pemEvents(text);
  assert.deepEqual(events.map((e) => e.certificateIndex), [0, 1, 2]);
  const served = servedChain('wrong-order-tls12');
  events.forEach((e, i) => assert.ok(Buffer.from(certificateDer(text, e.base64Spans ?? [])).equals(served[i]), `certificate ${i}`));
});

test('folding: each printed certificate folds from its BEGIN line to its END line', () => {
  const text = readFileSync(join(DIR, 'wrong-order-tls12.showcerts.txt'), 'utf8');
  const lines = text.split('\n');
  const begins = lines.flatMap((l, i) => (l === '-----BEGIN CERTIFICATE-----' ? [i] : []));
  const ends = lines.flatMap((l, i) => (l === '-----END CERTIFICATE-----' ? [i] : []));
  assert.equal(begins.length, 3);
  const folds = computeFoldingRanges(analyzeDocument(text));
  for (let k = 0; k < 3; k++) assert.ok(folds.some((f) => f.startLine === begins[k] && f.endLine === ends[k]), `certificate ${k}`);
});

test('outline: each printed certificate is in the TLS phase, named by its subject; with -msg the decoded message is listed instead', () => {
  const phasesOf = (name: string): string[] => {
    const a = analyzeDocument(readFileSync(join(DIR, name), 'utf8'));
    return findSessionPhases(a, 0).flatMap((p) => p.children.map((c) => `${c.name} | ${c.detail}`));
  };
  const printed = phasesOf('wrong-order-tls12.showcerts.txt').filter((n) => n.startsWith('Certificate'));
  assert.deepEqual(printed, [
    'Certificate 0: CN=mx.cert-lab.test | S (printed)',
    'Certificate 1: CN=Cert Lab Root CA, O=SMTP TLS Transcripts test | S (printed)',
    'Certificate 2: CN=Cert Lab Issuing CA, O=SMTP TLS Transcripts test | S (printed)',
  ]);
  assert.ok(!phasesOf('wrong-order-tls12.msg.txt').some((n) => n.includes('(printed)')));
});

test('findPemCertificateEvent: the printed certificate whose block holds an offset, BEGIN and END lines included; null between blocks', () => {
  const text = readFileSync(join(DIR, 'wrong-order-tls12.showcerts.txt'), 'utf8');
  const a = analyzeDocument(text);
  const second = text.indexOf('-----BEGIN CERTIFICATE-----', text.indexOf(' 1 s:'));
  assert.equal(findPemCertificateEvent(a, second)?.certificateIndex, 1);
  const end = text.indexOf('-----END CERTIFICATE-----', second);
  assert.equal(findPemCertificateEvent(a, end + 5)?.certificateIndex, 1);
  assert.equal(findPemCertificateEvent(a, text.indexOf(' 1 s:')), null);
  assert.equal(findPemCertificateEvent(a, 0), null);
});
