/**
 * Decrypts the TLS records of one connection with secrets from a key log (SSLKEYLOGFILE).
 * Fed every record of both sides in wire order, it reads the hellos (client random, server random,
 * cipher suite, version, encrypt_then_mac), then opens protected records:
 * - TLS 1.3 (RFC 8446 §5.2, §5.3, §7.1-§7.3): every application_data record after the ServerHello,
 *   with the traffic secrets of the log (tls13Direction.ts); a HelloRetryRequest is skipped.
 * - TLS 1.0-1.2 (RFC 5246 §6.2.3, §6.3; RFC 4346; RFC 2246; RFC 7366): every record of a side after
 *   its ChangeCipherSpec, with keys from the CLIENT_RANDOM master secret (tls12RecordProtection.ts).
 *   An encrypted ChangeCipherSpec (renegotiation) switches to the keys of the new hellos.
 * Records that do not authenticate: see sequencePolicy.ts (sequence numbers) and tls13Direction.ts
 * (trying the next keys). In TLS 1.0 with encrypt_then_mac the record after one that failed is
 * refused too: its IV is the failed record's last block, which its MAC does not cover.
 * Never throws; never puts secret values into messages.
 */
import { HandshakeScanner } from './handshakeScanner';
import { clientHelloRandom, readServerHello, sslv2ClientHelloRandom, type ServerHelloInfo } from './helloSecrets';
import { bytesToHex, type ConnectionSecrets, type KeyLog } from './keyLogSecrets';
import { decryptableSuite, decryptableSuiteCodes, suiteLabel } from './decryptableSuites';
import { hashLength } from './hkdfExpandLabel';
import { Tls13Direction } from './tls13Direction';
import { afterFailure, candidateSequences } from './sequencePolicy';
import { openTls12Record, tls12Directions, type Tls12Direction } from './tls12RecordProtection';
import { CONTENT_APPLICATION_DATA, CONTENT_CHANGE_CIPHER_SPEC, CONTENT_HANDSHAKE } from '../registry/contentTypes';
import { HS_CLIENT_HELLO, HS_SERVER_HELLO } from '../registry/handshakeTypes';
import { TLS_1_3 } from '../registry/versions';

export type Side = 'client' | 'server';
export type RecordOutcome =
  | { readonly kind: 'plain' } // not encrypted (a hello, a CCS, plaintext alert...)
  | { readonly kind: 'decrypted'; readonly contentType: number; readonly plaintext: Uint8Array; readonly secret: string; readonly version: number }
  | { readonly kind: 'undecryptable'; readonly reason: string };

const PLAIN: RecordOutcome = { kind: 'plain' };
const HEADER = 5;
/** RFC 5246 §6.2.3: TLSCiphertext.length ≤ 2^14 + 2048. */
const MAX_BODY = (1 << 14) + 2048;
const NOT_AUTHENTIC = "the record does not authenticate with the key log's secrets (master secret)";

function undecryptable(reason: string): RecordOutcome {
  return { kind: 'undecryptable', reason };
}

type Keys<T> = { client?: T | string; server?: T | string };

export class ConnectionDecryptor {
  private clientRandom?: Uint8Array;
  private serverHello?: ServerHelloInfo;
  private secrets?: ConnectionSecrets;
  private readonly scanners = { client: new HandshakeScanner(), server: new HandshakeScanner() };
  /** Set once a TLS 1.3 ServerHello was read: each side's keys, or why it has none. */
  private tls13?: Keys<Tls13Direction>;
  /** The client's 0-RTT keys before the ServerHello. */
  private early?: Tls13Direction;
  /** TLS 1.0-1.2: a side's keys after its ChangeCipherSpec, or why it has none. */
  private readonly tls12: Keys<Tls12Direction> = {};
  /** Both directions' keys for the current hellos, computed at the first ChangeCipherSpec. */
  private tls12Pending?: { client: Tls12Direction; server: Tls12Direction } | string;

  constructor(private readonly keyLog: KeyLog) {}

  /** Whether this connection has secrets in the key log (known once the ClientHello was seen). */
  get hasSecrets(): boolean {
    return this.secrets !== undefined;
  }

  /** Every complete TLS record of one side, in wire order, header included (5-byte header + body). */
  onRecord(side: Side, record: Uint8Array): RecordOutcome {
    try {
      return this.handle(side, record);
    } catch {
      return undecryptable('the record could not be processed for decryption');
    }
  }

  private handle(side: Side, record: Uint8Array): RecordOutcome {
    if (record.length < HEADER || record[1] !== 3) {
      if (side === 'client' && !this.clientRandom) {
        const random = sslv2ClientHelloRandom(record);
        if (random) this.setClientRandom(random);
      }
      return PLAIN;
    }
    const type = record[0];
    if (record.length - HEADER > MAX_BODY) return undecryptable('the record is longer than 2^14 + 2048 bytes');
    if (this.tls13) {
      if (type === CONTENT_APPLICATION_DATA) {
        const d = this.tls13[side];
        return typeof d === 'string' || !d ? undecryptable(d ?? 'no keys for this side') : d.open(record);
      }
      if (type === CONTENT_HANDSHAKE) this.scan(side, record.subarray(HEADER));
      return PLAIN;
    }
    const keys = this.tls12[side];
    if (keys !== undefined) return typeof keys === 'string' ? undecryptable(keys) : this.openTls12(side, keys, record);
    if (type === CONTENT_HANDSHAKE) this.scan(side, record.subarray(HEADER));
    else if (type === CONTENT_CHANGE_CIPHER_SPEC && this.serverHello) this.tls12[side] = this.tls12Keys(side); // (before a ServerHello: TLS 1.3 compatibility CCS)
    else if (type === CONTENT_APPLICATION_DATA) return this.earlyOrUnexpected(side, record);
    return PLAIN;
  }

  /** Handshake messages in the clear (or decrypted, in a TLS 1.2 renegotiation). */
  private scan(side: Side, data: Uint8Array): void {
    for (const m of this.scanners[side].feed(data)) {
      if (!m.body) continue;
      if (m.type === HS_CLIENT_HELLO && side === 'client') {
        const random = clientHelloRandom(m.body);
        if (random) this.setClientRandom(random);
      } else if (m.type === HS_SERVER_HELLO && side === 'server') {
        const info = readServerHello(m.body);
        if (info && !info.helloRetryRequest) this.onServerHello(info);
      }
    }
  }

  private setClientRandom(random: Uint8Array): void {
    this.clientRandom = random;
    this.secrets = this.keyLog.lookup(random);
  }

  /** Why there are no keys, before looking at suite-specific secrets; undefined when there are secrets. */
  private missingConnection(): string | undefined {
    if (!this.clientRandom) return 'the ClientHello of this connection was not seen, so its client random (the key log\'s key) is unknown';
    if (!this.secrets) return `no secrets for this connection in the key log (client random ${bytesToHex(this.clientRandom.subarray(0, 4))}…)`;
    return undefined;
  }

  private onServerHello(info: ServerHelloInfo): void {
    this.serverHello = info;
    this.tls12Pending = undefined;
    if (info.version !== TLS_1_3) return;
    const missing = this.missingConnection();
    const suite = decryptableSuite(info.cipherSuite);
    if (missing || !this.secrets) {
      this.tls13 = { client: missing, server: missing };
    } else if (!suite || !suite.tls13) {
      const reason = `cipher suite ${suiteLabel(info.cipherSuite)} is not supported for decryption`;
      this.tls13 = { client: reason, server: reason };
    } else {
      this.tls13 = {
        client: this.early ? this.early.upgrade(suite) : new Tls13Direction('client', suite, this.secrets),
        server: new Tls13Direction('server', suite, this.secrets),
      };
    }
  }

  /** TLS 1.0-1.2: the keys a side uses after its ChangeCipherSpec, or why there are none. */
  private tls12Keys(side: Side): Tls12Direction | string {
    this.tls12Pending ??= this.computeTls12();
    return typeof this.tls12Pending === 'string' ? this.tls12Pending : this.tls12Pending[side];
  }

  private computeTls12(): { client: Tls12Direction; server: Tls12Direction } | string {
    const sh = this.serverHello;
    if (!sh) return 'the ServerHello of this connection was not seen, so its cipher suite is unknown';
    if (sh.version < 0x0301 || sh.version > 0x0303) {
      return sh.version === 0x0300 ? 'SSL 3.0 is not supported for decryption' : `version 0x${sh.version.toString(16).padStart(4, '0')} is not supported for decryption`;
    }
    const missing = this.missingConnection();
    if (missing) return missing;
    const suite = decryptableSuite(sh.cipherSuite);
    if (!suite || suite.tls13) return `cipher suite ${suiteLabel(sh.cipherSuite)} is not supported for decryption`;
    const master = this.secrets?.masterSecret;
    if (!master) return 'the key log has no CLIENT_RANDOM (master secret) for this connection';
    return tls12Directions(suite, sh.version, sh.encryptThenMac, master, this.clientRandom!, sh.random);
  }

  private openTls12(side: Side, d: Tls12Direction, record: Uint8Array): RecordOutcome {
    const { iv, ivSuspect } = d; // TLS 1.0 CBC chain: every trial starts from the same IV
    let opened: ReturnType<typeof openTls12Record>;
    for (const seq of candidateSequences(d)) {
      Object.assign(d, { iv, ivSuspect, seq });
      if ((opened = openTls12Record(d, record))) break;
    }
    if (!opened) {
      d.seq -= d.missed;
      d.ivSuspect = d.failure === undefined; // a record refused only for its IV authenticated its own ciphertext
      afterFailure(d);
      return undecryptable(d.failure ?? NOT_AUTHENTIC);
    }
    Object.assign(d, { seq: d.seq + 1, good: true, missed: 0, ivSuspect: false });
    if (opened.contentType === CONTENT_HANDSHAKE) this.scan(side, opened.plaintext);
    else if (opened.contentType === CONTENT_CHANGE_CIPHER_SPEC) this.tls12[side] = this.tls12Keys(side); // renegotiation
    return { kind: 'decrypted', contentType: opened.contentType, plaintext: opened.plaintext, secret: 'master secret', version: d.version };
  }

  /** application_data with no keys yet: the client's 0-RTT early data (TLS 1.3), or records we cannot place. */
  private earlyOrUnexpected(side: Side, record: Uint8Array): RecordOutcome {
    const missing = this.missingConnection();
    if (missing) return undecryptable(missing);
    if (side === 'client' && !this.serverHello) {
      const secret = this.secrets?.clientEarlyTraffic;
      if (!secret || !this.secrets) return undecryptable('the key log has no CLIENT_EARLY_TRAFFIC_SECRET for this connection');
      if (this.early) return this.early.open(record);
      // The suite is not known before the ServerHello: try the TLS 1.3 suites whose hash fits the secret.
      for (const code of decryptableSuiteCodes()) {
        const suite = decryptableSuite(code)!;
        if (!suite.tls13 || hashLength(suite.prfHash) !== secret.length) continue;
        const d = new Tls13Direction('client', suite, this.secrets, true);
        const outcome = d.open(record);
        if (outcome.kind === 'decrypted') {
          this.early = d;
          return outcome;
        }
      }
      return undecryptable("the record does not authenticate with the key log's secrets (client early traffic secret)");
    }
    if (!this.serverHello) return undecryptable('the ServerHello of this connection was not seen, so its version and cipher suite are unknown');
    return undecryptable(`application data from the ${side} before its ChangeCipherSpec: not protected with known keys`);
  }
}
