/** Transcript → pcap: tshark's decode of an exported file, and our own reader reading it back. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CAPTURE_FIXTURES, CORPUS_SESSIONS, importBytes, readFixture, rebuildStreams, toHexString } from './helpers';
import { exportTranscriptToPcap } from '../../src/core/capture/exportPcap';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { toDecodeJson } from '../../src/core/export/decodeJson';
import { REPO } from '../helpers/lspClient';
import { AUTH_LINES } from '../features/helpers';

function exportText(text: string, includeCredentials = false) {
  return exportTranscriptToPcap(readTranscript(text), text, { includeCredentials });
}

test('the exported pcap of a sample is byte-identical to the fixture tshark decoded, and tshark saw our hello fields', () => {
  const text = fs.readFileSync(path.join(REPO, 'samples/tls12-record-ssl3-legal.transcript'), 'utf8');
  const out = exportText(text);
  assert.equal(Buffer.compare(Buffer.from(out.pcap), Buffer.from(readFixture(path.join(CAPTURE_FIXTURES, 'exported-tls12-record-ssl3-legal.pcap')))), 0);
  // tshark -T fields (make-fixtures.sh): frame|srcport|record versions|handshake types|version|suites|extensions.
  const rows = fs.readFileSync(path.join(CAPTURE_FIXTURES, 'exported-tls12-record-ssl3-legal.tshark-fields.txt'), 'utf8').trim().split('\n').map((l) => l.split('|'));
  const decoded = toDecodeJson(analyzeDocument(text)) as unknown as { sessions: { events: { kind: string; records?: { version: number; messages: { type: number; version?: number; cipherSuites?: number[]; cipherSuite?: number; extensions?: { type: number }[] }[] }[] }[] }[] };
  const hellos = decoded.sessions.flatMap((s) => s.events).filter((e) => e.kind === 'tls').flatMap((e) => e.records ?? []).flatMap((r) => r.messages.map((m) => ({ r, m }))).filter(({ m }) => m.type === 1 || m.type === 2);
  assert.equal(hellos.length, 2);
  const hex = (n: number): string => '0x' + n.toString(16).padStart(4, '0');
  const [client, server] = rows;
  assert.equal(client[1], '49152');
  assert.equal(client[2], hex(hellos[0].r.version));
  assert.equal(client[4], hex(hellos[0].m.version!));
  assert.equal(client[5], hellos[0].m.cipherSuites!.map(hex).join(','));
  assert.equal(client[6], hellos[0].m.extensions!.map((x) => x.type).join(','));
  assert.equal(server[1], '25');
  assert.equal(server[4], hex(hellos[1].m.version!));
  assert.equal(server[5], hex(hellos[1].m.cipherSuite!));
  // The STARTTLS hand-off was followed: tshark calls frame 9 a Client Hello.
  assert.match(fs.readFileSync(path.join(CAPTURE_FIXTURES, 'exported-tls12-record-ssl3-legal.tshark-summary.txt'), 'utf8'), /^ +9 .* Client Hello$/m);
});

test('import → export → import gives the same events and the same bytes on each side', () => {
  for (const d of ['swaks-starttls', 'raw-sslv2-hello-v3.1-p25', 'pysmtplib-starttls']) {
    const first = importBytes(readFixture(path.join(CORPUS_SESSIONS, d, 'capture.pcap')), { elideApplicationData: false });
    const pcap = exportText(first.text, true).pcap;
    const second = importBytes(pcap, { elideApplicationData: false });
    const a = rebuildStreams(first.text);
    const b = rebuildStreams(second.text);
    assert.equal(toHexString(b.client), toHexString(a.client), d);
    assert.equal(toHexString(b.server), toHexString(a.server), d);
    const shape = (text: string): string[] =>
      readTranscript(text).sessions.flatMap((s) => s.events).filter((e) => e.kind !== 'note').map((e) => {
        if (e.kind === 'command') return `C ${e.verb} ${e.argument}`;
        if (e.kind === 'reply') return `S ${e.code} ${e.lines.join('|')}`;
        if (e.kind === 'bytes') return `B ${e.direction} ${toHexString(e.view.bytes)}`;
        return e.kind;
      });
    assert.deepEqual(shape(second.text), shape(first.text), d);
    // The session's date survives the round trip (export dates its frames by the `# smtptls-time:` line).
    const dateOf = (text: string): string | undefined => /^# smtptls-time: (.*)$/m.exec(text)?.[1];
    assert.ok(dateOf(first.text), d);
    assert.equal(dateOf(second.text), dateOf(first.text), d);
  }
});

test('export without a date starts at time 0, which the import reads as no date; two dated sessions keep theirs in order', () => {
  const session = (time: string): string => [`# smtptls-time: ${time}`, 'S: 220 mx.example.test ESMTP', 'C: QUIT', 'S: 221 bye', ''].join('\n');
  const undated = importBytes(exportText(['S: 220 mx.example.test ESMTP', 'C: QUIT', 'S: 221 bye', ''].join('\n')).pcap);
  assert.doesNotMatch(undated.text, /smtptls-time/);
  const two = importBytes(exportText(`${session('2024-05-06T07:08:09Z')}\n${session('2025-01-02T03:04:05Z')}`).pcap);
  assert.deepEqual([...two.text.matchAll(/^# smtptls-time: (.*)$/gm)].map((m) => m[1]), ['2024-05-06T07:08:09Z', '2025-01-02T03:04:05Z']);
  // A later session dated earlier does not send the frames back in time: it follows the one before.
  const back = importBytes(exportText(`${session('2025-01-02T03:04:05Z')}\n${session('2024-05-06T07:08:09Z')}`).pcap);
  const [a, b] = [...back.text.matchAll(/^# smtptls-time: (.*)$/gm)].map((m) => m[1]);
  assert.equal(a, '2025-01-02T03:04:05Z');
  assert.ok(b >= a && b < '2025-01-02T03:05', b);
});

test('gaps stay gaps (a sequence jump), and elided TLS records keep their length', () => {
  const first = importBytes(readFixture(path.join(CAPTURE_FIXTURES, 'swaks-starttls-drop12.pcap')));
  const second = importBytes(exportText(first.text).pcap);
  const gaps = (text: string): string[] => (text.match(/^[CS]: <\d+ bytes? [^>]*>$/gm) ?? []).map((l) => l.replace(/ bytes? .*$/, ''));
  assert.deepEqual(gaps(second.text), gaps(first.text));
  assert.match(second.text, /^S: <\d+ bytes not captured \([^)]+\)>$/m);
});

test('credentials are masked unless asked for; the transcript itself is never changed', () => {
  const text = [...AUTH_LINES, 'C: QUIT', 'S: 221 2.0.0 Bye', ''].join('\n');
  const masked = Buffer.from(exportText(text).pcap).toString('latin1');
  assert.ok(!masked.includes('AGFsaWNlAHNlY3JldA=='));
  assert.ok(!masked.includes('YWxpY2U=') && !masked.includes('c2VjcmV0'));
  assert.ok(masked.includes('AUTH PLAIN ********************\r\n'));
  assert.equal((masked.match(/(?<![*])[*]{8}\r\n/g) ?? []).length, 2);
  const clear = Buffer.from(exportText(text, true).pcap).toString('latin1');
  assert.ok(clear.includes('AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n'));
  assert.ok(clear.includes('c2VjcmV0\r\n') && clear.includes('YWxpY2U=\r\n'));
});

test('a session on port 465 keeps its port; lines with no blank line between them travel in one segment', () => {
  const text = '# smtptls-session\nS: 220 mx ESMTP\nC: EHLO a\nS: 250-mx\nS: 250 PIPELINING\nC: MAIL FROM:<a@b>\nC: RCPT TO:<c@d>\nC: DATA\n\nC: QUIT\n';
  const r = importBytes(exportText(text).pcap);
  assert.match(r.text, /\nC: MAIL FROM:<a@b>\nC: RCPT TO:<c@d>\nC: DATA\n\nC: QUIT\n/);
  assert.match(r.text, /\nS: 250-mx\nS: 250 PIPELINING\n/);
});
