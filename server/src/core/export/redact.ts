/**
 * Keeps SMTP AUTH credentials out of every report (text, JSON, SARIF, GitHub
 * annotations, decode output). The secrets are taken from the transcript
 * itself: the initial response of `AUTH PLAIN|LOGIN|...` and every client line
 * answering a 334 challenge (RFC 4954 §4), both as written (base64) and
 * decoded (RFC 4616 §2: PLAIN is authzid NUL authcid NUL passwd).
 */
import type { Analysis } from '../analysis/analyzeDocument';
import type { JsonValue } from './decodeJson';
import { saslLinesBeforeChallenge } from '../formats/saslMechanisms';

export const REDACTED = '***';

/** Shorter decoded pieces are not scrubbed: they would blank out ordinary words. */
const MIN_SECRET_LENGTH = 3;

export type Redactor = (s: string) => string;

/** Every credential string the document shows, longest first. */
export function collectCredentialSecrets(analysis: Analysis): string[] {
  const secrets = new Set<string>();
  const addEncoded = (written: string): void => {
    const token = written.trim();
    if (token === '' || token === '=' || token === '*') return;
    secrets.add(token);
    for (const part of decodeBase64Parts(token)) secrets.add(part);
  };
  for (const { session } of analysis.sessions) {
    let inAuth = false;
    /** A 334 came since the client's last line: the next line answers it. */
    let challenged = false;
    /** Lines the mechanism still sends without a 334 shown before them (pipelined, or replies printed later). */
    let unchallenged = 0;
    for (const e of session.events) {
      if (e.kind === 'note') {
        // A credential the tool printed in clear (Net::SMTP's `(decoded) PASSWORD`).
        if (e.credential) {
          const clear = analysis.text.slice(e.credential.start, e.credential.end).trim();
          if (clear !== '') secrets.add(clear);
        }
        continue;
      }
      if (e.kind === 'reply') {
        // 334 asks for more; anything else ends the exchange.
        inAuth = inAuth && e.code === 334;
        challenged = inAuth;
        continue;
      }
      if (e.kind !== 'command' || e.dataLine) continue;
      const written = analysis.text.slice(e.span.start, e.span.end);
      if (e.verb === 'AUTH') {
        inAuth = true;
        challenged = false;
        const m = /^\S+\s+(\S+)(?:\s+(\S.*))?$/.exec(written);
        if (m?.[2] !== undefined) addEncoded(m[2]);
        // (A mechanism of no fixed shape: every line until a reply other than 334.)
        unchallenged = saslLinesBeforeChallenge(m?.[1] ?? '', m?.[2] !== undefined) ?? Infinity;
      } else if (e.authPayload || (inAuth && (challenged || unchallenged > 0))) {
        // (authPayload: a line the reader took for credentials, e.g. the first client line of a log that begins mid-exchange.)
        if (!challenged) unchallenged--;
        challenged = false;
        addEncoded(written);
      } else {
        // A command after what the mechanism sends (MAIL after a pipelined AUTH PLAIN <response>): not a credential.
        inAuth = false;
      }
    }
  }
  return [...secrets].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** Base64 payload split at NULs (PLAIN) into printable pieces; empty when it is not base64 text. */
function decodeBase64Parts(token: string): string[] {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token) || token.length % 4 !== 0) return [];
  const bytes = Uint8Array.from(atob(token), (c) => c.charCodeAt(0));
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return [];
  }
  return decoded.split('\0').filter((p) => p.length > 0);
}

/** A function replacing every secret in a string with `***`. */
export function createRedactor(analysis: Analysis): Redactor {
  return createSecretsRedactor(collectCredentialSecrets(analysis));
}

/** A redactor for secrets collected elsewhere (a streaming check gathers them chunk by chunk); longest first, as collected. */
export function createSecretsRedactor(collected: readonly string[]): Redactor {
  const secrets = [...collected].sort((a, b) => b.length - a.length);
  if (secrets.length === 0) return (s) => s;
  // Case-insensitive: the transcript model upper-cases a line's first word (its "verb"),
  // and upper-cased base64 is still the credential to anyone who tries the cases.
  const pattern = new RegExp(secrets.map((x) => x.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'gi');
  return (s) => s.replace(pattern, REDACTED);
}

/** The same value with every string (keys excepted) passed through the redactor. */
export function redactJson<T extends JsonValue>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, redact)) as T;
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactJson(v, redact);
    return out as T;
  }
  return value;
}
