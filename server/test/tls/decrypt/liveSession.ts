/**
 * Test helper: one real TLS session between Node's own tls server and client (OpenSSL) over
 * loopback, through a TCP relay that records the raw bytes of each direction, with the client's
 * 'keylog' lines collected as a key log. The recorded streams are cut into records (5-byte header
 * + body, RFC 8446 §5.1) in the order they completed on the wire.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import type { Side } from '../../../src/core/tls/decrypt/connectionDecryptor';

export interface LiveCapture {
  readonly records: { readonly side: Side; readonly record: Uint8Array }[];
  readonly keyLog: string;
  readonly clientSent: Buffer;
  readonly serverSent: Buffer;
  readonly protocol: string | null;
  readonly cipher: string;
}

let cached: { key: string; cert: string } | null | undefined;

/** A throwaway self-signed RSA certificate made with the openssl command; null when it is not installed. */
export function selfSignedCert(): { key: string; cert: string } | null {
  if (cached !== undefined) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'decrypt-test-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=decrypt-test', '-days', '2', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
    cached = { key: readFileSync(join(dir, 'k.pem'), 'utf8'), cert: readFileSync(join(dir, 'c.pem'), 'utf8') };
  } catch {
    cached = null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return cached;
}

/** Deterministic filler bytes. */
export function payload(length: number, seed: number): Buffer {
  const b = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

/** Cuts the recorded chunks of both directions into records, in the order they completed. */
function splitRecords(chunks: { side: Side; data: Buffer }[]): { side: Side; record: Uint8Array }[] {
  const pending: Record<Side, Buffer> = { client: Buffer.alloc(0), server: Buffer.alloc(0) };
  const out: { side: Side; record: Uint8Array }[] = [];
  for (const { side, data } of chunks) {
    let buf = Buffer.concat([pending[side], data]);
    while (buf.length >= 5) {
      const end = 5 + buf.readUInt16BE(3);
      if (buf.length < end) break;
      out.push({ side, record: new Uint8Array(buf.subarray(0, end)) });
      buf = buf.subarray(end);
    }
    pending[side] = buf;
  }
  return out;
}

/**
 * Runs "EHLO x" / "250 ok" then `bulk` bytes each way; resolves once both directions closed.
 * Rejects when the handshake fails (e.g. a protocol version this OpenSSL refuses).
 */
export async function runLiveSession(serverOptions: tls.TlsOptions, clientOptions: tls.ConnectionOptions, bulk = 20_000): Promise<LiveCapture> {
  const cert = selfSignedCert();
  if (!cert) throw new Error('openssl command not available');
  const clientSent = Buffer.concat([Buffer.from('EHLO x\r\n'), payload(bulk, 7)]);
  const serverSent = Buffer.concat([Buffer.from('250 ok\r\n'), payload(bulk, 11)]);
  const chunks: { side: Side; data: Buffer }[] = [];
  let keyLog = '';

  const server = tls.createServer({ ...cert, ...serverOptions }, (s) => {
    let got = 0;
    s.on('data', (d: Buffer) => {
      const before = got;
      got += d.length;
      if (before < 8 && got >= 8) s.write(serverSent.subarray(0, 8));
      if (got >= clientSent.length) s.end(serverSent.subarray(8));
    });
    s.on('error', () => undefined);
  });
  let relayDone!: () => void;
  const relayClosed = new Promise<void>((r) => (relayDone = r));
  const relay = net.createServer((c) => {
    const up = net.connect(serverPort, '127.0.0.1');
    let open = 2;
    const closed = (): void => {
      if (--open === 0) relayDone();
    };
    c.on('data', (d: Buffer) => (chunks.push({ side: 'client', data: Buffer.from(d) }), up.write(d)));
    up.on('data', (d: Buffer) => (chunks.push({ side: 'server', data: Buffer.from(d) }), c.write(d)));
    c.on('end', () => up.end());
    up.on('end', () => c.end());
    c.on('close', closed);
    up.on('close', closed);
    c.on('error', () => up.destroy());
    up.on('error', () => c.destroy());
  });
  const serverPort = await listen(server);
  const relayPort = await listen(relay);
  try {
    const info = await new Promise<{ protocol: string | null; cipher: string }>((resolve, reject) => {
      const client = tls.connect({ host: '127.0.0.1', port: relayPort, rejectUnauthorized: false, ...clientOptions });
      let protocol: string | null = null;
      let cipher = '';
      let got = 0;
      client.on('keylog', (line: Buffer) => (keyLog += line.toString('latin1')));
      client.on('secureConnect', () => {
        protocol = client.getProtocol();
        cipher = client.getCipher().standardName;
        client.write(clientSent.subarray(0, 8));
      });
      client.on('data', (d: Buffer) => {
        const before = got;
        got += d.length;
        if (before < 8 && got >= 8) client.write(clientSent.subarray(8));
        if (got >= serverSent.length) client.end();
      });
      client.on('error', reject);
      client.on('close', () => (got >= serverSent.length ? resolve({ protocol, cipher }) : reject(new Error(`session ended early (${got} bytes)`))));
    });
    await relayClosed;
    return { records: splitRecords(chunks), keyLog, clientSent, serverSent, ...info };
  } finally {
    server.close();
    relay.close();
  }
}
