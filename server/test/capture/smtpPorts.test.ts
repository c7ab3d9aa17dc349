/**
 * SMTP on a port of the site's choosing (`--smtp-port`, `smtpTls.capture.smtpPorts`). Fixture: msmtp's
 * implicit-TLS run through a socat TLS terminator on 127.0.0.1:4465 (server/test/fixtures/msmtp/README.md):
 * TLS from the first byte on a port that is neither 465 nor any other standard SMTP port, so by default
 * nothing in it says SMTP. The mixed capture is crafted: the swaks STARTTLS capture on port 25
 * (corpus/sessions/swaks-starttls/capture.pcap) followed by the msmtp capture's records, both pcap,
 * little-endian, microseconds, Ethernet (the same 24-byte file header), so the second file's records
 * (everything after its header) are appended as they are.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { REPO } from '../helpers/lspClient';
import { CORPUS_SESSIONS, importBytes, readFixture } from './helpers';
import { parseSmtpPorts } from '../../src/cli/captureOptions';
import { UsageError } from '../../src/cli/cliTypes';

const IMPLICIT = readFixture(path.join(REPO, 'server/test/fixtures/msmtp/msmtp-implicit-tls.pcap'));
const SWAKS = readFixture(path.join(CORPUS_SESSIONS, 'swaks-starttls/capture.pcap'));

function mixed(): Uint8Array {
  assert.deepEqual(SWAKS.subarray(0, 24), IMPLICIT.subarray(0, 24), 'both files have the same pcap header');
  const out = new Uint8Array(SWAKS.length + IMPLICIT.length - 24);
  out.set(SWAKS, 0);
  out.set(IMPLICIT.subarray(24), SWAKS.length);
  return out;
}

test('smtp ports: by default TLS on port 4465 is not SMTP, and the note says how to read it as SMTP', () => {
  const r = importBytes(IMPLICIT);
  assert.equal(r.sessionCount, 0);
  // One connection, as `tshark -q -z conv,tcp` counts it: the last ACK after both FINs opens none.
  assert.match(r.text, /, 0 SMTP sessions of 1 TCP connection$/m);
  assert.match(
    r.text,
    /^# no SMTP found: no stream on port 25, 465, 587 or 2525, and none starting with a 220 greeting or EHLO\/HELO; TLS from the first byte on port 4465 \(1 connection\), not read as SMTP; if it is SMTP over implicit TLS, read the capture with --smtp-port 4465 \(editor setting smtpTls\.capture\.smtpPorts\)$/m,
  );
  // capture-file-problem turns that line into an information diagnostic that carries the hint.
  const found = analyzeDocument(r.text).findings.filter((f) => f.rule === 'capture-file-problem');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /--smtp-port 4465/);
});

test('smtp ports: given port 4465, the connection is an SMTP session from its first byte, with its ClientHello decoded', () => {
  const r = importBytes(IMPLICIT, { smtpPorts: [4465] });
  assert.equal(r.sessionCount, 1);
  assert.match(r.text, /^# session 1: client 127\.0\.0\.1:\d+ -> server 127\.0\.0\.1:4465 \(SMTP recognised by port 4465, given as an SMTP port\)$/m);
  assert.match(r.text, /^# smtptls-port: 4465$/m);
  assert.doesNotMatch(r.text, /no SMTP found|not read as SMTP/);
  const analysis = analyzeDocument(r.text);
  assert.equal(analysis.sessions.length, 1);
  // msmtp (GnuTLS) sent the IP literal as server_name: a real finding that only the given port reveals.
  assert.deepEqual(analysis.findings.map((f) => f.rule), ['tls-sni-invalid']);
  assert.equal(analysis.findings[0].severity, 'error');
});

test('smtp ports: beside real SMTP sessions, TLS on another port is a plain note, not a diagnostic; a standard port given again changes nothing', () => {
  const bytes = mixed();
  const r = importBytes(bytes);
  assert.equal(r.sessionCount, 1);
  assert.match(r.text, /^# TLS from the first byte on port 4465 \(1 connection\), not read as SMTP; if it is SMTP over implicit TLS, read the capture with --smtp-port 4465/m);
  assert.doesNotMatch(r.text, /no SMTP found/);
  assert.deepEqual(analyzeDocument(r.text).findings.filter((f) => f.rule === 'capture-file-problem'), []);
  const both = importBytes(bytes, { smtpPorts: [4465] });
  assert.equal(both.sessionCount, 2);
  assert.equal(importBytes(bytes, { smtpPorts: [25, 0, 70000, 1.5] }).text, r.text);
});

test('smtp ports: the no-SMTP note lists the given ports it looked at', () => {
  const r = importBytes(SWAKS, { smtpPorts: [10025] });
  assert.equal(r.sessionCount, 1);
  const none = importBytes(IMPLICIT, { smtpPorts: [10025, 2465] });
  assert.match(none.text, /^# no SMTP found: no stream on port 25, 465, 587, 2465, 2525 or 10025, /m);
});

test('parseSmtpPorts: repeatable and comma lists; anything but a port 1-65535 is a usage error', () => {
  assert.deepEqual(parseSmtpPorts(undefined), []);
  assert.deepEqual(parseSmtpPorts(['4465', '2465, 10025']), [4465, 2465, 10025]);
  for (const bad of ['0', '65536', 'smtp', '25x', '', '-1', '1e3']) {
    assert.throws(() => parseSmtpPorts([bad]), (e: unknown) => e instanceof UsageError && /--smtp-port must be a port number from 1 to 65535/.test(e.message), bad);
  }
});
