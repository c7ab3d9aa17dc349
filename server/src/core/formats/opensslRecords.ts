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
 * overrun is certain there.
 */
import { documentSpanOfBytes, type ByteView } from '../bytes/byteView';
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
}

const CONTENT_NAMES: Record<number, string> = { 21: 'Alert', 22: 'Handshake' };

/** Smallest number of bytes any TLS 1.2-or-earlier cipher adds to a record (a 16-byte MAC or AEAD tag; RFC 5246 section 6.2.3). */
const MIN_CIPHER_OVERHEAD = 16;

function recordLength(header: RecordDump): number {
  return (header.view.bytes[3] << 8) | header.view.bytes[4];
}

/** Checks the record headers of an openssl -msg log against the content dumped after them. */
export class OpensslRecordAccount {
  private readonly ledgers: Record<Direction, Ledger | null> = { client: null, server: null };
  /**
   * What the records of the connection may be: 'unknown' at the start of an excerpt, 'plaintext'
   * once a record and its content agreed before any ChangeCipherSpec, 'changed' after one.
   */
  private phase: 'unknown' | 'plaintext' | 'changed' = 'unknown';

  constructor(private readonly out: ProblemSink) {}

  /** Accounts one dump; `clean` is false when the dump has a problem of its own (bad token, wrong label length). */
  add(dump: RecordDump, clean: boolean): void {
    const d = dump.direction;
    // openssl neither reads nor writes the other direction while a message of this one is
    // incomplete: content still owed when the other side speaks never comes.
    this.close(d === 'client' ? 'server' : 'client', false);
    if (dump.type === 'InnerContent') return;
    if (dump.type === 'RecordHeader') this.addHeader(dump, clean);
    else this.addContent(dump, clean);
  }

  /** The connection ended: content still owed is reported. */
  endConnection(): void {
    this.close('client', true);
    this.close('server', true);
    this.phase = 'unknown';
  }

  private addHeader(dump: RecordDump, clean: boolean): void {
    const d = dump.direction;
    const b = dump.view.bytes;
    const recordType = clean && b.length === 5 ? b[0] : -1;
    const open = this.ledgers[d];
    // A message split across records: more of the same content type while bytes are owed.
    if (open && open.type === recordType && open.shown < open.announced) {
      open.headers.push(dump);
      open.announced += recordLength(dump);
      open.continued = true;
      return;
    }
    this.close(d, false);
    if (recordType === 20) this.phase = 'changed';
    // Handshake and alert content is printed in full; a TLS 1.3 ChangeCipherSpec that was read is not.
    if (recordType !== 21 && recordType !== 22) return;
    this.ledgers[d] = {
      type: recordType, headers: [dump], announced: recordLength(dump), shown: 0, bodies: 0,
      firstMessage: -1, tls13: false, tainted: false, continued: false,
    };
  }

  private addContent(dump: RecordDump, clean: boolean): void {
    const d = dump.direction;
    if (dump.contentType === 20) this.phase = 'changed';
    let open = this.ledgers[d];
    if (!open) return;
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
      if (length === recordLength(last)) {
        open.headers.pop();
        open.announced -= length;
        this.close(d, false);
        open = this.ledgers[d] = {
          type: open.type, headers: [last], announced: length, shown: 0, bodies: 0,
          firstMessage: -1, tls13: false, tainted: false, continued: false,
        };
      }
    }
    if (open.bodies === 0) {
      open.tls13 = dump.version === 0x0304;
      open.firstMessage = open.type === 22 && length > 0 ? dump.view.bytes[0] : -1;
    }
    open.bodies++;
    open.shown += length;
    if (!clean) open.tainted = true;
    // Decrypted content is never longer than its record: an overrun is certain in every phase.
    if (open.shown > open.announced) {
      if (!open.tainted) this.report(open, dump);
      this.ledgers[d] = null;
    } else if (open.shown === open.announced && this.phase === 'unknown') {
      this.phase = 'plaintext';
    }
  }

  /** Closes the direction's account; content that fell short of the headers is reported. */
  private close(d: Direction, atEnd: boolean): void {
    const open = this.ledgers[d];
    if (!open) return;
    this.ledgers[d] = null;
    if (open.tainted || open.shown >= open.announced || !this.isSurelyPlaintext(open)) return;
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
    let upTo = 0;
    for (const h of open.headers) {
      upTo += recordLength(h);
      if (upTo > open.shown) {
        at = h;
        break;
      }
    }
    const span = documentSpanOfBytes(at.view, 3, 5);
    const name = CONTENT_NAMES[open.type];
    const one = open.headers.length === 1;
    const announced = one
      ? `record header says length ${open.announced} (0x${open.announced.toString(16).padStart(4, '0')})`
      : `${open.headers.length} record headers from line ${open.headers[0].line + 1} say ${open.announced} bytes`;
    const shown = last
      ? `the ${name} dumped after ${one ? 'it' : 'them'} reaches ${open.shown} bytes at line ${last.line + 1}`
      : `only ${open.shown} bytes of ${name} are dumped after ${one ? 'it' : 'them'}`;
    this.out.report(span.start, span.end, `${announced} but ${shown}`);
  }
}
