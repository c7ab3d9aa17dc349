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
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { parseKeyLog } from '../../src/core/tls/decrypt/keyLogSecrets';
import { importBytes, readFixture } from './helpers';
import { REPO } from '../helpers/lspClient';

const DIR = path.join(REPO, 'server/test/fixtures/keylog');
const SESSIONS = fs.readdirSync(DIR).filter((d) => fs.statSync(path.join(DIR, d)).isDirectory() && d !== 'ossl-tls13-wrongkey');

function keyLogOf(session: string) {
  return parseKeyLog(fs.readFileSync(path.join(DIR, session, 'keylog.txt'), 'utf8')).keyLog;
}

/** tshark's `follow,tls,raw`: the decrypted application data of each node (a tab marks the second). */
function tsharkFollow(session: string): string[] {
  const streams = ['', ''];
  const lines = fs.readFileSync(path.join(DIR, session, 'tshark-follow-tls.txt'), 'utf8').split('\n');
  for (const line of lines) {
    const m = /^(\t?)([0-9a-f]+)$/.exec(line);
    if (m) streams[m[1] ? 1 : 0] += Buffer.from(m[2], 'hex').toString('latin1');
  }
  return streams;
}

/** The SMTP lines each side sent inside TLS, as the imported transcript shows them (CR LF restored). */
function decryptedDialogue(text: string): { client: string; server: string } {
  const out = { client: '', server: '' };
  const inner = { client: false, server: false };
  for (const line of text.split('\n')) {
    const mark = /^# frames? [0-9-]+: the (client|server)'s application data, decrypted with the key log's /.exec(line);
    if (mark) inner[mark[1] as 'client' | 'server'] = true;
    const m = /^([CS]): (.*)$/.exec(line);
    if (!m) continue;
    const side = m[1] === 'C' ? 'client' : 'server';
    if (inner[side] && !/^<.*>$/.test(m[2]) && !/^([0-9a-f]{2} ?)+$/.test(m[2])) out[side] += `${m[2]}\r\n`;
  }
  return out;
}

/** tshark's handshake message types and alert descriptions, in frame order, of the server (port 25/2526) and the client. */
function tsharkMessages(session: string): { client: string; server: string } {
  const out = { client: [] as string[], server: [] as string[] };
  for (const line of fs.readFileSync(path.join(DIR, session, 'tshark-decrypted.txt'), 'utf8').trim().split('\n')) {
    const [, port, , , types, alerts] = line.split(';');
    const side = port === '25' || port === '2526' ? 'server' : 'client';
    for (const t of types ? types.split(',') : []) out[side].push(`hs${t}`);
    for (const a of alerts ? alerts.split(',') : []) out[side].push(`alert${a}`);
  }
  return { client: out.client.join(' '), server: out.server.join(' ') };
}

/** Our handshake message types and alerts, in document order, per side. */
function ourMessages(text: string): { client: string; server: string } {
  const out = { client: [] as string[], server: [] as string[] };
  for (const s of analyzeDocument(text).sessions) {
    for (const ev of s.tlsEvents) {
      for (const r of ev.records) {
        const side = ev.direction ?? 'client';
        for (const m of r.messages) out[side].push(`hs${m.type}`);
        if (r.alert) out[side].push(`alert${r.alert.description}`);
      }
    }
  }
  return { client: out.client.join(' '), server: out.server.join(' ') };
}

for (const session of SESSIONS) {
  test(`${session}: the dialogue inside TLS is what tshark decrypts, and so are the handshake messages and alerts`, () => {
    const capture = readFixture(path.join(DIR, session, 'capture.pcap'));
    const { text, stats } = importBytes(capture, { keyLog: keyLogOf(session) });
    const [first, second] = tsharkFollow(session);
    const ours = decryptedDialogue(text);
    assert.ok(ours.client.length > 0 && ours.server.length > 0, 'both sides decrypted');
    // tshark's node order: whichever stream is the client's.
    const [client, server] = first.startsWith(ours.client.slice(0, 4)) ? [first, second] : [second, first];
    assert.equal(ours.client, client);
    assert.equal(ours.server, server);
    assert.deepEqual(ourMessages(text), tsharkMessages(session));
    assert.equal(stats.undecryptedRecords, 0);
    assert.equal(stats.decryptedSessions, 1);
    // Without the key log the same capture shows none of it.
    const plain = importBytes(capture).text;
    assert.equal(decryptedDialogue(plain).client, '');
    assert.notDeepEqual(ourMessages(plain), tsharkMessages(session));
  });
}

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
