/**
 * The certificate chains a session shows, as the certificate rules see them: each decoded
 * Certificate message (RFC 5246 §7.4.2, RFC 8446 §4.4.2) with the reading of every complete
 * certificate, where its parts lie in the document, who sent it, and the name the client
 * asked for (server_name of the ClientHello before it).
 */
import type { AnalyzedSession } from '../analysis/analyzeDocument';
import type { FieldNode, HandshakeMessage } from '../model/tls';
import type { Direction, TextSpan } from '../model/transcript';
import type { CertificateSummary } from '../tls/x509Summary';
import { locateCertificateParts, type CertificateLayout, type DerRange } from '../tls/certificateLayout';
import { createSessionCache } from './ruleContext';
import { collectFields, firstNotBefore, listClientHellos, listRecords, spanOfBytes, type RecordSite } from './sites';
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
  for (const hello of listClientHellos([session])) {
    const name = hello.message.serverName;
    if (name === null) continue;
    const field = collectFields(hello.message.field, (f) => f.name === 'host_name')[0];
    const span = field ? spanOfBytes(hello, field.start, field.end) : spanOfBytes(hello, hello.message.start, hello.message.start + 1);
    out.push({ eventIndex: hello.event.eventIndex, name, related: { span, message: `server_name "${name}" sent by the client` } });
  }
  return out;
}

/** The server_name of the session's last ClientHello at or before the event, with its place. */
function serverNameBefore(site: RecordSite): CertificateChainSite['serverName'] {
  const hellos = NAMED_HELLOS.get(site.session, namedHellos);
  const i = firstNotBefore(hellos.length, (k) => hellos[k].eventIndex <= site.event.eventIndex) - 1;
  return i >= 0 ? { name: hellos[i].name, related: hellos[i].related } : null;
}

/** Every decoded Certificate message of the sessions, once each, in document order. */
export function* listCertificateChains(sessions: readonly AnalyzedSession[]): Generator<CertificateChainSite> {
  const seen = new Set<HandshakeMessage>();
  for (const site of listRecords(sessions)) {
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
        session: site.session,
        sender: site.event.direction ?? site.event.stream.direction,
        tls13: details.form === 'tls13',
        entries,
        serverName: serverNameBefore(site),
      };
    }
  }
}
