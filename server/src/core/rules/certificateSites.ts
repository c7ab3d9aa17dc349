/**
 * The certificate chains a session shows, as the certificate rules see them: each decoded
 * Certificate message (RFC 5246 §7.4.2, RFC 8446 §4.4.2), or the certificates a tool prints in
 * PEM, with the reading of every complete certificate, where its parts lie in the document, who
 * sent it, and the name the client asked for (server_name of the ClientHello before it).
 */
import type { AnalyzedSession } from '../analysis/analyzeDocument';
import type { FieldNode, HandshakeMessage } from '../model/tls';
import type { Direction, StatedEvent, TextSpan } from '../model/transcript';
import { readCertificate, type CertificateSummary } from '../tls/x509Summary';
import { certificateDer, spanOfDerBytes } from '../formats/pemCertificates';
import { TLS_1_3 } from '../tls/registry/versions';
import { locateCertificateParts, type CertificateLayout, type DerRange } from '../tls/certificateLayout';
import { createSessionCache } from './ruleContext';
import { collectFields, firstNotBefore, isTls13Session, listClientHellos, listRecords, listStatedNegotiations, spanOfBytes, type RecordSite } from './sites';
import type { RelatedLocation } from './types';

/** Certificate (RFC 5246 §7.4.2). */
const CERTIFICATE = 11;
/** Bytes of a certificate's start a finding points at when its part cannot be placed (the SEQUENCE header). */
const HEADER_BYTES = 4;

export interface CertificateEntrySite {
  /** Position in the certificate_list, 0 for the sender's own certificate. */
  readonly index: number;
  readonly summary: CertificateSummary;
  /** Where a part of the certificate lies in the document (the certificate's first bytes when it cannot be placed). */
  spanOf(part: keyof CertificateLayout | null): TextSpan;
}

export interface CertificateChainSite {
  readonly session: AnalyzedSession;
  /** The side that sent the Certificate message, when the format says. */
  readonly sender: Direction | null;
  /** TLS 1.3 form of the message (certificate_request_context, per-entry extensions). */
  readonly tls13: boolean;
  /** The certificates that could be read, in list order (an unreadable or cut one ends the list). */
  readonly entries: readonly CertificateEntrySite[];
  /** The host name the client sent in server_name before this message, with where it is. */
  readonly serverName: { readonly name: string; readonly related: RelatedLocation } | null;
}

interface CertificateDetails {
  readonly form?: string;
  readonly certificates?: readonly (Partial<CertificateSummary> & { error?: string; incomplete?: boolean })[];
}

function isSummary(e: Partial<CertificateSummary> & { error?: string; incomplete?: boolean }): e is CertificateSummary {
  return e.error === undefined && e.incomplete !== true && typeof e.subject === 'string';
}

function decodeHex(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

function entrySite(site: RecordSite, index: number, summary: CertificateSummary, node: FieldNode): CertificateEntrySite {
  let layout: CertificateLayout | null = null;
  const hex = typeof node.value === 'string' ? node.value : '';
  const length = hex.length / 2;
  // A certificate reassembled from several records has record headers between its bytes: its parts cannot be placed by offset.
  const contiguous = node.end - node.start === length;
  return {
    index,
    summary,
    spanOf(part) {
      if (part !== null && contiguous) {
        layout ??= locateCertificateParts(decodeHex(hex));
        const r: DerRange | undefined = layout[part];
        if (r) return spanOfBytes(site, node.start + r.start, node.start + r.end);
      }
      return spanOfBytes(site, node.start, Math.min(node.end, node.start + HEADER_BYTES));
    },
  };
}

interface NamedHello {
  readonly eventIndex: number;
  readonly name: string;
  readonly related: RelatedLocation;
}

/** The session's ClientHellos that carry a server_name, in event order (once per session and rules run). */
const NAMED_HELLOS = createSessionCache<readonly NamedHello[]>();

function namedHellos(session: AnalyzedSession): readonly NamedHello[] {
  const out: NamedHello[] = [];
  const sent = (name: string): string => `server_name "${name}" sent by the client`;
  for (const hello of listClientHellos([session])) {
    const name = hello.message.serverName;
    if (name === null) continue;
    const field = collectFields(hello.message.field, (f) => f.name === 'host_name')[0];
    const span = field ? spanOfBytes(hello, field.start, field.end) : spanOfBytes(hello, hello.message.start, hello.message.start + 1);
    out.push({ eventIndex: hello.event.eventIndex, name, related: { span, message: sent(name) } });
  }
  if (out.length > 0) return out;
  // A ClientHello a tool states in words (tshark -V prints its server_name), in a session without a decoded one.
  session.session.events.forEach((e, eventIndex) => {
    if (e.kind !== 'stated' || e.subject !== 'client-hello' || e.serverName === undefined) return;
    out.push({ eventIndex, name: e.serverName, related: { span: e.valueSpans?.serverName ?? e.span, message: sent(e.serverName) } });
  });
  return out;
}

/** The server_name of the session's last ClientHello at or before event `eventIndex`, with its place. */
function serverNameBefore(session: AnalyzedSession, eventIndex: number): CertificateChainSite['serverName'] {
  const hellos = NAMED_HELLOS.get(session, namedHellos);
  const i = firstNotBefore(hellos.length, (k) => hellos[k].eventIndex <= eventIndex) - 1;
  return i >= 0 ? { name: hellos[i].name, related: hellos[i].related } : null;
}

/**
 * The session shows a Certificate message decoded: the outline and the diagram then list it, not
 * the copies a tool prints in PEM.
 */
export function showsCertificateMessage(session: AnalyzedSession): boolean {
  return session.tlsEvents.some((t) => t.records.some((r) => r.messages.some((m) => m.type === CERTIFICATE)));
}

/** The decoded Certificate messages of one session, once each, in document order. */
function* decodedChains(session: AnalyzedSession): Generator<CertificateChainSite> {
  const seen = new Set<HandshakeMessage>();
  for (const site of listRecords([session])) {
    for (const m of site.record.messages) {
      if (m.type !== CERTIFICATE || seen.has(m) || !('details' in m) || !m.details) continue;
      seen.add(m);
      const details = m.details as CertificateDetails;
      const readings = details.certificates ?? [];
      const nodes = collectFields(m.field, (f) => f.name === 'cert_data');
      const entries: CertificateEntrySite[] = [];
      for (let i = 0; i < readings.length && i < nodes.length; i++) {
        const r = readings[i];
        if (!isSummary(r)) break;
        entries.push(entrySite(site, i, r, nodes[i]));
      }
      if (entries.length === 0) continue;
      yield {
        session,
        sender: site.event.direction ?? site.event.stream.direction,
        tls13: details.form === 'tls13',
        entries,
        serverName: serverNameBefore(session, site.event.eventIndex),
      };
    }
  }
}

/** A certificate the tool prints: in PEM, read from the document, or described in words (tshark -V, gnutls-cli, openssl x509 -text), read from them. */
function statedEntry(text: string, index: number, event: StatedEvent): CertificateEntrySite | null {
  const printed = event.printed;
  if (printed) {
    const firstLine = { start: event.span.start, end: Math.min(event.span.end, lineEndAfter(text, event.span.start)) };
    return { index, summary: printed.summary, spanOf: (part) => (part !== null && printed.parts[part]) || firstLine };
  }
  const spans = event.base64Spans ?? [];
  const der = certificateDer(text, spans);
  const reading = readCertificate(der);
  if (!('summary' in reading)) return null;
  let layout: CertificateLayout | null = null;
  return {
    index,
    summary: reading.summary,
    spanOf(part) {
      layout ??= part === null ? null : locateCertificateParts(der);
      const r = part !== null && layout ? layout[part] : undefined;
      return r ? spanOfDerBytes(spans, r.start, r.end) : spanOfDerBytes(spans, 0, HEADER_BYTES);
    },
  };
}

/** Offset of the end of the line at `offset` (before its line break). */
function lineEndAfter(text: string, offset: number): number {
  const lf = text.indexOf('\n', offset);
  const end = lf < 0 ? text.length : lf;
  return text.charCodeAt(end - 1) === 13 ? end - 1 : end;
}

/** The session negotiated TLS 1.3, as a decoded ServerHello or the tool's own words say. */
function negotiatedTls13(session: AnalyzedSession): boolean {
  if (isTls13Session(session)) return true;
  // What the tool states: the negotiated version, or a ServerHello's supported_versions (tshark -V).
  for (const n of listStatedNegotiations([session])) if (n.version === TLS_1_3) return true;
  return false;
}

/**
 * The chains a tool prints in PEM: s_client -showcerts's certificates numbered 0, 1, 2... in a row
 * are one chain; a certificate without a number (s_client's "Server certificate") is a chain of its own.
 */
function* statedChains(session: AnalyzedSession, text: string): Generator<CertificateChainSite> {
  const events = session.session.events;
  let chain: { entries: CertificateEntrySite[]; first: StatedEvent; eventIndex: number; next: number | undefined; broken: boolean } | null = null;
  let tls13: boolean | undefined;
  const close = (): CertificateChainSite | null => {
    if (!chain || chain.entries.length === 0) return null;
    tls13 ??= negotiatedTls13(session);
    return {
      session,
      sender: chain.first.direction,
      tls13,
      entries: chain.entries,
      serverName: serverNameBefore(session, chain.eventIndex),
    };
  };
  for (let k = 0; k < events.length; k++) {
    const e = events[k];
    if (e.kind !== 'stated' || e.subject !== 'certificate') continue;
    const index = e.certificateIndex;
    if (!chain || index === undefined || index !== chain.next) {
      const done = close();
      if (done) yield done;
      chain = { entries: [], first: e, eventIndex: k, next: index, broken: false };
    }
    if (!chain.broken) {
      const entry = statedEntry(text, chain.entries.length, e);
      // An unreadable certificate ends what can be judged of its chain.
      if (entry) chain.entries.push(entry);
      else chain.broken = true;
    }
    chain.next = index === undefined ? undefined : index + 1;
  }
  const done = close();
  if (done) yield done;
}

/**
 * Every certificate chain of the sessions, in document order per session: each decoded Certificate
 * message; in a session without one, the chains the tool prints in PEM (with -msg, s_client prints
 * both: the decoded message is judged, not its PEM copy).
 */
export function* listCertificateChains(input: { readonly sessions: readonly AnalyzedSession[]; readonly text: string }): Generator<CertificateChainSite> {
  for (const session of input.sessions) yield* listSessionChains(session, input.text);
}

/** The certificate chains one session shows (decoded, else printed by the tool), in document order. */
export function listSessionChains(session: AnalyzedSession, text: string): readonly CertificateChainSite[] {
  return CHAINS.get(session, (s) => findChains(s, text));
}

/** The chains of each session, found once per rules run for the five certificate rules. */
const CHAINS = createSessionCache<readonly CertificateChainSite[]>();

function findChains(session: AnalyzedSession, text: string): readonly CertificateChainSite[] {
  const decoded = [...decodedChains(session)];
  return decoded.length > 0 ? decoded : [...statedChains(session, text)];
}
