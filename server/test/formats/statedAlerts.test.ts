/**
 * Alerts tools state in words: OpenSSL's (formats/opensslAlerts.ts) info callback `SSL3 alert
 * read:fatal:handshake failure` (postfix at smtpd_tls_loglevel 2, s_client -state) and the
 * `SSL alert number N` of its errors (postfix's `TLS library problem`, s_client's error line);
 * gnutls-cli's `*** Received alert [40]: Handshake failed` (formats/gnutlsDebug.ts).
 * Fixtures: server/test/fixtures/stated-alerts (real s_client runs against the mail lab's postfix,
 * with postfix's log and the capture of each; make-fixtures.sh) and the live fixtures' postfix logs;
 * the oracle is the capture of the same session (tshark's alert fields, and our own import).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { computeHover } from '../../src/core/features/hover';
import { computeDocumentSymbols } from '../../src/core/features/symbols';
import { alertOfErrorCode, OPENSSL_ALERT_NAMES, OPENSSL_ALERT_REASONS, parseErrorAlert, parsePythonSslError, parseStateAlert } from '../../src/core/formats/opensslAlerts';
import { isOpensslErrorLine, isSclientStderrLine } from '../../src/core/formats/sclientStderr';
import { findChunkStarts } from '../../src/core/analysis/documentChunks';
import { ChunkedCheck } from '../../src/core/analysis/chunkedCheck';
import { DEFAULT_SETTINGS } from '../../src/core/rules/types';
import { importBytes, LIVE, readFixture } from '../capture/helpers';
import { ALERT_RUNS, readAlertCapture, readAlertRun, statedAlertFindings } from '../helpers/statedAlerts';
import { GNUTLS_ALERT_NAMES, parseGnutlsAlertName } from '../../src/core/formats/gnutlsAlerts';
import { statedAlertEvent } from '../../src/core/formats/statedFacts';

const DIR = path.join(__dirname, '..', 'fixtures', 'stated-alerts');
const read = (file: string): string => readFileSync(path.join(DIR, file), 'utf8');
const alerts = statedAlertFindings;

test('the alert names are those libssl itself prints (alert-names.txt, read from the installed library)', () => {
  const fromLibrary = new Map<string, number>();
  for (const line of read('alert-names.txt').split('\n')) {
    const m = /^([0-9]+)\t([^\t]+)\t/.exec(line);
    if (m) fromLibrary.set(m[2], Number(m[1]));
  }
  assert.ok(fromLibrary.size >= 30);
  assert.deepEqual([...OPENSSL_ALERT_NAMES].sort(), [...fromLibrary].sort());
  assert.match(read('alert-names.txt'), /^level 1\twarning$/m);
  assert.match(read('alert-names.txt'), /^level 2\tfatal$/m);
});

test('statedAlertEvent: the sender is the printer\'s peer for an alert received, the printer for one sent; an error\'s statement is marked', () => {
  const a = { received: true, level: 2, description: 40, descriptionSpan: { start: 3, end: 7 }, byError: false };
  const e = statedAlertEvent(5, { start: 0, end: 9 }, 'x', a, true);
  assert.deepEqual([e.direction, e.subject, e.alertLevel, e.alertDescription, e.valueSpans?.alertDescription, e.byError], ['server', 'alert', 2, 40, { start: 3, end: 7 }, undefined]);
  assert.equal(statedAlertEvent(5, { start: 0, end: 9 }, 'x', a, false).direction, 'client');
  assert.equal(statedAlertEvent(5, { start: 0, end: 9 }, 'x', { ...a, received: false }, false).direction, 'server');
  assert.equal(statedAlertEvent(5, { start: 0, end: 9 }, 'x', { ...a, byError: true }, true).byError, true);
});

test('parseStateAlert: read/write, level and description, the description\'s span; not a name OpenSSL calls unknown', () => {
  const line = 'SSL3 alert write:fatal:handshake failure';
  const a = parseStateAlert(line, 0, line.length)!;
  assert.deepEqual({ received: a.received, level: a.level, description: a.description }, { received: false, level: 2, description: 40 });
  assert.equal(line.slice(a.descriptionSpan.start, a.descriptionSpan.end), 'handshake failure');
  const read1 = 'x: SSL3 alert read:warning:close notify';
  const b = parseStateAlert(read1, 3, read1.length)!;
  assert.deepEqual({ received: b.received, level: b.level, description: b.description }, { received: true, level: 1, description: 0 });
  assert.equal(parseStateAlert('SSL3 alert read:fatal:unknown', 0, 29), null);
  assert.equal(parseStateAlert('SSL3 alert read:fatal:made up name', 0, 34), null);
  assert.equal(parseStateAlert('SSL3 alert read:fatal:handshake failure', 1, 39), null);
  assert.equal(parseStateAlert('SSL_connect:SSLv3/TLS write client hello', 0, 40), null);
});

test('parseErrorAlert: the number after `SSL alert number` in an error line, received and fatal; none without one', () => {
  const line = 'warning: TLS library problem: error:0A000418:SSL routines::tlsv1 alert unknown ca:../ssl/record/rec_layer_s3.c:1601:SSL alert number 48:';
  const a = parseErrorAlert(line, 0, line.length)!;
  assert.deepEqual({ received: a.received, level: a.level, description: a.description }, { received: true, level: 2, description: 48 });
  assert.equal(line.slice(a.descriptionSpan.start, a.descriptionSpan.end), 'SSL alert number 48');
  const noAlert = 'warning: TLS library problem: error:0A0000C1:SSL routines::no shared cipher:../ssl/statem/statem_srvr.c:2226:';
  assert.equal(parseErrorAlert(noAlert, 0, noAlert.length), null);
  assert.equal(parseErrorAlert('SSL alert number 40 (no error)', 0, 30), null);
  // Without the data, the code says it (swaks, curl print the error string alone).
  const bare = '* OpenSSL/3.0.19: error:0A000418:SSL routines::tlsv1 alert unknown ca';
  assert.equal(parseErrorAlert(bare, 0, bare.length)?.description, 48);
  const tooBig = 'error:0A0000C1:x:SSL alert number 4000';
  assert.equal(parseErrorAlert(tooBig, 0, tooBig.length), null);
});

test('isSclientStderrLine: error lines, -state and verify lines; not stdout\'s lines', () => {
  for (const line of ['40077406F37F0000:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure', 'SSL_connect:before SSL initialization', 'depth=0 CN = mx.example.test', 'verify error:num=18:self-signed certificate', 'verify return:1', "Can't use SSL_get_servername"]) {
    assert.ok(isSclientStderrLine(line, 0, line.length), line);
  }
  for (const line of ['CONNECTED(00000003)', '---', 'SSL-Session:', '250 2.0.0 Ok', 'error:0A000410:SSL routines', '']) assert.ok(!isSclientStderrLine(line, 0, line.length), line);
  assert.ok(isOpensslErrorLine('40077406F37F0000:error:0A000410:SSL routines:x', 0, 46));
  assert.ok(!isOpensslErrorLine('warning: TLS library problem: error:0A000410:', 0, 45));
});

for (const run of ALERT_RUNS) {
  test(`${run}: the client's output and postfix's log state the alert the capture holds (tshark's alert fields)`, () => {
    const r = readAlertRun(DIR, run);
    assert.ok(r.tshark, 'tshark sees an alert in the capture');
    assert.equal(r.capture.length, 1);
    assert.match(r.capture[0], new RegExp(`^warning The (?:server|client) sends a ${r.tshark.level === 2 ? 'fatal' : 'warning'} alert [a-z_]+ \\(${r.tshark.description}\\)$`));
    assert.deepEqual(r.client, r.capture, 'client');
    assert.deepEqual(r.postfix, r.capture, 'postfix');
  });
}

test('a failed handshake\'s session block (Cipher 0000) states no negotiated version: s_client -tls1 refused gives no tls-deprecated-version', () => {
  const text = read('sclient-tls10-no-shared-cipher.txt');
  assert.match(text, /Protocol {2}: TLSv1\n {4}Cipher {4}: 0000/);
  const rules = analyzeDocument(text).findings.map((f) => f.rule);
  assert.deepEqual(rules, ['tls-alert']);
  // A successful TLS 1.0 run's block still states its version (openssl-plain fixtures).
  const ok = readFileSync(path.join(__dirname, '..', 'fixtures', 'openssl-plain', 's_client-plain-tls11.txt'), 'utf8');
  assert.ok(analyzeDocument(ok).findings.some((f) => f.rule === 'tls-deprecated-version'));
});

test('s_client\'s stderr lines before CONNECTED( are that run\'s: two runs appended give each its own alert, read whole or in chunks', () => {
  const first = read('sclient-tls10-no-shared-cipher.txt');
  const second = read('sclient-state-unknown-ca.txt');
  const text = first + second;
  const a = analyzeDocument(text);
  const sessions = a.sessions.map((s) => s.session.events.filter((e) => e.kind === 'stated' && e.subject === 'alert').map((e) => (e.kind === 'stated' ? `${e.direction} ${e.alertDescription}` : '')));
  assert.deepEqual(sessions, [['server 40'], ['client 48']]);
  // The chunk cutter starts the second run at its first stderr line, as the reader does.
  const secondStart = first.length;
  assert.deepEqual(findChunkStarts(text, 0, text.length), [secondStart]);
  const check = new ChunkedCheck(DEFAULT_SETTINGS);
  check.push(text);
  const chunked = check.end();
  assert.deepEqual(chunked.findings.map((f) => `${f.rule} ${f.span.start}`), a.findings.map((f) => `${f.rule} ${f.span.start}`));
});

test('posttls-finger -L ssl-debug: the alert stated twice (info callback and error line) is one tls-alert, the capture\'s', () => {
  const text = read('posttls-finger-no-shared-cipher.txt');
  assert.match(text, /SSL3 alert read:fatal:handshake failure[^]*SSL alert number 40/);
  assert.deepEqual(alerts(text), ['warning The server sends a fatal alert handshake_failure (40)']);
  assert.deepEqual(readAlertRun(DIR, 'posttls-finger-no-shared-cipher').capture, alerts(text));
});

test('gnutls-cli\'s `*** Received alert [40]`: its level from the error line before or after it (stderr first in a file, program order on a terminal); none without one', () => {
  const text = read('gnutls-cli-no-shared-cipher.txt');
  const lines = text.split('\n');
  assert.match(lines[0], /^\*\*\* Fatal error: A TLS fatal alert has been received\.$/);
  const received = lines.findIndex((l) => l.startsWith('*** Received alert [40]'));
  assert.ok(received > 0);
  const want = ['warning The server sends a fatal alert handshake_failure (40)'];
  assert.deepEqual(alerts(text), want);
  // The error line moved to just after the alert line (crafted from the real output: program order).
  const reordered = [...lines.slice(1, received + 1), lines[0], ...lines.slice(received + 1)].join('\n');
  assert.deepEqual(alerts(reordered), want);
  // Without it the level is unknown: no judgement on a guess.
  assert.deepEqual(alerts(lines.slice(1).join('\n')), []);
  assert.equal(analyzeDocument(text).transcript.format, 'gnutls-debug');
  const f = analyzeDocument(text).findings[0];
  assert.equal(text.slice(f.span.start, f.span.end), 'Handshake failed');
});

test('swaks\'s own `*** ` error lines stay swaks\'s: its TLS failure states the alert in the error code, another error is a note', () => {
  const text = read('swaks-no-shared-cipher.txt');
  assert.match(text, /^\*\*\* TLS startup failed \(connect\(\): error:0A000410:SSL routines::sslv3 alert handshake failure\)$/m);
  const a = analyzeDocument(text);
  assert.equal(a.transcript.format, 'swaks');
  const alert = a.findings.find((f) => f.rule === 'tls-alert')!;
  assert.equal(text.slice(alert.span.start, alert.span.end), 'error:0A000410:SSL routines::sslv3 alert handshake failure');
  assert.ok(a.transcript.sessions[0].events.some((e) => e.kind === 'note' && e.text === 'STARTTLS attempted but failed'));
});

test('OPENSSL_ALERT_REASONS are the reason strings libssl itself gives (alert-names.txt); parsePythonSslError reads Python\'s exception line by them', () => {
  const fromLibrary = read('alert-names.txt').split('\n').filter((l) => l.startsWith('reason\t')).map((l) => l.split('\t')).map(([, , d, r]) => [r, Number(d)] as const);
  assert.deepEqual([...OPENSSL_ALERT_REASONS].sort(), [...fromLibrary].sort());
  const line = 'ssl.SSLError: [SSL: TLSV1_ALERT_UNKNOWN_CA] tlsv1 alert unknown ca (_ssl.c:1006)';
  const a = parsePythonSslError(line, 0, line.length)!;
  assert.equal(a.description, 48);
  assert.equal(line.slice(a.descriptionSpan.start, a.descriptionSpan.end), 'tlsv1 alert unknown ca');
  // Python's own verification failure is no alert received; nor is an error without a reason it knows.
  const verify = 'ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)';
  assert.equal(parsePythonSslError(verify, 0, verify.length), null);
  const other = 'ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)';
  assert.equal(parsePythonSslError(other, 0, other.length), null);
});

test('GNUTLS_ALERT_NAMES are the names the installed GnuTLS gives (alert-names.txt); parseGnutlsAlertName takes a whole name, not GnuTLS\'s error messages', () => {
  const fromLibrary = read('alert-names.txt').split('\n').filter((l) => l.startsWith('gnutls\t')).map((l) => l.split('\t')).map(([, d, n]) => [n, Number(d)] as const);
  assert.ok(fromLibrary.length >= 30);
  assert.deepEqual([...GNUTLS_ALERT_NAMES].sort(), [...fromLibrary].sort());
  const name = (t: string) => parseGnutlsAlertName(t, 0, t.length)?.description ?? null;
  assert.equal(name('CA is unknown'), 48);
  assert.equal(name('Handshake failed  '), 40);
  assert.equal(name('Decryption has failed.'), null); // gnutls_strerror, not an alert
  assert.equal(name('No supported cipher suites have been found.'), null);
  assert.equal(name('CA is unknown, really'), null);
});

test('Exim\'s main log (GnuTLS): the alert a failed handshake ended with is the capture\'s, inbound (from) and outbound (to, a delivery\'s TLS session)', () => {
  const dir = path.join(__dirname, '..', 'fixtures', 'exim-mainlog');
  const log = readFileSync(path.join(dir, 'tls-errors.mainlog'), 'utf8');
  const findings = analyzeDocument(log).findings;
  const lineOf = (offset: number) => log.slice(0, offset).split('\n').length - 1;
  const at = (needle: string) => lineOf(log.indexOf(needle));
  const byLine = (line: number) => alerts(log.split('\n')[line]);
  // Inbound: s_client refusing Exim's certificate; the capture's alert is the client's unknown_ca.
  // tshark's alert fields in each capture (source port;level;description): the oracle of our own import.
  const tshark = (name: string) => readFileSync(path.join(dir, `${name}.tshark.txt`), 'utf8').trim().split('\n');
  assert.match(tshark('tls-errors-unknown-ca')[0], /^[0-9]+;2;48$/);
  assert.ok(!tshark('tls-errors-unknown-ca')[0].startsWith('2531;'), 'sent by the client');
  assert.deepEqual(tshark('tls-errors-no-shared-cipher'), ['2531;2;40']);
  assert.deepEqual(tshark('tls-errors-outbound'), ['25;2;40', '25;2;40']);
  const unknownCa = readAlertCapture(dir, 'tls-errors-unknown-ca');
  assert.deepEqual(unknownCa, ['warning The client sends a fatal alert unknown_ca (48)']);
  assert.deepEqual(byLine(at('(gnutls_handshake): CA is unknown')), unknownCa);
  const f = findings.find((x) => x.rule === 'tls-alert' && lineOf(x.span.start) === at('CA is unknown'))!;
  assert.equal(log.slice(f.span.start, f.span.end), 'CA is unknown');
  // Exim's own failure (no suite for the client's offer): the log names no alert, though Exim sent one.
  assert.deepEqual(readAlertCapture(dir, 'tls-errors-no-shared-cipher'), ['warning The server sends a fatal alert handshake_failure (40)']);
  assert.deepEqual(byLine(at('No supported cipher suites have been found.')), []);
  // Outbound: two deliveries (the message, then its bounce) refused by postfix, each with its alert.
  const outbound = readAlertCapture(dir, 'tls-errors-outbound');
  assert.deepEqual(outbound, ['warning The server sends a fatal alert handshake_failure (40)', 'warning The server sends a fatal alert handshake_failure (40)']);
  const deliveries = findings.filter((x) => x.rule === 'tls-alert' && log.slice(x.span.start - 40, x.span.end).includes('TLS session: (gnutls_handshake): '));
  assert.equal(deliveries.length, 2);
  assert.deepEqual(deliveries.map((d) => alerts(log.split('\n')[lineOf(d.span.start)])[0]), outbound);
  // A delivery states the server's port (+outgoing_port).
  assert.deepEqual(analyzeDocument(log).sessions.filter((s) => s.session.port !== null).map((s) => s.session.port), [25, 25]);
  // Later Exim releases write `rxd alert: NAME` (the real line with those words put in).
  const later = log.replace('(gnutls_handshake): CA is unknown', '(gnutls_handshake): rxd alert: CA is unknown');
  assert.deepEqual(alerts(later.split('\n')[at('CA is unknown')]), unknownCa);
});

test('alertOfErrorCode: libssl\'s reason 1000 + description in OpenSSL 3\'s and 1.x\'s packing; other libraries and reasons are none', () => {
  assert.equal(alertOfErrorCode(0x0a000410), 40);
  // OpenSSL 1.1: library 20 (0x14) in bits 24-31, function 0x094 (ssl3_read_bytes) in 12-23, reason 0x410.
  assert.equal(alertOfErrorCode(0x14094410), 40);
  assert.equal(alertOfErrorCode(0x0a0000c1), null); // no shared cipher: the server's own error, no alert received
  assert.equal(alertOfErrorCode(0x05800088), null); // x509 certificate routines
  assert.equal(alertOfErrorCode(0x0a000000 | 1300), null); // past the alert range
});

test('every error libssl raises for a received alert (its code and reason string, read from the library) gives that alert', () => {
  const reasons = read('alert-names.txt').split('\n').filter((l) => l.startsWith('reason\t')).map((l) => l.split('\t'));
  assert.ok(reasons.length >= 30);
  for (const [, code, description, reason] of reasons) {
    const line = `error:${code}:SSL routines::${reason}`;
    const a = parseErrorAlert(line, 0, line.length);
    assert.equal(a?.description, Number(description), line);
    assert.equal(line.slice(a!.descriptionSpan.start, a!.descriptionSpan.end), line);
  }
  // OpenSSL 1.1's format (a real line of that version, with its data).
  const old = '140735:error:14094410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:ssl/record/rec_layer_s3.c:1362:SSL alert number 40';
  assert.equal(parseErrorAlert(old, 0, old.length)?.description, 40);
});

test('-trace with its error line: one tls-alert (the error line and the trace\'s Alert record state the same fatal alert)', () => {
  const text = readFileSync(path.join(__dirname, '..', 'fixtures', 'openssl-trace', 'trace-no-shared-cipher.txt'), 'utf8');
  assert.deepEqual(alerts(text), ['warning The server sends a fatal alert handshake_failure (40)']);
});

test('postfix logs at level 2 without dumps: the stated alerts are the capture\'s; with dumps the decoded alert only', () => {
  const logs = readdirSync(LIVE).filter((f) => f.endsWith('.postfix.log'));
  let stated = 0;
  for (const log of logs) {
    const text = readFileSync(path.join(LIVE, log), 'utf8');
    if (!/SSL3 alert (?:read|write):fatal/.test(text)) continue;
    const fromCapture = alerts(importBytes(readFixture(path.join(LIVE, log.replace('.postfix.log', '.pcap')))).text);
    assert.deepEqual(alerts(text), fromCapture, log);
    stated++;
  }
  assert.ok(stated >= 10, `${stated} logs with a fatal alert`);
});

test('outline: a failed handshake told in words is a TLS phase with its alert (once, though stated twice), and the session says no TLS; s_client\'s "New, (NONE)" line is no TLS established', () => {
  const names = (text: string) =>
    computeDocumentSymbols(analyzeDocument(text)).map((s) => ({ detail: s.detail, tls: s.children.filter((c) => c.kind === 'tls').map((c) => [c.detail, ...c.children.map((m) => `${m.name} — ${m.detail}`)]) }));
  assert.deepEqual(names(read('sclient-state-unknown-ca.postfix.log')), [{ detail: 'port 25 · no TLS: unknown_ca alert', tls: [['no TLS: unknown_ca alert', 'Alert: unknown_ca — C (stated)']] }]);
  assert.deepEqual(names(read('sclient-no-shared-cipher.txt')), [{ detail: 'no TLS: handshake_failure alert', tls: [['no TLS: handshake_failure alert', 'Alert: handshake_failure — S (stated)']] }]);
  assert.deepEqual(names(readFileSync(path.join(__dirname, '..', 'fixtures', 'openssl-trace', 'trace-no-shared-cipher.txt'), 'utf8'))[0].detail, 'no TLS: handshake_failure alert');
  // gnutls-cli's alert without the line that gives its level is in the outline as in the diagram (not judged: no finding).
  const levelless = read('gnutls-cli-no-shared-cipher.txt').split('\n').slice(1).join('\n');
  assert.deepEqual(names(levelless)[0].tls, [['no TLS handshake shown', 'Alert: handshake_failure — S (stated)']]);
});

test('hover on a decoded alert\'s description byte says what the alert means (postfix level 3 dump of the server\'s alert)', () => {
  const text = readFileSync(path.join(LIVE, 'ssl3-hello-p2526.postfix.log'), 'utf8');
  const at = text.indexOf('0000 15 03 00 00 02 02 28') + '0000 15 03 00 00 02 02 '.length;
  const h = computeHover(analyzeDocument(text), at)!;
  assert.equal(text.slice(h.span.start, h.span.end), '28');
  assert.match(h.markdown, /Why the sender raised the alert\.\n\nThe sender found no set of security parameters \(version, cipher suite, group, signature algorithm\) acceptable to it among those offered\./);
});

test('hover on a stated alert: the description OpenSSL names, and the number of its error line', () => {
  const text = read('sclient-state-unknown-ca.postfix.log');
  const analysis = analyzeDocument(text);
  const at = text.indexOf('unknown CA');
  const h = computeHover(analysis, at + 2)!;
  assert.equal(text.slice(h.span.start, h.span.end), 'unknown CA');
  assert.match(h.markdown, /^\*\*Alert unknown\\?_ca \(48\)\*\*/);
  assert.match(h.markdown, /A fatal alert, which ends the connection, sent by the client, as the tool states it \(`unknown CA`\)\. The certificate chain leads to no certificate authority the sender trusts/);
  const plain = read('sclient-no-shared-cipher.txt');
  const n = plain.indexOf('SSL alert number 40');
  const h2 = computeHover(analyzeDocument(plain), n + 4)!;
  assert.equal(plain.slice(h2.span.start, h2.span.end), 'SSL alert number 40');
  assert.match(h2.markdown, /^\*\*Alert handshake\\?_failure \(40\)\*\*/);
});
