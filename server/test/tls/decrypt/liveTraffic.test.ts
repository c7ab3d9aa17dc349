/**
 * Real traffic: Node's tls (OpenSSL) server and client through a recording relay, decrypted with the
 * client's key log. Covers TLS 1.3 (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305; Node takes TLS 1.3
 * suite names in its `ciphers` option, it has no `ciphersuites` option), TLS 1.2 AEAD and CBC
 * suites (with and without encrypt_then_mac) and, when this OpenSSL allows it, TLS 1.0 and 1.1.
 */
import { strict as assert } from 'node:assert';
import { constants } from 'node:crypto';
import { test } from 'node:test';
import { ConnectionDecryptor, type RecordOutcome } from '../../../src/core/tls/decrypt/connectionDecryptor';
import { readServerHello } from '../../../src/core/tls/decrypt/helloSecrets';
import { parseKeyLog } from '../../../src/core/tls/decrypt/keyLogSecrets';
import { type LiveCapture, runLiveSession, selfSignedCert } from './liveSession';

const noCert = selfSignedCert() ? false : 'the openssl command is not available to make a test certificate';

interface Decrypted {
  readonly outcomes: { side: 'client' | 'server'; type: number; outcome: RecordOutcome }[];
  readonly app: { client: Buffer; server: Buffer };
}

function decryptAll(cap: LiveCapture): Decrypted {
  const { keyLog, problems } = parseKeyLog(cap.keyLog);
  assert.deepEqual(problems, []);
  const d = new ConnectionDecryptor(keyLog);
  const outcomes: Decrypted['outcomes'] = [];
  const app = { client: [] as Buffer[], server: [] as Buffer[] };
  for (const { side, record } of cap.records) {
    const outcome = d.onRecord(side, record);
    outcomes.push({ side, type: record[0], outcome });
    if (outcome.kind === 'decrypted' && outcome.contentType === 23) app[side].push(Buffer.from(outcome.plaintext));
  }
  assert.equal(d.hasSecrets, true);
  return { outcomes, app: { client: Buffer.concat(app.client), server: Buffer.concat(app.server) } };
}

function assertAllOpen(cap: LiveCapture, version: number): Decrypted {
  const r = decryptAll(cap);
  const failed = r.outcomes.filter((o) => o.outcome.kind === 'undecryptable');
  assert.deepEqual(failed, [], 'no record is undecryptable');
  for (const o of r.outcomes) if (o.outcome.kind === 'decrypted') assert.equal(o.outcome.version, version);
  assert.ok(r.app.client.equals(cap.clientSent), 'client application data round-trips');
  assert.ok(r.app.server.equals(cap.serverSent), 'server application data round-trips');
  return r;
}

for (const suite of ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']) {
  test(`TLS 1.3 ${suite}: handshake and application data decrypt`, { skip: noCert }, async () => {
    const cap = await runLiveSession({ ciphers: suite }, { ciphers: suite, minVersion: 'TLSv1.3' });
    assert.equal(cap.protocol, 'TLSv1.3');
    assert.equal(cap.cipher, suite);
    const r = assertAllOpen(cap, 0x0304);
    const server = r.outcomes.filter((o) => o.side === 'server' && o.outcome.kind === 'decrypted');
    const first = server[0].outcome;
    assert.ok(first.kind === 'decrypted');
    assert.equal(first.secret, 'server handshake traffic secret');
    assert.equal(first.contentType, 22);
    const handshake = Buffer.concat(server.filter((o) => o.outcome.kind === 'decrypted' && o.outcome.secret === 'server handshake traffic secret').map((o) => (o.outcome.kind === 'decrypted' ? Buffer.from(o.outcome.plaintext) : Buffer.alloc(0))));
    const types: number[] = [];
    for (let p = 0; p + 4 <= handshake.length; p += 4 + handshake.readUIntBE(p + 1, 3)) types.push(handshake[p]);
    assert.deepEqual(types, [8, 11, 15, 20], 'EncryptedExtensions, Certificate, CertificateVerify, Finished');
    const secrets = new Set(r.outcomes.map((o) => (o.outcome.kind === 'decrypted' ? `${o.side}: ${o.outcome.secret}` : '')));
    assert.ok(secrets.has('client: client handshake traffic secret'));
    assert.ok(secrets.has('client: client application traffic secret 0'));
    assert.ok(secrets.has('server: server application traffic secret 0'));
    // The compatibility ChangeCipherSpec stays plain.
    for (const o of r.outcomes) if (o.type === 20) assert.equal(o.outcome.kind, 'plain');
  });
}

const TLS12: { name: string; ciphers: string; secureOptions?: number; etm?: boolean }[] = [
  { name: 'ECDHE-RSA-AES128-GCM-SHA256', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' },
  { name: 'ECDHE-RSA-AES256-GCM-SHA384', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384' },
  { name: 'ECDHE-RSA-CHACHA20-POLY1305', ciphers: 'ECDHE-RSA-CHACHA20-POLY1305' },
  { name: 'ECDHE-RSA-AES128-SHA (CBC, encrypt_then_mac)', ciphers: 'ECDHE-RSA-AES128-SHA', etm: true },
  { name: 'ECDHE-RSA-AES256-SHA384 (CBC, encrypt_then_mac)', ciphers: 'ECDHE-RSA-AES256-SHA384', etm: true },
  { name: 'AES256-SHA256 (CBC, RSA key exchange)', ciphers: 'AES256-SHA256', etm: true },
];
const NO_ETM: number | undefined = constants.SSL_OP_NO_ENCRYPT_THEN_MAC;
if (NO_ETM !== undefined) {
  TLS12.push({ name: 'ECDHE-RSA-AES128-SHA (CBC, MAC-then-encrypt)', ciphers: 'ECDHE-RSA-AES128-SHA', secureOptions: NO_ETM, etm: false });
  TLS12.push({ name: 'AES256-SHA256 (CBC, MAC-then-encrypt)', ciphers: 'AES256-SHA256', secureOptions: NO_ETM, etm: false });
}

function serverHelloOf(cap: LiveCapture): ReturnType<typeof readServerHello> {
  const rec = cap.records.find((r) => r.side === 'server' && r.record[0] === 22 && r.record[5] === 2);
  return rec && readServerHello(rec.record.subarray(9, 5 + ((rec.record[6] << 16) | (rec.record[7] << 8) | rec.record[8]) + 4));
}

for (const c of TLS12) {
  test(`TLS 1.2 ${c.name}: all records decrypt`, { skip: noCert }, async () => {
    const opts = { ciphers: c.ciphers, maxVersion: 'TLSv1.2' as const, secureOptions: c.secureOptions };
    const cap = await runLiveSession(opts, opts);
    assert.equal(cap.protocol, 'TLSv1.2');
    if (c.etm !== undefined) assert.equal(serverHelloOf(cap)?.encryptThenMac, c.etm, 'encrypt_then_mac negotiated as expected');
    const r = assertAllOpen(cap, 0x0303);
    const fin = r.outcomes.find((o) => o.side === 'server' && o.outcome.kind === 'decrypted');
    assert.ok(fin && fin.outcome.kind === 'decrypted');
    assert.equal(fin.outcome.contentType, 22, 'the first protected server record is its Finished');
    assert.equal(fin.outcome.plaintext[0], 20);
    assert.equal(fin.outcome.secret, 'master secret');
  });
}

for (const [version, label] of [[0x0301, 'TLSv1'], [0x0302, 'TLSv1.1']] as const) {
  for (const etm of [true, false]) {
    test(`${label} AES128-SHA (CBC${etm ? ', encrypt_then_mac' : ', MAC-then-encrypt'}): all records decrypt`, { skip: noCert }, async (t) => {
      const opts: Record<string, unknown> = { ciphers: 'AES128-SHA:@SECLEVEL=0', minVersion: label, maxVersion: label };
      if (!etm) {
        if (NO_ETM === undefined) return t.skip('SSL_OP_NO_ENCRYPT_THEN_MAC is not available');
        opts.secureOptions = NO_ETM;
      }
      let cap: LiveCapture;
      try {
        cap = await runLiveSession(opts, opts);
      } catch (e) {
        return t.skip(`this OpenSSL refuses ${label}: ${(e as Error).message}`);
      }
      assert.equal(cap.protocol, label);
      assert.equal(serverHelloOf(cap)?.encryptThenMac, etm);
      assertAllOpen(cap, version);
    });
  }
}
