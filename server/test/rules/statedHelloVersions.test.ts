/**
 * Hellos a tool shows only in words (openssl s_client -trace, tshark -V) are judged for their versions
 * as decoded hellos are: the highest version a ClientHello offers and the version a ServerHello selects
 * (tls-deprecated-version, tls-server-version-ssl3). Real runs against the mail lab with their captures,
 * tshark's fields of each hello as the oracle (server/test/fixtures/openssl-trace/, make-fixtures.sh).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { highestRealVersion, listClientHellos, listServerHellos, listStatedNegotiations, listStatedOfferedVersions, listStatedSelections } from '../../src/core/rules/sites';
import type { StatedEvent } from '../../src/core/model/transcript';
import { importBytes, readFixture } from '../capture/helpers';

const DIR = path.join(__dirname, '..', 'fixtures', 'openssl-trace');
const read = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');

/** tshark's fields of the capture's hellos (NAME.tshark.txt): frame;type;version;supported_versions;suites. */
function tsharkHellos(name: string): { type: number; version: number; supported: number[]; suites: number[] }[] {
  return read(`${name}.tshark.txt`)
    .trim()
    .split('\n')
    .map((line) => {
      const [, types, version, supported, suites] = line.split(';');
      const list = (s: string): number[] => (s === '' ? [] : s.split(',').map((x) => parseInt(x, 16)));
      return { type: Number(types.split(',')[0]), version: parseInt(version, 16), supported: list(supported), suites: list(suites) };
    });
}

const at = (text: string, span: { start: number; end: number }): string => text.slice(span.start, span.end);
const lineOf = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

test('s_client -trace on TLS 1.0: the client offering at most TLS 1.0 and the server selecting it are each a tls-deprecated-version, on the words that state them; tshark agrees', () => {
  const text = read('trace-tls10.txt');
  const analysis = analyzeDocument(text);
  const found = analysis.findings.filter((f) => f.rule === 'tls-deprecated-version');
  assert.deepEqual(analysis.findings.map((f) => f.rule), ['tls-deprecated-version', 'tls-deprecated-version']);
  assert.deepEqual(found.map((f) => [lineOf(text, f.span.start), at(text, f.span)]), [[9, '0x301'], [47, '0x301']]);
  assert.match(found[0].message, /^ClientHello \(as the tool states it\) offers at most TLS 1\.0 \(0x0301\); RFC 8996/);
  assert.match(found[1].message, /^The ServerHello \(as the tool states it\) selects TLS 1\.0 \(0x0301\); RFC 8996/);
  // The oracle: the capture's ClientHello (client_version 0x0301, no supported_versions) and ServerHello.
  const [ch, sh] = tsharkHellos('trace-tls10');
  assert.deepEqual([ch.type, ch.version, ch.supported], [1, 0x0301, []]);
  assert.deepEqual([sh.type, sh.version], [2, 0x0301]);
  assert.deepEqual([...listStatedOfferedVersions(analysis.sessions)].map((s) => s.version), [ch.version]);
  assert.deepEqual([...listStatedNegotiations(analysis.sessions)].map((s) => [s.version, s.fromServerHello]), [[sh.version, true]]);
  assert.deepEqual([...listStatedSelections(analysis.sessions)].map((s) => s.code), sh.suites);
  // The session block later states the same version: still one finding for the server's side.
  assert.match(text, /^\s+Protocol\s+: TLSv1$/m);
  // The same capture imported: its decoded hellos give the same two findings.
  const capture = analyzeDocument(importBytes(readFixture(path.join(DIR, 'trace-tls10.pcap'))).text);
  assert.deepEqual(capture.findings.map((f) => f.message.split(';')[0]), ['ClientHello offers at most TLS 1.0 (0x0301)', 'The server negotiates TLS 1.0 (0x0301)']);
});

test('tshark -V of the same capture: the same two findings, on tshark\'s Version lines', () => {
  const text = read('trace-tls10.tshark-V.txt');
  const found = analyzeDocument(text).findings;
  assert.deepEqual(found.map((f) => f.rule), ['tls-deprecated-version', 'tls-deprecated-version']);
  assert.deepEqual(found.map((f) => at(text, f.span)), ['0x0301', '0x0301']);
  for (const f of found) assert.match(text.slice(text.lastIndexOf('\n', f.span.start) + 1, f.span.end), /^\s+Version: TLS 1\.0 \(0x0301$/);
  assert.match(found[0].message, /^ClientHello \(as the tool states it\) offers at most TLS 1\.0/);
  assert.match(found[1].message, /^The ServerHello \(as the tool states it\) selects TLS 1\.0/);
});

test('s_client -trace on TLS 1.3 with stderr\'s "Can\'t use SSL_get_servername" inside the ClientHello\'s key_exchange line: the rest of the line is part of the record, no false dump errors; the hellos equal tshark\'s', () => {
  const text = read('trace-tls13-stderr-cut.txt');
  // The real cut: stdout's hex value, stderr's note, then the rest of the hex on a line of its own.
  const cut = /^ +key_exchange: +\(len=32\): ([0-9A-F]+)Can't use SSL_get_servername[^\n]*\n([0-9A-F]+)$/m.exec(text);
  assert.ok(cut, 'the fixture shows the cut');
  const analysis = analyzeDocument(text);
  assert.deepEqual(analysis.findings, []);
  const [ch, sh] = tsharkHellos('trace-tls13-stderr-cut');
  const stated = analysis.sessions.flatMap((s) => s.session.events).filter((e): e is StatedEvent => e.kind === 'stated');
  const hello = stated.find((e) => e.subject === 'client-hello')!;
  assert.deepEqual([hello.version, hello.supportedVersions, hello.cipherSuites], [ch.version, ch.supported, ch.suites]);
  // The record's statement runs past the cut to its last line (the key_share is the hello's last extension).
  assert.ok(hello.span.end >= text.indexOf(cut[2]) + cut[2].length, 'the rest of the cut line belongs to the ClientHello');
  const server = stated.find((e) => e.subject === 'server-hello')!;
  assert.deepEqual([server.version, server.supportedVersions, server.cipherSuite], [sh.version, sh.supported, sh.suites[0]]);
  // TLS 1.3, judged by the selected version (supported_versions), not server_version's 0x0303.
  assert.deepEqual([...listStatedNegotiations(analysis.sessions)].map((s) => s.version), [0x0304]);
  assert.deepEqual([...listStatedOfferedVersions(analysis.sessions)].map((s) => s.version), [0x0304]);
});

test('a stderr line between two lines of a -trace record (not cutting one) is part of the record; the record\'s later lines are still read', () => {
  const text = read('trace-tls10.txt');
  // Crafted from the real run: stderr's two verify lines put between the ServerHello's version and its random.
  const moved = text.replace('      server_version=0x301 (TLS 1.0)\n', '      server_version=0x301 (TLS 1.0)\ndepth=0 CN = mx.example.test\nverify return:1\n');
  assert.notEqual(moved, text);
  const server = (t: string) => analyzeDocument(t).sessions.flatMap((s) => s.session.events).find((e): e is StatedEvent => e.kind === 'stated' && e.subject === 'server-hello')!;
  assert.deepEqual([server(moved).cipherSuite, server(moved).extensions], [server(text).cipherSuite, server(text).extensions]);
  assert.ok(server(text).cipherSuite !== undefined && (server(text).extensions ?? []).length > 0);
});

test('a stated ServerHello selecting SSL 3.0 is tls-server-version-ssl3 (the real TLS 1.0 run, its server_version edited to 0x300)', () => {
  const text = read('trace-tls10.txt').replace('server_version=0x301 (TLS 1.0)', 'server_version=0x300 (SSL 3.0)');
  const found = analyzeDocument(text).findings.filter((f) => f.rule === 'tls-server-version-ssl3');
  assert.equal(found.length, 1);
  assert.equal(at(text, found[0].span), '0x300');
  assert.match(found[0].message, /^The ServerHello \(as the tool states it\) selects SSL 3\.0/);
});

test('where a hello is decoded from bytes, the same hello in words is not judged again (s_client -msg -trace style: decoded hellos win)', () => {
  // The capture's transcript (decoded hellos) with the -trace text appended in the same session would
  // repeat them; the stated sites are listed only for sessions without decoded hellos.
  const capture = analyzeDocument(importBytes(readFixture(path.join(DIR, 'trace-tls10.pcap'))).text);
  assert.ok([...listClientHellos(capture.sessions)].length === 1 && [...listServerHellos(capture.sessions)].length === 1);
  assert.deepEqual([...listStatedOfferedVersions(capture.sessions)], []);
  assert.deepEqual([...listStatedNegotiations(capture.sessions)], []);
});

test('highestRealVersion: GREASE and non-TLS values aside, 0 when none is left', () => {
  assert.equal(highestRealVersion([0x0a0a, 0x0304, 0x0303]), 0x0304);
  assert.equal(highestRealVersion([0x0301, 0x0302]), 0x0302);
  assert.equal(highestRealVersion([0x7a7a]), 0);
  assert.equal(highestRealVersion([0xfefd]), 0);
  assert.equal(highestRealVersion([]), 0);
});

test('an alert s_client -trace states is tls-alert on its Level/description line: the server\'s fatal handshake_failure when no suite is shared, as in the capture', () => {
  const text = read('trace-no-shared-cipher.txt');
  const found = analyzeDocument(text).findings;
  assert.deepEqual(found.map((f) => [f.rule, f.severity]), [['tls-alert', 'warning']]);
  assert.match(text.slice(found[0].span.start, found[0].span.end), /^Level=fatal\(2\), description=handshake failure\(40\)$/);
  assert.match(found[0].message, /^The server sends a fatal alert handshake_failure \(40\), ending the connection \(as the tool states it\)\.$/);
  // The capture (tshark: tls.alert_message.level 2, desc 40) gives the same rule and severity.
  const capture = analyzeDocument(importBytes(readFixture(path.join(DIR, 'trace-no-shared-cipher.pcap'))).text);
  assert.deepEqual(capture.findings.map((f) => [f.rule, f.severity]), [['tls-alert', 'warning']]);
  // The close_notify warnings at the end of a clean run are not reported.
  assert.match(read('trace-tls10.txt'), /Level=warning\(1\), description=close notify\(0\)/);
  assert.deepEqual(analyzeDocument(read('trace-tls10.txt')).findings.filter((f) => f.rule === 'tls-alert'), []);
});

test('curl -v\'s "TLS alert, handshake failure (552)" is the fatal alert 40 (level 2 << 8 | 40): tls-alert, a warning, as its capture', () => {
  const dir = path.join(__dirname, '..', 'fixtures', 'curl-verbose');
  const text = readFileSync(path.join(dir, 'curl-v-no-shared-cipher.txt'), 'utf8');
  const found = analyzeDocument(text).findings;
  assert.deepEqual(found.map((f) => [f.rule, f.severity]), [['tls-alert', 'warning']]);
  assert.match(text.slice(found[0].span.start, found[0].span.end), /TLS alert, handshake failure \(552\)/);
  // tshark on the capture: level 2, description 40 (curl-v-no-shared-cipher.tshark.txt).
  assert.equal(readFileSync(path.join(dir, 'curl-v-no-shared-cipher.tshark.txt'), 'utf8').trim(), '2\t40');
  const capture = analyzeDocument(importBytes(readFixture(path.join(dir, 'curl-v-no-shared-cipher.pcap'))).text);
  assert.deepEqual(capture.findings.map((f) => [f.rule, f.severity]), [['tls-alert', 'warning']]);
});
