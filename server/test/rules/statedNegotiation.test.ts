/**
 * tls-deprecated-version and tls-server-version-ssl3 on the version a tool states was negotiated
 * (msmtp, swaks, gnutls-cli, curl -v, postfix and Exim logs), where no ServerHello was decoded:
 * a real msmtp run negotiating TLS 1.1 on port 465 (server/test/fixtures/msmtp/README.md, with its capture as
 * the oracle), and real logs edited where noted, the edit documented at each test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { listServerHellos, listStatedNegotiations, listStatedSelections } from '../../src/core/rules/sites';
import { importBytes, readFixture } from '../capture/helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const read = (rel: string): string => readFileSync(path.join(FIXTURES, rel), 'utf8');
const deprecated = (text: string) => analyzeDocument(text).findings.filter((f) => f.rule === 'tls-deprecated-version');

test('msmtp states TLS 1.1 (implicit TLS on the submission port 465): an error on "TLS1.1"; its capture\'s ServerHello says the same', () => {
  const text = read('msmtp/msmtp-implicit-tls11.txt');
  const found = deprecated(text);
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 'error');
  assert.equal(text.slice(found[0].span.start, found[0].span.end), 'TLS1.1');
  assert.match(found[0].message, /^The log states that TLS 1\.1 \(0x0302\) was negotiated; RFC 8996/);
  const capture = analyzeDocument(importBytes(readFixture(path.join(FIXTURES, 'msmtp/msmtp-implicit-tls11.pcap'))).text);
  assert.ok(capture.findings.some((f) => f.rule === 'tls-deprecated-version' && f.message.startsWith('The server negotiates TLS 1.1 (0x0302)')));
});

test('on port 25 the stated TLS 1.1 is a warning (the same run, its configured port edited to 25)', () => {
  const text = read('msmtp/msmtp-implicit-tls11.txt').replace(/^port = 465$/m, 'port = 25');
  assert.notEqual(text, read('msmtp/msmtp-implicit-tls11.txt'));
  assert.deepEqual(deprecated(text).map((f) => f.severity), ['warning']);
});

test('a postfix log stating TLSv1 (the swaks session\'s real log, its TLSv1.3 line edited to TLSv1 with an ECDHE-RSA-AES256-SHA cipher)', () => {
  const real = read('corpus/sessions/swaks-starttls/postfix.log');
  assert.deepEqual(deprecated(real), []);
  const text = real.replace('TLSv1.3 with cipher TLS_AES_256_GCM_SHA384', 'TLSv1 with cipher ECDHE-RSA-AES256-SHA');
  assert.notEqual(text, real);
  const found = deprecated(text);
  assert.equal(found.length, 1);
  assert.equal(text.slice(found[0].span.start, found[0].span.end), 'TLSv1');
  assert.match(found[0].message, /TLS 1\.0 \(0x0301\)/);
});

test('swaks stating SSLv3 is tls-server-version-ssl3 (a swaks transcript\'s TLS line edited)', () => {
  const text = [
    '=== Trying 127.0.0.1:25...',
    '<-  220 mx.example.test ESMTP',
    ' -> EHLO client.example.test',
    '<-  250-mx.example.test',
    '<-  250 STARTTLS',
    ' -> STARTTLS',
    '<-  220 2.0.0 Ready to start TLS',
    '=== TLS started with cipher SSLv3:AES256-SHA:256',
    ' ~> EHLO client.example.test',
    '<~  250 mx.example.test',
    ' ~> QUIT',
    '<~  221 2.0.0 Bye',
    '',
  ].join('\n');
  const found = analyzeDocument(text).findings.filter((f) => f.rule === 'tls-server-version-ssl3');
  assert.equal(found.length, 1);
  assert.equal(text.slice(found[0].span.start, found[0].span.end), 'SSLv3');
  assert.deepEqual(analyzeDocument(text.replace('SSLv3', 'TLSv1.2')).findings.filter((f) => f.rule === 'tls-server-version-ssl3'), []);
});

test('where the ServerHello is decoded its bytes are judged, not the statement: curl --trace states and shows TLS 1.2', () => {
  const text = read('curl-trace/curl-trace-tls12.txt');
  const a = analyzeDocument(text);
  assert.ok(a.sessions.some((s) => s.session.events.some((e) => e.kind === 'stated' && e.subject === 'negotiated')));
  assert.deepEqual([...listStatedNegotiations(a.sessions)], []);
  // A TLS 1.3 statement is no finding.
  assert.deepEqual(deprecated(read('msmtp/msmtp-starttls.txt')), []);
  assert.deepEqual([...listStatedNegotiations(analyzeDocument(read('msmtp/msmtp-starttls.txt')).sessions)].map((s) => s.version), [0x0304]);
});

test('openssl s_client -brief (no session block): "Protocol version:" and "Ciphersuite:" after CONNECTION ESTABLISHED are the version and suite its capture\'s ServerHello selects', () => {
  for (const [name, version, suite, findings] of [
    ['s_client-brief-tls10', 0x0301, 0xc014, ['tls-deprecated-version']],
    ['s_client-brief-starttls', 0x0304, 0x1302, []],
  ] as const) {
    const text = read(`openssl-plain/${name}.txt`);
    const analysis = analyzeDocument(text);
    assert.deepEqual(analysis.findings.map((f) => f.rule), findings, name);
    assert.deepEqual([...listStatedNegotiations(analysis.sessions)].map((x) => [x.version, text.slice(x.span.start, x.span.end)]), [[version, /^Protocol version: (\S+)$/m.exec(text)![1]]], name);
    assert.deepEqual([...listStatedSelections(analysis.sessions)].map((x) => x.code), [suite], name);
    // The capture of the same run (tshark: tls.handshake.version / supported_version, tls.handshake.ciphersuite; README).
    const hello = [...listServerHellos(analyzeDocument(importBytes(readFixture(path.join(FIXTURES, `openssl-plain/${name}.pcap`))).text).sessions)].map((h) => h.message);
    assert.deepEqual(hello.map((m) => [m.selectedVersion ?? m.version, m.cipherSuite]), [[version, suite]], name);
  }
  // The same lines without CONNECTION ESTABLISHED above them state nothing.
  const moved = read('openssl-plain/s_client-brief-tls10.txt').replace('CONNECTION ESTABLISHED\n', '');
  assert.deepEqual([...listStatedNegotiations(analyzeDocument(moved).sessions)], []);
});

test('plain openssl s_client (no -msg): the session block\'s "Protocol  : TLSv1.1" is judged, not the "New, TLSv1.0" cipher line; the capture agrees', () => {
  const text = read('openssl-plain/s_client-plain-tls11.txt');
  assert.match(text, /^New, TLSv1\.0, Cipher is ECDHE-RSA-AES256-SHA$/m);
  const found = deprecated(text);
  assert.equal(found.length, 1);
  assert.equal(text.slice(found[0].span.start, found[0].span.end), 'TLSv1.1');
  assert.match(text.slice(text.lastIndexOf('\n', found[0].span.start) + 1, found[0].span.end), /^\s+Protocol\s+: TLSv1\.1$/);
  const capture = analyzeDocument(importBytes(readFixture(path.join(FIXTURES, 'openssl-plain/s_client-plain-tls11.pcap'))).text);
  assert.ok(capture.findings.some((f) => f.rule === 'tls-deprecated-version' && f.message.startsWith('The server negotiates TLS 1.1 (0x0302)')));
  // TLS 1.3 over STARTTLS: stated once, no finding.
  const tls13 = read('openssl-plain/s_client-plain-starttls.txt');
  assert.deepEqual([...listStatedNegotiations(analyzeDocument(tls13).sessions)].map((x) => x.version), [0x0304]);
  assert.deepEqual(analyzeDocument(tls13).findings, []);
  // A "Protocol  :" line outside a session block is no statement.
  assert.deepEqual(deprecated(text.replace('SSL-Session:', 'Session:')), []);
});
