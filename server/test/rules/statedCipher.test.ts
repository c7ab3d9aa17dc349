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
import { listStatedCiphers } from '../../src/core/rules/sites';
import { cipherSuiteByName } from '../../src/core/tls/registry/cipherNames';
import { OPENSSL_CIPHER_NAMES } from '../../src/core/tls/registry/opensslCipherNames';
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
  for (const name of ['GNUTLS_ECDHE_RSA_AES_256_GCM_SHA384', 'RC4-SHA', 'TLS_NOT_A_SUITE', '', 'constructor']) assert.equal(cipherSuiteByName(name), undefined, name);
  assert.ok(OPENSSL_CIPHER_NAMES.length >= 100);
  for (const [openssl, code, iana] of OPENSSL_CIPHER_NAMES) {
    assert.equal(lookupCipherSuite(code).name, iana, openssl);
    assert.equal(cipherSuiteCodeOf(iana), code, iana);
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
  assert.deepEqual([...listStatedCiphers(analyzeDocument(log).sessions)].map((s) => s.cipherName), ['TLS_AES_256_GCM_SHA384']);
  assert.deepEqual(weakSelected(log), []);
  // curl --trace states its suite and shows the ServerHello: the bytes are judged.
  assert.deepEqual([...listStatedCiphers(analyzeDocument(read('curl-trace/curl-trace-tls12.txt')).sessions)], []);
});
