/**
 * Where AUTH credentials sit in a document: the initial response of an AUTH
 * command, the client lines that answer 334 challenges, and what a tool prints
 * of them decoded (a note's `credential`). Every editor
 * feature masks these spans; the "Redact credentials" action replaces them.
 */
import type { Analysis } from '../analysis/analyzeDocument';
import { CREDENTIAL_MASK, type TextSpan } from '../model/transcript';

export { CREDENTIAL_MASK };

export interface CredentialSpan extends TextSpan {
  readonly line: number;
  readonly sessionIndex: number;
  /** Index of the AUTH command event the credential belongs to. */
  readonly authEventIndex: number;
  /** Printed in clear by the tool beside what went on the wire (a note's credential), not base64. */
  readonly decoded?: true;
}

const CACHE = new WeakMap<Analysis, readonly CredentialSpan[]>();

/** Credential spans of an analysis, in document order (cached beside the analysis). */
export function getCredentialSpans(analysis: Analysis): readonly CredentialSpan[] {
  let spans = CACHE.get(analysis);
  if (!spans) {
    spans = findCredentialSpans(analysis);
    CACHE.set(analysis, spans);
  }
  return spans;
}

export function findCredentialSpans(analysis: Analysis): CredentialSpan[] {
  const out: CredentialSpan[] = [];
  analysis.sessions.forEach((s, sessionIndex) => {
    let authAt = -1;
    let challenged = false;
    s.session.events.forEach((event, i) => {
      if (event.kind === 'reply') {
        // RFC 4954 §4: 334 asks for the next line of the exchange; any other reply ends it.
        challenged = authAt >= 0 && event.code === 334;
        if (!challenged) authAt = -1;
        return;
      }
      if (event.kind === 'note') {
        // A credential the tool printed in clear beside the exchange (Net::SMTP's `(decoded) PASSWORD`).
        if (event.credential && authAt >= 0) out.push({ ...event.credential, line: event.line, sessionIndex, authEventIndex: authAt, decoded: true });
        return;
      }
      if (event.kind !== 'command' || event.dataLine) return;
      const text = analysis.text.slice(event.span.start, event.span.end);
      if (event.verb === 'AUTH') {
        authAt = i;
        challenged = false;
        const m = /^\s*AUTH\s+\S+\s+(\S+)/i.exec(text);
        // "=" is an empty initial response (RFC 4954 §4): nothing secret.
        if (m && m[1] !== '=') {
          const start = event.span.start + m.index + m[0].length - m[1].length;
          out.push({ start, end: start + m[1].length, line: event.line, sessionIndex, authEventIndex: i });
        }
        return;
      }
      if (authAt >= 0 && challenged) {
        const m = /\S+/.exec(text);
        // "*" cancels the exchange and carries no secret.
        if (m && m[0] !== '*') {
          const start = event.span.start + m.index;
          out.push({ start, end: start + m[0].length, line: event.line, sessionIndex, authEventIndex: authAt });
        }
        challenged = false;
        return;
      }
      authAt = -1;
    });
  });
  return out;
}

/** Returns `text` (which starts at document offset `at`) with every credential inside it replaced by the mask. */
export function maskCredentials(text: string, at: number, spans: readonly CredentialSpan[]): string {
  let out = '';
  let pos = 0;
  for (const s of spans) {
    const a = s.start - at;
    const b = s.end - at;
    if (b <= pos || a >= text.length) continue;
    out += text.slice(pos, Math.max(pos, a)) + CREDENTIAL_MASK;
    pos = Math.min(text.length, b);
  }
  return out + text.slice(pos);
}
