/**
 * posttls-finger (server/test/fixtures/posttls-finger/make-fixtures.sh: real runs against the mail
 * lab, each captured): the records it dumps are the capture's, as tshark reads them (lengths,
 * handshake types); the bytes Postfix's dump leaves out as <SPACES/NULLS> are filled in; the
 * dialogue, the port and the negotiated version and cipher it states are read; `-r` gives two sessions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument, type Analysis } from '../../src/core/analysis/analyzeDocument';
import { toDecodeJson } from '../../src/core/export/decodeJson';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { computeHover } from '../../src/core/features/hover';

const DIR = path.join(__dirname, '..', 'fixtures', 'posttls-finger');
const read = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');
const RUNS = ['tls13-handshake-dump', 'tls13-session-dump', 'tls12-session-dump', 'tls10-legacy-sigalg', 'default', 'resumed', 'tls-only'];

interface Side {
  lengths: number[];
  handshakeTypes: number[];
}
type Sides = { client: Side; server: Side };
const emptySides = (): Sides => ({ client: { lengths: [], handshakeTypes: [] }, server: { lengths: [], handshakeTypes: [] } });

/** Records of all sessions by direction: their lengths, and the types of the handshake messages decoded in them. */
function ourRecords(a: Analysis): Sides {
  const out = emptySides();
  const json = toDecodeJson(a) as { sessions: { events: { kind: string; direction: 'client' | 'server'; records?: { length: number; messages: { type: number }[] }[] }[] }[] };
  for (const e of json.sessions.flatMap((s) => s.events)) {
    for (const r of e.records ?? []) {
      out[e.direction].lengths.push(r.length);
      out[e.direction].handshakeTypes.push(...r.messages.map((m) => m.type));
    }
  }
  return out;
}

/** tshark -T fields: frame;tcp.srcport;content types;record lengths;handshake types;suite;alert (server port: `port`). */
function tsharkRecords(text: string, port: string): Sides {
  const out = emptySides();
  for (const line of text.split('\n').filter(Boolean)) {
    const [, src, , lengths, types] = line.split(';');
    const side = out[src === port ? 'server' : 'client'];
    if (lengths) side.lengths.push(...lengths.split(',').map(Number));
    if (types) side.handshakeTypes.push(...types.split(',').map(Number));
  }
  return out;
}

const isPrefix = (a: number[], b: number[]): boolean => a.length <= b.length && a.every((x, i) => x === b[i]);

for (const run of RUNS) {
  test(`${run}: read as posttls-finger; every record it dumps is the capture's, as tshark reads it`, () => {
    const text = read(`${run}.txt`);
    const a = analyzeDocument(text);
    assert.equal(a.transcript.format, 'posttls-finger');
    assert.equal(a.sessions.length, run === 'resumed' ? 2 : 1);
    const port = run === 'tls10-legacy-sigalg' ? '2526' : '25';
    const theirs = tsharkRecords(read(`${run}.tshark.txt`), port);
    const ours = ourRecords(a);
    if (run === 'default' || run === 'resumed') {
      // No dumps: no record at all, the negotiation as stated.
      assert.deepEqual(ours, emptySides());
      return;
    }
    // -L ssl-session-packet-dump shows every record the client wrote; ssl-handshake-packet-dump those
    // of the handshake (then the dialogue goes on unshown); of the server's, those the client read.
    if (run.endsWith('-session-dump')) assert.deepEqual(ours.client, theirs.client);
    assert.ok(isPrefix(ours.client.lengths, theirs.client.lengths), `${ours.client.lengths} / ${theirs.client.lengths}`);
    assert.deepEqual(ours.client.handshakeTypes, theirs.client.handshakeTypes);
    assert.ok(isPrefix(ours.server.lengths, theirs.server.lengths), `${ours.server.lengths} / ${theirs.server.lengths}`);
    assert.ok(isPrefix(ours.server.handshakeTypes, theirs.server.handshakeTypes));
    // All but the server's last (its close_notify, sent as the client closes), or at least its hello.
    if (run.endsWith('-session-dump')) assert.ok(ours.server.lengths.length >= theirs.server.lengths.length - 1);
    assert.equal(ours.server.handshakeTypes[0], 2);
    // No record reads short: the bytes left out as <SPACES/NULLS> are there.
    assert.deepEqual(a.findings.filter((f) => f.rule === 'tls-truncated' || f.rule === 'tls-malformed'), []);
  });
}

test('<SPACES/NULLS>: the ClientHello padding\'s zeros are read, each placed at the marker', () => {
  const text = read('tls13-handshake-dump.txt');
  const a = analyzeDocument(text);
  const hello = a.sessions[0].tlsEvents.flatMap((t) => t.records).find((r) => r.messages[0]?.type === 1)!;
  const ch = hello.messages[0];
  assert.ok(ch.type === 1 && 'extensions' in ch);
  const padding = ch.extensions.find((x) => x.type === 21);
  assert.ok(padding, 'padding extension decoded');
  // The elided bytes all stand at the marker's "<".
  const marker = text.indexOf('<SPACES/NULLS>');
  const view = a.sessions[0].session.events.find((e) => e.kind === 'bytes' && e.direction === 'client');
  assert.ok(view && view.kind === 'bytes');
  const atMarker = [...view.view.offsets].filter((o) => o === marker).length;
  assert.ok(atMarker > 0 && view.view.bytes.slice(view.view.bytes.length - atMarker).every((b) => b === 0), `${atMarker} bytes at the marker`);
});

test('<SPACES/NULLS> in a record header read: the length is the size of the body read after it (00 20: a NUL and a space)', () => {
  const text = read('tls13-session-dump.txt');
  assert.match(text, /: 0000 17 03 03 {2,}\.\.\.\nposttls-finger: 0003 - <SPACES\/NULLS>\nposttls-finger: read from \S+ \[\S+\] \(32 bytes => 32 \(0x20\)\)/);
  const ours = ourRecords(analyzeDocument(text));
  assert.ok(ours.server.lengths.includes(32));
  // Crafted from that run: the same header with a body read of 8,192 bytes (20 00) and of 300 (01 2c, not
  // spaces or NULs: then NULs, and the record reads as one of length 0).
  const header = (body: number): string =>
    [
      'posttls-finger: read from 55E6BCBF8E70 [55E6BCC41D83] (5 bytes => 5 (0x5))',
      'posttls-finger: 0000 17 03 03                                         ...',
      'posttls-finger: 0003 - <SPACES/NULLS>',
      `posttls-finger: read from 55E6BCBF8E70 [55E6BCC41D88] (${body} bytes => ${body} (0x${body.toString(16).toUpperCase()}))`,
      'posttls-finger: 0000 53 db 73 e3 50 4e 59 c9|5a b6 16 e3 2a a7 31 8a  S.s.PNY. Z...*.1.',
      '',
    ].join('\n');
  const bytesOf = (t: string): number[] => {
    const e = readTranscript(t).sessions[0].events.find((x) => x.kind === 'bytes');
    return e && e.kind === 'bytes' ? [...e.view.bytes.slice(0, 5)] : [];
  };
  assert.deepEqual(bytesOf(header(8192)), [0x17, 0x03, 0x03, 0x20, 0x00]);
  assert.deepEqual(bytesOf(header(32)), [0x17, 0x03, 0x03, 0x00, 0x20]);
  assert.deepEqual(bytesOf(header(300)), [0x17, 0x03, 0x03, 0x00, 0x00]);
  // A write is never a header read apart from its body: NULs.
  assert.deepEqual(bytesOf(header(32).replace('read from 55E6BCBF8E70 [55E6BCC41D83]', 'write to 55E6BCBF8E70 [55E6BCC41D83]')).slice(3), [0, 0]);
});

test('the dialogue, its port, TLS and the negotiation posttls-finger states; -r: the resumed connection is a session of its own', () => {
  const t = readTranscript(read('default.txt'));
  const s = t.sessions[0];
  assert.equal(s.port, 25);
  const lines = s.events.flatMap((e) => (e.kind === 'command' ? [`C ${e.verb}${e.inTls ? ' (TLS)' : ''}`] : e.kind === 'reply' ? [`S ${e.code}${e.inTls ? ' (TLS)' : ''}`] : []));
  assert.deepEqual(lines, ['S 220', 'C EHLO', 'S 250', 'C STARTTLS', 'S 220', 'C EHLO (TLS)', 'S 250 (TLS)', 'C QUIT (TLS)', 'S 221 (TLS)']);
  const stated = s.events.find((e) => e.kind === 'stated');
  assert.ok(stated && stated.kind === 'stated');
  // tshark: the ServerHello of default.pcap selects TLS_AES_256_GCM_SHA384 (0x1302).
  assert.match(read('default.tshark.txt'), /;25;[^;]*;[^;]*;2;0x1302;/);
  assert.equal(stated.version, 0x0304);
  assert.equal(stated.cipherName, 'TLS_AES_256_GCM_SHA384');

  const r = readTranscript(read('resumed.txt'));
  assert.equal(r.sessions.length, 2);
  // The reconnection names no port: the first connection's.
  assert.deepEqual(r.sessions.map((x) => x.port), [25, 25]);
  assert.equal(r.sessions[1].events.find((e) => e.kind === 'reply')?.code, 220);
  assert.ok(r.sessions.every((x) => x.events.some((e) => e.kind === 'stated')));
});

test('findings: TLS 1.0 offered and negotiated, and the client\'s fatal alert, at their bytes', () => {
  const a = analyzeDocument(read('tls10-legacy-sigalg.txt'));
  assert.deepEqual(a.findings.map((f) => f.rule).sort(), ['tls-alert', 'tls-deprecated-version', 'tls-deprecated-version']);
  assert.match(a.findings.find((f) => f.rule === 'tls-alert')!.message, /internal_error \(80\)/);
  // The failure posttls-finger reports is kept as a note of the session.
  assert.ok(a.sessions[0].session.events.some((e) => e.kind === 'note' && e.text.startsWith('SSL_connect error')));
});

test('a line of posttls-finger that is neither dialogue nor dump is consumed, not read as SMTP', () => {
  const t = readTranscript('posttls-finger: Read 15 chars: 221 2.0.0 Bye??\nposttls-finger: < 221 2.0.0 Bye\n');
  assert.equal(t.format, 'posttls-finger');
  assert.deepEqual(t.sessions[0].events.filter((e) => e.kind === 'reply').map((e) => e.line), [1]);
});

test('hover on <SPACES/NULLS>: how many bytes it stands for, and the field they fall in', () => {
  const text = read('tls13-handshake-dump.txt');
  const a = analyzeDocument(text);
  const at = text.indexOf('<SPACES/NULLS>');
  for (const offset of [at, at + 7, at + 13]) {
    const h = computeHover(a, offset);
    assert.ok(h, `hover at +${offset - at}`);
    // 517 bytes written, shown up to 0x17b: 138, the padding extension's zeros (its length field reads 00 8a).
    assert.match(h.markdown, /^\*\*`<SPACES\/NULLS>`: 138 bytes not printed\*\* \(bytes 379–516 of this dump, in .*padding/);
    assert.deepEqual(h.span, { start: at, end: at + 14 });
  }
  assert.equal(computeHover(a, at + 14), null);
});
