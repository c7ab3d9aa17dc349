/** Record layer: tls-record-overflow, tls-record-version, tls-alert. */
import type { RuleCheck } from '../ruleContext';
import { findAnsweredClientHello, findFirstClientHelloRecord, highestOfferedVersion, isTls13Session, listRecords, listStatedAlerts, relatedClientHello, spanOfBytes, type RecordSite } from '../sites';
import { MAX_CIPHERTEXT, MAX_PLAINTEXT } from '../../tls/decodeStream';
import { CONTENT_HANDSHAKE } from '../../tls/registry/contentTypes';
import { lookupAlertDescription } from '../../tls/registry/alerts';
import { TLS_1_0, TLS_1_2, describeVersion } from '../../tls/registry/versions';
import type { TlsRecord } from '../../model/tls';
import type { Direction } from '../../model/transcript';

/** RFC 8446 §5.2: TLSCiphertext.length MUST NOT exceed 2^14 + 256. */
const MAX_CIPHERTEXT_TLS13 = (1 << 14) + 256;

/** The limit a record's length is held to, and its name for messages. */
export function findRecordLimit(record: TlsRecord, tls13: boolean): { limit: number; label: string } {
  if (!record.encrypted) return { limit: MAX_PLAINTEXT, label: '2^14 (RFC 5246 §6.2.1, RFC 8446 §5.1)' };
  if (tls13) return { limit: MAX_CIPHERTEXT_TLS13, label: '2^14 + 256 for TLS 1.3 ciphertext (RFC 8446 §5.2)' };
  return { limit: MAX_CIPHERTEXT, label: '2^14 + 2048 for ciphertext (RFC 5246 §6.2.3)' };
}

/** True for a wire record whose declared length breaks the limit (not shown-decrypted content). */
export function isOverflowingRecord(site: RecordSite): boolean {
  const r = site.record;
  if (r.format !== 'tls' || r.decrypted) return false;
  return r.length > findRecordLimit(r, isTls13Session(site.session)).limit;
}

export const checkRecordOverflow: RuleCheck = (ctx) => {
  for (const site of listRecords(ctx.input.sessions)) {
    if (!isOverflowingRecord(site)) continue;
    const { label } = findRecordLimit(site.record, isTls13Session(site.session));
    ctx.report({
      span: spanOfBytes(site, site.record.start + 3, site.record.start + 5),
      message: `Record length ${site.record.length} exceeds ${label}; the peer must answer record_overflow (22).`,
    });
  }
};

export const checkRecordVersion: RuleCheck = (ctx) => {
  for (const site of listRecords(ctx.input.sessions)) {
    const r = site.record;
    if (r.format !== 'tls' || r.decrypted) continue;
    const span = spanOfBytes(site, r.start + 1, r.start + 3);
    if (r.version >> 8 !== 3) {
      ctx.report({ span, message: `Record-layer version ${describeVersion(r.version)} has a major version other than 3; every TLS record carries 3.x (RFC 8446 §5.1).` });
      continue;
    }
    if (!isTls13Session(site.session) || r.version === TLS_1_2) continue;
    // RFC 8446 §5.1: 0x0303 on every record except an initial ClientHello, which may carry 0x0301.
    const initialHello = r.contentType === CONTENT_HANDSHAKE && r.messages.some((m) => m.type === 1) && r.version === TLS_1_0 && isFirstClientHello(site);
    if (initialHello) continue;
    ctx.report({ span, message: `Record-layer version ${describeVersion(r.version)} in a TLS 1.3 connection; RFC 8446 §5.1 requires 0x0303 on every record but the initial ClientHello.` });
  }
};

function isFirstClientHello(site: RecordSite): boolean {
  return findFirstClientHelloRecord(site.session) === site.record;
}

export const checkAlert: RuleCheck = (ctx) => {
  for (const site of listRecords(ctx.input.sessions)) {
    const alert = site.record.alert;
    if (!alert || site.record.encrypted) continue;
    if (isOrderlyClose(alert.level, alert.description)) continue;
    const hello = site.event.direction === 'server' ? findAnsweredClientHello(site) : null;
    let relation = '';
    if (hello) {
      const highest = highestOfferedVersion(hello.message);
      // No line number in the text: messages stay the same wherever the session sits (the hello is a related location).
      relation = ` It answers the ClientHello offering at most ${describeVersion(highest)}`;
      if (alert.description === 70) relation += ': protocol_version means the server accepts none of the offered versions.';
      else if (alert.description === 40) relation += ': handshake_failure means no acceptable set of parameters (version, suites) was offered.';
      else if (alert.description === 86) relation += ': inappropriate_fallback means the client signalled a fallback (TLS_FALLBACK_SCSV) although the server supports a higher version.';
      else if (alert.description === 50) relation += ': decode_error means the server could not parse it.';
      else relation += '.';
    }
    ctx.report({
      span: spanOfBytes(site, site.record.start, site.record.end),
      severity: alert.level === 2 ? 'warning' : undefined,
      message: `${alertSentence(site.event.direction, alert.level, alert.name, alert.description)}.${relation}`,
      related: hello ? [relatedClientHello(hello)] : undefined,
    });
  }
  // Alerts a tool states in words: the same judgement, on the statement.
  for (const site of listStatedAlerts(ctx.input.sessions)) {
    if (isOrderlyClose(site.level, site.description)) continue;
    ctx.report({
      span: site.event.valueSpans?.alertDescription ?? site.event.span,
      severity: site.level === 2 ? 'warning' : undefined,
      message: `${alertSentence(site.event.direction, site.level, lookupAlertDescription(site.description).name, site.description)} (as the tool states it).`,
    });
  }
};

/** A warning-level close_notify is the orderly end of every clean session: nothing to report. */
function isOrderlyClose(level: number, description: number): boolean {
  return level === 1 && description === 0;
}

/** How a tls-alert finding opens, for an alert decoded from bytes or stated by a tool. */
function alertSentence(direction: Direction | null, level: number, name: string, description: number): string {
  const who = direction === 'server' ? 'The server' : direction === 'client' ? 'The client' : 'A peer';
  const kind = level === 2 ? 'fatal' : level === 1 ? 'warning' : `level ${level}`;
  return `${who} sends a ${kind} alert ${name} (${description})${level === 2 ? ', ending the connection' : ''}`;
}
