/**
 * formats/keyExchangeFacts.ts and tls/keyExchange.ts's bitLength: the key exchange's group as Postfix and
 * s_client state it, and the size of a ServerKeyExchange's dh_p. The lines are the forms of Postfix's
 * tls_misc.c (`key-exchange %s`, ` (%s)` for a curve, ` (%d bits)`) and s_client's `Server Temp Key:`
 * (crafted here; the real runs are in server/test/fixtures/dh-groups and read by rules/weakDhGroup.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGnutlsKeyExchange, parsePostfixKeyExchange, parseServerTempKey, primeBits, statedKeyExchangeEvent } from '../../src/core/formats/keyExchangeFacts';
import { describedAlgorithms, statedNegotiation } from '../../src/core/formats/statedFacts';
import { bitLength } from '../../src/core/tls/keyExchange';
import { ByteCursor } from '../../src/core/tls/byteCursor';

const words = (text: string, k: { span: { start: number; end: number } } | null): string | null => (k ? text.slice(k.span.start, k.span.end) : null);

test('parsePostfixKeyExchange: DHE with its bits, ECDHE with its curve, a group by name; none before the bounds\' end', () => {
  const dhe = 'Anonymous TLS connection established from x[192.0.2.1]: TLSv1.2 with cipher DHE-RSA-AES256-GCM-SHA384 (256/256 bits) key-exchange DHE (1024 bits) server-signature RSA (2048 bits) server-digest SHA256';
  const k = parsePostfixKeyExchange(dhe, 0, dhe.length);
  assert.deepEqual(k && { name: k.name, finiteField: k.finiteField, bits: k.bits, curve: k.curve }, { name: 'DHE', finiteField: true, bits: 1024, curve: null });
  assert.equal(words(dhe, k), 'DHE (1024 bits)');
  const ec = '... with cipher ECDHE-RSA-AES128-GCM-SHA256 (128/128 bits) key-exchange ECDHE (prime256v1) server-signature RSA';
  const e = parsePostfixKeyExchange(ec, 0, ec.length);
  assert.deepEqual(e && [e.name, e.finiteField, e.bits, e.curve, words(ec, e)], ['ECDHE', false, null, 'prime256v1', 'ECDHE (prime256v1)']);
  const x = '... TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits)';
  const g = parsePostfixKeyExchange(x, 0, x.length);
  assert.deepEqual(g && [g.name, g.finiteField, g.bits, g.curve, words(x, g)], ['X25519', false, null, null, 'X25519']);
  assert.equal(parsePostfixKeyExchange('... with cipher AES256-SHA (256/256 bits)', 0, 40), null);
  assert.equal(parsePostfixKeyExchange(dhe, 0, dhe.indexOf(' key-exchange')), null);
  assert.equal(parsePostfixKeyExchange('x key-exchange ffdhe2048', 0, 24)?.finiteField, true);
});

test('parseServerTempKey: s_client\'s three forms; other lines are none', () => {
  const at = (line: string) => {
    const k = parseServerTempKey(line, 0, line.length);
    return k && [k.name, k.finiteField, k.bits, k.curve, words(line, k)];
  };
  assert.deepEqual(at('Server Temp Key: DH, 1024 bits'), ['DH', true, 1024, null, 'DH, 1024 bits']);
  assert.deepEqual(at('Server Temp Key: ECDH, prime256v1, 256 bits\r'), ['ECDH', false, 256, 'prime256v1', 'ECDH, prime256v1, 256 bits']);
  assert.deepEqual(at('Server Temp Key: X25519, 253 bits'), ['X25519', false, 253, null, 'X25519, 253 bits']);
  assert.equal(at('Server Temp Key: DH'), null);
  assert.equal(at('Peer Temp Key: DH, 1024 bits'), null);
  assert.equal(at('Server Temp Key: DH, 1024 bits and more'), null);
});

test('statedKeyExchangeEvent: a key-exchange statement of the server, its words the value span', () => {
  const line = 'Server Temp Key: DH, 1024 bits';
  const k = parseServerTempKey(line, 0, line.length)!;
  const e = statedKeyExchangeEvent(7, { start: 0, end: line.length }, line, k);
  assert.deepEqual([e.subject, e.direction, e.line, e.keyExchange === k], ['key-exchange', 'server', 7, true]);
  assert.deepEqual(e.valueSpans, { keyExchange: k.span });
});

test('bitLength: leading zero bits and bytes are not counted; a cut number counts as declared', () => {
  const at = (bytes: number[], length = bytes.length, available = bytes.length) => bitLength(ByteCursor.over(Uint8Array.from(bytes), 0, length, { available }), length);
  assert.equal(at([0x80, 0, 0]), 24);
  assert.equal(at([0x7f, 0xff]), 15);
  assert.equal(at([0x00, 0x01, 0x00]), 9);
  assert.equal(at([0x00, 0x00]), 0);
  // Present bytes all zero, the rest cut: the declared size.
  assert.equal(at([0x00], 128, 1), 1024);
  assert.equal(at([0xff], 128, 1), 1024);
});

test('parseGnutlsKeyExchange: GnuTLS\'s first group, a group of the server\'s own with its bits, RFC 7919\'s, a curve; none for RSA key transport', () => {
  const at = (algorithms: string) => {
    const k = parseGnutlsKeyExchange(algorithms, 100);
    return k && [k.name, k.finiteField, k.bits, k.curve, k.span.start, k.span.end];
  };
  // As gnutls-cli printed them against the dh-groups lab (`- Description: (TLS1.2-X.509)-(...)`), and GnuTLS's RFC 7919 names.
  assert.deepEqual(at('(DHE-CUSTOM1024)-(RSA-SHA256)-(AES-256-GCM)'), ['DHE-CUSTOM1024', true, 1024, null, 101, 115]);
  assert.deepEqual(at('(DHE-FFDHE2048)-(RSA-SHA256)-(AES-256-GCM)'), ['DHE-FFDHE2048', true, 2048, null, 101, 114]);
  assert.deepEqual(at('(ECDHE-SECP256R1)-(RSA-SHA256)-(AES-256-GCM)'), ['ECDHE-SECP256R1', false, null, 'secp256r1', 101, 116]);
  assert.equal(at('(RSA)-(ARCFOUR-128)-(SHA1)'), null);
  assert.equal(at('(RSA-PSS-RSAE-SHA256)-(AES-256-GCM)'), null);
});

test('statedNegotiation: a GnuTLS description states the key exchange too, its words hovered before the description\'s', () => {
  const line = '- Description: (TLS1.2-X.509)-(DHE-CUSTOM1024)-(RSA-SHA256)-(AES-256-GCM)';
  const alg = describedAlgorithms(line, line.indexOf('('))!;
  const e = statedNegotiation(0, { start: 0, end: line.length }, line, { cipherAlgorithms: { value: alg.value, span: { start: alg.start, end: line.length } } });
  assert.equal(e.keyExchange?.bits, 1024);
  assert.equal(line.slice(e.keyExchange!.span.start, e.keyExchange!.span.end), 'DHE-CUSTOM1024');
  assert.deepEqual(Object.keys(e.valueSpans ?? {}), ['keyExchange', 'cipherAlgorithms']);
});

test('primeBits: a prime\'s declared size less its first byte\'s leading zero bits; the declared size without a first byte', () => {
  assert.equal(primeBits(128, 0xb5), 1024);
  assert.equal(primeBits(128, 0x7f), 1023);
  assert.equal(primeBits(128, 0x01), 1017);
  assert.equal(primeBits(128, null), 1024);
  assert.equal(primeBits(128, 0), 1024);
});
