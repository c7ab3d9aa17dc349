/**
 * formats/postfixTlsFacts.ts (and curl -v's verify result, formats/curlVerbose.ts): Postfix's verdicts on a certificate's dates and the signing keys of its
 * `established` line, read from the lines of real runs (server/test/fixtures/mta-verdicts/make-fixtures.sh:
 * posttls-finger and postfix/smtp against the mail lab's servers with an expired, a not yet valid and a
 * 1024-bit-key certificate).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeVerdictSubject, parseCertificateVerdict, parseSigningKeys, statedVerdictEvent } from '../../src/core/formats/postfixTlsFacts';
import { parseCurlVerdict } from '../../src/core/formats/curlVerbose';

const DIR = join(__dirname, '..', 'fixtures', 'mta-verdicts');
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');

/** The message of the first line of `text` containing `needle`: the text, where it starts and where its line ends. */
function messageOf(text: string, needle: string, prefix: string): { start: number; end: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const start = text.indexOf(prefix, lineStart) + prefix.length;
  return { start, end: text.indexOf('\n', at) };
}

test('parseCertificateVerdict: posttls-finger and postfix/smtp say the server certificate has expired, or is not yet valid', () => {
  const finger = read('posttls-finger-expired.txt');
  const m = messageOf(finger, 'verification failed', 'posttls-finger: ');
  const v = parseCertificateVerdict(finger, m.start, m.end, 'posttls-finger');
  assert.ok(v);
  assert.equal(v.of, 'server');
  assert.equal(v.problem, 'expired');
  assert.equal(finger.slice(v.reasonSpan.start, v.reasonSpan.end), 'certificate has expired');

  const log = read('postfix-deliveries.log');
  const f = messageOf(log, 'certificate not yet valid', ']: ');
  const w = parseCertificateVerdict(log, f.start, f.end, 'Postfix');
  assert.deepEqual(w && { of: w.of, problem: w.problem, reason: log.slice(w.reasonSpan.start, w.reasonSpan.end) }, { of: 'server', problem: 'not-yet-valid', reason: 'certificate not yet valid' });
});

test('parseCertificateVerdict: CA and client verdicts; the name checks OpenSSL numbers; other failed checks, and lookalikes, are no verdict', () => {
  const at = (s: string) => parseCertificateVerdict(s, 0, s.length, 'Postfix');
  // Postfix's tls_verify.c words a CA certificate's failure with "CA" (depth above 0), smtpd's check of a client certificate with "client".
  assert.equal(at('CA certificate verification failed for mx.example.test[2001:db8::1]:25: certificate has expired')?.of, 'CA');
  assert.equal(at('client certificate verification failed for client.example.test[192.0.2.9]: certificate not yet valid\r')?.problem, 'not-yet-valid');
  // The same line as posttls-finger's default run against the lab's self-signed certificate (fixtures/posttls-finger/default.txt).
  assert.equal(at('certificate verification failed for 127.0.0.1[127.0.0.1]:25: self-signed certificate'), null);
  // A name check (posttls-finger-name-mismatch.txt): the name matched is the policy's, not in the line.
  const name = at('server certificate verification failed for 127.0.0.1[127.0.0.1]:25: num=62:hostname mismatch');
  assert.deepEqual(name && { problem: name.problem, reason: name.reason, expected: name.expectedName }, { problem: 'name-mismatch', reason: 'num=62:hostname mismatch', expected: undefined });
  assert.equal(at('server certificate verification failed for [2001:db8::1]:25: num=64:IP address mismatch')?.problem, 'name-mismatch');
  assert.equal(at('server certificate verification failed for 127.0.0.1[127.0.0.1]:25: num=20:unable to get local issuer certificate'), null);
  // The reason must follow the peer: the words alone, or inside a longer reason, are not the verdict.
  assert.equal(at('server certificate verification failed for : certificate has expired'), null);
  assert.equal(at('server certificate verification failed for x[1]:25: the certificate has expired'), null);
  assert.equal(at('server certificate verification succeeded for x[1]:25: certificate has expired'), null);
});

test('parseSigningKeys: the server-signature of an established line, sized in bits or by its curve', () => {
  const finger = read('posttls-finger-weak.txt');
  const m = messageOf(finger, 'TLS connection established', 'posttls-finger: ');
  const keys = parseSigningKeys(finger, m.start, m.end);
  assert.deepEqual(
    keys.map((k) => ({ side: k.side, algorithm: k.algorithm, bits: k.bits, curve: k.curve, words: finger.slice(k.span.start, k.span.end) })),
    [{ side: 'server', algorithm: 'RSA-PSS', bits: 1024, curve: null, words: 'RSA-PSS (1024 bits)' }],
  );
  // Postfix's tls_misc.c: a curve instead of bits for EC keys, a client-signature after a client certificate, a name alone for EdDSA.
  const line = 'established from x[192.0.2.1]: TLSv1.2 with cipher ECDHE-ECDSA-AES256-GCM-SHA384 (256/256 bits) key-exchange X25519 server-signature ECDSA (prime256v1) server-digest SHA256 client-signature ED25519';
  assert.deepEqual(
    parseSigningKeys(line, 0, line.length).map((k) => [k.side, k.algorithm, k.bits, k.curve]),
    [
      ['server', 'ECDSA', null, 'prime256v1'],
      ['client', 'ED25519', null, null],
    ],
  );
  assert.deepEqual(parseSigningKeys('established to x[1]:25: TLSv1.2 with cipher AES256-SHA (256/256 bits)', 0, 70), []);
  // Only within the bounds given: a signature on the next line is not this line's.
  const two = 'TLSv1.3 with cipher X\nserver-signature RSA (1024 bits)';
  assert.deepEqual(parseSigningKeys(two, 0, two.indexOf('\n')), []);
});

test('statedVerdictEvent: the certificate is the peer of the program that verified it, the reason its value span', () => {
  const line = 'server certificate verification failed for x[1]:25: certificate has expired';
  const v = parseCertificateVerdict(line, 0, line.length, 'posttls-finger');
  assert.ok(v);
  const byClient = statedVerdictEvent(3, { start: 0, end: line.length }, 'server ...', v, true);
  assert.equal(byClient.subject, 'certificate-verdict');
  assert.equal(byClient.direction, 'server');
  assert.deepEqual(byClient.valueSpans, { reason: v.reasonSpan });
  assert.equal(statedVerdictEvent(3, { start: 0, end: line.length }, 'client ...', v, false).direction, 'client');
});

test('parseCurlVerdict: OpenSSL\'s verify result of the chain as curl states it, with -k and without; other results are none', () => {
  const at = (info: string) => {
    const v = parseCurlVerdict(info, 0, info.length);
    return v && [v.tool, v.of, v.problem, info.slice(v.reasonSpan.start, v.reasonSpan.end)];
  };
  // curl -v's info lines after `* ` (two spaces inside the certificate block), as the mta-verdicts runs print them.
  assert.deepEqual(at(' SSL certificate verify result: certificate has expired (10), continuing anyway.'), ['curl', 'chain', 'expired', 'certificate has expired']);
  assert.deepEqual(at(' SSL certificate verify result: certificate is not yet valid (9), continuing anyway.'), ['curl', 'chain', 'not-yet-valid', 'certificate is not yet valid']);
  assert.deepEqual(at('SSL certificate problem: certificate has expired'), ['curl', 'chain', 'expired', 'certificate has expired']);
  assert.equal(at(' SSL certificate verify result: self-signed certificate (18), continuing anyway.'), null);
  assert.equal(at('SSL certificate problem: certificate has expired-ish'), null);
});

test('describeVerdictSubject: the certificate a verdict is about, in the chain of the side it names', () => {
  const v = (of: 'server' | 'client' | 'CA' | 'chain') => ({ tool: 'Postfix' as const, of, problem: 'expired' as const, reason: 'certificate has expired', reasonSpan: { start: 0, end: 1 } });
  assert.equal(describeVerdictSubject(v('server'), 'server'), "the server's certificate");
  assert.equal(describeVerdictSubject(v('client'), 'client'), "the client's certificate");
  assert.equal(describeVerdictSubject(v('CA'), 'server'), "a CA certificate of the server's chain");
  assert.equal(describeVerdictSubject(v('chain'), 'server'), "a certificate of the server's chain");
  assert.equal(describeVerdictSubject(v('CA'), null), "a CA certificate of the peer's chain");
});
