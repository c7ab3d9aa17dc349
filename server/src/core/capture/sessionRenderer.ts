/**
 * Turns the two reassembled byte streams of one SMTP connection into C:/S: transcript
 * lines (FORMATS.md §23): SMTP lines as text, TLS and other binary bytes as hex lines of
 * 16 bytes, one paragraph per TCP segment (a blank line separates segments of the same
 * direction, so what arrived together stays together), missing bytes as
 * `<N bytes not captured (why)>`, FIN/RST as `<closes the connection>` / `<resets the connection>`.
 * Every line remembers the frames it came from.
 */
import { formatCaptureTime } from './captureTypes';
import { concatBytes } from '../bytes/concatBytes';
import { findRecordBoundary, looksLikeTlsStart } from '../tls/recordBoundary';
import { MAX_CIPHERTEXT } from '../tls/recordLimits';
import type { FrameRef, StreamEvent } from './tcpReassembly';
import { RecordAssembler, type AssembledRecord } from './recordAssembler';
import { InnerCredentialMask } from './innerCredentials';
import { ConnectionDecryptor, type RecordOutcome } from '../tls/decrypt/connectionDecryptor';
import type { KeyLog } from '../tls/decrypt/keyLogSecrets';
import { describeDecryptedRecord } from '../formats/decryptedRecordMark';
import { CONTENT_APPLICATION_DATA, CONTENT_CHANGE_CIPHER_SPEC, CONTENT_HANDSHAKE } from '../tls/registry/contentTypes';

export type Role = 'client' | 'server';

export interface TranscriptLine {
  /** One line, or `count` lines joined by line feeds (a block of hex lines from the same frames). */
  readonly text: string;
  /** Frames the line's bytes came from (0 for header and blank lines). */
  readonly firstFrame: number;
  readonly lastFrame: number;
  /** Lines in `text` (default 1). */
  readonly count?: number;
}

export interface RenderOptions {
  /** Show encrypted records (application_data, and everything after a ChangeCipherSpec) as `<N bytes of encrypted TLS records>`. */
  readonly elideApplicationData: boolean;
  /**
   * The capture starts inside the connection (no SYN): each side's first bytes may be SMTP text or
   * TLS, and TLS may begin inside a record. The first bytes decide; inside a record, the framing
   * is found again at the first record boundary (tls/recordBoundary.ts).
   */
  readonly startMissing?: boolean;
  /**
   * Secrets of an NSS key log (`--keylog`, a pcapng Decryption Secrets Block): encrypted records of
   * a connection they open are shown decrypted instead of summarised (application data as SMTP
   * lines, other content as `<decrypted TLS 1.3 record: handshake (22)>` and its bytes).
   */
  readonly keyLog?: KeyLog;
}

/** An SMTP line not finished yet: its bytes so far and the frame it started in. */
class LineBuffer {
  parts: Uint8Array[] = [];
  length = 0;
  frame = 0;
}

/** Bytes of a side whose TLS framing is lost that are searched for a record boundary: two of the longest records and a header. */
const RESYNC_WINDOW = 2 * (MAX_CIPHERTEXT + 5) + 5;
/** The first line of a side whose start is missing is SMTP text when a line feed ends it within this many bytes. */
const FIRST_TEXT_LINE = 1024;

/** An SMTP line longer than this without a line feed is shown as bytes. */
const MAX_TEXT_LINE = 65536;
const HEX_PER_LINE = 16;
/** ASCII codes of the 16 hex digits. */
const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const SPACE = 0x20;
const LINE_FEED = 0x0a;
/** Scratch space for rendering hex blocks (grown to the largest block, reused). */
let hexScratch = new Uint8Array(4096);
const ascii = new TextDecoder('utf-8');

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Why records of a side are not opened once its framing is lost, or when its stream ends inside one. */
const LOST_FRAMING = (role: Role): string => `bytes of the ${role} were not captured or are not TLS records, so its later records cannot be opened (their sequence numbers are unknown)`;
const CUT_SHORT = (role: Role): string => `the ${role}'s stream ends inside the record`;

export { looksLikeTlsStart };

/** Bytes of a record startsPlainHello reads: the record header and the handshake message's. */
const HELLO_HEAD = 9;

/**
 * Whether the record whose header starts at `p` holds a ClientHello or ServerHello in clear: its body
 * (present in `b`) starts with handshake type 1 or 2 and a 24-bit length that fills the record exactly.
 * An encrypted record (TLS 1.2's Finished after a ChangeCipherSpec) matches by chance with odds of
 * about 2^-31; a body not in `b` does not match.
 */
function startsPlainHello(b: Uint8Array, p: number): boolean {
  if (p + HELLO_HEAD > b.length) return false;
  const recordLength = (b[p + 3] << 8) | b[p + 4];
  const type = b[p + 5];
  const length = (b[p + 6] << 16) | (b[p + 7] << 8) | b[p + 8];
  return (type === 1 || type === 2) && length + 4 === recordLength;
}

function isTextLine(b: Uint8Array): boolean {
  let ascii = true;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c >= 0x80) ascii = false;
    else if (c === 0x0d) {
      if (i !== b.length - 2) return false;
    } else if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x7f) return false;
  }
  if (ascii) return true;
  try {
    utf8.decode(b);
    return true;
  } catch {
    return false;
  }
}

/** A line checked by isTextLine: ASCII or valid UTF-8. */
function decodeLine(b: Uint8Array): string {
  return utf8.decode(b);
}

class DirectionState {
  /** 'unknown': the connection's start is not captured and this side sent nothing yet. */
  mode: 'text' | 'tls' | 'unknown' = 'text';
  /** Bytes since this side's TLS framing was lost mid-record at the start of the capture, searched for a record boundary. */
  resync: Uint8Array[] | null = null;
  resyncLength = 0;
  /** The record in progress began in bytes shown as hex (found again after a resync): its rest is shown as hex too. */
  hexRecord = false;
  /** Bytes of an unfinished SMTP line. */
  partial = new LineBuffer();
  /** Bytes of an unfinished SMTP line inside decrypted application data. */
  inner = new LineBuffer();
  /** The last bytes shown for this side were decrypted ones. */
  afterDecrypted = false;
  /** Negotiated version of the decrypted application data in `inner`. */
  innerVersion = 0;
  /** Whole records for the key log decryptor (null without a key log). */
  records: RecordAssembler | null = null;
  /** The secret that opened this side's last application data, and the last reason a record could not be opened, as last said in a comment. */
  lastAppSecret = '';
  undecryptedReason = '';
  reasonShown = '';
  /** TLS record framing: bytes of the current record header seen, its type, body bytes left. */
  synced = true;
  headerSeen = 0;
  headerNeeded = 5;
  header = new Uint8Array(5);
  recordType = -1;
  bodyLeft = 0;
  /** A ChangeCipherSpec was sent: every later record of this side is encrypted (RFC 5246 §7.1). */
  encrypted = false;
  /** The first bytes (fewer than startsPlainHello needs) of a handshake record after it, held until the next bytes of this side. */
  helloHead: Uint8Array | null = null;
  /** Encrypted records not shown yet: byte count and frames. */
  elided = 0;
  elidedFirst = 0;
  elidedLast = 0;
}

export interface SessionSummary {
  firstFrame: number;
  lastFrame: number;
  firstTime: FrameRef | null;
  lastTime: FrameRef | null;
  clientBytes: number;
  serverBytes: number;
  gaps: number;
  gapBytes: number;
  /** Encrypted records shown decrypted with the key log, and encrypted records the key log did not open (0 without a key log). */
  decryptedRecords: number;
  undecryptedRecords: number;
}

export class SessionRenderer {
  readonly lines: TranscriptLine[] = [];
  private readonly dirs: Record<Role, DirectionState> = { client: new DirectionState(), server: new DirectionState() };
  /** Direction of the last paragraph written, to separate same-direction segments. */
  private lastRole: Role | null = null;
  private paragraphOpen = false;
  readonly summary: SessionSummary = { firstFrame: 0, lastFrame: 0, firstTime: null, lastTime: null, clientBytes: 0, serverBytes: 0, gaps: 0, gapBytes: 0, decryptedRecords: 0, undecryptedRecords: 0 };
  private readonly decryptor: ConnectionDecryptor | null;
  /** AUTH state of the decrypted dialogue, for masking its credentials. */
  private credentials: InnerCredentialMask | null = null;

  constructor(private readonly options: RenderOptions) {
    // (A side whose start is missing has no hello to find its secrets by.)
    this.decryptor = options.keyLog && options.elideApplicationData && !options.startMissing ? new ConnectionDecryptor(options.keyLog) : null;
    if (this.decryptor) {
      this.dirs.client.records = new RecordAssembler();
      this.dirs.server.records = new RecordAssembler();
    }
    if (options.startMissing) {
      this.dirs.client.mode = 'unknown';
      this.dirs.server.mode = 'unknown';
    }
  }

  /** Appends lines that are not from the streams (headers, trailers). */
  addComment(text: string): void {
    this.lines.push({ text: text === '' ? '#' : `# ${text}`, firstFrame: 0, lastFrame: 0 });
  }

  addDirective(text: string): void {
    this.lines.push({ text, firstFrame: 0, lastFrame: 0 });
  }

  /** Takes one reassembled event; `role` is the side it belongs to. */
  addEvent(role: Role, event: StreamEvent): void {
    this.noteFrame(event.at);
    const dir = this.dirs[role];
    if (event.kind === 'data') {
      if (role === 'client') this.summary.clientBytes += event.bytes.length;
      else this.summary.serverBytes += event.bytes.length;
      this.paragraphOpen = false;
      if (dir.mode === 'unknown') this.decideMode(dir, event.bytes);
      if (dir.mode === 'tls') this.addTlsBytes(role, dir, event.bytes, event.at.frame);
      else this.addTextBytes(role, dir, event.bytes, event.at.frame);
      return;
    }
    this.releaseHelloHead(role, dir, event.at.frame);
    this.flushPartial(role, dir, 'cut short');
    this.flushInner(role, dir, 'cut short');
    this.paragraphOpen = false;
    // Records after lost bytes cannot be opened (their sequence numbers are unknown); after a FIN / RST none come.
    this.stopDecrypting(role, dir, event.kind === 'gap' ? LOST_FRAMING : CUT_SHORT);
    if (event.kind === 'gap') {
      this.summary.gaps++;
      this.summary.gapBytes += event.length;
      dir.synced = false;
      dir.headerSeen = 0;
      dir.bodyLeft = 0;
      this.startParagraph(role);
      // The reason goes into the placeholder itself, where the C:/S: reader finds it (rule capture-gap).
      this.addComment(`frame ${event.at.frame}: ${event.length} byte${event.length === 1 ? '' : 's'} from the ${role} missing`);
      this.push(role, `<${event.length} byte${event.length === 1 ? '' : 's'} not captured (${event.why})>`, event.at.frame, event.at.frame);
      return;
    }
    this.startParagraph(role);
    this.push(role, event.how === 'fin' ? '<closes the connection>' : '<resets the connection>', event.at.frame, event.at.frame);
  }

  /** Writes what is still held back (an unfinished line, unshown application data). */
  finish(): void {
    for (const role of ['client', 'server'] as const) {
      this.releaseHelloHead(role, this.dirs[role], this.summary.lastFrame);
      this.flushPartial(role, this.dirs[role], 'the stream ends without a line ending');
      this.flushInner(role, this.dirs[role], 'the stream ends without a line ending');
      this.stopDecrypting(role, this.dirs[role], CUT_SHORT);
    }
    this.flushAllElided();
  }

  /** Counts a frame of the connection into the session's first/last frame and time. */
  noteFrame(at: FrameRef): void {
    const s = this.summary;
    if (at.frame <= 0) return;
    if (s.firstFrame === 0 || at.frame < s.firstFrame) {
      s.firstFrame = at.frame;
      s.firstTime = at;
    }
    if (at.frame >= s.lastFrame) {
      s.lastFrame = at.frame;
      s.lastTime = at;
    }
  }

  /** Starts a paragraph for a new segment: a blank line when the previous one had the same direction. */
  private startParagraph(role: Role, forElided = false): void {
    // Summarised application data that came earlier goes first, in time order.
    if (!forElided) this.flushAllElided();
    if (this.paragraphOpen && this.lastRole === role) return;
    if (this.lastRole === role) this.lines.push({ text: '', firstFrame: 0, lastFrame: 0 });
    this.lastRole = role;
    this.paragraphOpen = true;
  }

  private push(role: Role, content: string, first: number, last: number): void {
    this.lines.push({ text: `${role === 'client' ? 'C' : 'S'}: ${content}`, firstFrame: first, lastFrame: last });
  }

  private addTextBytes(role: Role, dir: DirectionState, b: Uint8Array, frame: number): void {
    let p = 0;
    while (p < b.length) {
      if (dir.partial.length === 0 && looksLikeTlsStart(b, p)) {
        dir.mode = 'tls';
        this.addTlsBytes(role, dir, b.subarray(p), frame);
        return;
      }
      const next = this.takeLine(role, dir, dir.partial, b, p, frame, false);
      if (next < 0) return;
      p = next;
    }
  }

  /**
   * The line that starts at `p` (with what `buf` holds of it): written when its line feed is in
   * `b`; otherwise kept in `buf`. Returns where the next line starts, or -1 when `b` is used up.
   */
  private takeLine(role: Role, dir: DirectionState, buf: LineBuffer, b: Uint8Array, p: number, frame: number, inner: boolean): number {
    const lf = b.indexOf(LINE_FEED, p);
    if (lf < 0) {
      if (p >= b.length) return -1;
      if (buf.length === 0) buf.frame = frame;
      buf.parts.push(b.slice(p));
      buf.length += b.length - p;
      if (buf.length > MAX_TEXT_LINE) {
        if (inner) this.flushInner(role, dir, `no line feed within ${MAX_TEXT_LINE} bytes`);
        else this.flushPartial(role, dir, `no line feed within ${MAX_TEXT_LINE} bytes`);
      }
      return -1;
    }
    let line = b.subarray(p, lf + 1);
    const firstFrame = buf.length > 0 ? buf.frame : frame;
    if (buf.length > 0) {
      line = concatBytes([...buf.parts, line]);
      buf.parts = [];
      buf.length = 0;
    }
    this.addLine(role, line, firstFrame, frame, inner);
    return lf + 1;
  }

  /** One complete line including its LF: SMTP text, or hex when it holds bytes no text line has. */
  private addLine(role: Role, line: Uint8Array, first: number, last: number, inner = false): void {
    this.startParagraph(role);
    if (!isTextLine(line)) {
      if (inner) line = this.maskInnerBytes(role, line, last);
      this.addComment(`frame${first === last ? ` ${last}` : `s ${first}-${last}`}: a line with bytes that are not SMTP text, shown as hex`);
      if (inner) this.pushDecrypted(role, this.dirs[role].innerVersion, CONTENT_APPLICATION_DATA, line, first, last);
      else this.pushHex(role, line, first, last);
      return;
    }
    const crlf = line.length >= 2 && line[line.length - 2] === 0x0d;
    if (!crlf) this.addComment(`frame ${last}: the next line ends with a bare LF, not CR LF`);
    let text = decodeLine(line.subarray(0, line.length - (crlf ? 2 : 1)));
    if (inner) text = this.maskInner(role, text, last);
    this.push(role, text, first, last);
  }

  /** A decrypted SMTP line with its credentials masked (the first masking of a session says so). */
  private maskInner(role: Role, text: string, frame: number): string {
    const mask = (this.credentials ??= new InnerCredentialMask());
    if (role === 'server') {
      mask.server(text);
      return text;
    }
    const before = mask.masked;
    const shown = mask.client(text);
    if (before === 0 && mask.masked > 0) this.addComment(`frame ${frame}: AUTH credentials sent inside TLS, masked in this transcript (the key log made them readable)`);
    return shown;
  }

  /**
   * maskInner for a decrypted line shown as hex (openssl -crlf sends CR CR LF; a NUL): its bytes
   * before the line ending, one character a byte; the ending is kept as sent.
   */
  private maskInnerBytes(role: Role, line: Uint8Array, frame: number): Uint8Array {
    let end = line.length;
    while (end > 0 && (line[end - 1] === LINE_FEED || line[end - 1] === 0x0d)) end--;
    let text = '';
    for (let i = 0; i < end; i++) text += String.fromCharCode(line[i]);
    const shown = this.maskInner(role, text, frame);
    if (shown === text) return line;
    const out = line.slice();
    for (let i = 0; i < end; i++) out[i] = shown.charCodeAt(i);
    return out;
  }

  private flushPartial(role: Role, dir: DirectionState, why: string): void {
    this.flushLineBuffer(role, dir.partial, why, null);
  }

  /** An unfinished line of decrypted application data (its bytes, when not text, marked as decrypted). */
  private flushInner(role: Role, dir: DirectionState, why: string): void {
    this.flushLineBuffer(role, dir.inner, why, dir.innerVersion);
  }

  private flushLineBuffer(role: Role, buf: LineBuffer, why: string, innerVersion: number | null): void {
    if (buf.length === 0) return;
    const line = concatBytes(buf.parts);
    buf.parts = [];
    buf.length = 0;
    this.startParagraph(role);
    if (isTextLine(line) && line.length <= MAX_TEXT_LINE) {
      const text = innerVersion !== null ? this.maskInner(role, decodeLine(line), buf.frame) : decodeLine(line);
      this.addComment(`frame ${buf.frame}: the next line has no line ending (${why})`);
      this.push(role, text, buf.frame, buf.frame);
    } else {
      const bytes = innerVersion !== null ? this.maskInnerBytes(role, line, buf.frame) : line;
      this.addComment(`frame ${buf.frame}: bytes without a line ending (${why}), shown as hex`);
      if (innerVersion !== null) this.pushDecrypted(role, innerVersion, CONTENT_APPLICATION_DATA, bytes, buf.frame, buf.frame);
      else this.pushHex(role, line, buf.frame, buf.frame);
    }
  }

  /**
   * The first bytes of a side whose start is not captured: a record start is TLS; a line of SMTP text
   * is text; anything else is TLS inside a record, shown as bytes until a record boundary is found.
   */
  private decideMode(dir: DirectionState, b: Uint8Array): void {
    if (looksLikeTlsStart(b, 0)) {
      dir.mode = 'tls';
      return;
    }
    const lf = b.indexOf(LINE_FEED);
    if (lf >= 0 && lf < FIRST_TEXT_LINE && isTextLine(b.subarray(0, lf + 1))) {
      dir.mode = 'text';
      return;
    }
    dir.mode = 'tls';
    dir.synced = false;
    dir.resync = [];
    dir.resyncLength = 0;
  }

  /**
   * Bytes of a side that began inside a record: shown as bytes; once the bytes seen so far hold a
   * record boundary, the framing is followed from there (so the records after are summarised).
   */
  private addResyncBytes(role: Role, dir: DirectionState, b: Uint8Array, frame: number): void {
    this.startParagraph(role);
    this.addComment(`frame ${frame}: TLS bytes of a record that began before the capture`);
    this.pushHex(role, b, frame, frame);
    const window = dir.resync!;
    window.push(b);
    dir.resyncLength += b.length;
    const bytes = window.length === 1 ? window[0] : concatBytes(window);
    // (Byte 0 of the window starts no record: decideMode saw to that.)
    const boundary = findRecordBoundary(bytes);
    if (boundary <= 0) {
      // None yet: wait for more, unless the window holds two of the longest records (no TLS framing to find).
      if (dir.resyncLength >= RESYNC_WINDOW) dir.resync = null;
      return;
    }
    dir.resync = null;
    this.followFraming(dir, bytes, boundary);
  }

  /** Sets a side's framing state to what following records from `from` to the end of `bytes` gives. */
  private followFraming(dir: DirectionState, bytes: Uint8Array, from: number): void {
    let p = from;
    while (p + 5 <= bytes.length) {
      const t = bytes[p];
      if (t < 20 || t > 24 || bytes[p + 1] !== 3) return;
      if (t === CONTENT_CHANGE_CIPHER_SPEC) dir.encrypted = true;
      dir.recordType = t;
      p += 5 + ((bytes[p + 3] << 8) | bytes[p + 4]);
    }
    // As addTlsBytes leaves it: inside a body the whole header was seen; between records none.
    dir.headerNeeded = 5;
    dir.headerSeen = 0;
    dir.bodyLeft = 0;
    if (p > bytes.length) {
      dir.headerSeen = 5;
      dir.bodyLeft = p - bytes.length;
      dir.hexRecord = true;
    } else if (p < bytes.length) {
      dir.header.set(bytes.subarray(p));
      dir.headerSeen = bytes.length - p;
      dir.recordType = bytes[p];
      dir.hexRecord = true;
    }
    dir.synced = true;
  }

  /** Held first bytes of a record no more bytes of its side follow (lost bytes, the stream's end): shown as the record they begin. */
  private releaseHelloHead(role: Role, dir: DirectionState, frame: number): void {
    const head = dir.helloHead;
    if (!head) return;
    dir.helloHead = null;
    this.addTlsBytes(role, dir, head, frame, true);
  }

  /** TLS bytes: record framing is followed so that application_data records can be summarised. */
  private addTlsBytes(role: Role, dir: DirectionState, b: Uint8Array, frame: number, last = false): void {
    if (dir.helloHead) {
      b = concatBytes([dir.helloHead, b]);
      dir.helloHead = null;
    }
    if (dir.resync) {
      this.addResyncBytes(role, dir, b, frame);
      return;
    }
    if (!dir.synced && dir.headerSeen === 0 && dir.bodyLeft === 0 && looksLikeTlsStart(b, 0)) dir.synced = true;
    if (!dir.synced || !this.options.elideApplicationData) {
      if (!dir.synced) this.stopDecrypting(role, dir);
      dir.synced = false;
      this.startParagraph(role);
      this.addComment(`frame ${frame}`);
      this.pushHex(role, b, frame, frame);
      return;
    }
    let p = 0;
    let runStart = 0;
    // Inside a record (its header or body began in an earlier segment): the run is that record's.
    const midRecord = dir.headerSeen > 0 || dir.bodyLeft > 0;
    let runElided: boolean | null = midRecord ? !dir.hexRecord && (dir.recordType === CONTENT_APPLICATION_DATA || dir.encrypted) : null;
    const records = dir.records && !dir.records.stopped ? dir.records : null;
    const endRun = (at: number): void => {
      if (runElided === null || at <= runStart) return;
      const run = b.subarray(runStart, at);
      if (runElided) {
        // With a key log, an encrypted record is shown once it is whole: decrypted, or summarised.
        if (records) records.feed(run, frame, true, (r) => this.takeRecord(role, dir, r));
        else this.addElided(role, dir, at - runStart, frame);
      } else {
        // Bytes in clear right after decrypted ones of the same side: a paragraph of their own.
        if (dir.afterDecrypted) this.paragraphOpen = false;
        dir.afterDecrypted = false;
        this.startParagraph(role);
        this.addComment(`frame ${frame}`);
        this.pushHex(role, run, frame, frame);
        records?.feed(run, frame, false, (r) => this.takeRecord(role, dir, r));
      }
      runStart = at;
    };
    while (p < b.length) {
      if (dir.headerSeen === 0 && dir.bodyLeft === 0) {
        dir.hexRecord = false;
        const t = b[p];
        if (t >= 20 && t <= 24) dir.headerNeeded = 5;
        else if ((t & 0x80) !== 0) dir.headerNeeded = 2;
        else {
          // Not a record boundary: framing is lost; the rest is shown as bytes.
          endRun(p);
          this.stopDecrypting(role, dir);
          dir.synced = false;
          runElided = false;
          runStart = p;
          p = b.length;
          break;
        }
        // TLS 1.3's compatibility ChangeCipherSpec (RFC 8446 App. D.4) encrypts nothing: after a
        // HelloRetryRequest the client's second ClientHello and the server's ServerHello follow one in clear.
        if (dir.encrypted && t === CONTENT_HANDSHAKE && !last && p + HELLO_HEAD > b.length) {
          // Too few of its bytes to tell (a segment ends inside them): held until this side's next bytes.
          endRun(p);
          dir.helloHead = b.slice(p);
          return;
        }
        if (dir.encrypted && t === CONTENT_HANDSHAKE && startsPlainHello(b, p)) dir.encrypted = false;
        const elide = t === CONTENT_APPLICATION_DATA || dir.encrypted;
        // A record the key log would open but for this side's lost framing: one it did not open.
        if (elide && this.decryptor && dir.records?.stopped) this.summary.undecryptedRecords++;
        if (runElided !== elide) {
          endRun(p);
          runElided = elide;
        }
        dir.recordType = t;
      }
      if (dir.headerSeen < dir.headerNeeded) {
        dir.header[dir.headerSeen++] = b[p++];
        if (dir.headerSeen === dir.headerNeeded) {
          const h = dir.header;
          dir.bodyLeft = dir.headerNeeded === 5 ? (h[3] << 8) | h[4] : ((h[0] & 0x7f) << 8) | h[1];
          if (dir.headerNeeded === 5 && h[1] !== 3) dir.synced = false;
          if (dir.bodyLeft === 0) dir.headerSeen = 0;
        }
        continue;
      }
      const take = Math.min(dir.bodyLeft, b.length - p);
      p += take;
      dir.bodyLeft -= take;
      if (dir.bodyLeft === 0) {
        dir.headerSeen = 0;
        dir.hexRecord = false;
        if (dir.recordType === CONTENT_CHANGE_CIPHER_SPEC) dir.encrypted = true;
      }
    }
    endRun(b.length);
  }

  /** A whole record of a side that has a key log: given to the decryptor, and shown when the transcript would summarise it. */
  private takeRecord(role: Role, dir: DirectionState, r: AssembledRecord): void {
    const outcome = this.decryptor!.onRecord(role, r.bytes);
    if (!r.summarised) return;
    if (outcome.kind === 'decrypted' && outcome.plaintext.length > 0) {
      this.summary.decryptedRecords++;
      this.showDecrypted(role, dir, outcome, r);
      return;
    }
    if (outcome.kind === 'decrypted') {
      this.summary.decryptedRecords++;
      return;
    }
    this.summary.undecryptedRecords++;
    if (outcome.kind === 'undecryptable') dir.undecryptedReason = outcome.reason;
    this.addElided(role, dir, r.bytes.length, r.firstFrame);
    dir.elidedLast = r.lastFrame;
  }

  private showDecrypted(role: Role, dir: DirectionState, o: Extract<RecordOutcome, { kind: 'decrypted' }>, r: AssembledRecord): void {
    const frames = r.firstFrame === r.lastFrame ? `frame ${r.lastFrame}` : `frames ${r.firstFrame}-${r.lastFrame}`;
    if (o.contentType === CONTENT_APPLICATION_DATA) {
      if (dir.lastAppSecret !== o.secret) {
        this.startParagraph(role);
        this.addComment(`${frames}: the ${role}'s application data, decrypted with the key log's ${o.secret}`);
        dir.lastAppSecret = o.secret;
      }
      dir.innerVersion = o.version;
      dir.afterDecrypted = true;
      for (let p = 0; p >= 0 && p < o.plaintext.length; ) p = this.takeLine(role, dir, dir.inner, o.plaintext, p, r.lastFrame, true);
      return;
    }
    this.startParagraph(role);
    this.addComment(`${frames}: decrypted with the key log's ${o.secret}`);
    dir.afterDecrypted = true;
    this.pushDecrypted(role, o.version, o.contentType, o.plaintext, r.firstFrame, r.lastFrame);
  }

  /**
   * Decrypted bytes under their mark. The paragraph ends with them: the C:/S: reader takes the hex
   * lines after a mark for the record's (inside message text too), so a line of the same side that
   * follows (message text that looks like hex, clear TLS bytes) comes after a blank line.
   */
  private pushDecrypted(role: Role, version: number, contentType: number, bytes: Uint8Array, first: number, last: number): void {
    this.push(role, describeDecryptedRecord(version, contentType), first, last);
    this.pushHex(role, bytes, first, last);
    this.paragraphOpen = false;
  }

  /**
   * A side's framing is lost, or its stream ends: no more records of it are decrypted; what was held
   * of a summarised one is summarised (`why` says why it and the records after are not opened).
   */
  private stopDecrypting(role: Role, dir: DirectionState, why: (role: Role) => string = LOST_FRAMING): void {
    const records = dir.records;
    if (!records || records.stopped) return;
    const held = records.abandon();
    if (held.bytes > 0 || why === LOST_FRAMING) dir.undecryptedReason = why(role);
    if (held.bytes > 0) {
      this.summary.undecryptedRecords++;
      this.addElided(role, dir, held.bytes, held.firstFrame);
    }
  }

  private addElided(role: Role, dir: DirectionState, n: number, frame: number): void {
    // A turn of the other side ends: its summary goes first, so turns stay in order.
    this.flushElided(role === 'client' ? 'server' : 'client');
    if (dir.elided === 0) dir.elidedFirst = frame;
    dir.elided += n;
    dir.elidedLast = frame;
  }

  private flushAllElided(): void {
    const c = this.dirs.client;
    const s = this.dirs.server;
    if (c.elided === 0 && s.elided === 0) return;
    const clientFirst = s.elided === 0 || (c.elided > 0 && c.elidedFirst <= s.elidedFirst);
    this.flushElided(clientFirst ? 'client' : 'server');
    this.flushElided(clientFirst ? 'server' : 'client');
  }

  private flushElided(role: Role): void {
    const dir = this.dirs[role];
    if (dir.elided === 0) return;
    const n = dir.elided;
    dir.elided = 0;
    this.paragraphOpen = false;
    this.startParagraph(role, true);
    const frames = dir.elidedFirst === dir.elidedLast ? `frame ${dir.elidedFirst}` : `frames ${dir.elidedFirst}-${dir.elidedLast}`;
    this.addComment(frames);
    if (dir.undecryptedReason !== '' && dir.undecryptedReason !== dir.reasonShown) {
      this.addComment(`not decrypted: ${dir.undecryptedReason}`);
      dir.reasonShown = dir.undecryptedReason;
    }
    this.push(role, `<${n} bytes of encrypted TLS records>`, dir.elidedFirst, dir.elidedLast);
    this.paragraphOpen = false;
  }

  /** Bytes as hex lines of 16 (`C: 16 03 01 ...`), rendered as one block of text: one string for all of them. */
  private pushHex(role: Role, b: Uint8Array, first: number, last: number): void {
    const n = b.length;
    if (n === 0) return;
    const lines = Math.ceil(n / HEX_PER_LINE);
    // Per line "C:" and " xx" per byte; a line feed between lines.
    const size = 2 * lines + 3 * n + lines - 1;
    if (hexScratch.length < size) hexScratch = new Uint8Array(Math.max(size, hexScratch.length * 2));
    const out = hexScratch;
    const prefix = role === 'client' ? 0x43 : 0x53;
    let o = 0;
    for (let i = 0; i < n; i++) {
      if (i % HEX_PER_LINE === 0) {
        if (i > 0) out[o++] = LINE_FEED;
        out[o++] = prefix;
        out[o++] = 0x3a;
      }
      const v = b[i];
      out[o++] = SPACE;
      out[o++] = HEX_DIGITS[v >> 4];
      out[o++] = HEX_DIGITS[v & 15];
    }
    this.lines.push({ text: ascii.decode(out.subarray(0, o)), firstFrame: first, lastFrame: last, count: lines });
  }

  /** A one-line description of a frame time, for headers. */
  static describeTime(at: FrameRef | null): string {
    if (!at) return 'unknown time';
    return formatCaptureTime(at.seconds, at.nanos, at.nanos % 1000 === 0 ? 6 : 9);
  }
}
