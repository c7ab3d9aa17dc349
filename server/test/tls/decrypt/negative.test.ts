/**
 * What decryption reports when it cannot open a record: a wrong secret, no entry for the client
 * random, a missing label, an unsupported suite, and records damaged in the capture (the sequence
 * policy of sequencePolicy.ts: a damaged record costs only itself). Also: no bytes make it throw.
 */
import { strict as assert } from 'node:assert';
import { constants } from 'node:crypto';
import { test } from 'node:test';
import { ConnectionDecryptor, type RecordOutcome, type Side } from '../../../src/core/tls/decrypt/connectionDecryptor';
import { parseKeyLog } from '../../../src/core/tls/decrypt/keyLogSecrets';
import { type LiveCapture, payload, runLiveSession, selfSignedCert } from './liveSession';

const skip = selfSignedCert() ? false : 'the openssl command is not available to make a test certificate';
const AUTH = /^the record does not authenticate with the key log's secrets/;

type Rec = { side: Side; record: Uint8Array };

function run(records: readonly Rec[], keyLog: string): { outcomes: RecordOutcome[]; d: ConnectionDecryptor } {
  const d = new ConnectionDecryptor(parseKeyLog(keyLog).keyLog);
  return { outcomes: records.map((r) => d.onRecord(r.side, r.record)), d };
}

/** Replaces the secret of the lines whose label matches. */
function alterSecrets(keyLog: string, label: RegExp, f: (secret: string) => string): string {
  return keyLog.replace(/^(\S+) (\S+) (\S+)$/gm, (line, l: string, r: string, s: string) => (label.test(l) ? `${l} ${r} ${f(s)}` : line));
}
const flipHex = (s: string): string => (s[0] === '0' ? '1' : '0') + s.slice(1);

const captures = new Map<string, Promise<LiveCapture>>();
function capture(name: 'tls13' | 'tls12gcm' | 'tls12cbc' | 'tls10cbc' | 'tls10cbcMte'): Promise<LiveCapture> {
  const opts = {
    tls13: [{}, { minVersion: 'TLSv1.3' }],
    tls12gcm: [{ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }],
    tls12cbc: [{ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA' }],
    tls10cbc: [{ minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'AES128-SHA:@SECLEVEL=0' }],
    tls10cbcMte: [{ minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'AES128-SHA:@SECLEVEL=0', secureOptions: constants.SSL_OP_NO_ENCRYPT_THEN_MAC }],
  }[name] as [object, object?];
  if (!captures.has(name)) captures.set(name, runLiveSession(opts[0], opts[1] ?? opts[0], 40_000));
  return captures.get(name)!;
}

function reasons(outcomes: readonly RecordOutcome[]): string[] {
  return [...new Set(outcomes.flatMap((o) => (o.kind === 'undecryptable' ? [o.reason] : [])))];
}

test('a wrong server secret: server records do not authenticate, client records still open', { skip }, async () => {
  const cap = await capture('tls13');
  const { outcomes } = run(cap.records, alterSecrets(cap.keyLog, /^SERVER_/, flipHex));
  const server = outcomes.filter((_, i) => cap.records[i].side === 'server');
  const client = outcomes.filter((_, i) => cap.records[i].side === 'client');
  assert.ok(server.filter((o) => o.kind === 'undecryptable').length >= 4);
  assert.ok(server.every((o) => o.kind !== 'decrypted'));
  for (const r of reasons(server)) assert.match(r, AUTH);
  assert.ok(client.some((o) => o.kind === 'decrypted'));
  assert.deepEqual(reasons(client), []);
});

test('a wrong master secret (TLS 1.2): every protected record is undecryptable with the authentication reason', { skip }, async () => {
  const cap = await capture('tls12gcm');
  const { outcomes } = run(cap.records, alterSecrets(cap.keyLog, /^CLIENT_RANDOM$/, flipHex));
  assert.ok(outcomes.every((o) => o.kind !== 'decrypted'));
  assert.deepEqual(reasons(outcomes), ["the record does not authenticate with the key log's secrets (master secret)"]);
});

test('no entry for the client random: "no secrets" naming the random, hasSecrets false', { skip }, async () => {
  const cap = await capture('tls13');
  const other = cap.keyLog.replace(/^(\S+) (\S+) /gm, (_l, label: string) => `${label} ${'ab'.repeat(32)} `);
  const { outcomes, d } = run(cap.records, other);
  assert.equal(d.hasSecrets, false);
  const hello = cap.records[0].record;
  const prefix = Buffer.from(hello.subarray(11, 15)).toString('hex');
  assert.deepEqual(reasons(outcomes), [`no secrets for this connection in the key log (client random ${prefix}…)`]);
});

test('a missing SERVER_HANDSHAKE_TRAFFIC_SECRET: the handshake is undecryptable, application data still opens', { skip }, async () => {
  const cap = await capture('tls13');
  const log = cap.keyLog.split('\n').filter((l) => !l.startsWith('SERVER_HANDSHAKE_TRAFFIC_SECRET')).join('\n');
  const { outcomes } = run(cap.records, log);
  assert.deepEqual(reasons(outcomes), ['the key log has no SERVER_HANDSHAKE_TRAFFIC_SECRET for this connection']);
  const serverApp = Buffer.concat(outcomes.flatMap((o, i) => (o.kind === 'decrypted' && o.contentType === 23 && cap.records[i].side === 'server' ? [Buffer.from(o.plaintext)] : [])));
  assert.ok(serverApp.equals(cap.serverSent));
});

test('an unsupported cipher suite is named in the reason', { skip }, async () => {
  const cap = await capture('tls12gcm');
  const records = cap.records.map((r) => ({ ...r, record: Uint8Array.from(r.record) }));
  const sh = records.find((r) => r.side === 'server' && r.record[5] === 2)!.record;
  const suiteAt = 5 + 4 + 2 + 32 + 1 + sh[5 + 4 + 2 + 32];
  sh[suiteAt] = 0x00;
  sh[suiteAt + 1] = 0x05;
  const { outcomes } = run(records, cap.keyLog);
  assert.deepEqual(reasons(outcomes), ['cipher suite TLS_RSA_WITH_RC4_128_SHA (0x0005) is not supported for decryption']);
});

/**
 * Flips one byte (by default the second byte of the body) of one record; every other outcome must
 * equal the clean run's, except the records listed in `alsoLost` (offsets from the damaged one).
 */
async function flipOne(
  name: Parameters<typeof capture>[0],
  pick: (recs: readonly Rec[], clean: readonly RecordOutcome[]) => number,
  byteAt: (record: Uint8Array) => number = () => 6,
  alsoLost: readonly number[] = [],
): Promise<void> {
  const cap = await capture(name);
  const clean = run(cap.records, cap.keyLog).outcomes;
  assert.deepEqual(reasons(clean), []);
  const at = pick(cap.records, clean);
  assert.ok(at >= 0);
  const flip = byteAt(cap.records[at].record);
  const records = cap.records.map((r, i) => (i === at ? { ...r, record: Uint8Array.from(r.record, (b, j) => (j === flip ? b ^ 0x40 : b)) } : r));
  const damaged = run(records, cap.keyLog).outcomes;
  const sameSide = cap.records.flatMap((r, i) => (r.side === cap.records[at].side && i > at ? [i] : []));
  const lost = new Set([at, ...alsoLost.map((k) => sameSide[k - 1])]);
  for (const i of lost) assert.equal(damaged[i].kind, 'undecryptable', `record ${i} is lost`);
  assert.match((damaged[at] as { reason: string }).reason, AUTH);
  damaged.forEach((o, i) => lost.has(i) || assert.deepEqual(o, clean[i], `record ${i} is unaffected`));
}

const middleServerApp = (recs: readonly Rec[], clean: readonly RecordOutcome[]): number => {
  const idx = clean.flatMap((o, i) => (o.kind === 'decrypted' && o.contentType === 23 && recs[i].side === 'server' ? [i] : []));
  return idx[Math.floor(idx.length / 2)];
};
const firstProtectedServer = (recs: readonly Rec[], clean: readonly RecordOutcome[]): number => clean.findIndex((o, i) => o.kind === 'decrypted' && recs[i].side === 'server');

for (const name of ['tls13', 'tls12gcm', 'tls12cbc', 'tls10cbcMte'] as const) {
  test(`${name}: a damaged record after known-good ones is undecryptable; the records after it still open`, { skip }, async (t) => {
    if (name === 'tls10cbcMte') await capture(name).catch(() => t.skip('this OpenSSL refuses TLS 1.0'));
    await flipOne(name, middleServerApp);
  });
  test(`${name}: a damaged first protected record costs only itself (sequence search)`, { skip }, async (t) => {
    if (name === 'tls10cbcMte') await capture(name).catch(() => t.skip('this OpenSSL refuses TLS 1.0'));
    await flipOne(name, firstProtectedServer);
  });
}

test('TLS 1.0 MAC-then-encrypt: damage in the last ciphertext block also loses the next record (the IV chain, RFC 2246 §6.2.3.2)', { skip }, async (t) => {
  await capture('tls10cbcMte').catch(() => t.skip('this OpenSSL refuses TLS 1.0'));
  await flipOne('tls10cbcMte', middleServerApp, (r) => r.length - 1, [1]);
});

test('TLS 1.0 encrypt_then_mac: the record after a damaged one is refused (its IV is unverified)', { skip }, async (t) => {
  const cap = await capture('tls10cbc').catch(() => t.skip('this OpenSSL refuses TLS 1.0'));
  if (!cap) return;
  // The MAC covers the ciphertext but not the chained IV, so a damaged IV would go unnoticed.
  await flipOne('tls10cbc', middleServerApp, undefined, [1]);
  const clean = run(cap.records, cap.keyLog).outcomes;
  const at = middleServerApp(cap.records, clean);
  const records = cap.records.map((r, i) => (i === at ? { ...r, record: Uint8Array.from(r.record, (b, j) => (j === 6 ? b ^ 1 : b)) } : r));
  const next = cap.records.findIndex((r, i) => i > at && r.side === 'server');
  const o = run(records, cap.keyLog).outcomes[next];
  assert.ok(o.kind === 'undecryptable');
  assert.match(o.reason, /in TLS 1\.0 this record's IV is the end of that one/);
});

test('no bytes make it throw: random records, truncations, damaged hellos', { skip }, async () => {
  const cap = await capture('tls13');
  const junk = payload(200_000, 3);
  let p = 0;
  const take = (n: number): Uint8Array => {
    p = (p + n) % (junk.length - 20_000);
    return new Uint8Array(junk.subarray(p, p + n));
  };
  for (let round = 0; round < 200; round++) {
    const d = new ConnectionDecryptor(parseKeyLog(cap.keyLog).keyLog);
    for (const { side, record } of cap.records) {
      const r = junk[round] % 4;
      const rec = r === 0 ? record.subarray(0, junk[round + 1] % (record.length + 1)) : r === 1 ? take(junk[round + 2] * 70) : r === 2 ? Uint8Array.from(record, (b, j) => (j === round % record.length ? b ^ 0xff : b)) : record;
      const o = d.onRecord(side, rec);
      assert.ok(['plain', 'decrypted', 'undecryptable'].includes(o.kind));
    }
    for (const kind of [22, 23, 20, 21]) {
      const body = take(junk[round + 3] * 90);
      const rec = Uint8Array.of(kind, 3, junk[round] % 5, body.length >> 8, body.length & 0xff, ...body);
      assert.ok(['plain', 'decrypted', 'undecryptable'].includes(d.onRecord(round % 2 ? 'client' : 'server', rec).kind));
    }
  }
});
