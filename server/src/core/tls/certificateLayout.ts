/**
 * Where the parts of one DER certificate lie (RFC 5280 §4.1): the fields of tbsCertificate,
 * the subjectAltName extension, the outer signatureAlgorithm and the signature, for the
 * findings that point at them and the hover on a certificate's bytes. Read through asn1js (the ASN.1 reader under
 * @peculiar/x509), which keeps a view of each element's encoding; nothing here parses
 * ASN.1 by hand. Never throws: a part that cannot be found is absent.
 */
import { fromBER, type AsnType } from 'asn1js';

/** Byte range [start, end) inside the certificate's DER encoding. */
export interface DerRange {
  readonly start: number;
  readonly end: number;
}

export interface CertificateLayout {
  readonly version?: DerRange;
  readonly serialNumber?: DerRange;
  /** The algorithm identifier inside tbsCertificate (RFC 5280 §4.1.2.3: must equal the outer one). */
  readonly signature?: DerRange;
  readonly issuer?: DerRange;
  readonly validity?: DerRange;
  readonly subject?: DerRange;
  readonly subjectPublicKeyInfo?: DerRange;
  readonly extensions?: DerRange;
  readonly subjectAltName?: DerRange;
  /** The algorithm identifier after tbsCertificate (the one the signature was made with). */
  readonly signatureAlgorithm?: DerRange;
  readonly signatureValue?: DerRange;
}

/** The parts, outermost first where they nest (subjectAltName lies inside extensions). */
export const CERTIFICATE_PARTS: readonly (keyof CertificateLayout)[] = [
  'version',
  'serialNumber',
  'signature',
  'issuer',
  'validity',
  'subject',
  'subjectPublicKeyInfo',
  'extensions',
  'subjectAltName',
  'signatureAlgorithm',
  'signatureValue',
];

/** RFC 5280 §4.2.1.6. */
const OID_SUBJECT_ALT_NAME = '2.5.29.17';

interface Element {
  readonly idBlock: { readonly tagClass: number; readonly tagNumber: number };
  readonly valueBeforeDecodeView: Uint8Array;
  readonly valueBlock: { readonly value?: unknown };
}

function childrenOf(e: Element | undefined): Element[] {
  const v = e?.valueBlock.value;
  return Array.isArray(v) ? (v as Element[]) : [];
}

/** Universal class (1 in asn1js), the given tag. */
function isUniversal(e: Element | undefined, tag: number): boolean {
  return e !== undefined && e.idBlock.tagClass === 1 && e.idBlock.tagNumber === tag;
}

const INTEGER = 2;
const BIT_STRING = 3;
const SEQUENCE = 16;

export function locateCertificateParts(der: Uint8Array): CertificateLayout {
  try {
    const parsed = fromBER(der);
    if (parsed.offset === -1) return {};
    const root = parsed.result as AsnType as unknown as Element;
    const base = root.valueBeforeDecodeView.byteOffset;
    const range = (e: Element | undefined): DerRange | undefined =>
      e ? { start: e.valueBeforeDecodeView.byteOffset - base, end: e.valueBeforeDecodeView.byteOffset - base + e.valueBeforeDecodeView.byteLength } : undefined;
    // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
    const [tbs, signatureAlgorithm, signatureValue] = childrenOf(root);
    if (!isUniversal(tbs, SEQUENCE)) return {};
    // TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, ... }
    const fields = childrenOf(tbs);
    const at = fields[0]?.idBlock.tagClass === 3 && fields[0].idBlock.tagNumber === 0 ? 1 : 0;
    const serialNumber = fields[at];
    const signature = fields[at + 1];
    const issuer = fields[at + 2];
    const validity = fields[at + 3];
    const subject = fields[at + 4];
    const spki = fields[at + 5];
    // extensions [3] EXPLICIT SEQUENCE OF Extension; Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue }
    const extensions = fields.find((f, i) => i > at + 5 && f.idBlock.tagClass === 3 && f.idBlock.tagNumber === 3);
    const san = childrenOf(childrenOf(extensions)[0]).find((ext) => {
      const id = childrenOf(ext)[0] as unknown as { valueBlock: { toString(): string } } | undefined;
      return id !== undefined && id.valueBlock.toString() === OID_SUBJECT_ALT_NAME;
    });
    return {
      version: at === 1 ? range(fields[0]) : undefined,
      serialNumber: isUniversal(serialNumber, INTEGER) ? range(serialNumber) : undefined,
      signature: isUniversal(signature, SEQUENCE) ? range(signature) : undefined,
      issuer: isUniversal(issuer, SEQUENCE) ? range(issuer) : undefined,
      validity: isUniversal(validity, SEQUENCE) ? range(validity) : undefined,
      subject: isUniversal(subject, SEQUENCE) ? range(subject) : undefined,
      subjectPublicKeyInfo: isUniversal(spki, SEQUENCE) ? range(spki) : undefined,
      extensions: range(extensions),
      subjectAltName: range(san),
      signatureAlgorithm: isUniversal(signatureAlgorithm, SEQUENCE) ? range(signatureAlgorithm) : undefined,
      signatureValue: isUniversal(signatureValue, BIT_STRING) ? range(signatureValue) : undefined,
    };
  } catch {
    return {};
  }
}
