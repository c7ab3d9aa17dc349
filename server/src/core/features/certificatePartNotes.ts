/**
 * On a byte of a certificate (cert_data), on the base64 of a certificate a tool prints in PEM, or on
 * a line of one a tool describes in words (tshark -V, gnutls-cli, openssl x509 -text), which part of the
 * certificate it lies in and that part's value as the certificate reading gives it:
 * "subjectPublicKeyInfo: RSA, 1024 bits".
 */
import { describeValidity } from '../tls/certificateFacts';
import type { Analysis } from '../analysis/analyzeDocument';
import type { FieldNode } from '../model/tls';
import type { PrintedCertificate, StatedEvent, TextSpan } from '../model/transcript';
import { certificateDer } from '../formats/pemCertificates';
import { firstNotBefore } from '../rules/sites';
import { CERTIFICATE_PARTS, locateCertificateParts, type CertificateLayout } from '../tls/certificateLayout';
import { readCertificate, type CertificateSummary } from '../tls/x509Summary';
import { describeKey } from '../tls/certificate';

function valueOf(part: keyof CertificateLayout, s: CertificateSummary): string {
  switch (part) {
    case 'version':
      return 'the X.509 version';
    case 'serialNumber':
      return s.serialNumber;
    case 'signature':
    case 'signatureAlgorithm':
      return s.signatureAlgorithm;
    case 'issuer':
      return s.issuer;
    case 'validity':
      return describeValidity(s);
    case 'subject':
      return s.subject;
    case 'subjectPublicKeyInfo':
      return describeKey(s);
    case 'subjectAltName':
      return s.subjectAltNames.join(', ');
    case 'extensions':
      return 'the certificate extensions';
    case 'signatureValue':
      return `the issuer's signature (${s.signatureAlgorithm})`;
  }
}

/** "subjectPublicKeyInfo: RSA, 1024 bits" for byte `at` of a certificate, or null outside its parts. */
function partAt(der: Uint8Array, summary: CertificateSummary, at: number): string | null {
  const layout = locateCertificateParts(der);
  let found: keyof CertificateLayout | null = null;
  for (const part of CERTIFICATE_PARTS) {
    const r = layout[part];
    if (r && r.start <= at && at < r.end) found = part;
  }
  return found ? `${found}: ${valueOf(found, summary)}` : null;
}

/**
 * "subjectPublicKeyInfo: RSA, 1024 bits" for byte `index` of a stream whose certificate field is
 * `field`; null when the certificate cannot be read or its bytes are not contiguous in the stream.
 */
export function describeCertificatePart(field: FieldNode, index: number): string | null {
  if (field.name !== 'cert_data' || typeof field.value !== 'string') return null;
  const der = Uint8Array.from(Buffer.from(field.value, 'hex'));
  // Reassembled from several records, the certificate's bytes have record headers between them.
  if (field.end - field.start !== der.length) return null;
  const reading = readCertificate(der);
  if (!('summary' in reading)) return null;
  return partAt(der, reading.summary, index - field.start);
}

/** A certificate a tool prints in PEM, under the cursor: its reading and the part the character encodes. */
export interface PemCertificateHit {
  /** The base64 line under the cursor. */
  readonly span: TextSpan;
  readonly summary: CertificateSummary;
  /** "subjectPublicKeyInfo: RSA, 1024 bits", or null outside the parts (the outer header). */
  readonly part: string | null;
  /** The DER byte the character encodes, and the certificate's length. */
  readonly byte: number;
  readonly length: number;
}

const CERTIFICATE_EVENTS = new WeakMap<Analysis, readonly StatedEvent[]>();

/** The analysis's certificates a tool prints (in PEM, or described in words), in document order. */
function certificateEvents(analysis: Analysis): readonly StatedEvent[] {
  let list = CERTIFICATE_EVENTS.get(analysis);
  if (!list) {
    const found: StatedEvent[] = [];
    for (const s of analysis.sessions) for (const e of s.session.events) if (e.kind === 'stated' && e.subject === 'certificate' && (e.base64Spans || e.printed)) found.push(e);
    list = found.sort((a, b) => a.span.start - b.span.start);
    CERTIFICATE_EVENTS.set(analysis, list);
  }
  return list;
}

/** The printed certificate whose lines hold `offset`, or null. */
function findCertificateEvent(analysis: Analysis, offset: number): StatedEvent | null {
  const events = certificateEvents(analysis);
  const e = events[firstNotBefore(events.length, (i) => events[i].span.end <= offset)];
  return e && offset >= e.span.start ? e : null;
}

/** The certificate printed in PEM whose block (BEGIN to END) holds `offset`, or null. */
export function findPemCertificateEvent(analysis: Analysis, offset: number): StatedEvent | null {
  const e = findCertificateEvent(analysis, offset);
  return e?.base64Spans ? e : null;
}

/** A certificate a tool describes in words (tshark -V, gnutls-cli, openssl x509 -text), under the cursor: its reading and the part there. */
export interface PrintedCertificateHit {
  /** The line under the cursor. */
  readonly span: TextSpan;
  readonly summary: CertificateSummary;
  /** "subjectPublicKeyInfo: RSA, 1024 bits" for the innermost part the line is in, or null. */
  readonly part: string | null;
  readonly tool: PrintedCertificate['tool'];
}

/** The certificate a tool describes in words whose lines hold `offset`, with the part there; null elsewhere. */
export function findPrintedCertificateAt(analysis: Analysis, offset: number): PrintedCertificateHit | null {
  const e = findCertificateEvent(analysis, offset);
  if (!e?.printed) return null;
  const { summary, parts } = e.printed;
  let found: keyof CertificateLayout | null = null;
  for (const part of CERTIFICATE_PARTS) {
    const r = parts[part];
    if (r && r.start <= offset && offset <= r.end && (!found || r.start >= parts[found]!.start)) found = part;
  }
  const line = analysis.lines.lineAt(offset);
  const span = { start: Math.max(e.span.start, analysis.lines.lineStart(line)), end: Math.min(e.span.end, analysis.lines.lineEnd(line)) };
  return { span, summary, part: found ? `${found}: ${valueOf(found, summary)}` : null, tool: e.printed.tool };
}

/** The PEM certificate whose base64 holds `offset`, with what that character encodes; null elsewhere. */
export function findPemCertificateAt(analysis: Analysis, offset: number): PemCertificateHit | null {
  const e = findPemCertificateEvent(analysis, offset);
  if (!e) return null;
  const spans = e.base64Spans ?? [];
  let chars = 0;
  for (const span of spans) {
    if (offset >= span.start && offset < span.end) {
      const der = certificateDer(analysis.text, spans);
      const reading = readCertificate(der);
      if (!('summary' in reading)) return null;
      // A base64 character carries 6 bits, 6c to 6c + 5: the byte its last bit is in (a character shared
      // by two bytes belongs to the later one, as the spans of the findings begin there).
      const byte = Math.floor((6 * (chars + offset - span.start) + 5) / 8);
      return { span, summary: reading.summary, part: partAt(der, reading.summary, byte), byte, length: der.length };
    }
    chars += span.end - span.start;
  }
  return null;
}
