/**
 * Certificates a tool prints in PEM (RFC 7468 §5): `openssl s_client`'s "Server certificate" and
 * each certificate of `-showcerts`'s chain (after its ` 0 s:` / `   i:` lines), each certificate of
 * gnutls-cli's `--print-cert` (after its `- Certificate[0] info:`). Each block becomes a stated
 * 'certificate' event that keeps where its base64 lines are: the rules decode the DER from the
 * document and point into it. Without --print-cert, gnutls-cli's one-line reading of each
 * certificate is read instead (gnutlsCertificateInfo.ts), and `openssl x509 -noout -text`'s description
 * (opensslX509Text.ts).
 */
import type { PrintedCertificate, StatedEvent, TextSpan } from '../model/transcript';
import { readCertificate, type CertificateReading } from '../tls/x509Summary';
import type { DocumentLines } from './documentLines';
import { GNUTLS_CERTIFICATE_ENTRY, readGnutlsCertificateInfo } from './gnutlsCertificateInfo';
import { readX509Text, type TextLine } from './opensslX509Text';
import { isSclientStderrLine } from './sclientStderr';
import type { LineReader, ReaderContext } from './readerContext';

const BEGIN = '-----BEGIN CERTIFICATE-----';
const END = '-----END CERTIFICATE-----';
/** A PEM body longer than this many lines (about 28 KB of DER) is not read as one certificate. */
const MAX_BODY_LINES = 600;
/** Longest line read as part of a block (PEM writes 64 characters; some tools 76). */
const MAX_LINE = 256;
/** Longest `openssl x509 -text` description read (a 4096-bit modulus and many extensions fit many times over). */
const MAX_TEXT_LINES = 1000;
/** How far above a block s_client's ` N s:subject` line may be (`i:`, `a:` and `v:` lines between). */
const INDEX_LOOKBACK = 4;
const BASE64_LINE = /^[A-Za-z0-9+/]+={0,2}$/;
const CHAIN_ENTRY = /^ ?(\d{1,3}) s:/;
/** How far above a block gnutls-cli's `- Certificate[N] info:` line may be (its key IDs and PIN between). */
const GNUTLS_LOOKBACK = 12;

/** The body of line `i` without surrounding blanks, with its document span. */
function trimmedLine(doc: DocumentLines, i: number): { value: string; span: TextSpan } {
  const s = doc.start(i);
  const raw = doc.text.slice(s, doc.end(i));
  const lead = raw.length - raw.trimStart().length;
  const value = raw.trim();
  return { value, span: { start: s + lead, end: s + lead + value.length } };
}

/**
 * The chain position a tool prints above a block: s_client -showcerts's ` 1 s:CN = ...` (its `i:`,
 * `a:` and `v:` lines between), gnutls-cli's `- Certificate[1] info:` (its indented reading between).
 */
function chainIndexAbove(doc: DocumentLines, i: number): number | undefined {
  for (let j = i - 1; j >= 0 && j >= i - INDEX_LOOKBACK; j--) {
    const m = CHAIN_ENTRY.exec(doc.head(j, 12));
    if (m) return Number(m[1]);
    if (!/^ {2,3}[iav]:/.test(doc.head(j, 6))) break;
  }
  for (let j = i - 1; j >= 0 && j >= i - GNUTLS_LOOKBACK; j--) {
    const head = doc.head(j, 30);
    const m = GNUTLS_CERTIFICATE_ENTRY.exec(head);
    if (m) return Number(m[1]);
    if (head !== '' && !head.startsWith('\t') && !head.startsWith(' - ')) return undefined;
  }
  return undefined;
}

/** Reads `-----BEGIN CERTIFICATE-----` ... `-----END CERTIFICATE-----` blocks. */
export class PemCertificateReader implements LineReader {
  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const doc = this.ctx.doc;
    const c = doc.text.charCodeAt(doc.start(i));
    if (c === 0x43) return this.readX509Text(i);
    if (c !== 0x2d) return -1;
    if (doc.text.startsWith('- Certificate[', doc.start(i))) return this.readGnutlsInfo(i);
    if (doc.head(i, BEGIN.length + 2).trim() !== BEGIN) return -1;
    const spans: TextSpan[] = [];
    for (let j = i + 1; j < doc.count && spans.length <= MAX_BODY_LINES; j++) {
      // `# ` comments (a reviewer's annotations) are invisible to every reader.
      if (doc.isComment(j)) continue;
      // PEM lines are 64 characters (RFC 7468 §2); a much longer one is no PEM line (and is not copied).
      if (doc.end(j) - doc.start(j) > MAX_LINE) return -1;
      const line = trimmedLine(doc, j);
      if (line.value === END) {
        // Only a block that holds a certificate is one (a fragment pasted as an example stays text).
        if (spans.length === 0 || !('summary' in readCertificate(certificateDer(doc.text, spans)))) return -1;
        this.addCertificate(i, j, BEGIN, { base64Spans: spans }, chainIndexAbove(doc, i));
        return j + 1;
      }
      if (!BASE64_LINE.test(line.value)) return -1;
      spans.push(line.span);
    }
    return -1;
  }

  /**
   * gnutls-cli's `- Certificate[N] info:` and its one-line reading (gnutlsCertificateInfo.ts), where no
   * PEM follows it (with --print-cert the PEM is read instead, below its key IDs and PIN).
   */
  private readGnutlsInfo(i: number): number {
    const doc = this.ctx.doc;
    const entry = GNUTLS_CERTIFICATE_ENTRY.exec(doc.head(i, 30));
    if (!entry || i + 1 >= doc.count) return -1;
    const s = doc.start(i + 1);
    const printed = readGnutlsCertificateInfo(doc.text.slice(s, Math.min(doc.end(i + 1), s + 2400)), s);
    if (!printed) return -1;
    for (let j = i + 2; j < doc.count && j <= i + 2 + GNUTLS_LOOKBACK; j++) {
      const head = doc.head(j, BEGIN.length + 2);
      if (head.trim() === BEGIN) return -1;
      if (head !== '' && !head.startsWith('\t') && !head.startsWith(' ')) break;
    }
    this.addCertificate(i, i + 1, `Certificate[${entry[1]}]: ${printed.summary.subject}`, { printed }, Number(entry[1]));
    return i + 2;
  }

  /**
   * `openssl x509 -noout -text`'s description of a certificate (opensslX509Text.ts), from its
   * `Certificate:` and `    Data:` lines; where the PEM follows (without -noout), the PEM is read.
   */
  private readX509Text(i: number): number {
    const doc = this.ctx.doc;
    // Every `C: ` line of a transcript comes here: turned down by its second character, before any slice.
    if (!doc.text.startsWith('Certificate:', doc.start(i)) || i + 1 >= doc.count) return -1;
    if (doc.head(i, 14).trimEnd() !== 'Certificate:' || doc.head(i + 1, 12).trimEnd() !== '    Data:') return -1;
    const lines: TextLine[] = [];
    let last = i;
    for (let j = i; j < doc.count && j < i + MAX_TEXT_LINES; j++) {
      const s = doc.start(j);
      // The description is indented under its `Certificate:` line; s_client's stderr may cut into it
      // (openssl -trace's details with 2>&1: `depth=0 ...`, `verify return:1`).
      if (j > i && doc.head(j, 1) !== ' ') {
        if (isSclientStderrLine(doc.text, s, doc.end(j))) continue;
        break;
      }
      lines.push({ text: doc.text.slice(s, Math.min(doc.end(j), s + MAX_LINE)), start: s });
      last = j;
    }
    const { printed, lineCount } = readX509Text(lines);
    // The description's last line and the line after it (stderr lines inside it are passed over).
    const end = doc.lineAt(lines[Math.max(0, lineCount - 1)].start);
    const after = lineCount < lines.length ? doc.lineAt(lines[lineCount].start) : last + 1;
    let next = after;
    while (next < doc.count && (doc.head(next, 2).trim() === '' || isSclientStderrLine(doc.text, doc.start(next), doc.end(next)))) next++;
    if (!printed || (next < doc.count && doc.head(next, BEGIN.length + 2).trim() === BEGIN)) return -1;
    this.addCertificate(i, end, `Certificate: ${printed.summary.subject}`, { printed });
    // The description's lines stay offered to the other readers, as before it was read (stderr cut into it, say).
    return i + 1;
  }

  /**
   * A certificate a tool prints on lines `first` to `last`, in PEM (its base64 lines) or in words (its
   * reading): a stated 'certificate' event, at its position in the chain when the tool gives one.
   */
  private addCertificate(
    first: number,
    last: number,
    text: string,
    source: { readonly base64Spans: readonly TextSpan[] } | { readonly printed: PrintedCertificate },
    certificateIndex?: number,
  ): void {
    const doc = this.ctx.doc;
    this.ctx.out.add({
      kind: 'stated',
      line: first,
      // s_client, gnutls-cli and posttls-finger print the server's certificates; s_server (ACCEPT) the client's.
      direction: this.ctx.sentIsServer ? 'client' : 'server',
      statedByTool: true,
      subject: 'certificate',
      span: { start: doc.start(first), end: doc.end(last) },
      text,
      ...(certificateIndex !== undefined ? { certificateIndex } : {}),
      ...source,
    });
  }

  flush(): void {}
}

/** The DER bytes of a stated certificate, decoded from the document's base64 lines. */
export function certificateDer(text: string, spans: readonly TextSpan[]): Uint8Array {
  return Uint8Array.from(Buffer.from(spans.map((s) => text.slice(s.start, s.end)).join(''), 'base64'));
}

/** The document span of DER bytes [from, to) of a stated certificate: the base64 characters that carry their bits. */
export function spanOfDerBytes(spans: readonly TextSpan[], from: number, to: number): TextSpan {
  // Each base64 character carries 6 bits: byte b is in characters floor(8b / 6) to floor((8b + 7) / 6).
  const first = Math.floor((from * 4) / 3);
  const last = Math.ceil((to * 4) / 3);
  let start = -1;
  let end = -1;
  let at = 0;
  for (const s of spans) {
    const length = s.end - s.start;
    if (start < 0 && first < at + length) start = s.start + (first - at);
    if (last <= at + length) {
      end = s.start + (last - at);
      break;
    }
    at += length;
  }
  const lastSpan = spans[spans.length - 1];
  if (start < 0) start = lastSpan ? lastSpan.end : 0;
  if (end < 0) end = lastSpan ? lastSpan.end : start;
  return { start, end: Math.max(start, end) };
}

/**
 * The reading of a stated 'certificate' event (its subject, issuer, key...): its PEM's DER, or the
 * fields a tool prints (tshark -V); null for other events and for a printed certificate cut short.
 */
export function readStatedCertificate(text: string, e: StatedEvent): CertificateReading | null {
  if (e.subject !== 'certificate') return null;
  if (e.printed) return { summary: e.printed.summary };
  if (!e.base64Spans) return null;
  return readCertificate(certificateDer(text, e.base64Spans));
}
