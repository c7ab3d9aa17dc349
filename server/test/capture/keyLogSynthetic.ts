/**
 * A made-up STARTTLS session with TLS 1.3 (TLS_AES_128_GCM_SHA256) sealed here with node:crypto
 * from made-up secrets, written as a pcap (PcapWriter), with its key log: for tests of what the
 * import shows of decrypted content in situations the real fixtures do not have (binary lines in
 * DATA, gaps inside records, ...). Record layout RFC 8446 §5.2; keys from trafficKeyAndIv.
 */
import { createCipheriv } from 'node:crypto';
import { trafficKeyAndIv } from '../../src/core/tls/decrypt/hkdfExpandLabel';
import { PcapWriter } from '../../src/core/capture/pcapWriter';
import { parseDecryptedRecordMark } from '../../src/core/formats/decryptedRecordMark';

const RANDOM = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
const SECRETS = {
  CLIENT_HANDSHAKE_TRAFFIC_SECRET: new Uint8Array(32).fill(0x11),
  SERVER_HANDSHAKE_TRAFFIC_SECRET: new Uint8Array(32).fill(0x22),
  CLIENT_TRAFFIC_SECRET_0: new Uint8Array(32).fill(0x33),
  SERVER_TRAFFIC_SECRET_0: new Uint8Array(32).fill(0x44),
};
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export const SYNTHETIC_KEY_LOG = Object.entries(SECRETS)
  .map(([label, s]) => `${label} ${hex(RANDOM)} ${hex(s)}`)
  .join('\n');
export const SYNTHETIC_SECRET_HEX = Object.values(SECRETS).map(hex);

function handshakeMsg(type: number, body: Uint8Array): Uint8Array {
  return Uint8Array.of(type, 0, body.length >> 8, body.length & 0xff, ...body);
}
function plainRecord(type: number, content: Uint8Array): Uint8Array {
  return Uint8Array.of(type, 3, 3, content.length >> 8, content.length & 0xff, ...content);
}

class Sealer {
  private seq = 0;
  private readonly key: Uint8Array;
  private readonly iv: Uint8Array;
  constructor(secret: Uint8Array) {
    ({ key: this.key, iv: this.iv } = trafficKeyAndIv('sha256', secret, 16, 12));
  }
  seal(type: number, content: Uint8Array): Uint8Array {
    const inner = Uint8Array.of(...content, type);
    const len = inner.length + 16;
    const header = Uint8Array.of(23, 3, 3, len >> 8, len & 0xff);
    const nonce = Uint8Array.from(this.iv);
    for (let i = 0; i < 8; i++) nonce[4 + i] ^= Number((BigInt(this.seq) >> BigInt(8 * (7 - i))) & 0xffn);
    this.seq++;
    const c = createCipheriv('aes-128-gcm', this.key, nonce);
    c.setAAD(header);
    return Uint8Array.from(Buffer.concat([header, c.update(inner), c.final(), c.getAuthTag()]));
  }
}

export type Side = 'client' | 'server';
/** One TCP segment's payload of a side (or a hole of n bytes the capture lost). */
export type Step = { side: Side; bytes: Uint8Array } | { side: Side; lost: number };

/** The session up to the first application data: plaintext SMTP, STARTTLS, the TLS 1.3 handshake. */
export class SyntheticSession {
  readonly steps: Step[] = [];
  private readonly client = { hs: new Sealer(SECRETS.CLIENT_HANDSHAKE_TRAFFIC_SECRET), ap: new Sealer(SECRETS.CLIENT_TRAFFIC_SECRET_0) };
  private readonly server = { hs: new Sealer(SECRETS.SERVER_HANDSHAKE_TRAFFIC_SECRET), ap: new Sealer(SECRETS.SERVER_TRAFFIC_SECRET_0) };

  constructor() {
    const t = (s: string): Uint8Array => new TextEncoder().encode(s);
    this.send('server', t('220 mx.example.test ESMTP\r\n'));
    this.send('client', t('EHLO client.example.test\r\n'));
    this.send('server', t('250-mx.example.test\r\n250 STARTTLS\r\n'));
    this.send('client', t('STARTTLS\r\n'));
    this.send('server', t('220 ready\r\n'));
    this.send('client', plainRecord(22, handshakeMsg(1, Uint8Array.of(3, 3, ...RANDOM, 0, 0, 2, 0x13, 0x01, 1, 0, 0, 0))));
    const serverHello = plainRecord(22, handshakeMsg(2, Uint8Array.of(3, 3, ...new Uint8Array(32).fill(0x55), 0, 0x13, 0x01, 0, 0, 6, 0, 43, 0, 2, 3, 4)));
    const finished = handshakeMsg(20, new Uint8Array(32).fill(7));
    this.send('server', Uint8Array.of(...serverHello, ...this.server.hs.seal(22, finished)));
    this.send('client', this.client.hs.seal(22, finished));
  }

  /** Bytes of a side in one segment. */
  send(side: Side, bytes: Uint8Array): this {
    this.steps.push({ side, bytes });
    return this;
  }

  /** A record of application data (or other content) sealed with the side's traffic secret 0. */
  record(side: Side, content: Uint8Array | string, type = 23): Uint8Array {
    const b = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    return this[side].ap.seal(type, b);
  }

  /** Each sealed record in a segment of its own. */
  app(side: Side, ...contents: (Uint8Array | string)[]): this {
    for (const c of contents) this.send(side, this.record(side, c));
    return this;
  }

  lose(side: Side, n: number): this {
    this.steps.push({ side, lost: n });
    return this;
  }

  /** The pcap: handshake, the steps (a lost step advances the sequence number without a frame), FIN of both. */
  toPcap(): Uint8Array {
    const w = new PcapWriter();
    const ip = { client: [10, 0, 0, 1] as const, server: [10, 0, 0, 2] as const };
    const port = { client: 40000, server: 25 };
    const seq = { client: 1000, server: 5000 };
    let time = 1_700_000_000_000_000;
    const frame = (side: Side, flags: number, payload: Uint8Array): void => {
      const other: Side = side === 'client' ? 'server' : 'client';
      w.addTcpFrame({ srcIp: ip[side], dstIp: ip[other], srcPort: port[side], dstPort: port[other], seq: seq[side], ack: seq[other], flags, payload, timeMicros: (time += 1000) });
      seq[side] = (seq[side] + payload.length + (flags & 0x03 ? 1 : 0)) >>> 0;
    };
    frame('client', 0x02, new Uint8Array(0));
    frame('server', 0x12, new Uint8Array(0));
    frame('client', 0x10, new Uint8Array(0));
    for (const s of this.steps) {
      if ('lost' in s) seq[s.side] = (seq[s.side] + s.lost) >>> 0;
      else frame(s.side, 0x18, s.bytes);
    }
    frame('client', 0x11, new Uint8Array(0));
    frame('server', 0x11, new Uint8Array(0));
    return w.toBytes();
  }
}

export const HEX_LINE = /^(?:[0-9a-f]{2})(?: [0-9a-f]{2}){0,15}$/;

/** Every C:/S: line well formed; a decrypted mark directly followed by a hex line of its side. Returns a problem or ''. */
export function checkTranscript(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!/^[CS]:/.test(line)) continue;
    const m = /^([CS]): (.*)$/.exec(line);
    if (!m) return `line ${i + 1}: no space after the prefix: ${JSON.stringify(line.slice(0, 80))}`;
    const content = m[2];
    // No control characters (a CR, NUL...) in any line the transcript writes.
    if ([...content].some((ch) => (ch < ' ' && ch !== '\t') || ch === '\u007f')) return `line ${i + 1}: control character in ${JSON.stringify(content.slice(0, 80))}`;
    if (content.startsWith('<') && parseDecryptedRecordMark(content)) {
      const next = lines[i + 1] ?? '';
      const n = /^([CS]): (.*)$/.exec(next);
      if (!n || n[1] !== m[1] || !HEX_LINE.test(n[2])) return `line ${i + 1}: the mark ${content} is not followed by its side's hex but by ${JSON.stringify(next.slice(0, 80))}`;
    }
  }
  return '';
}

