/**
 * Reads NSS key log files (SSLKEYLOGFILE; draft-ietf-tls-keylogfile, published as RFC 9850):
 * one `<label> <client random> <secret>` line per secret, hex encoded, keyed by the 32-byte
 * ClientHello.random of the connection (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2).
 *
 * Labels used: CLIENT_RANDOM (the TLS 1.2-and-older master secret, RFC 5246 §8.1) and the TLS 1.3
 * traffic secrets of RFC 8446 §7.1 (CLIENT_EARLY_TRAFFIC_SECRET, CLIENT/SERVER_HANDSHAKE_TRAFFIC_SECRET,
 * CLIENT/SERVER_TRAFFIC_SECRET_0). Other labels (EXPORTER_SECRET, EARLY_EXPORTER_SECRET, RSA ...) are
 * ignored. Parsing never throws: malformed lines become problems with their 0-based line number, and
 * no message ever contains a secret.
 */

/** Secrets of one connection from an NSS key log (SSLKEYLOGFILE; draft-ietf-tls-keylogfile / RFC 9850), keyed by client random. */
export interface ConnectionSecrets {
  readonly masterSecret?: Uint8Array; // CLIENT_RANDOM (TLS 1.2 and older)
  readonly clientEarlyTraffic?: Uint8Array; // CLIENT_EARLY_TRAFFIC_SECRET
  readonly clientHandshakeTraffic?: Uint8Array; // CLIENT_HANDSHAKE_TRAFFIC_SECRET
  readonly serverHandshakeTraffic?: Uint8Array; // SERVER_HANDSHAKE_TRAFFIC_SECRET
  readonly clientTraffic0?: Uint8Array; // CLIENT_TRAFFIC_SECRET_0
  readonly serverTraffic0?: Uint8Array; // SERVER_TRAFFIC_SECRET_0
}

export interface KeyLog {
  /** Secrets for a client random (32 bytes); undefined when the log has none. */
  lookup(clientRandom: Uint8Array): ConnectionSecrets | undefined;
  /** Number of distinct client randoms. */
  readonly size: number;
}

export interface KeyLogProblem {
  readonly line: number; // 0-based
  readonly message: string;
}

type MutableSecrets = { -readonly [K in keyof ConnectionSecrets]: ConnectionSecrets[K] };

const FIELDS: ReadonlyMap<string, keyof ConnectionSecrets> = new Map([
  ['CLIENT_RANDOM', 'masterSecret'],
  ['CLIENT_EARLY_TRAFFIC_SECRET', 'clientEarlyTraffic'],
  ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'clientHandshakeTraffic'],
  ['SERVER_HANDSHAKE_TRAFFIC_SECRET', 'serverHandshakeTraffic'],
  ['CLIENT_TRAFFIC_SECRET_0', 'clientTraffic0'],
  ['SERVER_TRAFFIC_SECRET_0', 'serverTraffic0'],
]);

/** Longest line read (longer lines are reported and skipped). */
export const MAX_KEY_LOG_LINE = 1024;
const MIN_SECRET = 16;
const MAX_SECRET = 64;
/** RFC 5246 §8.1: the master secret is always 48 bytes. */
const MASTER_SECRET_LENGTH = 48;

const HEX = /^[0-9a-fA-F]*$/;
const LABEL = /^[A-Z0-9_]+$/;

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Lower-case hex of some bytes (the map key of a client random). */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** A key log held in a map from lower-case client random hex to the connection's secrets. */
class MapKeyLog implements KeyLog {
  constructor(readonly entries: Map<string, MutableSecrets>) {}
  lookup(clientRandom: Uint8Array): ConnectionSecrets | undefined {
    if (clientRandom.length !== 32) return undefined;
    return this.entries.get(bytesToHex(clientRandom));
  }
  get size(): number {
    return this.entries.size;
  }
}

/** Parses key log text (comments `#`, blank lines, CRLF ok; unknown labels such as EXPORTER_SECRET ignored; malformed lines reported, never thrown). */
export function parseKeyLog(text: string): { keyLog: KeyLog; problems: KeyLogProblem[] } {
  const entries = new Map<string, MutableSecrets>();
  const problems: KeyLogProblem[] = [];
  const lines = String(text).split('\n');
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    if (raw.length > MAX_KEY_LOG_LINE) {
      problems.push({ line: n, message: `line is longer than ${MAX_KEY_LOG_LINE} characters; ignored` });
      continue;
    }
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const parts = line.split(/\s+/);
    const label = parts[0];
    if (!LABEL.test(label)) {
      problems.push({ line: n, message: 'not a key log line (expected "<LABEL> <client random> <secret>")' });
      continue;
    }
    const field = FIELDS.get(label);
    if (field === undefined) continue; // EXPORTER_SECRET, RSA, ... are not needed for decryption
    if (parts.length !== 3) {
      problems.push({ line: n, message: `${label} line needs 3 fields (label, client random, secret) but has ${parts.length}` });
      continue;
    }
    const [, random, secret] = parts;
    if (random.length !== 64 || !HEX.test(random)) {
      problems.push({ line: n, message: `${label}: the client random must be 64 hex digits (32 bytes)` });
      continue;
    }
    if (secret.length % 2 !== 0 || !HEX.test(secret) || secret.length < 2 * MIN_SECRET || secret.length > 2 * MAX_SECRET) {
      problems.push({ line: n, message: `${label}: the secret must be ${2 * MIN_SECRET} to ${2 * MAX_SECRET} hex digits (${MIN_SECRET} to ${MAX_SECRET} bytes)` });
      continue;
    }
    if (field === 'masterSecret' && secret.length !== 2 * MASTER_SECRET_LENGTH) {
      problems.push({ line: n, message: `CLIENT_RANDOM: the master secret must be ${MASTER_SECRET_LENGTH} bytes (${2 * MASTER_SECRET_LENGTH} hex digits), not ${secret.length / 2}` });
      continue;
    }
    const key = random.toLowerCase();
    let e = entries.get(key);
    if (!e) entries.set(key, (e = {}));
    e[field] = hexToBytes(secret);
  }
  return { keyLog: new MapKeyLog(entries), problems };
}

/** Later secrets override earlier ones field by field. */
function mergeSecrets(a: ConnectionSecrets | undefined, b: ConnectionSecrets | undefined): ConnectionSecrets | undefined {
  if (!a) return b;
  if (!b) return a;
  const out: MutableSecrets = { ...a };
  for (const k of FIELDS.values()) if (b[k]) out[k] = b[k];
  return out;
}

/** One key log from several (later files add to / override earlier ones). */
export function mergeKeyLogs(logs: readonly KeyLog[]): KeyLog {
  if (logs.every((l) => l instanceof MapKeyLog)) {
    const entries = new Map<string, MutableSecrets>();
    for (const log of logs as readonly MapKeyLog[]) {
      for (const [k, v] of log.entries) entries.set(k, (mergeSecrets(entries.get(k), v) ?? {}) as MutableSecrets);
    }
    return new MapKeyLog(entries);
  }
  // Other implementations: ask each on lookup; the size is an upper bound (shared randoms counted twice).
  const list = [...logs];
  return {
    lookup(clientRandom: Uint8Array): ConnectionSecrets | undefined {
      let out: ConnectionSecrets | undefined;
      for (const log of list) out = mergeSecrets(out, log.lookup(clientRandom));
      return out;
    },
    get size(): number {
      return list.reduce((n, l) => n + l.size, 0);
    },
  };
}

/** The lines of a key log that were not read, in one phrase ("2 lines not read (first, line 3: ...)"); null when none. Never a secret. */
export function summarizeKeyLogProblems(problems: readonly KeyLogProblem[]): string | null {
  if (problems.length === 0) return null;
  return `${problems.length} line${problems.length === 1 ? '' : 's'} not read (first, line ${problems[0].line + 1}: ${problems[0].message})`;
}
