/**
 * tls-weak-cipher-selected on the cipher suite a tool or log names in words, where no ServerHello
 * is decoded: a real anonymous suite negotiated with postfix (server/test/fixtures/stated-cipher),
 * as s_client and postfix named it, against the capture of the same connection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { listStatedOffers, listStatedSelections } from '../../src/core/rules/sites';
import { cipherSuiteByName } from '../../src/core/tls/registry/cipherNames';
import { OPENSSL_CIPHER_NAMES } from '../../src/core/tls/registry/opensslCipherNames';
import { GNUTLS_CIPHER_NAMES } from '../../src/core/tls/registry/gnutlsCipherNames';
import { cipherSuiteCodeOf, lookupCipherSuite } from '../../src/core/tls/registry/cipherSuites';
import { smtpdServicePort } from '../../src/core/formats/postfixLog';
import { importBytes, readFixture } from '../capture/helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const read = (rel: string): string => readFileSync(path.join(FIXTURES, rel), 'utf8');
const weakSelected = (text: string) => analyzeDocument(text).findings.filter((f) => f.rule === 'tls-weak-cipher-selected');

test('cipherSuiteByName: IANA names, OpenSSL names; every OpenSSL name the table lists is the suite our registry names', () => {
  assert.equal(cipherSuiteByName('TLS_AES_256_GCM_SHA384'), 0x1302);
  assert.equal(cipherSuiteByName('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'), 0xc030);
  assert.equal(cipherSuiteByName('ECDHE-RSA-AES256-GCM-SHA384'), 0xc030);
  assert.equal(cipherSuiteByName('ADH-AES256-GCM-SHA384'), 0x00a7);
  for (const name of ['TLS_NOT_A_SUITE', 'GNUTLS_NOT_A_SUITE', 'NOT_A_SUITE', 'EXP1024-RC4-SHA', '', 'constructor', '__proto__']) assert.equal(cipherSuiteByName(name), undefined, name);
  assert.ok(OPENSSL_CIPHER_NAMES.length >= 200);
  for (const [openssl, code, iana] of OPENSSL_CIPHER_NAMES) {
    assert.equal(lookupCipherSuite(code).name, iana, openssl);
    assert.equal(cipherSuiteCodeOf(iana), code, iana);
  }
});

test('cipherSuiteByName: OpenSSL names from the manual (suites OpenSSL 3 no longer builds, names of older releases)', () => {
  assert.equal(cipherSuiteByName('RC4-SHA'), 0x0005);
  assert.equal(cipherSuiteByName('RC4-MD5'), 0x0004);
  assert.equal(cipherSuiteByName('DES-CBC3-SHA'), 0x000a);
  assert.equal(cipherSuiteByName('ECDHE-RSA-RC4-SHA'), 0xc011);
  // OpenSSL 1.0 printed EDH- where 1.1 and later print DHE-.
  assert.equal(cipherSuiteByName('EDH-RSA-DES-CBC3-SHA'), 0x0016);
  assert.equal(cipherSuiteByName('DHE-RSA-DES-CBC3-SHA'), 0x0016);
  // OpenSSL 1.0's export and single-DES names (the generator's own list, codes from our registry).
  assert.equal(cipherSuiteByName('EXP-RC4-MD5'), 0x0003);
  assert.equal(cipherSuiteByName('DES-CBC-SHA'), 0x0009);
  assert.equal(cipherSuiteByName('EDH-RSA-DES-CBC-SHA'), 0x0015);
  assert.equal(cipherSuiteByName('EXP-ADH-DES-CBC-SHA'), 0x0019);
  // Every OpenSSL name says what IANA's says: export, RC4, anonymous, single DES.
  for (const [name, , iana] of OPENSSL_CIPHER_NAMES) {
    assert.equal(/^EXP/.test(name), /EXPORT/.test(iana), `${name} ~ ${iana}: export`);
    assert.equal(/RC4/.test(name), /RC4/.test(iana), `${name} ~ ${iana}: RC4`);
    assert.equal(/^(?:EXP-)?A(?:EC)?DH-/.test(name), /_anon_/.test(iana), `${name} ~ ${iana}: anonymous`);
    assert.equal(/(?:^|-)DES-CBC-/.test(name), /_DES(?:40)?_CBC_/.test(iana), `${name} ~ ${iana}: single DES`);
  }
});

test('cipherSuiteByName: GnuTLS names as its debug output (GNUTLS_), gnutls-cli -l (TLS_) and Exim (bare) write them; every one is the suite our registry knows', () => {
  assert.equal(cipherSuiteByName('GNUTLS_RSA_ARCFOUR_128_SHA1'), 0x0005);
  assert.equal(cipherSuiteByName('TLS_RSA_ARCFOUR_128_SHA1'), 0x0005);
  assert.equal(cipherSuiteByName('RSA_ARCFOUR_128_SHA1'), 0x0005);
  assert.equal(cipherSuiteByName('GNUTLS_ECDHE_RSA_AES_256_GCM_SHA384'), 0xc030);
  assert.equal(cipherSuiteByName('GNUTLS_AES_256_GCM_SHA384'), 0x1302);
  assert.ok(GNUTLS_CIPHER_NAMES.length >= 100);
  for (const [name, code] of GNUTLS_CIPHER_NAMES) {
    assert.ok(!lookupCipherSuite(code).name.startsWith('Unassigned') && !/unknown/i.test(lookupCipherSuite(code).name), `${name}: ${lookupCipherSuite(code).name}`);
    // The bulk cipher GnuTLS names is the one IANA's name carries (ARCFOUR is RC4, 3DES_EDE_CBC is 3DES_EDE_CBC).
    const bulk = /(AES_(?:128|256)_(?:GCM|CBC|CCM_8|CCM)|CHACHA20_POLY1305|CAMELLIA_(?:128|256)_(?:GCM|CBC)|3DES_EDE_CBC|ARCFOUR_128|NULL|GOST28147)/.exec(name)?.[1];
    const iana = lookupCipherSuite(code).name.replace('RC4_128', 'ARCFOUR_128').replace('28147_CNT', 'GOST28147');
    if (bulk) assert.ok(iana.includes(bulk), `${name} → ${iana}`);
  }
});

test('smtpdServicePort: the stock master.cf services', () => {
  assert.equal(smtpdServicePort('postfix/smtpd'), 25);
  assert.equal(smtpdServicePort('postfix/submission/smtpd'), 587);
  assert.equal(smtpdServicePort('postfix/smtps/smtpd'), 465);
  assert.equal(smtpdServicePort('postfix/submissions/smtpd'), 465);
  for (const p of ['postfix/lab2526/smtpd', 'postfix-in/smtpd', 'postfix/smtp', 'smtpd']) assert.equal(smtpdServicePort(p), null, p);
});

test('postfix logs the anonymous suite: a warning on its name (port 25, as postfix/smtpd says), as the capture\'s ServerHello gets', () => {
  const text = read('stated-cipher/postfix-adh.log');
  const found = weakSelected(text);
  assert.equal(found.length, 1);
  assert.equal(text.slice(found[0].span.start, found[0].span.end), 'ADH-AES256-GCM-SHA384');
  assert.equal(found[0].severity, 'warning');
  assert.match(found[0].message, /^The log states that ADH-AES256-GCM-SHA384 \(TLS_DH_anon_WITH_AES_256_GCM_SHA384\) \(0x00a7\) was negotiated, an anon suite; /);
  const capture = weakSelected(importBytes(readFixture(path.join(FIXTURES, 'stated-cipher/s_client-adh.pcap'))).text);
  assert.deepEqual(capture.map((f) => [f.severity, /selects TLS_DH_anon_WITH_AES_256_GCM_SHA384 \(0x00a7\), an anon suite/.test(f.message)]), [['warning', true]]);
});

test('s_client names it in its session block (no port in its output: an error, as on any port but 25)', () => {
  const text = read('stated-cipher/s_client-adh.txt');
  const found = weakSelected(text);
  assert.equal(found.length, 1);
  assert.equal(text.slice(found[0].span.start, found[0].span.end), 'ADH-AES256-GCM-SHA384');
  assert.match(text.slice(text.lastIndexOf('\n', found[0].span.start) + 1, found[0].span.end), /^\s+Cipher\s+: ADH-AES256-GCM-SHA384$/);
  assert.equal(found[0].severity, 'error');
  // A "Cipher    :" line not under the block's Protocol line is no statement.
  assert.deepEqual(weakSelected(text.replace(/^(\s+)Protocol(\s+): TLSv1\.2$/m, '$1Proto$2: TLSv1.2')), []);
});

test('strong suites and decoded ServerHellos: nothing stated is judged', () => {
  // The swaks session's postfix log: TLSv1.3 with TLS_AES_256_GCM_SHA384.
  const log = read('corpus/sessions/swaks-starttls/postfix.log');
  assert.deepEqual([...listStatedSelections(analyzeDocument(log).sessions)].map((s) => [s.stated, s.code]), [['TLS_AES_256_GCM_SHA384', 0x1302]]);
  assert.deepEqual(weakSelected(log), []);
  // curl --trace states its suite and shows the ServerHello: the bytes are judged.
  assert.deepEqual([...listStatedSelections(analyzeDocument(read('curl-trace/curl-trace-tls12.txt')).sessions)], []);
  assert.deepEqual([...listStatedOffers(analyzeDocument(read('curl-trace/curl-trace-tls12.txt')).sessions)], []);
});
