/**
 * A certificate as `openssl x509 -noout -text` describes it (the common
 * `openssl s_client -starttls smtp -connect mx:25 | openssl x509 -noout -text`):
 *   Certificate:
 *       Data:
 *           Serial Number:
 *               08:5c:14:…
 *           Signature Algorithm: sha256WithRSAEncryption
 *           Issuer: CN = Cert Lab Issuing CA, O = SMTP TLS Transcripts test
 *           Validity
 *               Not Before: Nov 30 11:41:55 2026 GMT
 *               Not After : Nov 27 11:41:55 2036 GMT
 *           Subject: CN = mx.cert-lab.test
 *           Subject Public Key Info:
 *               Public Key Algorithm: rsaEncryption
 *                   Public-Key: (2048 bit)
 *           X509v3 extensions:
 *               X509v3 Subject Alternative Name:
 *                   DNS:mx.cert-lab.test, DNS:mail.cert-lab.test
 *               X509v3 Subject Key Identifier:
 *                   19:32:F1:…
 *               X509v3 Authority Key Identifier:
 *                   64:49:F0:…          (OpenSSL 1.1: keyid:64:49:F0:…)
 *       Signature Algorithm: sha256WithRSAEncryption
 * Names are openssl's default one-line form, in the certificate's order ("CN = x, O = y"), written
 * here as @peculiar/x509 writes them ("CN=x, O=y"). Where the PEM follows (x509 -text without
 * -noout), the PEM is read instead.
 */
import type { CertificatePart, PrintedCertificate, TextSpan } from '../model/transcript';
import { fixedKeyBits, keyTypeOf, signatureOidOf, signatureNameOf, type CertificateSummary } from '../tls/certificateFacts';
import { lookupCurveByName } from '../tls/namedCurves';
import { indentOf, isoFromMonthName } from './printedFields';

/** The text's lines from the `Certificate:` line on: each line's text (without its break) and its document offset. */
export interface TextLine {
  readonly text: string;
  readonly start: number;
}

/** Public key algorithms by the names openssl prints (OBJ_nid2ln), as their OIDs. */
const KEY_ALGORITHMS: Readonly<Record<string, string>> = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  'id-ecPublicKey': '1.2.840.10045.2.1',
  dsaEncryption: '1.2.840.10040.4.1',
  ED25519: '1.3.101.112',
  ED448: '1.3.101.113',
};
/** `Nov 30 11:41:55 2026 GMT` (ASN1_TIME_print). */
const TIME = /^([A-Z][a-z]{2}) {1,2}([0-9]{1,2}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([0-9]{4}) GMT$/;
const HEX_PAIRS = /^(?:keyid:)?([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){0,63})$/;

function isoOf(t: string): string | null {
  const m = TIME.exec(t);
  return m ? isoFromMonthName(m[1], m[2], m[6], m[3], m[4], m[5]) : null;
}

/** "CN=x, O=y" for openssl's "CN = x, O = y" (a multi-valued RDN's " + " too). */
export function fromOnelineName(name: string): string {
  return name.replace(/(^|, | \+ )([A-Za-z][A-Za-z0-9.-]{0,40}) = /g, (_m, sep: string, attr: string) => `${sep === ' + ' ? '+' : sep}${attr}=`);
}

/** "DNS:a", "IP:127.0.0.1" for openssl's "DNS:a, IP Address:127.0.0.1". */
function readNames(line: string): string[] {
  return line
    .split(', ')
    .map((n) => n.trim().replace(/^IP Address:/, 'IP:'))
    .filter((n) => n !== '');
}

/**
 * Reads the certificate described from `lines[0]` (its `Certificate:` line) on: the reading, where
 * each part is, and how many lines it took; null when a fact the rules need is missing.
 */
export function readX509Text(lines: readonly TextLine[]): { printed: PrintedCertificate | null; lineCount: number } {
  const base = indentOf(lines[0]?.text ?? '');
  const parts: Partial<Record<CertificatePart, TextSpan>> = {};
  const f: { subject?: string; issuer?: string; notBefore?: string; notAfter?: string; serial?: string; keyAlgorithm?: string; keyBits?: number; curve?: string; innerSignature?: string; signature?: string; ski?: string; aki?: string } = {};
  const sans: string[] = [];
  let k = 1;
  /** The value after `label` on line `j` (trimmed), with its span. */
  const valueAfter = (j: number, label: string): { value: string; span: TextSpan } => {
    const line = lines[j].text;
    const at = line.indexOf(label) + label.length;
    const value = line.slice(at).trim();
    const from = line.indexOf(value, at);
    return { value, span: { start: lines[j].start + from, end: lines[j].start + from + value.length } };
  };
  const nextValue = (j: number): string => (j + 1 < lines.length ? lines[j + 1].text.trim() : '');
  for (; k < lines.length; k++) {
    const text = lines[k].text;
    const indent = indentOf(text);
    if (indent <= base || indent === text.length) break;
    const words = text.slice(indent);
    const rel = indent - base;
    if (words.startsWith('Signature Algorithm: ')) {
      const v = valueAfter(k, 'Signature Algorithm: ');
      if (rel === 4) {
        f.signature = v.value;
        parts.signatureAlgorithm = v.span;
      } else f.innerSignature ??= v.value;
    } else if (words.startsWith('Serial Number:')) {
      const inline = valueAfter(k, 'Serial Number:').value;
      // Short serials on the line (`4096 (0x1000)`), long ones as hex pairs on the next.
      const hex = /\(0x([0-9a-f]+)\)$/.exec(inline)?.[1] ?? nextValue(k).replace(/:/g, '');
      if (/^-?[0-9a-f]+$/.test(hex)) f.serial = hex;
    } else if (words.startsWith('Issuer: ') || words.startsWith('Subject: ')) {
      const label = words.startsWith('Issuer: ') ? 'Issuer: ' : 'Subject: ';
      const v = valueAfter(k, label);
      if (label === 'Issuer: ') {
        f.issuer = fromOnelineName(v.value);
        parts.issuer = v.span;
      } else {
        f.subject = fromOnelineName(v.value);
        parts.subject = v.span;
      }
    } else if (words.startsWith('Not Before: ') || words.startsWith('Not After : ')) {
      const before = words.startsWith('Not Before: ');
      const v = valueAfter(k, before ? 'Not Before: ' : 'Not After : ');
      const iso = isoOf(v.value);
      if (iso && before) {
        f.notBefore = iso;
        parts.validity = { start: v.span.start, end: v.span.end };
      } else if (iso) {
        f.notAfter = iso;
        if (parts.validity) parts.validity = { start: parts.validity.start, end: v.span.end };
      }
    } else if (words.startsWith('Public Key Algorithm: ')) {
      f.keyAlgorithm = valueAfter(k, 'Public Key Algorithm: ').value;
    } else if (/^(?:RSA |DSA |EC |)Public-Key: \(([0-9]{1,6}) bit\)$/.test(words)) {
      f.keyBits = Number(/\(([0-9]{1,6}) bit\)/.exec(words)![1]);
      parts.subjectPublicKeyInfo = { start: lines[k].start + indent, end: lines[k].start + text.trimEnd().length };
    } else if (words.startsWith('ASN1 OID: ')) {
      f.curve = valueAfter(k, 'ASN1 OID: ').value;
    } else if (words.startsWith('X509v3 Subject Alternative Name:') && k + 1 < lines.length) {
      sans.push(...readNames(nextValue(k)));
      const next = lines[k + 1];
      parts.subjectAltName = { start: next.start + indentOf(next.text), end: next.start + next.text.trimEnd().length };
    } else if (words.startsWith('X509v3 Subject Key Identifier:')) {
      const m = HEX_PAIRS.exec(nextValue(k));
      if (m) f.ski = m[1].replace(/:/g, '').toLowerCase();
    } else if (words.startsWith('X509v3 Authority Key Identifier:')) {
      const m = HEX_PAIRS.exec(nextValue(k));
      if (m) f.aki = m[1].replace(/:/g, '').toLowerCase();
    }
  }
  const signature = f.signature ?? f.innerSignature;
  if (!f.subject || f.issuer === undefined || !f.notBefore || !f.notAfter || !signature || !f.keyAlgorithm) return { printed: null, lineCount: k };
  const keyType = keyTypeOf(KEY_ALGORITHMS[f.keyAlgorithm] ?? f.keyAlgorithm);
  const curve = keyType === 'EC' && f.curve ? lookupCurveByName(f.curve) : undefined;
  const signatureAlgorithmOid = signatureOidOf(signature) ?? signature;
  const summary: CertificateSummary = {
    subject: f.subject,
    issuer: f.issuer,
    notBefore: f.notBefore,
    notAfter: f.notAfter,
    subjectAltNames: sans,
    keyType,
    keyBits: fixedKeyBits(keyType) ?? curve?.bits ?? f.keyBits ?? 0,
    ...(curve ? { namedCurve: curve.name } : {}),
    signatureAlgorithm: signatureNameOf(signatureAlgorithmOid),
    signatureAlgorithmOid,
    serialNumber: f.serial ?? '',
    selfSigned: f.subject === f.issuer,
    ...(f.ski ? { subjectKeyId: f.ski } : {}),
    ...(f.aki ? { authorityKeyId: f.aki } : {}),
  };
  return { printed: { tool: 'openssl x509 -text', summary, parts }, lineCount: k };
}
