/**
 * The TLS 1.3 key schedule as seen from the wire, one direction (RFC 8446 §7.1-§7.3, §4.4.4, §4.5,
 * §4.6.3): the client may start on the early traffic secret (0-RTT) and moves to its handshake
 * secret after EndOfEarlyData; each side moves from its handshake traffic secret to application
 * traffic secret 0 after the record holding its Finished, and to secret N+1 after a KeyUpdate.
 * Every key has its own sequence number from 0 (RFC 8446 §5.3).
 *
 * Robustness: a record that does not open with the current keys is tried with the next two keys of
 * the chain (handshake → application 0 → application 1), so a missed Finished, a rejected 0-RTT or
 * a missed KeyUpdate only costs a few trial decryptions. Sequence numbers of records that open with
 * none follow the policy of sequencePolicy.ts.
 */
import type { RecordOutcome, Side } from './connectionDecryptor';
import type { DecryptableSuite } from './decryptableSuites';
import { HandshakeScanner } from './handshakeScanner';
import { nextTrafficSecret } from './hkdfExpandLabel';
import type { ConnectionSecrets } from './keyLogSecrets';
import { openTls13Record, tls13Keys, type Tls13Keys } from './tls13RecordProtection';
import { type SequenceState, afterFailure, candidateSequences } from './sequencePolicy';
import { CONTENT_HANDSHAKE } from '../registry/contentTypes';
import { HS_END_OF_EARLY_DATA, HS_FINISHED, HS_KEY_UPDATE } from '../registry/handshakeTypes';
import { TLS_1_3 } from '../registry/versions';

/** How many keys past the current one a failing record is tried with. */
const LOOKAHEAD = 2;

type StageKind = 'early' | 'handshake' | 'application';

interface Stage extends SequenceState {
  readonly kind: StageKind;
  readonly generation: number;
  /** In words, for users: 'server handshake traffic secret'. */
  readonly name: string;
  /** The key log label that would provide the secret. */
  readonly label: string;
  readonly secret?: Uint8Array;
  keys?: Tls13Keys;
}

export class Tls13Direction {
  private readonly stages: Stage[] = [];
  private current = 0;
  private readonly scanner = new HandshakeScanner();

  /** `earlyOnly`: the client's 0-RTT before the ServerHello (the suite is a guess until then). */
  constructor(
    private readonly side: Side,
    private suite: DecryptableSuite,
    private readonly secrets: ConnectionSecrets,
    earlyOnly = false,
  ) {
    if (side === 'client' && secrets.clientEarlyTraffic) this.push('early', 0, 'client early traffic secret', 'CLIENT_EARLY_TRAFFIC_SECRET', secrets.clientEarlyTraffic);
    if (!earlyOnly) this.addHandshakeStages();
  }

  /** After the ServerHello: the negotiated suite and the handshake and application keys. */
  upgrade(suite: DecryptableSuite): this {
    if (suite.code !== this.suite.code) {
      for (const s of this.stages) if (!s.good) s.keys = undefined;
      this.suite = suite;
    }
    if (!this.stages.some((s) => s.kind !== 'early')) this.addHandshakeStages();
    return this;
  }

  get suiteCode(): number {
    return this.suite.code;
  }

  private addHandshakeStages(): void {
    const client = this.side === 'client';
    const upper = client ? 'CLIENT' : 'SERVER';
    this.push('handshake', 0, `${this.side} handshake traffic secret`, `${upper}_HANDSHAKE_TRAFFIC_SECRET`, client ? this.secrets.clientHandshakeTraffic : this.secrets.serverHandshakeTraffic);
    this.push('application', 0, `${this.side} application traffic secret 0`, `${upper}_TRAFFIC_SECRET_0`, client ? this.secrets.clientTraffic0 : this.secrets.serverTraffic0);
  }

  private push(kind: StageKind, generation: number, name: string, label: string, secret: Uint8Array | undefined): void {
    this.stages.push({ kind, generation, name, label, secret, seq: 0, good: false, missed: 0 });
  }

  /** The stage at an index, deriving the next application secret (RFC 8446 §7.2) when needed. */
  private stageAt(i: number): Stage | undefined {
    if (i < this.stages.length) return this.stages[i];
    const last = this.stages[this.stages.length - 1];
    if (i !== this.stages.length || !last || last.kind !== 'application') return undefined;
    const g = last.generation + 1;
    const secret = last.secret && nextTrafficSecret(this.suite.prfHash, last.secret);
    const label = last.label;
    this.push('application', g, `${this.side} application traffic secret ${g}`, label, secret);
    return this.stages[i];
  }

  private keysOf(stage: Stage): Tls13Keys | undefined {
    if (!stage.secret) return undefined;
    stage.keys ??= tls13Keys(this.suite, stage.secret);
    return stage.keys;
  }

  /** Opens one record of type application_data (header + body). */
  open(record: Uint8Array): RecordOutcome {
    for (let i = this.current; i <= this.current + LOOKAHEAD; i++) {
      const stage = this.stageAt(i);
      if (!stage) break;
      const keys = this.keysOf(stage);
      if (!keys) continue;
      let opened: ReturnType<typeof openTls13Record>;
      let seq = 0;
      for (seq of candidateSequences(stage)) if ((opened = openTls13Record(keys, seq, record))) break;
      if (!opened) continue;
      if (i !== this.current) this.moveTo(i);
      Object.assign(stage, { seq: seq + 1, good: true, missed: 0 });
      if (opened.contentType === CONTENT_HANDSHAKE) this.afterHandshake(stage, opened.plaintext);
      return { kind: 'decrypted', contentType: opened.contentType, plaintext: opened.plaintext, secret: stage.name, version: TLS_1_3 };
    }
    const cur = this.stages[this.current];
    if (!cur) return { kind: 'undecryptable', reason: 'the key log has no traffic secrets for this side of the connection' };
    afterFailure(cur);
    if (!cur.secret) return { kind: 'undecryptable', reason: `the key log has no ${cur.label} for this connection` };
    return { kind: 'undecryptable', reason: `the record does not authenticate with the key log's secrets (${cur.name} and the next keys)` };
  }

  private moveTo(i: number): void {
    if (this.stageAt(i)) this.current = i;
    this.scanner.reset();
  }

  /** Key changes announced by handshake messages: Finished, EndOfEarlyData, KeyUpdate. */
  private afterHandshake(stage: Stage, plaintext: Uint8Array): void {
    for (const m of this.scanner.feed(plaintext)) {
      const ends =
        (m.type === HS_FINISHED && stage.kind === 'handshake') ||
        (m.type === HS_END_OF_EARLY_DATA && stage.kind === 'early') ||
        (m.type === HS_KEY_UPDATE && stage.kind === 'application');
      if (ends) {
        this.moveTo(this.current + 1);
        return;
      }
    }
  }
}
