/**
 * Sessions of an imported capture: every TCP connection stays its own session for the
 * readers (`# smtptls-session` after a blank line) and for the incremental analyser
 * (a chunk start), also an implicit-TLS session on port 465 that has no greeting; and the
 * decoded-model exports show the port the rules judge each session by.
 *
 * The two-connection capture: the real swaks STARTTLS capture (port 25, corpus) followed by
 * a port-465 connection our pcap export writes from a crafted transcript (client port 49152):
 * a ClientHello offering at most TLS 1.0 and the server's handshake_failure alert.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { findChunkStarts } from '../../src/core/analysis/documentChunks';
import { IncrementalAnalysis } from '../../src/core/analysis/incrementalAnalysis';
import { exportTranscriptToPcap } from '../../src/core/capture/exportPcap';
import { toDecodeJson } from '../../src/core/export/decodeJson';
import { formatDecodeText } from '../../src/core/export/decodeText';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { DEFAULT_SETTINGS } from '../../src/core/rules/types';
import { runCli } from '../../src/cli/main';
import { alert, clientHello, hexLines, record } from '../rules/craft';
import { CAPTURE_FIXTURES, CORPUS_SESSIONS, importBytes, listFrames, readFixture, writePcap } from './helpers';

const SWAKS = path.join(CORPUS_SESSIONS, 'swaks-starttls/capture.pcap');

function implicitTlsFrames() {
  const text = `${hexLines('C', record(22, 0x0301, clientHello({ version: 0x0301 })))}\n${hexLines('S', alert(2, 40))}\n`;
  const pcap = exportTranscriptToPcap(readTranscript(text), text, { defaultPort: 465 }).pcap;
  return listFrames(pcap);
}

/** Port 25 STARTTLS session, then a port-465 session one second after its last frame. */
function twoConnections(): Uint8Array {
  const first = listFrames(readFixture(SWAKS));
  const last = first[first.length - 1].seconds;
  const second = implicitTlsFrames().map((f, i) => ({ ...f, seconds: last + 1, micros: i }));
  return writePcap([...first, ...second], 1);
}

function decodedPorts(text: string): unknown[] {
  const json = toDecodeJson(analyzeDocument(text)) as { sessions: { port: unknown }[] };
  return json.sessions.map((s) => s.port);
}

test('a port-465 session after a port-25 session stays a session of its own, with its port', () => {
  const r = importBytes(twoConnections());
  assert.equal(r.sessions.length, 2);
  assert.deepEqual(r.sessions.map((s) => s.server.port), [25, 465]);
  // The importer's section header of the second connection; no greeting follows it.
  assert.match(r.text, /\n\n# smtptls-session\n# session 2: [^\n]*\n# port 465: [^\n]*\n# smtptls-port: 465\n(?:#[^\n]*\n)*C: 16 03 01 /);
  const sessions = readTranscript(r.text).sessions;
  assert.equal(sessions.length, 2);
  const lines = r.text.split('\n');
  const firstContent = lines.findIndex((l, i) => i > r.sessions[1].startLine && !l.startsWith('#') && l !== '');
  assert.equal(sessions[1].startLine, firstContent);
  assert.ok(sessions[0].endLine < r.sessions[1].startLine);
  assert.deepEqual(decodedPorts(r.text), [25, 465]);
  // Judged by its own port: TLS 1.0 as the highest version on a submission port is an error (RFC 8996, RFC 8314).
  const deprecated = analyzeDocument(r.text).findings.filter((f) => f.rule === 'tls-deprecated-version');
  assert.deepEqual(deprecated.map((f) => f.severity), ['error']);
  // The first session is not touched by the second: no STARTTLS finding about TLS without a 220.
  // (Read as one session, the 465 records would follow the first session's TLS 1.3 ones: tls-record-version.)
  assert.deepEqual(analyzeDocument(r.text).findings.filter((f) => f.rule.startsWith('starttls-') || f.rule === 'tls-record-version'), []);
});

test('the incremental analyser cuts at the section header and reports what the whole text reports', () => {
  const r = importBytes(twoConnections());
  // One chunk per section header (the first holds only the `# smtptls import of` line before it).
  const headers = [...r.text.matchAll(/^# smtptls-session$/gm)].map((m) => m.index);
  assert.equal(headers.length, 2);
  assert.deepEqual(findChunkStarts(r.text), headers);
  const inc = new IncrementalAnalysis(DEFAULT_SETTINGS);
  inc.setText(r.text);
  assert.equal(inc.chunks.length, 3);
  const whole = analyzeDocument(r.text).findings.map((f) => `${f.rule} ${f.severity} ${f.span.start}`);
  assert.deepEqual(inc.findings().map((f) => `${f.rule} ${f.severity} ${f.span.start}`), whole);
});

test('reader: `# smtptls-session` after a blank line starts a session; elsewhere, or misspelt, it does not', () => {
  const hello = hexLines('C', record(22, 0x0303, clientHello()));
  const two = `# smtptls-session\n${hello}\n\n# smtptls-session\n# a comment\n${hello}\n`;
  assert.equal(readTranscript(two).sessions.length, 2);
  assert.deepEqual(findChunkStarts(two), [two.indexOf('\n\n') + 2]);
  for (const near of [
    `${hello}\n# smtptls-session\n${hello}\n`, // no blank line before it
    `${hello}\n\n# smtptls-sessions\n${hello}\n`, // another word
    `${hello}\n\n#  smtptls-session\n${hello}\n`, // not the header as written
  ]) {
    assert.equal(readTranscript(near).sessions.length, 1, near.split('\n')[16]);
    assert.deepEqual(findChunkStarts(near), []);
  }
});

test('decode: an imported capture shows each session\'s port (JSON and text), as the rules resolve it', () => {
  const r = importBytes(readFixture(path.join(CAPTURE_FIXTURES, 'swaks-starttls.pcapng')));
  assert.deepEqual(decodedPorts(r.text), [25]);
  assert.match(formatDecodeText('x', analyzeDocument(r.text)), /^Session 1, port 25, lines /m);
  // A hand-written transcript: the `# smtptls-port:` comment, or nothing.
  const text = `${hexLines('C', record(22, 0x0303, clientHello()))}\n`;
  assert.deepEqual(decodedPorts(text), [null]);
  assert.deepEqual(decodedPorts(`# smtptls-port: 587\n${text}`), [587]);
  // Through the CLI, straight from the capture file.
  const out: string[] = [];
  const code = runCli(['decode', '--format', 'json', path.join(CAPTURE_FIXTURES, 'ipv6-p2525-nsec.pcap')], {
    stdout: (s: string) => out.push(s),
    stderr: () => undefined,
    readStdin: () => '',
    env: {},
    cwd: process.cwd(),
  } as unknown as Parameters<typeof runCli>[1]);
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(out.join('')).files[0].sessions.map((s: { port: number }) => s.port), [2525]);
});
