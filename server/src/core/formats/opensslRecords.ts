/**
 * openssl -msg prints each record header as it reads or writes the record and each handshake
 * message or alert once it is complete. The lengths in the record headers and the content
 * dumped after them must therefore add up; this checks that they do and reports where they
 * do not, at the length bytes of the record header in question.
 *
 * A message may follow several headers (split across records) and one header may be followed
 * by several messages, so the check keeps a running account per direction: content may never
 * run ahead of the headers, and when the content type changes, the other direction speaks or
 * the connection ends, the two must be equal. Records that may be encrypted (TLS 1.2 and
 * earlier after ChangeCipherSpec) have decrypted content shorter than the record: only an
 * overrun is certain there, unless the ServerHello chose an AEAD suite: its records are exactly
 * their content plus the suite's explicit nonce and tag (RFC 5288, RFC 6655, RFC 7905).
 *
 * Protected records of outer type 23 (TLS 1.3, RFC 8446 section 5.2) are followed by an
 * `InnerContent` dump (the inner content type byte) and the content they carry: the type byte,
 * that content and an AEAD tag (of the size the ServerHello's cipher suite gives, 8 bytes at least)
 * are inside the record, so together they may not outgrow the records before them (padding makes a
 * shortfall normal).
 *
 * Once a hello has agreed with its record before any ChangeCipherSpec, the handshake is in the
 * clear, and the first ChangeCipherSpec record of each side is the single byte it switches on
 * encryption with (RFC 5246 section 7.1, RFC 8446 section 5): another length is reported.
 */
import { documentSpanOfBytes, type ByteView } from '../bytes/byteView';
import { lookupCipherSuite } from '../tls/registry/cipherSuites';
import type { Direction } from '../model/transcript';
import type { ProblemSink } from './hexTokens';

/** One label + dump block, as much of it as the accounting needs. */
export interface RecordDump {
  /** Content word of the label: RecordHeader, Handshake, Alert, ChangeCipherSpec, InnerContent, ... */
  readonly type: string;
  /** Content type the label names (Handshake 22, ...), undefined for RecordHeader and unknown words. */
  readonly contentType: number | undefined;
  /** Version named by the label, when it is one. */
  readonly version?: number;
  readonly direction: Direction;
  readonly view: ByteView;
  /** Document line of the label (0-based). */
  readonly line: number;
}

interface Ledger {
  readonly type: number;
  readonly headers: RecordDump[];
  /** Record lengths in the headers, added up. */
  announced: number;
  /** Content bytes dumped after them, added up. */
  shown: number;
  bodies: number;
  /** Handshake type of the first message dumped (1 ClientHello, 2 ServerHello), or -1. */
  firstMessage: number;
  /** The first content dump is named TLS 1.3. */
  tls13: boolean;
  /** A dump inside has a problem of its own already: say nothing more about these records. */
  tainted: boolean;
  /** A header was added while content was owed, and no content has come since. */
  continued: boolean;
  /** Outer type 23: the records are protected and `shown` counts their inner content type bytes too. */
  sealed: boolean;
  /** Inner content type stated by the last InnerContent dump of a sealed ledger, or -1. */
  inner: number;
  /**
   * Bytes each record holds besides its content: a sealed record's tag (at least), a TLS 1.2 AEAD
   * suite's explicit nonce and tag (exactly), else 0.
   */
  expansion: number;
  /** The AEAD suite whose expansion is exact (a shortfall is certain too), or ''. */
  exactFor: string;
}

const CONTENT_NAMES: Record<number, string> = { 21: 'Alert', 22: 'Handshake', 23: 'application data' };

/** Smallest number of bytes any TLS 1.2-or-earlier cipher adds to a record (a 16-byte MAC or AEAD tag; RFC 5246 section 6.2.3). */
const MIN_CIPHER_OVERHEAD = 16;

/**
 * Smallest AEAD tag of a TLS 1.3 cipher suite: 8 bytes (TLS_AES_128_CCM_8_SHA256, RFC 8446
 * appendix B.4; the GOST MAGMA_MGM suites of RFC 9367); the others have 16 or more.
 */
const MIN_TLS13_TAG = 8;

/** Tag sizes of TLS 1.3 cipher suites (RFC 8446 appendix B.4; SM4, RFC 8998; integrity-only suites, RFC 9150). */
const TLS13_TAGS: Record<number, number> = { 0x1301: 16, 0x1302: 16, 0x1303: 16, 0x1304: 16, 0x1305: 8, 0x00c6: 16, 0x00c7: 16, 0xc0b4: 32, 0xc0b5: 48 };

/**
 * What a TLS 1.2 AEAD cipher suite adds to every record, exactly (there is no padding): ChaCha20-
 * Poly1305 a 16-byte tag (RFC 7905), CCM_8 an 8-byte explicit nonce and an 8-byte tag, GCM and
 * CCM an 8-byte explicit nonce and a 16-byte tag (RFC 5288, RFC 6209, RFC 6367, RFC 6655).
 * undefined for other suites (a CBC suite pads) and for TLS 1.3 ones.
 */
function aeadExpansion(suite: number): number | undefined {
  if (suite < 0 || suite in TLS13_TAGS) return undefined;
  const name = lookupCipherSuite(suite).name;
  if (/_CHACHA20_POLY1305_/.test(name)) return 16;
  if (/_CCM_8$/.test(name)) return 16;
  if (/_(?:GCM_[A-Z0-9]+|CCM)$/.test(name)) return 24;
  return undefined;
}

/** The cipher suite of a ServerHello dump (handshake header included), or -1. */
function serverHelloSuite(b: Uint8Array): number {
  // msg_type, length(3), legacy_version(2), random(32), legacy_session_id<0..32>, cipher_suite.
  if (b.length < 39 || b[0] !== 2) return -1;
  const at = 39 + b[38];
  return at + 2 <= b.length ? (b[at] << 8) | b[at + 1] : -1;
}

function recordLength(header: RecordDump): number {
  return (header.view.bytes[3] << 8) | header.view.bytes[4];
}

function newLedger(type: number, header: RecordDump, expansion: number, exactFor = ''): Ledger {
  return {
    type, headers: [header], announced: recordLength(header), shown: 0, bodies: 0,
    firstMessage: -1, tls13: false, tainted: false, continued: false, sealed: type === 23, inner: -1, expansion, exactFor,
  };
}

/** What the ledger's records hold besides their content. */
const overhead = (open: Ledger): number => open.expansion * open.headers.length;

/** Checks the record headers of an openssl -msg log against the content dumped after them. */
export class OpensslRecordAccount {
  private readonly ledgers: Record<Direction, Ledger | null> = { client: null, server: null };
  /**
   * What the records of the connection may be: 'unknown' at the start of an excerpt, 'plaintext'
   * once a record and its content agreed before any ChangeCipherSpec, 'changed' after one.
   */
  private phase: 'unknown' | 'plaintext' | 'changed' = 'unknown';
  /** Cipher suite the last ServerHello of the connection chose, or -1. */
  private suite = -1;
  /** Cipher suite each side encrypts with: the chosen one when it sent its ChangeCipherSpec, or -1. */
  private readonly cipher: Record<Direction, number> = { client: -1, server: -1 };
  /** A hello agreed with its record before any ChangeCipherSpec: the connection's handshake is in the clear. */
  private clearHello = false;
  /** Sides that sent a ChangeCipherSpec record in the connection. */
  private readonly changed: Record<Direction, boolean> = { client: false, server: false };

  constructor(private readonly out: ProblemSink) {}

  /** Accounts one dump; `clean` is false when the dump has a problem of its own (bad token, wrong label length). */
  add(dump: RecordDump, clean: boolean): void {
    const d = dump.direction;
    // openssl neither reads nor writes the other direction while a message of this one is
    // incomplete: content still owed when the other side speaks never comes.
    this.close(d === 'client' ? 'server' : 'client', false);
    if (dump.type === 'InnerContent') this.addInner(dump, clean);
    else if (dump.type === 'RecordHeader') this.addHeader(dump, clean);
    else this.addContent(dump, clean);
  }

  /** The connection ended: content still owed is reported. */
  endConnection(): void {
    this.close('client', true);
    this.close('server', true);
    this.phase = 'unknown';
    this.suite = this.cipher.client = this.cipher.server = -1;
    this.clearHello = false;
    this.changed.client = this.changed.server = false;
  }

  /** Tag of a TLS 1.3 protected record: the chosen suite's, or the smallest there is. */
  private get tag(): number {
    return TLS13_TAGS[this.suite] ?? MIN_TLS13_TAG;
  }

  private addHeader(dump: RecordDump, clean: boolean): void {
    const d = dump.direction;
    const b = dump.view.bytes;
    const recordType = clean && b.length === 5 ? b[0] : -1;
    if (recordType === 23 && recordLength(dump) === 0) {
      // Impossible (application data is always protected), and reported where the header is
      // decoded (decodeRecordHeaderOnly): not again against the content after it.
      this.close(d, false);
      return;
    }
    const open = this.ledgers[d];
    // A message split across records: more of the same content type while bytes are owed. A
    // protected record may end inside a handshake message whatever its tag and padding left over.
    if (open && open.type === recordType && open.shown + overhead(open) < open.announced && (!open.sealed || open.inner === 22)) {
      open.headers.push(dump);
      open.announced += recordLength(dump);
      open.continued = true;
      return;
    }
    this.close(d, false);
    if (recordType === 20) this.addChangeCipherSpec(dump);
    // Handshake and alert content is printed in full; a TLS 1.3 ChangeCipherSpec that was read is not;
    // a protected record (outer type 23) is followed by its inner content type and what it carries.
    if (recordType < 21 || recordType > 23) return;
    const aead = this.changed[d] ? aeadExpansion(this.cipher[d]) : undefined;
    this.ledgers[d] = recordType === 23 ? newLedger(23, dump, this.tag)
      : aead !== undefined ? newLedger(recordType, dump, aead, lookupCipherSuite(this.cipher[d]).name) : newLedger(recordType, dump, 0);
  }

  /** A ChangeCipherSpec record header: the first of a side after a hello in the clear is one plaintext byte. */
  private addChangeCipherSpec(dump: RecordDump): void {
    const length = recordLength(dump);
    // Length 0 is reported where the header is decoded (decodeRecordHeaderOnly).
    if (this.clearHello && !this.changed[dump.direction] && length > 1) {
      const span = documentSpanOfBytes(dump.view, 3, 5);
      this.out.report(span.start, span.end,
        `record header says length ${length} (0x${length.toString(16).padStart(4, '0')}) for a ChangeCipherSpec, but the first one a side sends after a hello in the clear is a single plaintext byte`);
    }
    this.changed[dump.direction] = true;
    this.cipher[dump.direction] = this.suite;
    this.phase = 'changed';
  }

  /** The inner content type of a protected record (TLS 1.3): one byte inside the record. */
  private addInner(dump: RecordDump, clean: boolean): void {
    const open = this.ledgers[dump.direction];
    if (!open?.sealed) return;
    const b = dump.view.bytes;
    open.inner = b.length === 1 ? b[0] : -1;
    open.shown += b.length;
    if (!clean) open.tainted = true;
    if (open.shown + overhead(open) > open.announced) this.overrun(open, dump);
  }

  private addContent(dump: RecordDump, clean: boolean): void {
    const d = dump.direction;
    if (dump.contentType === 20) this.phase = 'changed';
    const suite = dump.contentType === 22 && clean ? serverHelloSuite(dump.view.bytes) : -1;
    if (suite >= 0) this.suite = suite;
    let open = this.ledgers[d];
    if (!open) return;
    if (open.sealed) {
      this.addSealedContent(open, dump, clean);
      return;
    }
    if (dump.contentType !== open.type) {
      this.close(d, false);
      return;
    }
    const length = dump.view.bytes.length;
    if (open.continued) {
      open.continued = false;
      // The content fills exactly the record it follows: the records before that one were short,
      // not split (a genuine split leaves the start of this content in the record before).
      const last = open.headers[open.headers.length - 1];
      if (length + open.expansion === recordLength(last)) {
        open.headers.pop();
        open.announced -= recordLength(last);
        this.close(d, false);
        open = this.ledgers[d] = newLedger(open.type, last, open.expansion, open.exactFor);
      }
    }
    if (open.bodies === 0) {
      open.tls13 = dump.version === 0x0304;
      // TLS 1.3 protects records under outer type 23 only: this one is plaintext.
      if (open.tls13) {
        open.expansion = 0;
        open.exactFor = '';
      }
      open.firstMessage = open.type === 22 && length > 0 ? dump.view.bytes[0] : -1;
    }
    open.bodies++;
    open.shown += length;
    if (!clean) open.tainted = true;
    // Decrypted content is never longer than its record: an overrun is certain in every phase.
    if (open.shown + overhead(open) > open.announced) {
      this.overrun(open, dump);
    } else if (open.shown === open.announced && this.phase !== 'changed') {
      this.phase = 'plaintext';
      if (open.firstMessage === 1 || open.firstMessage === 2) this.clearHello = true;
    }
  }

  /** Content of a protected record: it must be of the inner type stated, and fit in the records with it. */
  private addSealedContent(open: Ledger, dump: RecordDump, clean: boolean): void {
    if (dump.contentType !== open.inner) {
      this.close(dump.direction, false);
      return;
    }
    open.bodies++;
    open.shown += dump.view.bytes.length;
    if (!clean) open.tainted = true;
    if (open.shown + overhead(open) > open.announced) this.overrun(open, dump);
  }

  /** The content dumped outgrew the records: reported (unless already tainted) and the account closed. */
  private overrun(open: Ledger, last: RecordDump): void {
    if (!open.tainted) this.report(open, last);
    this.ledgers[last.direction] = null;
  }

  /** Closes the direction's account; content that fell short of the headers is reported. */
  private close(d: Direction, atEnd: boolean): void {
    const open = this.ledgers[d];
    if (!open) return;
    this.ledgers[d] = null;
    // A protected record is longer than its content by its tag and padding: only an overrun is certain;
    // an AEAD suite of TLS 1.2 adds exactly its nonce and tag.
    if (open.sealed || open.tainted || open.shown + overhead(open) >= open.announced) return;
    if (!open.exactFor && !this.isSurelyPlaintext(open)) return;
    // At the end of a log, a record whose message never completed prints no content: a cut, not a contradiction.
    if (atEnd && open.bodies === 0) return;
    this.report(open, null);
  }

  /** Whether content short of its records' length is a contradiction rather than encryption overhead. */
  private isSurelyPlaintext(open: Ledger): boolean {
    // TLS 1.3 encrypts under outer type 23 only: a record whose content is named TLS 1.3 is
    // plaintext even after the compatibility ChangeCipherSpec (RFC 8446 section 5, appendix D.4).
    if (open.tls13) return true;
    if (this.phase !== 'unknown') return this.phase === 'plaintext';
    // An excerpt: openssl prints the content of every record it decrypts, hellos are plaintext
    // (bar renegotiation, which comes after a ChangeCipherSpec), and every cipher adds bytes.
    return open.bodies === 0 || open.firstMessage === 1 || open.firstMessage === 2 ||
      open.announced - open.shown < MIN_CIPHER_OVERHEAD;
  }

  /** Reports at the length bytes of the header where the content stops matching (the only header, usually). */
  private report(open: Ledger, last: RecordDump | null): void {
    let at = open.headers[open.headers.length - 1];
    // Protected records are only ever reported for content that overran the last of them.
    if (!open.sealed) {
      let upTo = 0;
      for (const h of open.headers) {
        upTo += recordLength(h) - open.expansion;
        if (upTo > open.shown) {
          at = h;
          break;
        }
      }
    }
    const span = documentSpanOfBytes(at.view, 3, 5);
    const name = open.sealed ? `inner content type and ${CONTENT_NAMES[open.inner] ?? 'content'}` : CONTENT_NAMES[open.type];
    const one = open.headers.length === 1;
    const announced = one
      ? `record header says length ${open.announced} (0x${open.announced.toString(16).padStart(4, '0')})`
      : `${open.headers.length} record headers from line ${open.headers[0].line + 1} say ${open.announced} bytes`;
    const shown = last
      ? `the ${name} dumped after ${one ? 'it' : 'them'} ${open.sealed ? 'reach' : 'reaches'} ${open.shown} bytes at line ${last.line + 1}`
      : `only ${open.shown} bytes of ${name} are dumped after ${one ? 'it' : 'them'}`;
    const each = one ? 'the record holds' : 'each record holds';
    const tag = open.sealed ? `, and ${each} a tag of at least ${open.expansion} bytes`
      : open.exactFor ? `, and ${each} ${open.expansion} bytes of ${open.exactFor} nonce and tag` : '';
    this.out.report(span.start, span.end, `${announced} but ${shown}${tag}`);
  }
}
