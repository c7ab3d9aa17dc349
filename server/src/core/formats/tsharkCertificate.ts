/**
 * A certificate as tshark -V prints it under a Certificate message (FORMATS.md section 16), one
 * field per line, four spaces per level:
 *                 Certificate: 3082036930820251a003…  (id-at-commonName=mx.cert-lab.test)
 *                     signedCertificate
 *                         serialNumber: 0x439f3a5e88d04fdfed7a5234f189f727c3385191
 *                         issuer: rdnSequence (0)
 *                             rdnSequence: 2 items (id-at-organizationName=…,id-at-commonName=Cert Lab Issuing CA)
 *                                 RDNSequence item: 1 item (id-at-commonName=Cert Lab Issuing CA)
 *                                     RelativeDistinguishedName item (id-at-commonName=Cert Lab Issuing CA)
 *                                         Object Id: 2.5.4.3 (id-at-commonName)
 *                         validity
 *                             notBefore: utcTime (0)
 *                                 utcTime: 2026-11-30 08:36:37 (UTC)
 *                         subjectPublicKeyInfo
 *                             algorithm (rsaEncryption)
 *                                 Algorithm Id: 1.2.840.113549.1.1.1 (rsaEncryption)
 *                             subjectPublicKey: 3082010a0282010100…
 *                         extensions: 4 items
 *                             Extension (id-ce-subjectAltName)
 *                                 GeneralNames: 2 items
 *                                     GeneralName: dNSName (2)
 *                                         dNSName: mx.cert-lab.test
 *                     algorithmIdentifier (sha256WithRSAEncryption)
 *                         Algorithm Id: 1.2.840.113549.1.1.11 (sha256WithRSAEncryption)
 * tshark cuts long byte strings with "…" (the certificate's bytes, the key, the signature), so the
 * DER is not there: the facts the certificate rules judge are read from the fields instead, and
 * each part of the certificate is the lines of its field. An RSA key's size is read from the
 * DER header at the start of subjectPublicKey (the modulus INTEGER's length), an EC key's from
 * its namedCurve; a DSA key's is not printed (its p is cut), so it is not judged.
 */
import type { CertificatePart, PrintedCertificate, TextSpan } from '../model/transcript';
import { attributeShortName, fixedKeyBits, keyTypeOf, signatureNameOf, type CertificateSummary } from '../tls/certificateFacts';
import { lookupNamedCurve } from '../tls/namedCurves';
import { indentOf, isoFromMonthName } from './printedFields';

/** `Certificate: 3082…` (the certificate's bytes, cut) under a Certificate message. */
export const PRINTED_CERTIFICATE = /^( +)Certificate: [0-9a-f]{2,}/;
const ALGORITHM_ID = /^ *Algorithm Id: ([0-9.]{3,80})/;
const OBJECT_ID = /^ *Object Id: ([0-9.]{3,80})/;
const NAMED_CURVE = /^ *namedCurve: ([0-9.]{3,80})/;
const SERIAL = /^ *serialNumber: (?:0x([0-9a-f]{1,200})|(-?[0-9]{1,20}))$/;
const ISO_TIME = /: ([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) \(UTC\)$/;
/** tshark's GeneralizedTime: `generalizedTime: Jan  1, 2099 00:00:00.000000000 UTC`. */
const ABSOLUTE_TIME = /: ([A-Z][a-z]{2}) {1,2}([0-9]{1,2}), ([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]{1,9})? UTC$/;
const SUBJECT_KEY_ID = /^SubjectKeyIdentifier: ([0-9a-f]{2,128})$/;
/** The keyIdentifier of an authorityKeyIdentifier extension. */
const KEY_IDENTIFIER = /^keyIdentifier: ([0-9a-f]{2,128})$/;
const GENERAL_NAME = /^ *(dNSName|iPAddress|rfc822Name|uniformResourceIdentifier): (\S{1,255})$/;
const SAN_LABELS: Readonly<Record<string, string>> = { dNSName: 'DNS', iPAddress: 'IP', rfc822Name: 'email', uniformResourceIdentifier: 'URI' };
/** The fields of tbsCertificate by the words tshark starts their line with. */
const TBS_PARTS: readonly [string, CertificatePart][] = [
  ['version', 'version'],
  ['serialNumber', 'serialNumber'],
  ['signature', 'signature'],
  ['issuer', 'issuer'],
  ['validity', 'validity'],
  ['subject:', 'subject'],
  ['subjectPublicKeyInfo', 'subjectPublicKeyInfo'],
  ['extensions', 'extensions'],
];

/** ISO 8601 of a time tshark prints, or null. */
function readTime(line: string): string | null {
  let m = ISO_TIME.exec(line);
  if (m) return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`;
  m = ABSOLUTE_TIME.exec(line);
  return m ? isoFromMonthName(m[1], m[2], m[3], m[4], m[5], m[6]) : null;
}

/**
 * An RSA key's size from the start of its subjectPublicKey (RSAPublicKey, RFC 8017 A.1.1: a
 * SEQUENCE whose first INTEGER is the modulus), as far as tshark prints it; 0 when it cannot be read.
 */
export function rsaModulusBits(hex: string): number {
  const bytes: number[] = [];
  for (let i = 0; i + 1 < hex.length && bytes.length < 16; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  let p = 0;
  const header = (tag: number): number => {
    if (bytes[p] !== tag) return -1;
    const first = bytes[p + 1];
    if (first === undefined) return -1;
    if (first < 0x80) {
      p += 2;
      return first;
    }
    const n = first & 0x7f;
    if (n < 1 || n > 3) return -1;
    let len = 0;
    for (let k = 0; k < n; k++) {
      const b = bytes[p + 2 + k];
      if (b === undefined) return -1;
      len = len * 256 + b;
    }
    p += 2 + n;
    return len;
  };
  if (header(0x30) < 0) return 0;
  let len = header(0x02);
  if (len <= 0) return 0;
  // A positive INTEGER whose top bit is set starts with a 00 byte.
  if (bytes[p] === 0) {
    p++;
    len--;
  }
  const top = bytes[p];
  if (top === undefined || top === 0 || len <= 0) return 0;
  return (len - 1) * 8 + (32 - Math.clz32(top));
}

interface OpenPart {
  readonly part: CertificatePart | null;
  readonly indent: number;
  readonly start: number;
  end: number;
}

/** Reads the lines of one printed certificate, from its `Certificate:` line to the end of its tree. */
export class PrintedCertificateReader {
  private readonly base: number;
  private readonly parts: Partial<Record<CertificatePart, TextSpan>> = {};
  private open: OpenPart | null = null;
  private san: OpenPart | null = null;
  private inTbs = false;
  private serial = '';
  private innerSignatureOid = '';
  private signatureOid = '';
  private keyOid = '';
  private curveOid = '';
  private keyHex = '';
  private readonly names: { issuer: string[][]; subject: string[][] } = { issuer: [], subject: [] };
  private pendingValue: string | null = null;
  private time: 'notBefore' | 'notAfter' | null = null;
  private notBefore = '';
  private notAfter = '';
  private readonly sans: string[] = [];
  private subjectKeyId = '';
  private authorityKeyId = '';
  private inAuthorityKeyId = false;
  /** Span of the whole certificate, from its `Certificate:` line. */
  readonly span: { start: number; end: number };

  constructor(
    readonly line: number,
    firstLine: string,
    s: number,
    e: number,
  ) {
    this.base = indentOf(firstLine);
    this.span = { start: s + this.base, end: e };
  }

  /** Takes the next line of the dump; false (and nothing read) when it is no longer the certificate's. */
  take(line: string, s: number, e: number): boolean {
    const indent = indentOf(line);
    const rel = indent - this.base;
    if (rel <= 0 || indent === line.length) return false;
    this.span.end = e;
    const start = s + indent;
    if (this.open && indent > this.open.indent) {
      this.open.end = e;
      this.readInPart(this.open.part, line, rel, start, e);
      return true;
    }
    this.closePart();
    const words = line.slice(indent);
    if (rel === 4) {
      // signedCertificate's fields are parts of their own (below); the outer algorithm and signature are parts.
      this.inTbs = words.startsWith('signedCertificate');
      const part: CertificatePart | null = words.startsWith('algorithmIdentifier') ? 'signatureAlgorithm' : words.startsWith('encrypted') ? 'signatureValue' : null;
      if (!this.inTbs) this.open = { part, indent, start, end: e };
      return true;
    }
    if (rel === 8 && this.inTbs) {
      const part = TBS_PARTS.find(([w]) => words.startsWith(w))?.[1] ?? null;
      this.open = { part, indent, start, end: e };
      this.readInPart(part, line, rel, start, e);
    }
    return true;
  }

  private closePart(): void {
    this.closeSan();
    const o = this.open;
    this.open = null;
    if (o?.part && this.parts[o.part] === undefined) this.parts[o.part] = { start: o.start, end: o.end };
  }

  private closeSan(): void {
    if (this.san) this.parts.subjectAltName ??= { start: this.san.start, end: this.san.end };
    this.san = null;
  }

  private readInPart(part: CertificatePart | null, line: string, rel: number, start: number, e: number): void {
    let m: RegExpExecArray | null;
    switch (part) {
      case 'serialNumber':
        if ((m = SERIAL.exec(line))) this.serial = m[1] ?? BigInt(m[2]).toString(16);
        break;
      case 'signature':
        if ((m = ALGORITHM_ID.exec(line))) this.innerSignatureOid = m[1];
        break;
      case 'signatureAlgorithm':
        if ((m = ALGORITHM_ID.exec(line))) this.signatureOid = m[1];
        break;
      case 'issuer':
      case 'subject':
        this.readName(this.names[part], line);
        break;
      case 'validity': {
        const words = line.trimStart();
        if (words.startsWith('notBefore')) this.time = 'notBefore';
        else if (words.startsWith('notAfter')) this.time = 'notAfter';
        else if (this.time) {
          const t = readTime(line);
          if (t) this[this.time] ||= t;
        }
        break;
      }
      case 'subjectPublicKeyInfo':
        if ((m = ALGORITHM_ID.exec(line))) this.keyOid ||= m[1];
        else if ((m = NAMED_CURVE.exec(line))) this.curveOid = m[1];
        else if (line.trimStart().startsWith('subjectPublicKey: ')) this.keyHex = line.trimStart().slice('subjectPublicKey: '.length).replace(/[^0-9a-f].*$/, '');
        break;
      case 'extensions':
        this.readExtension(line, rel, start, e);
        break;
      default:
        break;
    }
  }

  /** `RDNSequence item:` opens a relative name; each `RelativeDistinguishedName item (attr=value)` with its `Object Id:` adds an attribute. */
  private readName(rdns: string[][], line: string): void {
    const words = line.trimStart();
    if (words.startsWith('RDNSequence item')) {
      rdns.push([]);
      return;
    }
    if (words.startsWith('RelativeDistinguishedName item (')) {
      const inner = words.slice('RelativeDistinguishedName item ('.length, words.endsWith(')') ? -1 : undefined);
      const eq = inner.indexOf('=');
      this.pendingValue = eq >= 0 ? inner.slice(eq + 1) : null;
      return;
    }
    const m = OBJECT_ID.exec(line);
    if (m && this.pendingValue !== null && rdns.length > 0) {
      rdns[rdns.length - 1].push(`${attributeShortName(m[1]) ?? m[1]}=${this.pendingValue}`);
      this.pendingValue = null;
    }
  }

  private readExtension(line: string, rel: number, start: number, e: number): void {
    const words = line.trimStart();
    let m: RegExpExecArray | null;
    if ((m = SUBJECT_KEY_ID.exec(words))) this.subjectKeyId = m[1];
    else if (this.inAuthorityKeyId && (m = KEY_IDENTIFIER.exec(words))) this.authorityKeyId = m[1];
    if (rel === 12) {
      this.inAuthorityKeyId = words.startsWith('Extension (id-ce-authorityKeyIdentifier)');
      this.closeSan();
      if (words.startsWith('Extension (id-ce-subjectAltName)')) this.san = { part: 'subjectAltName', indent: this.base + 12, start, end: e };
      return;
    }
    if (!this.san) return;
    this.san.end = e;
    if ((m = GENERAL_NAME.exec(line))) this.sans.push(`${SAN_LABELS[m[1]]}:${m[2]}`);
  }

  /** The certificate as read, or null when a fact the rules need is missing (a tree cut short). */
  finish(): PrintedCertificate | null {
    this.closePart();
    const signatureAlgorithmOid = this.signatureOid || this.innerSignatureOid;
    const { issuer, subject } = this.names;
    if (!signatureAlgorithmOid || issuer.length === 0 || subject.length === 0 || !this.notBefore || !this.notAfter || !this.keyOid) return null;
    const render = (rdns: string[][]): string => rdns.map((r) => r.join('+')).join(', ');
    const keyType = keyTypeOf(this.keyOid);
    const curve = keyType === 'EC' ? lookupNamedCurve(this.curveOid) : undefined;
    const keyBits = fixedKeyBits(keyType) ?? (curve ? curve.bits : keyType === 'RSA' || keyType === 'RSA-PSS' ? rsaModulusBits(this.keyHex) : 0);
    const summary: CertificateSummary = {
      subject: render(subject),
      issuer: render(issuer),
      notBefore: this.notBefore,
      notAfter: this.notAfter,
      subjectAltNames: this.sans,
      keyType,
      keyBits,
      ...(curve ? { namedCurve: curve.name } : {}),
      signatureAlgorithm: signatureNameOf(signatureAlgorithmOid),
      signatureAlgorithmOid,
      serialNumber: this.serial,
      selfSigned: render(subject) === render(issuer),
      ...(this.subjectKeyId ? { subjectKeyId: this.subjectKeyId } : {}),
      ...(this.authorityKeyId ? { authorityKeyId: this.authorityKeyId } : {}),
    };
    return { tool: 'tshark -V', summary, parts: this.parts };
  }
}
