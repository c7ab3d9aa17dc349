/**
 * Every text format of FORMATS.md on real output: the corpus sessions (facts.json =
 * tshark's reading of the same capture), the live captures' postfix logs, and the files of
 * fixtures/make-format-fixtures.sh (real programs against the mail lab, real pcaps
 * rendered by tcpdump/tshark). Crafted inputs are marked as such and explained.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readTranscript } from '../../src/core/formats/readTranscript';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import type { ClientHelloMessage } from '../../src/core/model/tls';
import type { SmtpCommandEvent, SmtpReplyEvent, StatedEvent, Transcript, TranscriptEvent } from '../../src/core/model/transcript';
import { allEvents, assertExactOffsets } from './helpers';

const CORPUS = join(__dirname, '..', 'fixtures', 'corpus', 'sessions');
const LIVE = join(__dirname, '..', 'fixtures', 'live');
const OWN = join(__dirname, 'fixtures');
const SESSIONS = readdirSync(CORPUS).sort();

const read = (path: string): string => readFileSync(path, 'latin1');

/** Format each corpus file name reads as. */
const FORMAT_OF_FILE: Record<string, string> = {
  'swaks.txt': 'swaks',
  'openssl-s_client-msg.txt': 'openssl-msg',
  'openssl-s_client-trace.txt': 'openssl-trace',
  'openssl-s_client-debug.txt': 'openssl-debug',
  'gnutls-cli-d5.txt': 'gnutls-debug',
  'curl-v.txt': 'curl-verbose',
  'curl-trace.txt': 'curl-trace',
  'python-smtplib-debug.txt': 'python-smtplib',
  'postfix.log': 'postfix-log',
  'tshark-summary.txt': 'tshark-summary',
  'tshark-x.txt': 'tshark-x',
  'tcpdump-X.txt': 'tcpdump-hex',
  'tshark-follow-tcp-ascii.txt': 'tshark-follow-ascii',
  'tshark-follow-tls-ascii-decrypted.txt': 'tshark-follow-ascii',
  'tshark-follow-tcp-hex.txt': 'tshark-follow-hex',
  'tshark-V-handshake.txt': 'tshark-verbose',
  'transcript-CS.txt': 'cs-transcript',
  'transcript-CS-decrypted.txt': 'cs-transcript',
  'send_after_starttls.txt': 'cs-transcript',
  'clienthello.xxd.txt': 'xxd',
  'clienthello.hexdump-C.txt': 'hexdump-C',
  'clienthello.xxd-p.txt': 'hexstream',
};

const OWN_FORMATS: Record<string, string> = {
  'curl-trace-ascii.txt': 'curl-trace-ascii',
  'gnutls-cli-d4.txt': 'gnutls-debug',
  'openssl-trace-tls13.txt': 'openssl-trace',
  'swaks-auth.txt': 'swaks',
  'tcpdump-XX-sslv2.txt': 'tcpdump-hex',
  'tcpdump-xx.txt': 'tcpdump-hex',
  'tshark-V-sslv2-p2526.txt': 'tshark-verbose',
  'tshark-follow-hex-tls12.txt': 'tshark-follow-hex',
  'tshark-x-tls12.txt': 'tshark-x',
  'postfix-lab.log': 'postfix-log',
};

const LIVE_FORMATS: [string, string][] = [['.postfix.log', 'postfix-log'], ['.tshark-V.txt', 'tshark-verbose'], ['.tshark-summary.txt', 'tshark-summary']];

/** Every document of the test: [label, text]. */
function allDocuments(): [string, string][] {
  const docs: [string, string][] = [];
  for (const s of SESSIONS) {
    for (const f of readdirSync(join(CORPUS, s)).sort()) {
      if (f.endsWith('.txt') || f.endsWith('.log')) docs.push([`${s}/${f}`, read(join(CORPUS, s, f))]);
    }
  }
  for (const f of readdirSync(LIVE).sort()) if (f.endsWith('.log') || f.endsWith('.txt')) docs.push([`live/${f}`, read(join(LIVE, f))]);
  for (const f of Object.keys(OWN_FORMATS)) docs.push([`own/${f}`, read(join(OWN, f))]);
  return docs;
}

/** Every byte of every run and of every SMTP line read from hex maps to its two hex digits. */
function assertAllOffsets(label: string, text: string, t: Transcript): number {
  let checked = assertExactOffsets(text, t);
  const checkView = (view: { bytes: Uint8Array; offsets: Int32Array } | undefined): void => {
    if (!view) return;
    for (let i = 0; i < view.bytes.length; i++) {
      const pair = text.slice(view.offsets[i], view.offsets[i] + 2);
      assert.equal(parseInt(pair, 16), view.bytes[i], `${label}: byte ${i} of a line at ${view.offsets[0]}`);
      assert.match(pair, /^[0-9a-fA-F]{2}$/);
      checked++;
    }
  };
  for (const e of allEvents(t)) {
    if (e.kind === 'command') checkView(e.view);
    if (e.kind === 'reply') for (const p of e.parts) checkView(p.view);
    for (const span of spansOf(e)) {
      assert.ok(span.start >= 0 && span.start <= span.end && span.end <= text.length, `${label}: span ${span.start}-${span.end}`);
    }
  }
  return checked;
}

function spansOf(e: TranscriptEvent): { start: number; end: number }[] {
  if (e.kind === 'reply') return e.parts.map((p) => p.span);
  if (e.kind === 'bytes') return [];
  const spans = [e.span];
  if (e.kind === 'stated' && e.valueSpans) spans.push(...Object.values(e.valueSpans));
  if (e.kind === 'command' && e.secretSpan) spans.push(e.secretSpan);
  return spans;
}

test('every real document: no exception, spans inside the text, every hex byte at its digits, format named', () => {
  let bytes = 0;
  let docs = 0;
  for (const [label, text] of allDocuments()) {
    const t = readTranscript(text);
    bytes += assertAllOffsets(label, text, t);
    const file = label.split('/').pop()!;
    const want = label.startsWith('own/') ? OWN_FORMATS[file] : label.startsWith('live/') ? LIVE_FORMATS.find(([suffix]) => file.endsWith(suffix))?.[1] : FORMAT_OF_FILE[file];
    // (An empty file, such as a tshark -V of a capture without TLS, is plain text.)
    if (want && text.trim() !== '') assert.equal(t.format, want, label);
    if (want && want !== 'keylog') assert.deepEqual(t.problems, [], label);
    docs++;
  }
  assert.ok(docs > 200, `${docs} documents`);
  assert.ok(bytes > 100000, `${bytes} bytes checked`);
});

interface Facts {
  port: number;
  smtp: [string, number, string][];
  tls: { dir: string; kind: string; type?: string; record_version: string; version?: string; cipher_suites?: string[]; extensions?: string[]; supported_versions?: string[] }[];
}

function facts(session: string): Facts {
  return JSON.parse(readFileSync(join(CORPUS, session, 'facts.json'), 'utf8')) as Facts;
}

/** "TLS 1.2 (0x0303)" -> 0x0303 */
function hexIn(s: string): number {
  return parseInt(/\(0x([0-9a-f]{4})\)/.exec(s)![1], 16);
}

/** The SMTP dialogue before TLS as facts.json writes it: "S:220", "C:EHLO", ... */
function factsDialogue(f: Facts): string[] {
  return f.smtp.filter(([, , t]) => !t.startsWith('(')).map(([d, , t]) => (d === 'C' ? `C:${t.split(' ')[0].toUpperCase()}` : `S:${t.slice(0, 3)}`));
}

function ourDialogue(t: Transcript, n: number): string[] {
  const out: string[] = [];
  for (const e of allEvents(t)) {
    if (e.kind === 'command' && !e.dataLine) out.push(`C:${e.verb}`);
    if (e.kind === 'reply') out.push(`S:${e.code}`);
  }
  return out.slice(0, n);
}

const DIALOGUE_FILES = [
  'swaks.txt', 'curl-v.txt', 'curl-trace.txt', 'python-smtplib-debug.txt', 'postfix.log', 'tshark-summary.txt', 'tshark-x.txt',
  'tcpdump-X.txt', 'tshark-follow-tcp-ascii.txt', 'tshark-follow-tcp-hex.txt', 'openssl-s_client-debug.txt', 'transcript-CS.txt',
];

test('corpus: the SMTP dialogue before TLS equals tshark\'s, in every format that shows it', () => {
  let compared = 0;
  for (const s of SESSIONS) {
    const want = factsDialogue(facts(s));
    for (const f of DIALOGUE_FILES) {
      const path = join(CORPUS, s, f);
      if (!existsSync(path)) continue;
      // smtplib prints nothing for the greeting it reads while connecting.
      const expected = f === 'python-smtplib-debug.txt' ? want.slice(1) : want;
      const got = ourDialogue(readTranscript(read(path)), expected.length);
      assert.deepEqual(got, expected, `${s}/${f}`);
      compared++;
    }
  }
  assert.ok(compared >= 40, `${compared} files compared`);
});

const HELLO_FILES = ['tshark-x.txt', 'tcpdump-X.txt', 'tshark-follow-tcp-hex.txt', 'openssl-s_client-debug.txt', 'curl-trace.txt', 'openssl-s_client-msg.txt'];

function firstClientHello(text: string): { hello: ClientHelloMessage; recordVersion: number } | null {
  const a = analyzeDocument(text);
  for (const s of a.sessions) {
    for (const ev of s.tlsEvents) {
      for (const r of ev.records) {
        for (const m of r.messages) if (m.type === 1 && 'form' in m) return { hello: m, recordVersion: r.version };
      }
    }
  }
  return null;
}

test('corpus: the ClientHello decoded from every hex format equals tshark\'s (record version, client_version, suites, extensions)', () => {
  let compared = 0;
  for (const s of SESSIONS) {
    const ch = facts(s).tls.find((x) => x.dir === 'C' && x.kind === 'handshake' && x.type === 'Client Hello (1)');
    if (!ch) continue;
    for (const f of HELLO_FILES) {
      const path = join(CORPUS, s, f);
      if (!existsSync(path)) continue;
      const got = firstClientHello(read(path));
      assert.ok(got, `${s}/${f}: no ClientHello`);
      assert.equal(got.recordVersion, hexIn(ch.record_version), `${s}/${f} record version`);
      assert.equal(got.hello.version, hexIn(ch.version!), `${s}/${f} client_version`);
      assert.equal(got.hello.cipherSuites?.length, ch.cipher_suites!.length, `${s}/${f} suites`);
      assert.equal(got.hello.extensions.length, ch.extensions!.length, `${s}/${f} extensions`);
      compared++;
    }
  }
  assert.ok(compared >= 30, `${compared} files compared`);
});

function stated(t: Transcript, subject: StatedEvent['subject']): StatedEvent[] {
  return allEvents(t).filter((e): e is StatedEvent => e.kind === 'stated' && e.subject === subject);
}

test('corpus: hellos stated in words (openssl -trace, gnutls-cli -d, tshark -V) carry tshark\'s values, marked statedByTool', () => {
  let compared = 0;
  for (const s of SESSIONS) {
    const ch = facts(s).tls.find((x) => x.dir === 'C' && x.kind === 'handshake' && x.type === 'Client Hello (1)');
    for (const f of ['openssl-s_client-trace.txt', 'gnutls-cli-d5.txt', 'tshark-V-handshake.txt']) {
      const path = join(CORPUS, s, f);
      if (!existsSync(path) || !ch) continue;
      const text = read(path);
      const hello = stated(readTranscript(text), 'client-hello')[0];
      assert.ok(hello, `${s}/${f}`);
      assert.equal(hello.statedByTool, true);
      assert.equal(hello.direction, 'client');
      assert.equal(hello.version, hexIn(ch.version!), `${s}/${f} client_version`);
      assert.equal(hello.cipherSuites?.length, ch.cipher_suites!.length, `${s}/${f} suites`);
      const vs = hello.valueSpans?.version;
      assert.ok(vs, `${s}/${f}: span of the version`);
      const written = text.slice(vs.start, vs.end);
      assert.ok(written === '0x303' || written === '3.3' || written === '0x0303', `${s}/${f}: version written as ${written}`);
      if (f !== 'gnutls-cli-d5.txt') {
        assert.equal(hello.recordVersion, hexIn(ch.record_version), `${s}/${f} record version`);
        assert.equal(hello.extensions?.length, ch.extensions!.length, `${s}/${f} extensions`);
      } else {
        // gnutls states the versions it advertises (supported_versions) but never the record version.
        assert.deepEqual(hello.supportedVersions, ch.supported_versions!.map(hexIn));
      }
      compared++;
    }
  }
  assert.ok(compared >= 3, `${compared}`);
});

test('openssl -trace: the founding rule\'s input, client_version=0x303, with the exact span of "0x303"', () => {
  const text = read(join(CORPUS, 'ossl-tls1_2-trace', 'openssl-s_client-trace.txt'));
  const t = readTranscript(text);
  const hello = stated(t, 'client-hello')[0];
  assert.equal(hello.version, 0x0303);
  assert.equal(hello.recordVersion, 0x0301);
  assert.equal(text.slice(hello.valueSpans!.version.start, hello.valueSpans!.version.end), '0x303');
  assert.equal(text.slice(hello.valueSpans!.recordVersion.start, hello.valueSpans!.recordVersion.end), '0x301');
  assert.deepEqual(hello.compressionMethods, [0]);
  const sh = stated(t, 'server-hello')[0];
  assert.equal(sh.direction, 'server');
  assert.equal(sh.cipherSuite, 0xc030);
  // TLS 1.3 trace (own fixture): the ServerHello's supported_versions extension states 1.3.
  const t13 = readTranscript(read(join(OWN, 'openssl-trace-tls13.txt')));
  assert.deepEqual(stated(t13, 'server-hello')[0].supportedVersions, [0x0304]);
  assert.ok(stated(t13, 'client-hello')[0].supportedVersions?.includes(0x0304));
  // After the handshake, the bare SMTP lines are inside TLS.
  const replies = allEvents(t).filter((e): e is SmtpReplyEvent => e.kind === 'reply');
  assert.ok(replies.length > 0 && replies.every((r) => r.inTls));
});

test('negotiated outcome stated by swaks, curl -v, postfix and gnutls: TLS 1.3 with TLS_AES_256_GCM_SHA384', () => {
  for (const [s, f] of [['swaks-starttls', 'swaks.txt'], ['curl-v-starttls', 'curl-v.txt'], ['swaks-starttls', 'postfix.log']]) {
    const n = stated(readTranscript(read(join(CORPUS, s, f))), 'negotiated')[0];
    assert.ok(n, `${s}/${f}`);
    assert.equal(n.version, 0x0304, `${s}/${f}`);
    assert.equal(n.cipherName, 'TLS_AES_256_GCM_SHA384', `${s}/${f}`);
  }
  const g = stated(readTranscript(read(join(CORPUS, 'gnutls-default-d5', 'gnutls-cli-d5.txt'))), 'negotiated');
  assert.ok(g.some((x) => x.version === 0x0304));
  assert.ok(g.some((x) => x.cipherName === 'GNUTLS_AES_256_GCM_SHA384'));
});

test('curl -v: the handshake told in words becomes stated events with direction and handshake type', () => {
  const t = readTranscript(read(join(CORPUS, 'curl-v-starttls', 'curl-v.txt')));
  const ch = stated(t, 'client-hello')[0];
  assert.equal(ch.direction, 'client');
  assert.equal(ch.handshakeType, 1);
  assert.equal(ch.labelVersion, 0x0304);
  assert.equal(ch.version, undefined, 'curl does not state client_version');
  assert.equal(stated(t, 'server-hello')[0].direction, 'server');
  // Commands after STARTTLS are inside TLS; those before are not.
  const cmds = allEvents(t).filter((e): e is SmtpCommandEvent => e.kind === 'command');
  assert.deepEqual(cmds.map((c) => [c.verb, c.inTls]).slice(0, 4), [['EHLO', false], ['STARTTLS', false], ['EHLO', true], ['MAIL', true]]);
});

test('line endings kept where the format keeps them: hex payload, python repr, tshark -V', () => {
  for (const [s, f] of [['swaks-starttls', 'tshark-x.txt'], ['swaks-starttls', 'tcpdump-X.txt'], ['swaks-starttls', 'tshark-follow-tcp-hex.txt'], ['ossl-default-debug', 'openssl-s_client-debug.txt'], ['curl-trace-starttls', 'curl-trace.txt'], ['pysmtplib-starttls', 'python-smtplib-debug.txt']]) {
    const t = readTranscript(read(join(CORPUS, s, f)));
    const cmds = allEvents(t).filter((e): e is SmtpCommandEvent => e.kind === 'command');
    assert.ok(cmds.length > 0, `${s}/${f}`);
    for (const c of cmds) assert.equal(c.lineEnding, '\r\n', `${s}/${f} ${c.verb}`);
    // openssl prints the replies it decrypts as bare text (no ending kept); those read from hex or a repr keep it.
    const replies = allEvents(t).filter((e): e is SmtpReplyEvent => e.kind === 'reply' && (e.parts[0].view !== undefined || f.startsWith('python')));
    assert.ok(replies.length > 0, `${s}/${f}`);
    for (const r of replies) for (const p of r.parts) assert.equal(p.lineEnding, '\r\n', `${s}/${f} ${p.codeText}`);
  }
  // The text of a line read from hex is its bytes; its span covers their hex pairs.
  const text = read(join(CORPUS, 'swaks-starttls', 'tshark-x.txt'));
  const ehlo = allEvents(readTranscript(text)).find((e): e is SmtpCommandEvent => e.kind === 'command')!;
  assert.equal(ehlo.verb, 'EHLO');
  assert.equal(ehlo.argument, 'client.feas.test');
  assert.equal(text.slice(ehlo.span.start, ehlo.span.start + 2), '45');
});

test('frame headers: ports and direction from the headers, payload only (IPv4 options/TCP options honoured)', () => {
  for (const f of ['tshark-x.txt', 'tcpdump-X.txt']) {
    const t = readTranscript(read(join(CORPUS, 'raw-sslv2-hello-v3.1-p25', f)));
    assert.equal(t.sessions.length, 1);
    assert.equal(t.sessions[0].port, 25);
    const runs = allEvents(t).filter((e) => e.kind === 'bytes');
    assert.equal(runs[0].kind === 'bytes' && runs[0].direction, 'client');
    assert.equal(runs[0].kind === 'bytes' && runs[0].view.bytes[0], 0x80, 'SSLv2 header first, no frame header');
  }
  // tcpdump -XX starts at the Ethernet header; -xx has no ASCII column.
  for (const f of ['tcpdump-XX-sslv2.txt', 'tcpdump-xx.txt']) {
    const t = readTranscript(read(join(OWN, f)));
    assert.equal(t.sessions[0].port, 25, f);
    assert.ok(firstClientHello(read(join(OWN, f))), f);
  }
});

test('postfix: one session per connection of a reused smtpd process; level 3 reads are records, elided bytes NULs at the marker', () => {
  const lab = readTranscript(read(join(OWN, 'postfix-lab.log')));
  assert.equal(lab.sessions.length, 4, 'swaks, curl, openssl, gnutls connections to one smtpd process');
  for (const s of lab.sessions) assert.equal(allEvents({ ...lab, sessions: [s] }).find((e) => e.kind === 'reply')?.kind === 'reply' && (allEvents({ ...lab, sessions: [s] }).find((e) => e.kind === 'reply') as SmtpReplyEvent).code, 220);
  const text = read(join(LIVE, 'sslv2-hello-tls10-p2526.postfix.log'));
  const t = readTranscript(text);
  const events = allEvents(t);
  // 0x3a9 bytes written, the dump shown up to 0x3a6: the three left out (ServerHelloDone's 00 00 00) are
  // NULs placed at the `<SPACES/NULLS>`, no gap.
  assert.equal(events.find((e) => e.kind === 'gap'), undefined);
  const marker = text.indexOf('03a6 - <SPACES/NULLS>') + 7;
  const server = events.filter((e) => e.kind === 'bytes' && e.direction === 'server');
  const last = server[server.length - 1];
  assert.ok(last && last.kind === 'bytes' && marker > 7);
  const n = last.view.bytes.length;
  assert.deepEqual([...last.view.bytes.slice(n - 4)], [0x0e, 0, 0, 0]);
  assert.deepEqual([...last.view.offsets.slice(n - 3)], [marker, marker, marker]);
  const hello = firstClientHello(text);
  assert.equal(hello?.hello.form, 'sslv2');
  assert.equal(hello?.hello.version, 0x0301);
});

test('openssl -debug: a dump line cut inside a byte by stderr or stdout keeps its bytes, its rest after the other output is read (no gap), the glued reply is read', () => {
  const text = read(join(CORPUS, 'ossl-default-debug', 'openssl-s_client-debug.txt'));
  const events = allEvents(readTranscript(text));
  const gaps = events.filter((e) => e.kind === 'gap');
  assert.equal(gaps.length, 0);
  const replies = events.filter((e): e is SmtpReplyEvent => e.kind === 'reply');
  const after = replies.filter((r) => r.inTls);
  // Line 281 of the file: "0060 - 28 67 ... 66 9250-mx.feas.test" (stdout written into a stderr dump line).
  const glued = after.find((r) => r.parts[0].line === 280);
  assert.ok(glued, 'the reply glued onto the dump line');
  assert.equal(text.slice(glued.parts[0].span.start, glued.parts[0].span.end), '250-mx.feas.test');
  assert.equal(glued.parts.length, 11, 'then its 10 continuation lines up to 250 CHUNKING');
  assert.equal(after[after.length - 1].code, 221);
});

test('tshark follow: node roles from the ports (tls,ascii names the server Node 0), decrypted lines inside TLS', () => {
  const t = readTranscript(read(join(CORPUS, 'ossl-default-debug', 'tshark-follow-tls-ascii-decrypted.txt')));
  const ev = allEvents(t);
  const cmds = ev.filter((e): e is SmtpCommandEvent => e.kind === 'command');
  assert.deepEqual(cmds.map((c) => [c.verb, c.inTls]), [['EHLO', true], ['QUIT', true]]);
  assert.deepEqual(ev.filter((e): e is SmtpReplyEvent => e.kind === 'reply').map((r) => r.code), [250, 221]);
  const ascii = readTranscript(read(join(CORPUS, 'swaks-starttls', 'tshark-follow-tcp-ascii.txt')));
  assert.ok(allEvents(ascii).some((e) => e.kind === 'gap'), 'TLS shown as dots becomes gaps');
});

test('tshark follow,tls,ascii: every session reads the same commands, message text and replies as its decrypted C:/S: transcript (empty lines of message text counted)', () => {
  // The decrypted part of each C:/S: transcript is what the follow stream shows; tshark prints a NUL as ".".
  const dialogue = (t: ReturnType<typeof readTranscript>): string[] =>
    allEvents(t).flatMap((e) =>
      // (An empty line of message text is an event in one and a line passed over in the other.)
      e.kind === 'command' && e.inTls && !(e.dataLine && e.verb === '' && e.argument === '')
        ? [`C ${e.dataLine ? 'text' : e.verb.replace(/\0/g, '.')}`]
        : e.kind === 'reply' && e.inTls ? [`S ${e.code}`] : [],
    );
  let compared = 0;
  for (const s of SESSIONS) {
    const follow = join(CORPUS, s, 'tshark-follow-tls-ascii-decrypted.txt');
    if (!existsSync(follow)) continue;
    const fromFollow = dialogue(readTranscript(read(follow)));
    const fromCs = dialogue(readTranscript(read(join(CORPUS, s, 'transcript-CS-decrypted.txt'))));
    // gnutls-cli sent a lone NUL without a line ending after "\0IT": tshark shows it as a line "." of its own.
    assert.deepEqual(s === 'gnutls-default-d5' ? fromFollow.filter((x, i) => !(x === 'C .' && i === 2)) : fromFollow, fromCs, s);
    assert.ok(fromCs.length >= 4, s);
    compared++;
  }
  assert.ok(compared >= 6, `${compared} sessions`);
});

test('enhanced status codes on replies', () => {
  const t = readTranscript(read(join(CORPUS, 'swaks-starttls', 'swaks.txt')));
  const r = allEvents(t).filter((e): e is SmtpReplyEvent => e.kind === 'reply');
  assert.equal(r.find((x) => x.code === 220 && x.lines[0].startsWith('2.0.0'))?.enhancedCode, '2.0.0');
  assert.equal(r[0].enhancedCode, undefined, 'the greeting has none');
  const ascii = readTranscript(read(join(OWN, 'curl-trace-ascii.txt')));
  const rcpt = allEvents(ascii).filter((e): e is SmtpReplyEvent => e.kind === 'reply').find((x) => x.code === 550);
  assert.equal(rcpt?.enhancedCode, '5.1.1');
});

// Crafted (no AUTH on the lab): a swaks AUTH LOGIN and AUTH PLAIN exchange as swaks prints it;
// the base64 payloads stand for the user "bob" and the password "pw" (not real credentials).
test('AUTH: continuation lines are marked as credentials with their span; the AUTH PLAIN initial response too', () => {
  const text = [
    ' ~> AUTH LOGIN', '<~  334 VXNlcm5hbWU6', ' ~> Ym9i', '<~  334 UGFzc3dvcmQ6', ' ~> cHc=', '<~  235 2.7.0 Authentication successful',
    ' ~> AUTH PLAIN AGJvYgBwdw==', '<~  235 2.7.0 Authentication successful', ' ~> QUIT', '<~  221 2.0.0 Bye', '',
  ].join('\n');
  const cmds = allEvents(readTranscript(text)).filter((e): e is SmtpCommandEvent => e.kind === 'command');
  assert.deepEqual(cmds.map((c) => [c.verb, c.authPayload ?? false]), [['AUTH', false], ['', true], ['', true], ['AUTH', false], ['QUIT', false]]);
  assert.equal(cmds[1].argument, 'Ym9i', 'as written, never decoded');
  assert.equal(text.slice(cmds[2].secretSpan!.start, cmds[2].secretSpan!.end), 'cHc=');
  assert.equal(cmds[0].secretSpan, undefined);
  assert.equal(text.slice(cmds[3].secretSpan!.start, cmds[3].secretSpan!.end), 'AGJvYgBwdw==');
  // The same through a hex payload: the secret span covers the hex pairs of the payload.
  const hexDoc = ['C: 41 55 54 48 20 50 4c 41 49 4e 20 41 47 4a 76', ''].join('\n');
  const viaHex = readTranscript(hexDoc);
  assert.equal(viaHex.sessions.length, 1);
});

test('mixed document: free text, a swaks transcript, an xxd dump and an openssl -msg log, each read in place', () => {
  const swaks = read(join(CORPUS, 'swaks-starttls', 'swaks.txt'));
  const xxd = read(join(CORPUS, 'swaks-starttls', 'clienthello.xxd.txt'));
  const msg = read(join(CORPUS, 'ossl-default-msg', 'openssl-s_client-msg.txt'));
  const text = `Ticket 4711: the customer pasted this.\n\n${swaks}\nThe hello, from the capture:\n${xxd}\nAnd openssl:\n${msg}`;
  const t = readTranscript(text);
  assertAllOffsets('mixed', text, t);
  assert.deepEqual(t.problems, []);
  const layouts = new Set(allEvents(t).flatMap((e) => (e.kind === 'bytes' ? [e.layout] : [])));
  assert.ok(layouts.has('xxd') && layouts.has('openssl-msg'), [...layouts].join());
  assert.ok(allEvents(t).some((e) => e.kind === 'stated' && e.subject === 'negotiated'), 'swaks part read');
});

test('CR LF and lone CR documents read like LF ones (same events, offsets still exact)', () => {
  const files: [string, string][] = [
    ['swaks-starttls', 'tshark-x.txt'], ['swaks-starttls', 'tcpdump-X.txt'], ['ossl-default-debug', 'openssl-s_client-debug.txt'],
    ['curl-trace-starttls', 'curl-trace.txt'], ['swaks-starttls', 'postfix.log'], ['swaks-starttls', 'tshark-follow-tcp-hex.txt'],
    ['gnutls-default-d5', 'gnutls-cli-d5.txt'], ['ossl-tls1_2-trace', 'openssl-s_client-trace.txt'], ['pysmtplib-starttls', 'python-smtplib-debug.txt'],
  ];
  const shape = (t: Transcript): string =>
    JSON.stringify(allEvents(t).map((e) => (e.kind === 'bytes' ? ['bytes', e.direction, Buffer.from(e.view.bytes).toString('hex')] : e.kind === 'command' ? ['c', e.verb, e.argument, e.inTls] : e.kind === 'reply' ? ['r', e.code, e.lines] : e.kind === 'stated' ? ['s', e.subject, e.version] : [e.kind])));
  for (const [s, f] of files) {
    const lf = read(join(CORPUS, s, f)).replace(/\r\n/g, '\n');
    const want = shape(readTranscript(lf));
    for (const variant of [lf.replace(/\n/g, '\r\n'), lf.replace(/\n/g, '\r')]) {
      const t = readTranscript(variant);
      assert.equal(shape(t), want, `${s}/${f}`);
      assertAllOffsets(`${s}/${f}`, variant, t);
    }
  }
});

test('noise: NUL bytes, syslog prefixes of other programs, gnutls lines, PEM blocks, truncated last lines do not break reading', () => {
  const gnutls = read(join(CORPUS, 'gnutls-default-d5', 'gnutls-cli-d5.txt'));
  const t = readTranscript(gnutls.replace('250-PIPELINING', '250-PIPE\0LINING'));
  assert.ok(allEvents(t).some((e) => e.kind === 'reply' && e.lines.some((l) => l.includes('\0'))));
  const x = read(join(CORPUS, 'swaks-starttls', 'tshark-x.txt'));
  const cut = x.slice(0, Math.floor(x.length / 2));
  const tc = readTranscript(cut);
  assertAllOffsets('cut', cut, tc);
});

/** Adversarial sizes: measured, printed; a loose bound only catches quadratic behaviour. */
test('adversarial inputs stay linear: 1 MB lines and 100k short lines of every line style', () => {
  const styles = ['0000 - 16 03 01 ', '0000  00 00 00 ', '\t0x0000:  4500 ', ' -> EHLO ', '<-  250-', '|<4>| HSK[0x1]: Adv. version: 3.3', '* TLSv1.3 (OUT), TLS handshake, Client hello (1):',
    '=> Send SSL data, 5 bytes (0x5)', "send: 'EHLO x\\r\\n'", 'Nov 29 04:16:25 mx postfix/smtpd[1]: < localhost[127.0.0.1]: EHLO x', '   10   0.001086    127.0.0.1 → 127.0.0.1    SMTP 96 S: 220 x',
    'Sent Record', '00000000  32 32 30 20', 'read from 0x1 [0x2] (5 bytes => 5 (0x5))'];
  const times: string[] = [];
  for (const style of styles) {
    const inputs: [string, string][] = [['1 MB line', style + 'a'.repeat(1 << 20)], ['100k lines', Array.from({ length: 100000 }, () => style).join('\n')]];
    for (const [label, text] of inputs) {
      const t0 = performance.now();
      readTranscript(text);
      const ms = performance.now() - t0;
      times.push(`${JSON.stringify(style.slice(0, 12))} ${label}: ${ms.toFixed(0)} ms`);
      assert.ok(ms < 8000, `${style}: ${ms} ms`);
    }
  }
  console.log(times.join('\n'));
});

// Crafted from real bytes: Wireshark's "Copy as Hex Dump" puts three spaces after the offset
// (no Wireshark GUI here); the frames are those of the real tshark -x fixture, re-spaced.
test('Wireshark "Copy as Hex Dump" (three spaces after the offset) reads like tshark -x', () => {
  const tsharkX = read(join(OWN, 'tshark-x-tls12.txt'));
  const copied = tsharkX.replace(/^([0-9a-f]{4}) {2}/gm, '$1   ');
  const a = readTranscript(tsharkX);
  const b = readTranscript(copied);
  assertAllOffsets('copy-as-hex-dump', copied, b);
  assert.equal(b.format, 'tshark-x');
  assert.equal(b.sessions[0].port, 25);
  const payload = (t: Transcript): string => allEvents(t).map((e) => (e.kind === 'bytes' ? Buffer.from(e.view.bytes).toString('hex') : e.kind)).join(' ');
  assert.equal(payload(b), payload(a));
});

// Crafted after FORMATS.md section 25 (tools/fake_starttls_server.py is project-side and not in
// this checkout): the header bytes 15 03 03 00 02 02 46 are a fatal protocol_version alert.
test('fake-server log: repr command lines with CR LF, a stated record header, trailing bytes as a client run', () => {
  const text = ["C: b'EHLO client.feas.test\\r\\n'", 'S: 250 mx', "C: b'STARTTLS\\r\\n'", 'S: 220 2.0.0 Ready', 'got record type 22 version 0301 length 292',
    'client sent 7 more bytes then closed: 15030300020246', ''].join('\n');
  const t = readTranscript(text);
  assertAllOffsets('fakeserver', text, t);
  const ev = allEvents(t);
  const cmds = ev.filter((e): e is SmtpCommandEvent => e.kind === 'command');
  assert.deepEqual(cmds.map((c) => [c.verb, c.argument, c.lineEnding]), [['EHLO', 'client.feas.test', '\r\n'], ['STARTTLS', '', '\r\n']]);
  assert.equal(text.slice(cmds[0].span.start, cmds[0].span.end), 'EHLO client.feas.test');
  const rec = ev.find((e): e is StatedEvent => e.kind === 'stated')!;
  assert.equal(rec.recordVersion, 0x0301);
  assert.equal(rec.contentType, 22);
  assert.equal(rec.length, 292);
  const run = ev.find((e) => e.kind === 'bytes');
  assert.ok(run && run.kind === 'bytes');
  assert.equal(Buffer.from(run.view.bytes).toString('hex'), '15030300020246');
  assert.equal(run.direction, 'client');
});
