/**
 * The founding rules on real samples (crafted hellos sent to a real Postfix
 * after a real STARTTLS, see samples/README.md) and on near misses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import type { Finding } from '../../src/core/rules/types';
import { locateClientHexByte, readSample } from '../helpers/samples';

function findings(name: string, baseline: 'current' | 'rfc3207' = 'current', rule?: string): { text: string; list: Finding[] } {
  const text = readSample(name);
  const a = analyzeDocument(text, { baseline });
  return { text, list: a.findings.filter((f) => !rule || f.rule === rule) };
}

function startOf(text: string, f: Finding): { line: number; character: number } {
  const before = text.slice(0, f.span.start).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

const RULE = 'tls-hello-version-below-3.1';

test('SSLv2-compatible hello offering SSL 2.0: error at the version bytes', () => {
  const { text, list } = findings('sslv2-hello-ssl2.transcript', 'current', RULE);
  assert.equal(list.length, 1);
  assert.equal(list[0].severity, 'error');
  // SSLv2 record: 80 LL | msg_type 01 | version 00 02 → version is bytes 3..4 of the client stream.
  assert.deepEqual(startOf(text, list[0]), locateClientHexByte(text, 3));
  assert.equal(text.slice(list[0].span.start, list[0].span.end), '00 02');
  assert.match(list[0].message, /SSL 2\.0 \(0x0002\)/);
  assert.match(list[0].message, /after STARTTLS/);
  assert.match(list[0].message, /RFC 6176/);
  assert.ok(list[0].related && list[0].related.length === 2, 'STARTTLS command and reply are related locations');
  assert.equal(text.slice(list[0].related[0].span.start, list[0].related[0].span.end), 'STARTTLS');
});

test('SSLv2-compatible hello offering SSL 3.0: error, and no sslv2-compat warning (the version rule covers it)', () => {
  const { text, list } = findings('sslv2-hello-ssl3.transcript');
  const v = list.filter((f) => f.rule === RULE);
  assert.equal(v.length, 1);
  assert.equal(text.slice(v[0].span.start, v[0].span.end), '03 00');
  assert.match(v[0].message, /SSL 3\.0 \(0x0300\)/);
  assert.equal(list.filter((f) => f.rule === 'tls-sslv2-compat-hello').length, 0);
});

test('SSL 3.0-format hello: error at client_version, not at the record version', () => {
  const { text, list } = findings('ssl3-hello.transcript', 'current', RULE);
  assert.equal(list.length, 1);
  // 16 03 00 LL LL | 01 LL LL LL | client_version at bytes 9..10.
  assert.deepEqual(startOf(text, list[0]), locateClientHexByte(text, 9));
  assert.match(list[0].message, /client_version/);
  assert.match(list[0].message, /RFC 7568 §3/);
});

test('SSL 3.0 resumption attempt: error under current, information under rfc3207', () => {
  const current = findings('ssl3-hello-resumption.transcript', 'current', RULE).list;
  assert.equal(current.length, 1);
  assert.equal(current[0].severity, 'error');
  assert.match(current[0].message, /resumption included/);
  const old = findings('ssl3-hello-resumption.transcript', 'rfc3207', RULE).list;
  assert.equal(old.length, 1);
  assert.equal(old[0].severity, 'information');
  assert.match(old[0].message, /resume an SSL session/);
  assert.match(old[0].message, /last-call proposal \(2001\)/);
  assert.doesNotMatch(old[0].message, /RFC/);
});

test('SSL 3.0 hello without a session id stays an error under rfc3207', () => {
  const list = findings('ssl3-hello.transcript', 'rfc3207', RULE).list;
  assert.equal(list.length, 1);
  assert.equal(list[0].severity, 'error');
});

test('near miss: SSLv2-compatible hello offering TLS 1.0 is not below 3.1, but is an SSLv2-format warning', () => {
  const { text, list } = findings('sslv2-hello-tls10.transcript');
  assert.equal(list.filter((f) => f.rule === RULE).length, 0);
  const compat = list.filter((f) => f.rule === 'tls-sslv2-compat-hello');
  assert.equal(compat.length, 1);
  assert.equal(compat[0].severity, 'warning');
  assert.match(text.slice(compat[0].span.start, compat[0].span.end), /^80 [0-9a-f]{2}$/);
  const old = findings('sslv2-hello-tls10.transcript', 'rfc3207', 'tls-sslv2-compat-hello').list;
  assert.equal(old.length, 1);
  assert.equal(old[0].severity, 'information');
});

test('near miss: record version 3.0 carrying a TLS 1.2 hello is legal', () => {
  const { list } = findings('tls12-record-ssl3-legal.transcript');
  assert.equal(list.filter((f) => f.rule === RULE || f.rule === 'tls-sslv2-compat-hello').length, 0);
});

test('the same hello judged identically when pasted alone as an xxd dump (no STARTTLS context)', () => {
  const text = readSample('ssl3-hello.transcript');
  const hex = text
    .split('\n')
    .filter((l) => l.startsWith('C: ') && /^C: [0-9a-f]{2}( |$)/.test(l))
    .map((l) => l.slice(3).replace(/ /g, ''))
    .join('');
  const a = analyzeDocument(`pasted from a capture:\n${hex}\n`);
  const f = a.findings.filter((x) => x.rule === RULE);
  assert.equal(f.length, 1);
  assert.doesNotMatch(f[0].message, /after STARTTLS/);
});

test('a hello cut before its version field (the end of a dump or of the text) is not judged on the version it does not show', () => {
  const head = 'S: 220 mx.example.test ESMTP\nC: EHLO c\nS: 250-mx.example.test\nS: 250 STARTTLS\nC: STARTTLS\nS: 220 2.0.0 Ready\n';
  // SSLv2 record header 80 3b, msg_type 01 (CLIENT-HELLO), then only the first byte (03) of the version:
  // what a postfix level-3 log cut between a header read and its `<SPACES/NULLS>` line shows.
  // TLS: record header 16 03 01 00 30, handshake header 01 00 00 2c, then nothing of client_version.
  for (const bytes of ['80 3b 01 03', '16 03 01 00 30 01 00 00 2c']) {
    const a = analyzeDocument(`${head}C: ${bytes}\n`);
    assert.deepEqual(a.findings.filter((f) => f.rule === RULE), [], bytes);
    assert.equal(a.findings.filter((f) => f.rule === 'tls-truncated').length, 1, bytes);
  }
  // One more byte and the version is there: SSL 3.0 (03 00) is judged.
  const a = analyzeDocument(`${head}C: 80 3b 01 03 00\n`);
  assert.equal(a.findings.filter((f) => f.rule === RULE).length, 1);
});
