/**
 * Captures decrypted with the client's key log (server/test/fixtures/keylog: real sessions against
 * the lab's postfix, README.md there). tshark is the oracle: its decryption of the same capture with
 * the same key log (`follow,tls,raw` for the application data, `-T fields` for the handshake
 * message types and alerts inside the encrypted records).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseKeyLog } from '../../src/core/tls/decrypt/keyLogSecrets';
import { importBytes, listFrames, readFixture, resegment, writePcap } from './helpers';
import { decryptedDialogue, maskAuthResponses, ourMessages, tsharkFollowStreams, tsharkMessageFields } from './keyLogOracle';
import { REPO } from '../helpers/lspClient';

const DIR = path.join(REPO, 'server/test/fixtures/keylog');
const SESSIONS = fs.readdirSync(DIR).filter((d) => fs.statSync(path.join(DIR, d)).isDirectory() && d !== 'ossl-tls13-wrongkey');

function keyLogOf(session: string) {
  return parseKeyLog(fs.readFileSync(path.join(DIR, session, 'keylog.txt'), 'utf8')).keyLog;
}

const tsharkMessages = (session: string) => tsharkMessageFields(fs.readFileSync(path.join(DIR, session, 'tshark-decrypted.txt'), 'utf8'), ['25', '2526']);

/** The import's text cut at its session headers (`# smtptls-session`): one piece per connection, in order. */
function perConnection(text: string): string[] {
  return text.split(/^(?=# smtptls-session)/m).filter((part) => part.startsWith('# smtptls-session'));
}

/** tshark's files of connection `i` of a fixture (the first has no number). */
function tsharkFile(session: string, base: string, i: number): string {
  return fs.readFileSync(path.join(DIR, session, i === 0 ? `${base}.txt` : `${base}-${i}.txt`), 'utf8');
}

for (const session of SESSIONS) {
  test(`${session}: the dialogue inside TLS is what tshark decrypts, and so are the handshake messages and alerts`, () => {
    const capture = readFixture(path.join(DIR, session, 'capture.pcap'));
    const { text, stats } = importBytes(capture, { keyLog: keyLogOf(session) });
    const connections = perConnection(text);
    assert.ok(connections.length >= 1);
    connections.forEach((piece, i) => {
      const [first, second] = tsharkFollowStreams(tsharkFile(session, 'tshark-follow-tls', i));
      const ours = decryptedDialogue(piece);
      assert.ok(ours.client.length > 0 && ours.server.length > 0, `connection ${i}: both sides decrypted`);
      // tshark's node order: whichever stream is the client's.
      const [client, server] = first.startsWith(ours.client.slice(0, 4)) ? [first, second] : [second, first];
      assert.equal(ours.client, maskAuthResponses(client));
      assert.equal(ours.server, server);
      assert.deepEqual(ourMessages(piece), tsharkMessageFields(tsharkFile(session, 'tshark-decrypted', i), ['25', '2526']));
    });
    assert.equal(stats.undecryptedRecords, 0);
    assert.equal(stats.decryptedSessions, connections.length);
    // Without the key log the same capture shows none of it.
    const plain = importBytes(capture).text;
    assert.equal(decryptedDialogue(plain).client, '');
    assert.notDeepEqual(ourMessages(perConnection(plain)[0]), tsharkMessages(session));
  });
}

test('a resumed TLS 1.3 session (PSK, no certificate) in a second connection is decrypted with the same key log', () => {
  const { text, stats } = importBytes(readFixture(path.join(DIR, 'ossl-tls13-resumed', 'capture.pcap')), { keyLog: keyLogOf('ossl-tls13-resumed') });
  const [full, resumed] = perConnection(text);
  assert.equal(stats.decryptedSessions, 2);
  assert.match(ourMessages(full).server, /hs11/);
  assert.doesNotMatch(ourMessages(resumed).server, /hs11/, 'no Certificate in the resumed handshake');
  assert.match(resumed, /^C: EHLO client\.feas\.test$/m);
});

test('AUTH credentials sent inside TLS are masked in the decrypted transcript, and the transcript says so', () => {
  const { text } = importBytes(readFixture(path.join(DIR, 'ossl-tls13-aes256', 'capture.pcap')), { keyLog: keyLogOf('ossl-tls13-aes256') });
  // AUTH PLAIN AGJvYkBmZWFzLnRlc3QAbGFiLXRocm93YXdheS1wdw== (README.md: a made-up user and password).
  assert.doesNotMatch(text, /AGJvYkBmZWFzLnRlc3QAbGFiLXRocm93YXdheS1wdw==|lab-throwaway-pw/);
  assert.match(text, /^C: AUTH PLAIN \*{44}$/m);
  assert.match(text, /AUTH credentials sent inside TLS, masked in this transcript/);
  // The commands pipelined after it are not credentials.
  assert.match(text, /^C: MAIL FROM:<bob@feas\.test>$/m);
});

test('a HelloRetryRequest capture without a key log shows the second ClientHello and the ServerHello (the compatibility ChangeCipherSpec encrypts nothing)', () => {
  // openssl s_client -tls1_3 -groups ffdhe2048:X25519: postfix asks again for X25519 (README.md there).
  const { text } = importBytes(readFixture(path.join(DIR, 'ossl-tls13-hrr', 'capture.pcap')));
  const hellos = ourMessages(text);
  assert.equal(hellos.client, 'hs1 hs1');
  assert.equal(hellos.server, 'hs2 hs2');
  // tshark's plaintext messages of the same frames (its decrypted view lists them first).
  const theirs = tsharkMessages('ossl-tls13-hrr');
  assert.ok(theirs.client.startsWith('hs1 hs1 ') && theirs.server.startsWith('hs2 hs2 '));
});

test('a HelloRetryRequest capture whose second hellos have their first bytes in a segment of their own: still shown in clear, and decrypted as tshark does', () => {
  const capture = readFixture(path.join(DIR, 'ossl-tls13-hrr', 'capture.pcap'));
  // Frame 13: the client's CCS and second ClientHello, cut 4 bytes into the hello's record; frame 14: the
  // ServerHello's record, cut inside its header (a segment boundary anywhere, as TCP may put it).
  const frames = listFrames(capture).flatMap((f, i) => (i === 12 ? resegment([f], 10) : i === 13 ? resegment([f], 4) : [f]));
  const cut = writePcap(frames, 1);
  assert.deepEqual(ourMessages(importBytes(cut).text), { client: 'hs1 hs1', server: 'hs2 hs2' });
  const { text, stats } = importBytes(cut, { keyLog: keyLogOf('ossl-tls13-hrr') });
  assert.deepEqual(ourMessages(text), tsharkMessages('ossl-tls13-hrr'));
  assert.equal(stats.undecryptedRecords, 0);
});

test('a pcapng with the key log in a decryption secrets block decrypts without one given', () => {
  for (const session of ['ossl-tls13-aes256', 'ossl-tls12-gcm']) {
    const withFile = importBytes(readFixture(path.join(DIR, session, 'capture.pcap')), { keyLog: keyLogOf(session) });
    const embedded = importBytes(readFixture(path.join(DIR, session, 'capture-dsb.pcapng')));
    assert.deepEqual(decryptedDialogue(embedded.text), decryptedDialogue(withFile.text));
    assert.equal(embedded.stats.embeddedKeyLogs, 1);
    assert.match(embedded.text, /# key log \(1 decryption secrets block of the capture, secrets of 1 connection\): 1 SMTP session decrypted/);
  }
});

test('a key log whose secrets are wrong opens nothing, and the transcript says why', () => {
  const session = 'ossl-tls13-wrongkey';
  const { text, stats } = importBytes(readFixture(path.join(DIR, session, 'capture.pcap')), { keyLog: keyLogOf(session) });
  assert.equal(stats.decryptedRecords, 0);
  assert.ok(stats.undecryptedRecords > 0);
  assert.deepEqual(decryptedDialogue(text), { client: '', server: '' });
  assert.match(text, /# not decrypted: .*authenticate/);
  assert.match(text, /<\d+ bytes of encrypted TLS records>/);
});

test('a key log of other connections: the records stay summarised, the reason names the client random', () => {
  const { text, stats } = importBytes(readFixture(path.join(DIR, 'ossl-tls12-gcm', 'capture.pcap')), { keyLog: keyLogOf('ossl-tls13-aes256') });
  assert.equal(stats.decryptedRecords, 0);
  assert.match(text, /# not decrypted: .*no secrets/);
  assert.match(text, /secrets of 1 connection\): 0 SMTP sessions decrypted/);
});
