/**
 * Versions and negotiations as tools write them in words (formats/statedFacts.ts). The texts are
 * the tools' own: swaks and postfix ("TLSv1.2"), s_client ("TLSv1", "SSLv3"), GnuTLS, msmtp and
 * Exim ("TLS1.3", "(SSL3.0)"), gnutls-cli -d's wire form ("3.3"), openssl -trace's hex ("0x303").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDottedVersion, parseHexValue, parseTlsVersionName, spanAt, statedNegotiation } from '../../src/core/formats/statedFacts';

test('parseTlsVersionName: the names tools print, to wire values; anything else undefined', () => {
  const cases: [string, number][] = [
    ['TLSv1.3', 0x0304], ['TLSv1.2', 0x0303], ['TLSv1', 0x0301], ['TLS 1.1', 0x0302], ['TLS1.3', 0x0304],
    ['SSLv3', 0x0300], ['SSL 3.0', 0x0300], ['SSL3.0', 0x0300], ['SSLv2', 0x0002], [' tlsv1.2 ', 0x0303],
  ];
  for (const [name, value] of cases) assert.equal(parseTlsVersionName(name), value, name);
  for (const name of ['TLSv1.4', 'TLSv2', 'SSLv4', 'HTTP/1.1', '', 'TLS', 'QUIC']) assert.equal(parseTlsVersionName(name), undefined, name);
});

test('parseDottedVersion and parseHexValue: gnutls-cli\'s "3.3" and openssl -trace\'s "0x303"', () => {
  assert.equal(parseDottedVersion('3.3'), 0x0303);
  assert.equal(parseDottedVersion('3.0'), 0x0300);
  for (const t of ['3', '3.3.3', '256.1', 'a.b']) assert.equal(parseDottedVersion(t), undefined, t);
  assert.equal(parseHexValue('0x303'), 0x0303);
  assert.equal(parseHexValue('0x0304'), 0x0304);
  for (const t of ['303', '0x', '0x12345', '0xZZ']) assert.equal(parseHexValue(t), undefined, t);
});

test('statedNegotiation: the facts given, each with the span of its text; a text that is no value keeps only its span', () => {
  // postfix: "... established from localhost[127.0.0.1]: TLSv1.2 with cipher ADH-AES256-GCM-SHA384 ..."
  const e = statedNegotiation(57, { start: 100, end: 200 }, 'Anonymous TLS connection established', {
    version: { value: 0x0303, span: spanAt(150, 7) },
    cipherName: { value: 'ADH-AES256-GCM-SHA384', span: spanAt(163, 21) },
  });
  assert.deepEqual(e, {
    kind: 'stated', line: 57, direction: null, statedByTool: true, subject: 'negotiated', span: { start: 100, end: 200 },
    text: 'Anonymous TLS connection established', version: 0x0303, cipherName: 'ADH-AES256-GCM-SHA384',
    valueSpans: { version: { start: 150, end: 157 }, cipherName: { start: 163, end: 184 } },
  });
  // GnuTLS's "(TLS1.9-X.509)-...": a version name no version has; the algorithms, and the server's side.
  const d = statedNegotiation(3, { start: 0, end: 50 }, 'd', { version: { value: undefined, span: spanAt(16, 6) }, cipherAlgorithms: { value: '(RSA)-(ARCFOUR-128)-(SHA1)', span: spanAt(30, 26) } }, 'server');
  assert.equal(d.version, undefined);
  assert.equal('version' in d, false);
  assert.equal(d.direction, 'server');
  assert.equal(d.cipherAlgorithms, '(RSA)-(ARCFOUR-128)-(SHA1)');
  assert.deepEqual(d.valueSpans, { version: { start: 16, end: 22 }, cipherAlgorithms: { start: 30, end: 56 } });
  assert.deepEqual(spanAt(5, 0), { start: 5, end: 5 });
});
