/**
 * tshark -V of real captures (server/test/fixtures/tshark-verbose/, README there) gives the findings of
 * the capture itself: one session per TCP connection, with its server port; alerts, SSLv2-compatible
 * hellos and server names tshark states are judged; SMTP lines tshark shows without a TLS layer are in
 * the clear (a QUIT after the 220 to STARTTLS); TLS bytes tshark's SMTP dissector shows as command
 * lines are TLS, not commands.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument, type Analysis } from '../../src/core/analysis/analyzeDocument';
import { importBytes, readFixture } from '../capture/helpers';
import { parseKeyLog } from '../../src/core/tls/decrypt/keyLogSecrets';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const verbose = (name: string): string => readFileSync(path.join(FIXTURES, 'tshark-verbose', `${name}.tshark-V.txt`), 'utf8');
const capture = (rel: string): Analysis => analyzeDocument(importBytes(readFixture(path.join(FIXTURES, rel))).text);
const rules = (a: Analysis): string[] => a.findings.map((f) => `${f.rule}/${f.severity}`).sort();
/** The finding's text and the line it is on. */
const place = (text: string, f: { span: { start: number; end: number } }): [string, string] => [
  text.slice(f.span.start, f.span.end),
  text.slice(text.lastIndexOf('\n', f.span.start) + 1, text.indexOf('\n', f.span.start)).trim(),
];

const CASES: readonly (readonly [string, string])[] = [
  ['gnutls-cli-resume', 'gnutls-cli/gnutls-cli-resume.pcap'],
  ['ssl3-hello', 'live/ssl3-hello.pcap'],
  ['sslv2-hello-tls10', 'live/sslv2-hello-tls10.pcap'],
  ['msmtp-starttls', 'msmtp/msmtp-starttls.pcap'],
  ['tls-hello-without-220', 'live/tls-hello-without-220.pcap'],
  ['telnet-starttls-quit', 'telnet/telnet-starttls-quit.pcap'],
];

test('tshark -V of each capture: the rules and severities of the capture itself', () => {
  for (const [name, pcap] of CASES) {
    const expected = rules(capture(pcap));
    assert.deepEqual(rules(analyzeDocument(verbose(name))), expected, name);
  }
  // Not vacuous: together they cover the behaviours this file is about.
  const all = CASES.flatMap(([name]) => rules(analyzeDocument(verbose(name))));
  for (const r of ['tls-alert', 'tls-sslv2-compat-hello', 'tls-sni-invalid', 'starttls-tls-without-220', 'starttls-plaintext-after-220']) {
    assert.ok(all.some((x) => x.startsWith(`${r}/`)), r);
  }
});

test('two TCP connections in one tshark -V output are two sessions, each with its server port (gnutls-cli --resume: no STARTTLS "inside TLS")', () => {
  const a = analyzeDocument(verbose('gnutls-cli-resume'));
  assert.deepEqual(a.sessions.map((s) => s.session.port), [25, 25]);
  assert.deepEqual(a.findings, []);
  const verbs = a.sessions.map((s) => s.session.events.flatMap((e) => (e.kind === 'command' ? [e.verb] : [])));
  assert.deepEqual(verbs.map((v) => v.filter((x) => x === 'STARTTLS').length), [1, 1]);
});

test('a fatal alert tshark states is tls-alert, a warning, on its Description line', () => {
  const text = verbose('ssl3-hello');
  const alert = analyzeDocument(text).findings.filter((f) => f.rule === 'tls-alert');
  assert.equal(alert.length, 1);
  assert.equal(alert[0].severity, 'warning');
  assert.deepEqual(place(text, alert[0]), ['Description: Handshake Failure (40)', 'Description: Handshake Failure (40)']);
  assert.match(alert[0].message, /^The server sends a fatal alert handshake_failure \(40\), ending the connection \(as the tool states it\)\.$/);
});

test('an SSLv2-compatible hello tshark states is tls-sslv2-compat-hello on its "SSLv2 Record Layer" line', () => {
  const text = verbose('sslv2-hello-tls10');
  const found = analyzeDocument(text).findings.filter((f) => f.rule === 'tls-sslv2-compat-hello');
  assert.equal(found.length, 1);
  assert.deepEqual(place(text, found[0]), ['SSLv2 Record Layer: Client Hello', 'SSLv2 Record Layer: Client Hello']);
  assert.match(found[0].message, /^ClientHello \(as the tool states it\) after STARTTLS uses the SSLv2-compatible format \(offering TLS 1\.0 \(0x0301\)\)/);
});

test('a server_name tshark states is judged: msmtp\'s "127.0.0.1" is tls-sni-invalid on the name', () => {
  const text = verbose('msmtp-starttls');
  const found = analyzeDocument(text).findings;
  assert.deepEqual(found.map((f) => f.rule), ['tls-sni-invalid']);
  assert.deepEqual(place(text, found[0]), ['127.0.0.1', 'Server Name: 127.0.0.1']);
});

test('a ClientHello sent before the 220, shown by tshark as SMTP command lines (\\026\\003...), is TLS: starttls-tls-without-220, no unknown commands', () => {
  const text = verbose('tls-hello-without-220');
  assert.match(text, /^ {4}Command Line: \\026\\003$/m);
  const found = analyzeDocument(text).findings;
  assert.deepEqual(found.map((f) => f.rule), ['starttls-tls-without-220']);
  assert.deepEqual(place(text, found[0])[1], 'Command Line: \\026\\003');
});

test('a QUIT tshark shows without a TLS layer after the 220 to STARTTLS was sent in the clear: starttls-plaintext-after-220', () => {
  const text = verbose('telnet-starttls-quit');
  const found = analyzeDocument(text).findings;
  assert.deepEqual(found.map((f) => f.rule), ['starttls-plaintext-after-220']);
  assert.deepEqual(place(text, found[0]), ['QUIT', 'Command Line: QUIT\\r\\n']);
});

test('a multi-line reply tshark -V shows as one "Response:" item is read with its "Response parameter:" lines: the EHLO keywords are the capture\'s; replies in one frame after it are replies of their own', () => {
  const replies = (a: Analysis) => a.sessions.flatMap((s) => s.session.events.flatMap((e) => (e.kind === 'reply' ? [[e.code, e.lines.join('|'), e.inTls === true]] : [])));
  // Before TLS: the EHLO reply of gnutls-cli's first connection, all of its lines.
  const resume = replies(analyzeDocument(verbose('gnutls-cli-resume')));
  const captured = replies(capture('gnutls-cli/gnutls-cli-resume.pcap'));
  assert.deepEqual(resume, captured);
  assert.ok(resume.some(([code, lines]) => code === 250 && String(lines).split('|').includes('STARTTLS') && String(lines).split('|').length === 11), JSON.stringify(resume));
  // Inside TLS, decrypted with the key log: the replies to the client's pipelined commands came in one
  // frame (a false smtp-reply-syntax error before: the 503 read as a line of the EHLO reply).
  const decrypted = analyzeDocument(verbose('ossl-tls13-aes256-decrypted'));
  assert.deepEqual(decrypted.findings, []);
  const keyLog = parseKeyLog(readFileSync(path.join(FIXTURES, 'keylog', 'ossl-tls13-aes256', 'keylog.txt'), 'utf8')).keyLog;
  const imported = analyzeDocument(importBytes(readFixture(path.join(FIXTURES, 'keylog', 'ossl-tls13-aes256', 'capture.pcap')), { keyLog }).text);
  const inTls = (r: ReturnType<typeof replies>) => r.filter((x) => x[2]).map((x) => [x[0], x[1]]);
  assert.deepEqual(inTls(replies(decrypted)), inTls(replies(imported)));
  assert.deepEqual(inTls(replies(decrypted)).map((x) => x[0]), [250, 503, 250, 250, 354, 250, 221]);
});

test('tshark -V: a ServerKeyExchange\'s group is stated, sized by p Length and p\'s first byte, or named by its curve (dh-groups fixtures)', () => {
  const statedGroups = (name: string) => {
    const text = readFileSync(path.join(FIXTURES, 'dh-groups', `${name}.tshark-V.txt`), 'utf8');
    return analyzeDocument(text).sessions.flatMap((s) =>
      s.session.events.flatMap((e) => (e.kind === 'stated' && e.keyExchange ? [[e.handshakeType, e.keyExchange.name, e.keyExchange.bits, e.keyExchange.curve, text.slice(e.keyExchange.span.start, e.keyExchange.span.end)]] : [])),
    );
  };
  assert.deepEqual(statedGroups('dhe1024'), [[12, 'DHE', 1024, null, 'p Length: 128']]);
  assert.deepEqual(statedGroups('dhe2048'), [[12, 'DHE', 2048, null, 'p Length: 256']]);
  assert.deepEqual(statedGroups('ecdhe'), [[12, 'x25519', null, 'x25519', 'x25519']]);
  // A p whose first byte has leading zero bits (crafted from the 1024-bit run's frame: p's first byte 0x7f) is 1023 bits.
  const text = readFileSync(path.join(FIXTURES, 'dh-groups', 'dhe1024.tshark-V.txt'), 'utf8').replace(/^( +p: )[0-9a-f]{2}/m, '$17f');
  const [ke] = analyzeDocument(text).sessions.flatMap((s) => s.session.events.flatMap((e) => (e.kind === 'stated' && e.keyExchange ? [e.keyExchange] : [])));
  assert.equal(ke.bits, 1023);
});
