/**
 * TLS content rules on crafted hellos (server/test/rules/craft.ts names every
 * field) and on real postfix answers (samples/). Each rule: a case that fires
 * and a near miss that does not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import type { AnalysisSettings, Finding } from '../../src/core/rules/types';
import { readSample } from '../helpers/samples';
import { EXT, alert, clientHello, downgradeSentinel, random, record, serverHello, starttlsSession } from './craft';

function findings(text: string, settings?: AnalysisSettings): Finding[] {
  return [...analyzeDocument(text, settings).findings];
}

function only(text: string, rule: string, settings?: AnalysisSettings): Finding[] {
  return findings(text, settings).filter((f) => f.rule === rule);
}

/** A clean TLS 1.2 exchange: hello with renegotiation SCSV, ServerHello with renegotiation_info. */
const CH = (spec: Parameters<typeof clientHello>[0] = {}) => record(22, 0x0301, clientHello(spec));
const SH = (spec: Parameters<typeof serverHello>[0] = {}) => record(22, 0x0303, serverHello(spec));

test('baseline crafted exchange is clean (the near miss every case below departs from)', () => {
  assert.deepEqual(findings(starttlsSession(CH(), SH())).map((f) => f.rule), []);
});

test('tls-server-version-ssl3: ServerHello selecting 3.0 fires; 3.3 does not', () => {
  const fired = only(starttlsSession(CH(), SH({ version: 0x0300 })), 'tls-server-version-ssl3');
  assert.equal(fired.length, 1);
  assert.match(fired[0].message, /SSL 3\.0 \(0x0300\)/);
  assert.equal(fired[0].severity, 'error');
  assert.equal(only(starttlsSession(CH(), SH({ version: 0x0300 })), 'tls-server-version-ssl3', { baseline: 'rfc3207' })[0].severity, 'warning');
});

test('tls-server-rejects-compat-hello: alert after an SSLv2 hello offering 3.1 (error under rfc3207); accepted hello is a near miss', () => {
  // The real SSLv2-compatible hello offering TLS 1.0, and postfix's real ServerHello to it (accepted).
  const accepted = readSample('sslv2-hello-tls10.transcript');
  assert.equal(only(accepted, 'tls-server-rejects-compat-hello').length, 0);
  // Same client bytes, the server line replaced by a handshake_failure alert (15 03 01 00 02 02 28).
  const lines = accepted.split('\n');
  const firstServerHex = lines.findIndex((l) => /^S: 16 03 01/.test(l));
  const rejected = [...lines.slice(0, firstServerHex), 'S: 15 03 01 00 02 02 28', ''].join('\n');
  const cur = only(rejected, 'tls-server-rejects-compat-hello');
  assert.equal(cur.length, 1);
  assert.equal(cur[0].severity, 'information');
  assert.ok(cur[0].related && cur[0].related.length >= 1);
  assert.equal(only(rejected, 'tls-server-rejects-compat-hello', { baseline: 'rfc3207' })[0].severity, 'error');
});

test('tls-record-overflow: plaintext record declaring 2^14+1 bytes fires; 2^14 does not', () => {
  // Record header 16 03 03 40 01 (length 16385), then the bytes that are present.
  const over = [0x16, 0x03, 0x03, 0x40, 0x01, 0x01, 0x00, 0x40, 0x00];
  const at = [0x16, 0x03, 0x03, 0x40, 0x00, 0x01, 0x00, 0x3f, 0xfc];
  const fired = only(starttlsSession(over), 'tls-record-overflow');
  assert.equal(fired.length, 1);
  assert.match(fired[0].message, /16385/);
  assert.equal(only(starttlsSession(over), 'tls-malformed').length, 0, 'reported once, by the specific rule');
  assert.equal(only(starttlsSession(at), 'tls-record-overflow').length, 0);
});

test('tls-record-version: major version 2 on a TLS record fires; 3.1 on the initial hello of a TLS 1.3 session does not', () => {
  const bad = [0x15, 0x02, 0x00, 0x00, 0x02, 0x02, 0x28]; // alert record with version 02 00
  assert.equal(only(starttlsSession(CH(), bad), 'tls-record-version').length, 1);
  const tls13 = SH({ extensions: [EXT.selectedVersion(0x0304), EXT.keyShareServer(0x001d, new Array(32).fill(7))] });
  const ch13 = CH({ suites: [0x1301], extensions: [EXT.supportedVersions([0x0304, 0x0303]), EXT.supportedGroups([0x001d])] });
  assert.equal(only(starttlsSession(ch13, tls13), 'tls-record-version').length, 0);
  // A ServerHello record at 3.1 in a TLS 1.3 connection breaks RFC 8446 §5.1.
  const sh31 = record(22, 0x0301, serverHello({ extensions: [EXT.selectedVersion(0x0304), EXT.keyShareServer(0x001d, new Array(32).fill(7))] }));
  assert.equal(only(starttlsSession(ch13, sh31), 'tls-record-version').length, 1);
});

test('tls-deprecated-version: TLS 1.0 negotiated is W on 25, E on 587 (directive or setting), off under rfc3207; TLS 1.2 is a near miss', () => {
  const text = starttlsSession(CH({ version: 0x0301 }), SH({ version: 0x0301 }));
  const w = only(text, 'tls-deprecated-version');
  assert.equal(w.length, 2, 'offered and negotiated');
  assert.ok(w.every((f) => f.severity === 'warning'));
  assert.ok(only('# smtptls-port: 587\n' + text, 'tls-deprecated-version').every((f) => f.severity === 'error'));
  assert.ok(only(text, 'tls-deprecated-version', { baseline: 'current', port: 465 }).every((f) => f.severity === 'error'));
  assert.ok(only('# smtptls-port: 25\n' + text, 'tls-deprecated-version', { baseline: 'current', port: 587 }).every((f) => f.severity === 'warning'), 'the directive wins over the setting');
  assert.equal(only(text, 'tls-deprecated-version', { baseline: 'rfc3207' }).length, 0);
  assert.equal(only(starttlsSession(CH(), SH()), 'tls-deprecated-version').length, 0);
});

test('tls13-legacy-version: supported_versions 1.3 with legacy_version 0x0301 fires; 0x0303 does not', () => {
  const exts = [EXT.supportedVersions([0x0304]), EXT.supportedGroups([0x001d])];
  assert.equal(only(starttlsSession(CH({ version: 0x0301, suites: [0x1301], extensions: exts })), 'tls13-legacy-version').length, 1);
  assert.equal(only(starttlsSession(CH({ version: 0x0303, suites: [0x1301], extensions: exts })), 'tls13-legacy-version').length, 0);
  // ServerHello: 0x0304 in legacy_version without supported_versions.
  assert.equal(only(starttlsSession(CH(), SH({ version: 0x0304, suite: 0x1301, extensions: [] })), 'tls13-legacy-version').length, 1);
});

test('tls-downgrade-sentinel: DOWNGRD 01 while the client offered 1.3 fires; the real TLS 1.0 answer to a TLS 1.0-only client does not', () => {
  const ch13 = CH({ extensions: [EXT.supportedVersions([0x0304, 0x0303]), EXT.supportedGroups([0x001d])] });
  const fired = only(starttlsSession(ch13, SH({ random: random(downgradeSentinel(1)) })), 'tls-downgrade-sentinel');
  assert.equal(fired.length, 1);
  assert.match(fired[0].message, /DOWNGRD 01/);
  // Same sentinel, client offers only TLS 1.2: legitimate.
  assert.equal(only(starttlsSession(CH(), SH({ random: random(downgradeSentinel(1)) })), 'tls-downgrade-sentinel').length, 0);
  // Real postfix ServerHellos to the SSLv2/TLS 1.0 and record-3.0 samples carry a sentinel legitimately.
  for (const name of ['sslv2-hello-tls10.transcript', 'tls12-record-ssl3-legal.transcript', 'sslv2-hello-tls10-p2526.transcript']) {
    assert.equal(only(readSample(name), 'tls-downgrade-sentinel').length, 0, name);
  }
});

test('tls-weak-cipher-offered: RC4 is an error, EXPORT a warning; modern suites are a near miss', () => {
  const rc4 = only(starttlsSession(CH({ suites: [0xc02f, 0x0005, 0x00ff] })), 'tls-weak-cipher-offered');
  assert.equal(rc4.length, 1);
  assert.equal(rc4[0].severity, 'error');
  assert.match(rc4[0].message, /TLS_RSA_WITH_RC4_128_SHA/);
  const exp = only(starttlsSession(CH({ suites: [0xc02f, 0x0008, 0x00ff] })), 'tls-weak-cipher-offered');
  assert.equal(exp[0].severity, 'warning');
  assert.equal(only(starttlsSession(CH({ suites: [0xc02f, 0x000a, 0x00ff] })), 'tls-weak-cipher-offered').length, 0, '3DES is not single DES');
  assert.equal(only(readSample('openssl-tls12-clean.transcript'), 'tls-weak-cipher-offered').length, 0);
});

test('tls-weak-cipher-selected: anon suite is an error, a warning on port 25; a strong suite is a near miss', () => {
  const text = starttlsSession(CH({ suites: [0x0034, 0x00ff] }), SH({ suite: 0x0034 }));
  assert.equal(only(text, 'tls-weak-cipher-selected')[0].severity, 'error');
  assert.equal(only('# smtptls-port: 25\n' + text, 'tls-weak-cipher-selected')[0].severity, 'warning');
  assert.equal(only(starttlsSession(CH(), SH()), 'tls-weak-cipher-selected').length, 0);
});

test('tls-compression: no null is an error, DEFLATE a warning, a ServerHello choosing DEFLATE a warning; [null] is a near miss', () => {
  assert.equal(only(starttlsSession(CH({ compression: [0x01] })), 'tls-compression')[0].severity, 'error');
  assert.equal(only(starttlsSession(CH({ compression: [0x01, 0x00] })), 'tls-compression')[0].severity, 'warning');
  assert.equal(only(starttlsSession(CH(), SH({ compression: 0x01 })), 'tls-compression')[0].severity, 'warning');
  assert.equal(only(starttlsSession(CH(), SH()), 'tls-compression').length, 0);
});

test('tls-no-renegotiation-info: a TLS 1.2 hello without SCSV or extension fires; with SCSV (real openssl) it does not', () => {
  assert.equal(only(starttlsSession(CH({ suites: [0xc02f] })), 'tls-no-renegotiation-info').length, 1);
  assert.equal(only(starttlsSession(CH({ suites: [0xc02f], extensions: [EXT.renegotiationInfo()] })), 'tls-no-renegotiation-info').length, 0);
  // Client signalled, server did not answer with renegotiation_info.
  assert.equal(only(starttlsSession(CH(), SH({ extensions: [] })), 'tls-no-renegotiation-info').length, 1);
  assert.equal(only(readSample('openssl-tls12-clean.transcript'), 'tls-no-renegotiation-info').length, 0);
});

test('tls-fallback-scsv: real postfix answer to a TLS 1.1 fallback hello; hello without 0x5600 is a near miss', () => {
  const text = readSample('tls11-fallback-scsv.transcript');
  const f = only(text, 'tls-fallback-scsv');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'information');
  const alerts = only(text, 'tls-alert');
  assert.equal(alerts.length, 1);
  assert.match(alerts[0].message, /inappropriate_fallback \(86\)/);
  assert.equal(only(starttlsSession(CH()), 'tls-fallback-scsv').length, 0);
});

test('tls-sni-invalid: IP literal and trailing dot fire; a host name does not', () => {
  const withSni = (host: string) => starttlsSession(CH({ extensions: [EXT.serverName(host), EXT.supportedGroups([0x001d])] }));
  assert.equal(only(withSni('192.0.2.1'), 'tls-sni-invalid').length, 1);
  assert.equal(only(withSni('mx.example.test.'), 'tls-sni-invalid').length, 1);
  assert.equal(only(withSni('mx.example.test'), 'tls-sni-invalid').length, 0);
});

test('tls-duplicate-extension: supported_groups twice fires (and not also as tls-malformed); distinct extensions do not', () => {
  const text = starttlsSession(CH({ extensions: [EXT.supportedGroups([0x001d]), EXT.supportedGroups([0x0017])] }));
  assert.equal(only(text, 'tls-duplicate-extension').length, 1);
  assert.equal(only(text, 'tls-malformed').length, 0);
  assert.equal(only(starttlsSession(CH({ extensions: [EXT.supportedGroups([0x001d]), EXT.signatureAlgorithms([0x0401])] })), 'tls-duplicate-extension').length, 0);
});

test('tls-grease-selected: ServerHello choosing suite 0x0a0a fires; a client offering GREASE is a near miss', () => {
  assert.equal(only(starttlsSession(CH({ suites: [0x0a0a, 0xc02f, 0x00ff] }), SH({ suite: 0x0a0a })), 'tls-grease-selected').length, 1);
  assert.equal(only(starttlsSession(CH({ suites: [0x0a0a, 0xc02f, 0x00ff] }), SH()), 'tls-grease-selected').length, 0);
});

test('tls-alert: fatal alert is a warning related to the hello; close_notify in the real clean session is not reported', () => {
  const f = only(starttlsSession(CH({ version: 0x0303 }), alert(2, 70)), 'tls-alert');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'warning');
  assert.match(f[0].message, /protocol_version \(70\)/);
  assert.ok(f[0].related?.length);
  assert.equal(only(starttlsSession(CH(), alert(1, 90)), 'tls-alert')[0].severity, 'information');
  assert.equal(only(readSample('openssl-tls13-clean.transcript'), 'tls-alert').length, 0);
});

test('tls-unknown-value: an unassigned suite fires as a hint; GREASE and assigned values do not', () => {
  const f = only(starttlsSession(CH({ suites: [0xc02f, 0x00ff, 0x7777] })), 'tls-unknown-value');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'hint');
  assert.match(f[0].message, /0x7777/);
  assert.equal(only(starttlsSession(CH({ suites: [0xc02f, 0x00ff, 0x1a1a] })), 'tls-unknown-value').length, 0);
});
