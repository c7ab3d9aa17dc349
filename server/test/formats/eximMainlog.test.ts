/**
 * Exim's main log: each message received or delivered over TLS states its version and cipher
 * (`X=`). Fixture: server/test/fixtures/exim-mainlog (a real run; the clients' own outputs of the
 * same sessions are the oracle). The OpenSSL-built and older GnuTLS forms of `X=` are crafted from
 * the real RC4 line, as Exim's documentation of the field gives them (protocol:cipher:bits).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { checkInChunks } from '../../src/core/analysis/chunkedCheck';
import { DEFAULT_SETTINGS } from '../../src/core/rules/types';
import { eximAlgorithmsToGnutls } from '../../src/core/formats/eximMainlog';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { describedAlgorithms, parseTlsVersionName } from '../../src/core/formats/statedFacts';
import type { StatedEvent } from '../../src/core/model/transcript';

const DIR = path.join(__dirname, '..', 'fixtures', 'exim-mainlog');
const read = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');
const MAINLOG = read('mainlog');

function stated(text: string): StatedEvent[] {
  return readTranscript(text).sessions.map((s) => {
    assert.equal(s.events.length, 1);
    return s.events[0] as StatedEvent;
  });
}

test('exim main log: one session per message over TLS, with the version and the algorithms the clients state for the same sessions', () => {
  const t = readTranscript(MAINLOG);
  assert.equal(t.format, 'exim-mainlog');
  const events = stated(MAINLOG);
  assert.deepEqual(events.map((e) => [e.line + 1, e.version, e.cipherAlgorithms]), [
    [2, 0x0304, '(ECDHE-X25519)-(RSA-PSS-RSAE-SHA256)-(AES-256-GCM)'],
    [11, 0x0303, '(RSA)-(ARCFOUR-128)-(SHA1)'],
    [19, 0x0301, '(ECDHE-X25519)-(RSA-SHA1)-(AES-256-CBC)-(SHA1)'],
    [25, 0x0304, '(ECDHE-SECP256R1)-(RSA-PSS-RSAE-SHA256)-(AES-256-GCM)'],
  ]);
  // The clients of the same sessions: swaks's TLS 1.3, gnutls-cli's description, s_client's TLS 1.0.
  const swaks = /=== TLS started with cipher (TLSv[0-9.]+):/.exec(read('swaks-tls13.txt'))!;
  assert.equal(parseTlsVersionName(swaks[1]), events[0].version);
  const gnutls = read('gnutls-cli-rc4.txt').split('\n').find((l) => l.startsWith('- Description: '))!;
  assert.equal(describedAlgorithms(gnutls, gnutls.indexOf('('))!.value, events[1].cipherAlgorithms);
  const sclient = /^ {4}Protocol {2}: (TLSv[0-9.]+)$/m.exec(read('s_client-tls10.txt'))!;
  assert.equal(parseTlsVersionName(sclient[1]), events[2].version);
  // Clear text (P=esmtp, line 6), local submissions (U=root) and the failed connections are no session.
  assert.ok(!events.some((e) => [6, 10, 15, 17, 24].includes(e.line + 1)));
});

test('exim main log: RC4 and TLS 1.0 are judged on the words that state them; TLS 1.3 passes; the clients\' outputs of the same sessions agree', () => {
  const found = analyzeDocument(MAINLOG).findings.map((f) => [f.rule, f.severity, MAINLOG.slice(f.span.start, f.span.end)]);
  assert.deepEqual(found, [
    ['tls-weak-cipher-selected', 'error', 'RSA__ARCFOUR_128__SHA1'],
    ['tls-deprecated-version', 'warning', 'TLS1.0'],
  ]);
  const rulesOf = (name: string) => analyzeDocument(read(name)).findings.map((f) => f.rule);
  assert.deepEqual(rulesOf('swaks-tls13.txt'), []);
  assert.deepEqual(rulesOf('gnutls-cli-rc4.txt'), ['tls-weak-cipher-selected']);
  assert.deepEqual(rulesOf('s_client-tls10.txt'), ['tls-deprecated-version']);
});

test('exim main log: the OpenSSL build\'s and older GnuTLS releases\' X= name the suite; a delivery\'s logged port is the server\'s', () => {
  const rc4Line = MAINLOG.split('\n')[10];
  const openssl = rc4Line.replace('X=TLS1.2:RSA__ARCFOUR_128__SHA1:128', 'X=TLSv1.2:RC4-SHA:128');
  const gnutlsOld = rc4Line.replace('X=TLS1.2:RSA__ARCFOUR_128__SHA1:128', 'X=TLS1.2:RSA_ARCFOUR_128_SHA1:128');
  for (const [line, name] of [[openssl, 'RC4-SHA'], [gnutlsOld, 'RSA_ARCFOUR_128_SHA1']]) {
    const [e] = stated(line);
    assert.equal(e.cipherName, name);
    assert.equal(e.version, 0x0303);
    const f = analyzeDocument(line).findings;
    assert.deepEqual(f.map((x) => [x.rule, line.slice(x.span.start, x.span.end)]), [['tls-weak-cipher-selected', name]]);
  }
  const delivery = MAINLOG.split('\n')[24];
  assert.equal(readTranscript(delivery).sessions[0].port, null);
  assert.equal(readTranscript(delivery.replace('[127.0.0.1] X=', '[127.0.0.1]:465 X=')).sessions[0].port, 465);
  // An arrival's logged port (+incoming_port) is the client's: no server port.
  assert.equal(readTranscript(rc4Line).sessions[0].port, null);
  // Near misses: no X=, no H= (a local submission), not a log line.
  for (const near of [
    MAINLOG.split('\n')[5],
    '2026-11-29 19:32:44 1xXkdg-0000RK-36 <= bob@example.test U=root P=local X=TLS1.2:RC4-SHA:128 S=340',
    rc4Line.slice(20),
  ]) {
    assert.deepEqual(readTranscript(near).sessions.filter((s) => s.events.some((e) => e.kind === 'stated')), [], near);
  }
});

test('eximAlgorithmsToGnutls: Exim\'s __-joined algorithms as GnuTLS describes them', () => {
  assert.equal(eximAlgorithmsToGnutls('RSA__ARCFOUR_128__SHA1'), '(RSA)-(ARCFOUR-128)-(SHA1)');
  assert.equal(eximAlgorithmsToGnutls('ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM'), '(ECDHE-X25519)-(RSA-PSS-RSAE-SHA256)-(AES-256-GCM)');
});

// The real RC4 arrival and TLS 1.3 delivery, with their host fields as Exim also writes them (crafted).
const RC4 = MAINLOG.split('\n')[10];
const DELIVERY = MAINLOG.split('\n')[24];
const rules = (text: string) => analyzeDocument(text).findings.map((f) => [f.rule, f.severity, text.slice(f.span.start, f.span.end)]);

test('exim main log: X= far into a long line (a long sender and HELO name) is still read', () => {
  const long = RC4.replace('erin@example.test', `${'e'.repeat(300)}@example.test`).replace('(rc4.example.test)', `(${'h'.repeat(200)}.example.test)`);
  assert.ok(long.indexOf(' X=') > 500);
  assert.deepEqual(rules(long), [['tls-weak-cipher-selected', 'error', 'RSA__ARCFOUR_128__SHA1']]);
});

test('exim main log: a host with no name (H=[addr]) and a delivery logged with +dnssec (H=name DS [addr]:port)', () => {
  const bare = RC4.replace('H=(rc4.example.test) [127.0.0.1]:56236', 'H=[192.0.2.7]:56236');
  assert.deepEqual(rules(bare), [['tls-weak-cipher-selected', 'error', 'RSA__ARCFOUR_128__SHA1']]);
  const dnssec = DELIVERY.replace('H=127.0.0.1 [127.0.0.1]', 'H=mx.example.net DS [192.0.2.5]:587').replace('X=TLS1.3:', 'X=TLS1.0:');
  assert.equal(readTranscript(dnssec).sessions[0].port, 587);
  assert.deepEqual(rules(dnssec).map((f) => f.slice(0, 2)), [['tls-deprecated-version', 'error']]);
});

test('exim main log: the daemon\'s start line names ports of no session; whole and chunked agree', () => {
  const start = 'listening for SMTP on port 587 (IPv6 and IPv4) port 25 (IPv6 and IPv4) and for SMTPS on port 465 (IPv6 and IPv4)';
  const daemon = MAINLOG.split('\n')[0].replace(/listening for SMTP on .*$/, start);
  const old = MAINLOG.split('\n')[18];
  const text = `${daemon}\n${old}\n${old}\n`;
  assert.deepEqual(readTranscript(text).sessions.map((s) => s.port), [null, null]);
  const found = analyzeDocument(text).findings;
  assert.deepEqual(found.map((f) => f.severity), ['warning', 'warning']);
  // The same log cut before each arrival (chunks of one line): the same findings.
  const repeated = `${daemon}\n${old}\n`.repeat(3000);
  const strip = (fs: readonly { rule: string; severity: string; span: { start: number } }[]) => fs.map((f) => `${f.rule} ${f.severity} ${f.span.start}`);
  assert.deepEqual(strip(checkInChunks(repeated, DEFAULT_SETTINGS).findings), strip(analyzeDocument(repeated).findings));
});

test('exim main log: X= is read from Exim\'s fields, not from a quoted subject or reply the peer chose', () => {
  const clear = `${MAINLOG.split('\n')[5]} T="Re: X=TLS1.0:RC4-MD5:128 question"`;
  assert.match(clear, / P=esmtp /);
  assert.deepEqual(rules(clear), []);
  const reply = DELIVERY.replace('C="250 2.0.0 Ok', 'C="250 X=TLS1.0:RC4-MD5:128 Ok').replace(' X=TLS1.3:ECDHE_SECP256R1__RSA_PSS_RSAE_SHA256__AES_256_GCM:256', '');
  assert.deepEqual(rules(reply), []);
});

