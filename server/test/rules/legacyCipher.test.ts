/**
 * RC4 negotiated, as GnuTLS-based tools state it in words: gnutls-cli -d 4 (its Keeping and
 * Selected lines and its session description), msmtp and Exim (the description only), tshark -V
 * (the hellos in words). Fixtures: server/test/fixtures/legacy-cipher (real sessions against Exim
 * with RC4 allowed; the captures and tshark's reading of them are the oracle: suite 0x0005 offered
 * alone and selected).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { toDecodeJson } from '../../src/core/export/decodeJson';
import { describedAlgorithms } from '../../src/core/formats/statedFacts';
import { classifyDescribedAlgorithms } from '../../src/core/rules/checks/helloContent';
import { listStatedOffers, listStatedSelections } from '../../src/core/rules/sites';
import { importBytes, readFixture } from '../capture/helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const DIR = path.join(FIXTURES, 'legacy-cipher');
const read = (rel: string): string => readFileSync(path.join(FIXTURES, rel), 'utf8');
const WEAK = new Set(['tls-weak-cipher-offered', 'tls-weak-cipher-selected']);

function weakFindings(text: string) {
  return analyzeDocument(text)
    .findings.filter((f) => WEAK.has(f.rule))
    .map((f) => ({ rule: f.rule, severity: f.severity, at: text.slice(f.span.start, f.span.end), message: f.message }));
}

/** The suites tshark reads in the capture: [ClientHello's, ServerHello's]. */
function oracle(name: string): [number[], number] {
  const field = (file: string): string => readFileSync(path.join(DIR, file), 'utf8').trim().split('\t')[1];
  return [field(`${name}.tshark-client-hello-suites.txt`).split(',').map(Number), Number(field(`${name}.tshark-server-hello-suite.txt`))];
}

test('legacy cipher: the captures, as tshark reads them, offer and select RC4 (0x0005); our import judges the bytes the same way', () => {
  for (const name of ['exim-rc4', 'msmtp-rc4']) {
    assert.deepEqual(oracle(name), [[0x0005], 0x0005], name);
    const text = importBytes(readFixture(path.join(DIR, `${name}.pcap`))).text;
    const found = weakFindings(text);
    assert.deepEqual(found.map((f) => [f.rule, f.severity]), [['tls-weak-cipher-offered', 'error'], ['tls-weak-cipher-selected', 'error']], name);
    assert.match(found[1].message, /^ServerHello selects TLS_RSA_WITH_RC4_128_SHA \(0x0005\), an RC4 suite; RFC 7465 §2 forbids negotiating RC4\./);
  }
});

test('gnutls-cli -d 4: the suites it keeps for its hello and the suite it says was selected are judged, once each, on their own words', () => {
  const text = read('legacy-cipher/gnutls-cli-rc4.txt');
  const found = weakFindings(text);
  assert.deepEqual(found.map((f) => [f.rule, f.severity, f.at]), [
    ['tls-weak-cipher-offered', 'error', '00.05 (GNUTLS_RSA_ARCFOUR_128_SHA1)'],
    ['tls-weak-cipher-selected', 'error', 'GNUTLS_RSA_ARCFOUR_128_SHA1'],
  ]);
  assert.match(found[0].message, /^The ClientHello the log states offers 1 weak cipher suite \(RC4\): TLS_RSA_WITH_RC4_128_SHA\. RFC 7465 §2 forbids offering RC4;/);
  // The session description names the same suite: it adds no second finding.
  assert.equal(found[1].message, 'The log states that GNUTLS_RSA_ARCFOUR_128_SHA1 (TLS_RSA_WITH_RC4_128_SHA) (0x0005) was negotiated, an RC4 suite; RFC 7465 §2 forbids negotiating RC4.');
  const sessions = analyzeDocument(text).sessions;
  assert.deepEqual([...listStatedSelections(sessions)].map((s) => [s.stated, s.code]), [['GNUTLS_RSA_ARCFOUR_128_SHA1', 0x0005]]);
  assert.deepEqual([...listStatedOffers(sessions)].map((s) => s.suites), [oracle('exim-rc4')[0]]);
});

test('msmtp and Exim state only GnuTLS\'s description: the algorithms it names are judged on their text', () => {
  for (const [file, line] of [['msmtp-rc4.txt', '    (TLS1.2)-(RSA)-(ARCFOUR-128)-(SHA1)'], ['exim-rc4.exim-debug.txt', null], ['exim-rc4-msmtp.exim-debug.txt', null]] as const) {
    const text = read(`legacy-cipher/${file}`);
    const found = weakFindings(text);
    assert.deepEqual(found.map((f) => [f.rule, f.severity, f.at]), [['tls-weak-cipher-selected', 'error', '(RSA)-(ARCFOUR-128)-(SHA1)']], file);
    assert.equal(found[0].message, 'The log states that the algorithms (RSA)-(ARCFOUR-128)-(SHA1) were negotiated, an RC4 suite; RFC 7465 §2 forbids negotiating RC4.');
    if (line) assert.ok(text.split('\n').includes(line));
  }
  // decode's JSON carries the description (a field added to stated events).
  const json = toDecodeJson(analyzeDocument(read('legacy-cipher/msmtp-rc4.txt')));
  assert.ok(JSON.stringify(json).includes('"cipherAlgorithms":"(RSA)-(ARCFOUR-128)-(SHA1)"'));
});

test('tshark -V text of the hellos: the suite the ClientHello lists and the one the ServerHello picks are judged on their lines', () => {
  const text = read('legacy-cipher/exim-rc4.tshark-V-hellos.txt');
  assert.deepEqual(weakFindings(text).map((f) => [f.rule, f.at]), [
    ['tls-weak-cipher-offered', 'TLS_RSA_WITH_RC4_128_SHA (0x0005)'],
    ['tls-weak-cipher-selected', 'TLS_RSA_WITH_RC4_128_SHA (0x0005)'],
  ]);
});

test('strong suites stated the same ways give nothing: gnutls-cli, msmtp and Exim with TLS 1.3 and AES-256-GCM', () => {
  for (const file of ['corpus/sessions/gnutls-default-d5/gnutls-cli-d5.txt', 'msmtp/msmtp-starttls.txt', 'exim/server-starttls.exim-debug.txt', 'exim/client-starttls.exim-debug.txt']) {
    const text = read(file);
    assert.deepEqual(weakFindings(text), [], file);
    const described = JSON.stringify(toDecodeJson(analyzeDocument(text)));
    assert.match(described, /"cipherAlgorithms":"\(ECDHE-(?:SECP256R1|X25519)\)-\(RSA-PSS-RSAE-SHA256\)-\(AES-256-GCM\)"/, file);
  }
});

test('describedAlgorithms: the part of a GnuTLS description after its version group, or null', () => {
  assert.deepEqual(describedAlgorithms('- Description: (TLS1.2-X.509)-(RSA)-(ARCFOUR-128)-(SHA1)', 15), { value: '(RSA)-(ARCFOUR-128)-(SHA1)', start: 30 });
  assert.deepEqual(describedAlgorithms('(TLS1.3)-(ECDHE-X25519)-(RSA-PSS-RSAE-SHA256)-(AES-256-GCM)  ', 0), { value: '(ECDHE-X25519)-(RSA-PSS-RSAE-SHA256)-(AES-256-GCM)', start: 9 });
  for (const bad of ['TLS1.2 RSA', '(TLS1.2)', '(TLS1.2)-(rsa)-(x)', '(TLS1.2)-(RSA)-', '(A-VERY-LONG-VERSION-GROUP-NAME)-(RSA)', '(TLS1.2)-(RSA) (AES)']) {
    assert.equal(describedAlgorithms(bad, 0), null, bad);
  }
});

test('classifyDescribedAlgorithms: GnuTLS\'s algorithm names to weak classes (crafted descriptions in GnuTLS\'s naming)', () => {
  assert.deepEqual(classifyDescribedAlgorithms('(RSA)-(ARCFOUR-128)-(SHA1)'), ['RC4']);
  assert.deepEqual(classifyDescribedAlgorithms('(RSA-EXPORT)-(ARCFOUR-40)-(MD5)'), ['EXPORT', 'RC4']);
  assert.deepEqual(classifyDescribedAlgorithms('(RSA)-(NULL)-(SHA1)'), ['NULL']);
  assert.deepEqual(classifyDescribedAlgorithms('(ANON-DH)-(AES-128-CBC)-(SHA1)'), ['anon']);
  assert.deepEqual(classifyDescribedAlgorithms('(ANON-ECDH)-(ARCFOUR-128)-(SHA1)'), ['anon', 'RC4']);
  assert.deepEqual(classifyDescribedAlgorithms('(DHE-RSA)-(DES-CBC)-(SHA1)'), ['DES']);
  assert.deepEqual(classifyDescribedAlgorithms('(RSA)-(3DES-CBC)-(SHA1)'), []);
  assert.deepEqual(classifyDescribedAlgorithms('(ECDHE-SECP256R1)-(RSA-SHA256)-(AES-256-GCM)'), []);
});
