/**
 * Certificate (RFC 5246 §7.4.2; RFC 8446 §4.4.2 with certificate_request_context
 * and per-entry extensions). Each complete cert_data is summarised through
 * @peculiar/x509 (x509Summary.ts).
 */
import { describeValidity } from './certificateFacts';
import type { FieldNode, OtherHandshakeMessage } from '../model/tls';
import type { ByteCursor } from './byteCursor';
import { parseExtensions } from './extensions';
import { FieldReader } from './fieldReader';
import { frameNode, frameSpan, type MessageFrame } from './messageFrame';
import type { ParseContext } from './parseContext';
import type { SessionHints } from './sessionHints';
import { TLS_1_3 } from './registry/versions';
import { readCertificate, type CertificateSummary } from './x509Summary';
import { indexedName } from './indexedName';

/** Reads a big-endian 24-bit value at `i` when its 3 bytes are present. */
function peekU24(c: ByteCursor, i: number): number | null {
  if (i + 3 > c.presentEnd) return null;
  const d = c.data;
  return (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
}

/**
 * TLS 1.3 form or not: known from the negotiated version; otherwise the form
 * whose lengths add up to the declared message length.
 */
export function isTls13CertificateForm(c: ByteCursor, hints: SessionHints): boolean {
  if (hints.version !== null) return hints.version === TLS_1_3;
  const at = c.pos;
  if (peekU24(c, at) === c.remaining - 3) return false;
  if (at >= c.presentEnd) return false;
  const contextLength = c.data[at];
  return peekU24(c, at + 1 + contextLength) === c.remaining - 4 - contextLength;
}

export interface CertificateEntryJson {
  [key: string]: unknown;
}

export function parseCertificate(c: ByteCursor, ctx: ParseContext, frame: MessageFrame, hints: SessionHints): OtherHandshakeMessage {
  const r = new FieldReader(c, ctx);
  const tls13 = isTls13CertificateForm(c, hints);
  const certificates: CertificateEntryJson[] = [];
  const details: Record<string, unknown> = { form: tls13 ? 'tls13' : 'tls12', certificates };
  let cut = false;
  parse: {
    if (tls13) {
      // RFC 8446 §4.4.2: opaque certificate_request_context<0..2^8-1>.
      const context = r.readOpaque(1, 'certificate_request_context');
      if (!context) break parse;
      details.certificateRequestContext = context.hex;
    }
    // RFC 5246 §7.4.2: ASN.1Cert certificate_list<0..2^24-1>; RFC 8446: CertificateEntry certificate_list<0..2^24-1>.
    const list = r.readOpaque(3, 'certificate_list', { structured: true });
    if (!list) break parse;
    const entries: FieldNode[] = [];
    const lc = list.body;
    while (!lc.atEnd && !lc.failed) {
      const entryStart = lc.pos;
      const er = new FieldReader(lc, ctx);
      const cert = er.readOpaque(3, 'cert_data', { structured: true });
      if (!cert) {
        entries.push(ctx.node(indexedName('certificate_list', entries.length), entryStart, lc.presentEnd, { kind: 'container', children: er.nodes }));
        break;
      }
      cert.body.skipPresent();
      const entry: CertificateEntryJson = { length: cert.length };
      let display: string | undefined;
      if (cert.complete) {
        const reading = readCertificate(ctx.data.subarray(cert.span.start, cert.span.end));
        if ('summary' in reading) {
          Object.assign(entry, reading.summary);
          display = reading.summary.subject;
          er.add(ctx.node('cert_data', cert.span.start, cert.span.end, { value: cert.hex, display: describeSummary(reading.summary), kind: 'opaque' }));
        } else {
          entry.error = reading.error;
          er.add(ctx.node('cert_data', cert.span.start, cert.span.end, { value: cert.hex, display: reading.error, kind: 'opaque' }));
        }
      } else {
        entry.incomplete = true;
        er.add(ctx.node('cert_data', cert.span.start, cert.span.end, { value: cert.hex, display: 'certificate cut short', kind: 'opaque' }));
      }
      if (tls13 && !lc.failed) {
        // RFC 8446 §4.4.2: Extension extensions<0..2^16-1> (status_request, signed_certificate_timestamp).
        const ext = parseExtensions(lc, ctx, 'certificate');
        er.nodes.push(...ext.nodes);
        if (ext.cut) cut = true;
        entry.extensions = ext.extensions.map((x) => ({ type: x.type, name: x.name, ...(x.details ?? {}) }));
      }
      certificates.push(entry);
      entries.push(ctx.node(indexedName('certificate_list', entries.length), entryStart, Math.min(lc.pos, lc.presentEnd), { display, kind: 'container', children: er.nodes }));
    }
    lc.finish();
    if (ctx.settle(lc)) cut = true;
    r.add(ctx.node('certificate_list', list.span.start, list.span.end, { kind: 'list', children: entries }));
    c.finish();
  }
  if (ctx.settle(c)) cut = true;
  const span = frameSpan(ctx, frame);
  const incomplete = cut || c.presentEnd < c.end;
  return {
    type: 11,
    name: 'Certificate',
    start: span.start,
    end: span.end,
    field: frameNode(ctx, frame, 'Certificate', r.nodes),
    details,
    ...(incomplete ? { incomplete: true } : {}),
  };
}

/** A certificate's key as the hovers name it: "RSA, 1024 bits", "EC P-256, 256 bits", "DSA, size not read". */
export function describeKey(s: CertificateSummary): string {
  return `${s.keyType}${s.namedCurve ? ` ${s.namedCurve}` : ''}, ${s.keyBits > 0 ? `${s.keyBits} bits` : 'size not read'}`;
}

/** One line for a certificate's FieldNode display. */
export function describeSummary(s: CertificateSummary): string {
  return `${s.subject} (issuer ${s.issuer}; ${s.keyType} ${s.keyBits} bits; ${s.signatureAlgorithm}; valid ${describeValidity(s)})`;
}

