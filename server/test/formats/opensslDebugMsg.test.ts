/**
 * openssl s_client -debug -msg (server/test/fixtures/openssl-debug/README.md): every record is printed
 * twice, by -msg and in -debug's BIO dumps. A session is read once, from -msg's view: each record once,
 * with the lengths tshark reads in the capture of the same run, and no finding the duplicate would
 * make (a second ClientHello taken for one that is not the first: tls-record-version).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';

const DIR = path.join(__dirname, '..', 'fixtures', 'openssl-debug');
const read = (name: string): string => readFileSync(path.join(DIR, name), 'latin1');

for (const v of ['tls12', 'tls13']) {
  test(`-debug -msg, ${v}: each record once, at tshark's lengths; no finding`, () => {
    const a = analyzeDocument(read(`s_client-debug-msg-${v}.txt`));
    assert.equal(a.transcript.format, 'openssl-debug');
    assert.deepEqual(a.findings.map((f) => `${f.rule}: ${f.message}`), []);
    const ours: Record<string, number[]> = { client: [], server: [] };
    // The records on the wire (a decrypted content is the inside of one of them, not a record of its own).
    for (const t of a.sessions[0].tlsEvents) for (const r of t.records) if (!r.decrypted) ours[t.direction ?? '?'].push(r.length);
    // tshark -T fields -e tcp.srcport -e tls.record.length: the server's port is 25.
    const theirs: Record<string, number[]> = { client: [], server: [] };
    for (const line of read(`s_client-debug-msg-${v}.tshark-records.txt`).split('\n').filter(Boolean)) {
      const [port, lengths] = line.split('\t');
      theirs[port === '25' ? 'server' : 'client'].push(...lengths.split(',').map(Number));
    }
    assert.deepEqual(ours.client, theirs.client);
    // The server's last record (its close_notify) may come after s_client stopped reading.
    assert.deepEqual(ours.server, theirs.server.slice(0, ours.server.length));
    assert.ok(ours.server.length >= theirs.server.length - 1);
    const hellos = a.sessions[0].tlsEvents.flatMap((t) => t.records).flatMap((r) => r.messages).filter((m) => m.type === 1);
    assert.equal(hellos.length, 1);
  });
}
