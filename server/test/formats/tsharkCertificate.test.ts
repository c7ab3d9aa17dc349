/**
 * Certificates tshark -V prints field by field (formats/tsharkCertificate.ts), on real dissections:
 * tshark -V of the certificate runs' captures (fixtures/certificates/make-fixtures.sh, `<name>.tshark-V.txt`),
 * each certificate's reading compared with @peculiar/x509's reading of the same certificate's DER
 * (the chain the server sent, `<name>.chain.pem`); and crafted cuts of those trees.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import type { StatedEvent } from '../../src/core/model/transcript';
import { PrintedCertificateReader, rsaModulusBits } from '../../src/core/formats/tsharkCertificate';
import { CERTIFICATE_RUNS, findingText, readServedChain } from '../helpers/certificateRuns';
import { computeHover } from '../../src/core/features/hover';
import { buildLadder } from '../../src/core/diagram/ladder';

const DIR = join(__dirname, '..', 'fixtures', 'certificates');

function printedCertificates(text: string): StatedEvent[] {
  const out: StatedEvent[] = [];
  for (const s of analyzeDocument(text).sessions) for (const e of s.session.events) if (e.kind === 'stated' && e.subject === 'certificate') out.push(e);
  return out;
}

for (const name of Object.keys(CERTIFICATE_RUNS)) {
  test(`tsharkCertificate: ${name}: each certificate tshark -V prints reads as its DER does`, () => {
    const printed = printedCertificates(readFileSync(join(DIR, `${name}.tshark-V.txt`), 'utf8'));
    const served = readServedChain(DIR, name);
    assert.deepEqual(
      printed.map((e) => e.certificateIndex),
      served.map((_, i) => i),
    );
    printed.forEach((e, i) => {
      assert.ok(e.printed, `${name} ${i}`);
      assert.equal(e.direction, 'server');
      // Serial numbers: tshark prints the INTEGER's bytes, @peculiar/x509 without a leading 00.
      assert.deepEqual({ ...e.printed.summary, serialNumber: e.printed.summary.serialNumber.replace(/^00/, '') }, served[i], `${name} ${i}`);
    });
  });
}

test('tsharkCertificate: the findings point at the lines of the part they judge', () => {
  const at = (name: string, rule: string): string => findingText(DIR, `${name}.tshark-V.txt`, rule);
  assert.match(at('weak-key', 'tls-certificate-weak-key'), /^subjectPublicKeyInfo\n +algorithm \(rsaEncryption\)\n[^]*publicExponent: 65537$/);
  assert.equal(at('sha1-signed', 'tls-certificate-weak-signature').split('\n')[0], 'algorithmIdentifier (sha1WithRSAEncryption)');
  assert.match(at('name-mismatch', 'tls-certificate-name-mismatch'), /^Extension \(id-ce-subjectAltName\)\n[^]*dNSName: mail\.cert-lab\.test$/);
  assert.match(at('cn-only-mismatch', 'tls-certificate-name-mismatch'), /^subject: rdnSequence \(0\)\n[^]*uTF8String: cn-only\.cert-lab\.test$/);
  assert.match(at('expired', 'tls-certificate-expired'), /^validity\n +notBefore: utcTime \(0\)\n[^]*utcTime: 2021-01-01 00:00:00 \(UTC\)$/);
  assert.match(at('wrong-order-tls12', 'tls-certificate-chain-order'), /^subject: rdnSequence \(0\)\n +rdnSequence: 2 items \(id-at-organizationName=SMTP TLS Transcripts test,id-at-commonName=Cert Lab Root CA\)/);
});

test("tsharkCertificate: a session is dated by its first frame's Epoch Time, and the hover says so", () => {
  const text = readFileSync(join(DIR, 'expired.tshark-V.txt'), 'utf8');
  const [session] = analyzeDocument(text).sessions;
  const note = session.session.events.find((e) => e.kind === 'note' && e.note === 'session-time');
  assert.ok(note && note.kind === 'note');
  const epoch = /^ {4}(Epoch Time: ([0-9]+)\.([0-9]{3})[0-9]* seconds)$/m.exec(text);
  assert.ok(epoch);
  assert.equal(note.time, Number(epoch[2]) * 1000 + Number(epoch[3]));
  assert.equal(text.slice(note.span.start, note.span.end), epoch[1]);
  const hover = computeHover(analyzeDocument(text), note.span.start + 2);
  assert.ok(hover);
  assert.match(hover.markdown, /When the session started: 20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC/);
  assert.match(hover.markdown, /tshark/);
});

test('tsharkCertificate: rsaModulusBits reads the modulus length from the start of an RSAPublicKey', () => {
  // 30 82 010a, 02 82 0101 00 9a...: a 2048-bit modulus (the 00 keeps it positive).
  assert.equal(rsaModulusBits('3082010a02820101009a3d9a9b50b788'), 2048);
  // 30 81 89, 02 81 81 00 c3...: 1024 bits.
  assert.equal(rsaModulusBits('30818902818100c3'), 1024);
  // A modulus whose top byte is 0x01: 8 bits fewer than its length plus one.
  assert.equal(rsaModulusBits('3082010a028201000100'), 2041);
  // Cut before the modulus, or not a SEQUENCE of an INTEGER: unknown.
  assert.equal(rsaModulusBits('3082010a02'), 0);
  assert.equal(rsaModulusBits('0482010a0282010100c3'), 0);
  assert.equal(rsaModulusBits(''), 0);
});

test('tsharkCertificate: a tree cut short reads as nothing, and every line it took is its own', () => {
  const text = readFileSync(join(DIR, 'good-chain.tshark-V.txt'), 'utf8');
  const lines = text.split('\n');
  const first = lines.findIndex((l) => /^ +Certificate: 30/.test(l));
  // The whole first certificate, then cut after each of its lines: only the whole tree (and cuts after its last needed field) read.
  const read = (count: number): ReturnType<PrintedCertificateReader['finish']> => {
    let offset = lines.slice(0, first).join('\n').length + 1;
    const r = new PrintedCertificateReader(first, lines[first], offset, offset + lines[first].length);
    offset += lines[first].length + 1;
    for (let k = first + 1; k < first + count; k++) {
      if (!r.take(lines[k], offset, offset + lines[k].length)) break;
      offset += lines[k].length + 1;
    }
    return r.finish();
  };
  const whole = read(200);
  assert.ok(whole);
  assert.equal(whole.summary.subject, 'CN=mx.cert-lab.test');
  assert.equal(read(5), null);
  assert.equal(read(30), null);
  // The next certificate's line is not the first one's.
  const next = lines.findIndex((l, k) => k > first && /^ +Certificate: 30/.test(l));
  const r = new PrintedCertificateReader(first, lines[first], 0, lines[first].length);
  assert.equal(r.take(lines[next - 1], 0, 1), false);
});

test('tsharkCertificate: hover on a printed certificate line gives the certificate and the part the line is in', () => {
  const text = readFileSync(join(DIR, 'weak-key.tshark-V.txt'), 'utf8');
  const analysis = analyzeDocument(text);
  const at = text.indexOf('subjectPublicKey: ');
  const hover = computeHover(analysis, at + 3);
  assert.ok(hover);
  assert.match(hover.markdown, /^\*\*Certificate\*\* — CN=weak\.cert-lab\.test \(as tshark -V describes it\)/);
  assert.match(hover.markdown, /\| Under the cursor \| subjectPublicKeyInfo: RSA, 1024 bits \|/);
  // The key identifiers tshark prints (SubjectKeyIdentifier, the authorityKeyIdentifier's keyIdentifier), as openssl writes them.
  const ski = /^ +SubjectKeyIdentifier: ([0-9a-f]+)$/m.exec(text)![1].toUpperCase().match(/../g)!.join(':');
  assert.ok(hover.markdown.includes(`| Key identifiers | subject ${ski}, authority `), hover.markdown);
  assert.equal(text.slice(hover.span.start, hover.span.end).trim(), text.slice(at, text.indexOf('\n', at)).trim());
  // On a name attribute deep in the issuer: the issuer.
  const issuerLine = text.indexOf('Object Id: 2.5.4.10', text.indexOf('issuer: rdnSequence'));
  assert.match(computeHover(analysis, issuerLine + 2)?.markdown ?? '', /\| Under the cursor \| issuer: CN=Cert Lab Issuing CA, O=SMTP TLS Transcripts test \|/);
});

test('tsharkCertificate: the diagram draws the Certificate record once (its statement), not the chain again', () => {
  const ladder = buildLadder(analyzeDocument(readFileSync(join(DIR, 'wrong-order-tls12.tshark-V.txt'), 'utf8')), 0);
  assert.equal(ladder.events.filter((e) => e.label.includes('(printed by the tool)')).length, 0);
  assert.equal(ladder.events.filter((e) => e.label.startsWith('TLSv1.2 Record Layer: Handshake Protocol: Certificate')).length, 1);
});

test('tsharkCertificate: a first frame at time 0 (a capture written without times) dates nothing, as the capture import reads it', () => {
  const text = readFileSync(join(DIR, 'expired.tshark-V.txt'), 'utf8').replace(/^( {4}Epoch Time: )[0-9]+\.[0-9]+ seconds$/gm, '$10.000000000 seconds');
  const analysis = analyzeDocument(text);
  assert.equal(analysis.sessions[0].session.events.filter((e) => e.kind === 'note' && e.note === 'session-time').length, 0);
  assert.deepEqual(analysis.findings.filter((f) => f.rule === 'tls-certificate-expired'), []);
});
