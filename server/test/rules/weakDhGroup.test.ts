/**
 * tls-weak-dh-group on real handshakes (server/test/fixtures/dh-groups/make-fixtures.sh: openssl s_server
 * with a 1024-bit group, with OpenSSL's own 2048-bit one, and with ECDHE; s_client with -msg, plain and
 * -brief; each -msg run captured, tshark's p_len the oracle; posttls-finger against the mail lab's smtpd with
 * the same kind of group).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { DEFAULT_SETTINGS } from '../../src/core/rules/types';
import { computeHover } from '../../src/core/features/hover';
import { assertDhGroupRuns, readDhRun } from '../helpers/dhGroupRuns';

const DIR = join(__dirname, '..', 'fixtures', 'dh-groups');

test('every run gives its finding: the 1024-bit group from the ServerKeyExchange bytes or s_client\'s words, nothing from 2048 bits or ECDHE', () => {
  assertDhGroupRuns(DIR);
});

test('-msg shows both the ServerKeyExchange and `Server Temp Key:`: one finding, on the bytes', () => {
  const text = readDhRun(DIR, 'dhe1024.msg.txt');
  assert.match(text, /Server Temp Key: DH, 1024 bits/);
  const findings = analyzeDocument(text).findings.filter((f) => f.rule === 'tls-weak-dh-group');
  assert.equal(findings.length, 1);
  assert.doesNotMatch(text.slice(findings[0].span.start, findings[0].span.end), /Server Temp Key/);
});

test('under the rfc3207 baseline the rule is off', () => {
  for (const file of ['dhe1024.msg.txt', 'dhe1024.plain.txt']) {
    const text = readDhRun(DIR, file);
    assert.deepEqual(analyzeDocument(text, { ...DEFAULT_SETTINGS, baseline: 'rfc3207' }).findings.filter((f) => f.rule === 'tls-weak-dh-group'), [], file);
  }
});

test('s_client\'s words sized at the floor pass, a small curve does not (crafted from the plain run\'s line)', () => {
  const text = readDhRun(DIR, 'dhe1024.plain.txt');
  const judge = (words: string): number => analyzeDocument(text.replace('DH, 1024 bits', words)).findings.filter((f) => f.rule === 'tls-weak-dh-group').length;
  assert.equal(judge('DH, 2048 bits'), 0);
  assert.equal(judge('DH, 2047 bits'), 1);
  assert.equal(judge('ECDH, secp160r1, 160 bits'), 1);
  assert.equal(judge('ECDH, prime256v1, 256 bits'), 0);
  assert.equal(judge('X25519, 253 bits'), 0);
});

test('hover: the dh_p bytes say what the prime is and what BCP 195 asks; s_client\'s words name the group and its size', () => {
  const msg = readDhRun(DIR, 'dhe1024.msg.txt');
  const analysis = analyzeDocument(msg);
  const f = analysis.findings.find((x) => x.rule === 'tls-weak-dh-group')!;
  const onBytes = computeHover(analysis, f.span.start + 1)!;
  assert.match(onBytes.markdown, /dh_p/);
  assert.match(onBytes.markdown, /The prime modulus of the finite-field Diffie-Hellman group the server chose/);
  const plain = readDhRun(DIR, 'dhe1024.plain.txt');
  const at = plain.indexOf('DH, 1024 bits');
  const onWords = computeHover(analyzeDocument(plain), at + 2)!;
  assert.match(onWords.markdown, /^\*\*Key exchange: DH, 1024 bits\*\*/);
  assert.match(onWords.markdown, /an ephemeral finite-field Diffie-Hellman key exchange/);
  assert.match(onWords.markdown, /\[RFC 7525 §4\.3\]/);
});

test('s_client -trace: the ServerKeyExchange it writes in words states the group (the prime\'s size, or the curve by its registry name)', () => {
  const groups = (file: string) =>
    analyzeDocument(readDhRun(DIR, file)).sessions.flatMap((s) =>
      s.session.events.flatMap((e) => (e.kind === 'stated' && e.keyExchange ? [[e.subject, e.keyExchange.name, e.keyExchange.bits, e.keyExchange.curve]] : [])),
    );
  // Then s_client's `Server Temp Key:` line states it again.
  assert.deepEqual(groups('dhe1024.trace.txt'), [
    ['handshake', 'DHE', 1024, null],
    ['key-exchange', 'DH', 1024, null],
  ]);
  assert.deepEqual(groups('ecdhe.trace.txt'), [
    ['handshake', 'x25519', null, 'x25519'],
    ['key-exchange', 'X25519', 253, null],
  ]);
});
