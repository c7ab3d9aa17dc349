/**
 * The TLS 1.3 key schedule as followed from the wire, on records sealed here with node:crypto from
 * made-up secrets (RFC 8446 §5.2 record layout, keys derived by trafficKeyAndIv, itself checked
 * against RFC 8448 in rfc8448.test.ts): HelloRetryRequest skipped, padding stripped, KeyUpdate
 * (RFC 8446 §4.6.3, §7.2), 0-RTT early data before the ServerHello and EndOfEarlyData (§4.5),
 * a damaged KeyUpdate record, and the SSLv2-format ClientHello's challenge as client random.
 */
import { strict as assert } from 'node:assert';
import { createCipheriv } from 'node:crypto';
import { test } from 'node:test';
import { ConnectionDecryptor, type RecordOutcome } from '../../../src/core/tls/decrypt/connectionDecryptor';
import { sslv2ClientHelloRandom } from '../../../src/core/tls/decrypt/helloSecrets';
import { type HkdfHash, nextTrafficSecret, trafficKeyAndIv } from '../../../src/core/tls/decrypt/hkdfExpandLabel';
import { parseKeyLog } from '../../../src/core/tls/decrypt/keyLogSecrets';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const fill = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v);
const RANDOM = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const HRR = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

function handshakeMsg(type: number, body: Uint8Array): Uint8Array {
  return Uint8Array.of(type, 0, body.length >> 8, body.length & 0xff, ...body);
}
function plainRecord(type: number, content: Uint8Array): Uint8Array {
  return Uint8Array.of(type, 3, 3, content.length >> 8, content.length & 0xff, ...content);
}
function clientHello(): Uint8Array {
  return plainRecord(22, handshakeMsg(1, Uint8Array.of(3, 3, ...RANDOM, 0, 0, 2, 0x13, 0x01, 1, 0, 0, 0)));
}
function serverHello(suite: number, random: Uint8Array = fill(32, 0x55)): Uint8Array {
  return plainRecord(22, handshakeMsg(2, Uint8Array.of(3, 3, ...random, 0, suite >> 8, suite & 0xff, 0, 0, 6, 0, 43, 0, 2, 3, 4)));
}

/** Seals a TLS 1.3 record: AES-GCM, nonce = iv XOR seq, AAD = header, inner = content + type + zeros. */
class Sealer {
  private seq = 0;
  private key: Uint8Array;
  private iv: Uint8Array;
  constructor(
    private readonly hash: HkdfHash,
    private secret: Uint8Array,
  ) {
    ({ key: this.key, iv: this.iv } = trafficKeyAndIv(hash, secret, hash === 'sha256' ? 16 : 32, 12));
  }
  seal(type: number, content: Uint8Array, padding = 0): Uint8Array {
    const inner = Uint8Array.of(...content, type, ...new Uint8Array(padding));
    const len = inner.length + 16;
    const header = Uint8Array.of(23, 3, 3, len >> 8, len & 0xff);
    const nonce = Uint8Array.from(this.iv);
    for (let i = 0; i < 8; i++) nonce[4 + i] ^= Number((BigInt(this.seq) >> BigInt(8 * (7 - i))) & 0xffn);
    this.seq++;
    const c = createCipheriv(this.hash === 'sha256' ? 'aes-128-gcm' : 'aes-256-gcm', this.key, nonce);
    c.setAAD(header);
    const body = Buffer.concat([c.update(inner), c.final(), c.getAuthTag()]);
    return Uint8Array.of(...header, ...body);
  }
  /** RFC 8446 §7.2: move to the next application traffic secret. */
  update(): void {
    this.secret = nextTrafficSecret(this.hash, this.secret);
    ({ key: this.key, iv: this.iv } = trafficKeyAndIv(this.hash, this.secret, this.hash === 'sha256' ? 16 : 32, 12));
    this.seq = 0;
  }
}

function keyLog(secrets: Record<string, Uint8Array>): string {
  return Object.entries(secrets)
    .map(([label, s]) => `${label} ${hex(RANDOM)} ${hex(s)}`)
    .join('\n');
}
function summary(o: RecordOutcome): string {
  if (o.kind === 'decrypted') return `${o.contentType} ${o.secret}: ${Buffer.from(o.plaintext).toString('latin1')}`;
  return o.kind === 'plain' ? 'plain' : `undecryptable: ${o.reason}`;
}

const FINISHED = handshakeMsg(20, fill(32, 7));

test('HelloRetryRequest is skipped, padding stripped, KeyUpdate moves to application secret 1 and 2', () => {
  const s = { hs: fill(32, 1), ap: fill(32, 2), chs: fill(32, 3), cap: fill(32, 4) };
  const d = new ConnectionDecryptor(
    parseKeyLog(keyLog({ SERVER_HANDSHAKE_TRAFFIC_SECRET: s.hs, SERVER_TRAFFIC_SECRET_0: s.ap, CLIENT_HANDSHAKE_TRAFFIC_SECRET: s.chs, CLIENT_TRAFFIC_SECRET_0: s.cap })).keyLog,
  );
  const hs = new Sealer('sha256', s.hs);
  const ap = new Sealer('sha256', s.ap);
  const text = (t: string): Uint8Array => new TextEncoder().encode(t);
  const out = [
    d.onRecord('client', clientHello()),
    d.onRecord('server', serverHello(0x1301, HRR)),
    d.onRecord('server', plainRecord(20, Uint8Array.of(1))),
    d.onRecord('client', clientHello()),
    d.onRecord('server', serverHello(0x1301)),
    d.onRecord('server', hs.seal(22, Uint8Array.of(...handshakeMsg(8, Uint8Array.of(0, 0)), ...FINISHED), 5)),
    d.onRecord('server', ap.seal(23, text('a'))),
    d.onRecord('server', ap.seal(22, handshakeMsg(24, Uint8Array.of(0)))),
    (ap.update(), d.onRecord('server', ap.seal(23, text('b'), 100))),
    d.onRecord('server', ap.seal(22, handshakeMsg(24, Uint8Array.of(1)))),
    (ap.update(), d.onRecord('server', ap.seal(23, text('c')))),
  ].map(summary);
  assert.deepEqual(out.slice(0, 5), ['plain', 'plain', 'plain', 'plain', 'plain']);
  assert.equal(out[5].slice(0, 34), '22 server handshake traffic secret');
  assert.equal(out[6], '23 server application traffic secret 0: a');
  assert.ok(out[7].startsWith('22 server application traffic secret 0: \u0018'), out[7]);
  assert.equal(out[8], '23 server application traffic secret 1: b');
  assert.equal(out[10], '23 server application traffic secret 2: c');
});

test('a damaged KeyUpdate record: the next generation is still found (lookahead)', () => {
  const s = { hs: fill(32, 1), ap: fill(32, 2) };
  const d = new ConnectionDecryptor(parseKeyLog(keyLog({ SERVER_HANDSHAKE_TRAFFIC_SECRET: s.hs, SERVER_TRAFFIC_SECRET_0: s.ap })).keyLog);
  const hs = new Sealer('sha256', s.hs);
  const ap = new Sealer('sha256', s.ap);
  d.onRecord('client', clientHello());
  d.onRecord('server', serverHello(0x1301));
  d.onRecord('server', hs.seal(22, FINISHED));
  assert.equal(summary(d.onRecord('server', ap.seal(23, Uint8Array.of(0x61)))), '23 server application traffic secret 0: a');
  const ku = ap.seal(22, handshakeMsg(24, Uint8Array.of(0)));
  ku[8] ^= 1;
  assert.match(summary(d.onRecord('server', ku)), /^undecryptable: the record does not authenticate/);
  ap.update();
  assert.equal(summary(d.onRecord('server', ap.seal(23, Uint8Array.of(0x62)))), '23 server application traffic secret 1: b');
  assert.equal(summary(d.onRecord('server', ap.seal(23, Uint8Array.of(0x63)))), '23 server application traffic secret 1: c');
});

test('0-RTT: early data before the ServerHello (suite found from the secret length), EndOfEarlyData, then handshake keys', () => {
  const s = { early: fill(48, 9), chs: fill(48, 3), cap: fill(48, 4) };
  const d = new ConnectionDecryptor(parseKeyLog(keyLog({ CLIENT_EARLY_TRAFFIC_SECRET: s.early, CLIENT_HANDSHAKE_TRAFFIC_SECRET: s.chs, CLIENT_TRAFFIC_SECRET_0: s.cap })).keyLog);
  const early = new Sealer('sha384', s.early);
  const chs = new Sealer('sha384', s.chs);
  const cap = new Sealer('sha384', s.cap);
  assert.equal(summary(d.onRecord('client', clientHello())), 'plain');
  assert.equal(summary(d.onRecord('client', early.seal(23, Uint8Array.of(0x45)))), '23 client early traffic secret: E');
  assert.equal(summary(d.onRecord('client', early.seal(23, Uint8Array.of(0x46)))), '23 client early traffic secret: F');
  assert.equal(summary(d.onRecord('server', serverHello(0x1302))), 'plain');
  assert.equal(summary(d.onRecord('client', early.seal(22, handshakeMsg(5, new Uint8Array(0))))).slice(0, 32), '22 client early traffic secret: ');
  assert.equal(summary(d.onRecord('client', chs.seal(22, FINISHED))).slice(0, 34), '22 client handshake traffic secret');
  assert.equal(summary(d.onRecord('client', cap.seal(23, Uint8Array.of(0x47)))), '23 client application traffic secret 0: G');
});

test('0-RTT without CLIENT_EARLY_TRAFFIC_SECRET: the reason names the label', () => {
  const d = new ConnectionDecryptor(parseKeyLog(keyLog({ CLIENT_HANDSHAKE_TRAFFIC_SECRET: fill(32, 3) })).keyLog);
  d.onRecord('client', clientHello());
  const o = d.onRecord('client', new Sealer('sha256', fill(32, 9)).seal(23, Uint8Array.of(1)));
  assert.deepEqual(o, { kind: 'undecryptable', reason: 'the key log has no CLIENT_EARLY_TRAFFIC_SECRET for this connection' });
});

test('records before any ClientHello: the reason says the ClientHello was not seen', () => {
  const d = new ConnectionDecryptor(parseKeyLog('').keyLog);
  const o = d.onRecord('server', new Sealer('sha256', fill(32, 9)).seal(23, Uint8Array.of(1)));
  assert.equal(o.kind, 'undecryptable');
  assert.match((o as { reason: string }).reason, /ClientHello of this connection was not seen/);
  assert.equal(d.hasSecrets, false);
});

test('SSLv2-format ClientHello: the challenge, left-padded to 32 bytes, is the client random', () => {
  const challenge = fill(16, 0xab);
  const body = Uint8Array.of(1, 3, 1, 0, 3, 0, 0, 0, 16, 0, 0, 0x2f, ...challenge);
  const record = Uint8Array.of(0x80 | (body.length >> 8), body.length & 0xff, ...body);
  const random = sslv2ClientHelloRandom(record);
  assert.equal(hex(random!), '00'.repeat(16) + 'ab'.repeat(16));
  const log = `CLIENT_RANDOM ${'00'.repeat(16) + 'ab'.repeat(16)} ${'11'.repeat(48)}`;
  const d = new ConnectionDecryptor(parseKeyLog(log).keyLog);
  assert.deepEqual(d.onRecord('client', record), { kind: 'plain' });
  assert.equal(d.hasSecrets, true);
  assert.equal(sslv2ClientHelloRandom(record.subarray(0, 20)), undefined, 'a truncated challenge is no random');
});
