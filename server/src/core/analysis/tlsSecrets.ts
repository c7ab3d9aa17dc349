/**
 * Secrets written into a log: openssl s_client's session block (`Master-Key:` of TLS 1.2 and
 * older, `Resumption PSK:` of TLS 1.3) and NSS key log lines (SSLKEYLOGFILE, RFC 9850:
 * `CLIENT_RANDOM <client random> <secret>`), with which a capture of the connection can be
 * decrypted; and the password settings msmtp --debug prints with its configuration, and the password
 * s-nail -vv prints with the account it authenticates with. The hover
 * on their line says what they open (never their value) and the "Redact secrets" action masks them.
 *
 * Found by searching the text for a few markers (each search resumes after the line it hit, so
 * the text is read a bounded number of times), each hit checked against its whole line.
 */
import type { LineIndex } from '../text/lineIndex';
import { KEY_LOG } from '../formats/keyLog';

export type TlsSecretKind = 'master-key' | 'resumption-psk' | 'key-log' | 'password';

export interface TlsSecretSpan {
  /** The secret's hex digits in the text. */
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly kind: TlsSecretKind;
  /** "Master-Key", "Resumption PSK", the key log label ("CLIENT_RANDOM", ...), or "password"/"passwordeval". */
  readonly label: string;
}

/** s_client's `    Master-Key: <hex>` and `    Resumption PSK: <hex>` (an empty value is no secret). */
const SESSION_SECRET = /^[ \t]*(Master-Key|Resumption PSK): ?([0-9A-Fa-f]{16,})[ \t]*$/;
/** msmtp --debug's configuration dump: `passwordeval = echo hunter2` (msmtp prints `password` as `*`). */
const CONFIG_PASSWORD = /^(password|passwordeval) = (.{1,500}?)[ \t]*$/;
/** s-nail -vv's account before it connects: `s-nail: Credentials: host 127.0.0.1:25, user labuser, pass labsecret`. */
const SNAIL_CREDENTIALS = /^s-nail: Credentials: host [^ ]{1,300}, user [^,]{0,300}, pass (.{1,500}?)[ \t]*$/;
/** Where a secret's line has its label: each is searched for, and the line it is on checked. */
const MARKERS = ['Master-Key:', 'Resumption PSK:', 'CLIENT_RANDOM ', '_SECRET', 'RSA ', 'password = ', 'passwordeval = ', 'Credentials: host '] as const;
/** Longer lines are no key log or session line. */
const MAX_LINE = 1024;

/** The secrets in `text`, in document order, one per line. */
export function findTlsSecrets(text: string, lines: LineIndex): TlsSecretSpan[] {
  const byLine = new Map<number, TlsSecretSpan>();
  for (const marker of MARKERS) {
    for (let at = text.indexOf(marker); at >= 0; ) {
      const line = lines.lineAt(at);
      const s = lines.lineStart(line);
      const e = lines.lineEnd(line);
      if (!byLine.has(line) && e - s <= MAX_LINE) {
        const found = secretOnLine(text.slice(s, e), s, line);
        if (found) byLine.set(line, found);
      }
      at = e < text.length ? text.indexOf(marker, e + 1) : -1;
    }
  }
  return [...byLine.values()].sort((a, b) => a.start - b.start);
}

/** The secret on one line (`lineText`, starting at document offset `at`), or null. */
export function secretOnLine(lineText: string, at: number, line: number): TlsSecretSpan | null {
  const session = SESSION_SECRET.exec(lineText);
  if (session) {
    const start = at + lineText.indexOf(session[2], session[1].length + 1);
    return { start, end: start + session[2].length, line, kind: session[1] === 'Master-Key' ? 'master-key' : 'resumption-psk', label: session[1] };
  }
  const config = CONFIG_PASSWORD.exec(lineText);
  if (config) {
    // msmtp's own mask, and a setting left empty, are no secret.
    if (config[2] === '*' || config[2] === '(not set)') return null;
    const start = at + config[1].length + 3;
    return { start, end: start + config[2].length, line, kind: 'password', label: config[1] };
  }
  const snail = SNAIL_CREDENTIALS.exec(lineText);
  if (snail) {
    // s-nail prints an empty password as ''.
    if (snail[1] === "''") return null;
    // The password ends the line, but for trailing spaces and tabs.
    let n = lineText.length;
    while (n > 0 && (lineText.charCodeAt(n - 1) === 32 || lineText.charCodeAt(n - 1) === 9)) n--;
    const end = at + n;
    return { start: end - snail[1].length, end, line, kind: 'password', label: 'pass' };
  }
  const keyLog = KEY_LOG.exec(lineText);
  if (!keyLog) return null;
  // The third field is the secret: the rest of the line up to white space.
  const fields = /^(\S+) (\S+) ([0-9a-fA-F]+)\s*$/.exec(lineText);
  if (!fields) return null;
  const start = at + fields[1].length + 1 + fields[2].length + 1;
  return { start, end: start + fields[3].length, line, kind: 'key-log', label: fields[1] };
}
