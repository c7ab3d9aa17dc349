/**
 * RFC-style C:/S: transcripts (FORMATS.md sections 23, 24): `C: EHLO x`, `S: 250-...`,
 * hex lines `C: 16 03 01 ...`, `C: <1234 bytes of TLS records>`, RFC 3207 placeholders.
 */
import { ByteViewBuilder } from '../bytes/byteView';
import type { Direction, NoteEvent } from '../model/transcript';
import { decodeHexTokens, looksLikeByteTokens, measureTokens } from './hexTokens';
import { parseDecryptedRecordMark } from './decryptedRecordMark';
import { decodePythonRepr, splitReprLines } from './pythonRepr';
import { parseCommandLine, parseCommandText, parseReplyLine, parseReplyText, withWireCommand, withWireReply } from './smtpLines';
import type { TranscriptBuilder } from './transcriptBuilder';
import type { DocumentLines } from './documentLines';
import { WireSplitter } from './wireText';
import { CONTENT_APPLICATION_DATA } from '../tls/registry/contentTypes';

/** A recognised `C:` / `S:` / `C & S:` line: where its content starts. */
export interface CsPrefix {
  readonly direction: Direction | 'both';
  /** Offset of the content after the prefix and its one space. */
  readonly contentStart: number;
}

/** Matches `C: `, `S: `, `C:`/`S:` alone, and `C & S: ` at the start of text[start, end). */
export function matchCsPrefix(text: string, start: number, end: number): CsPrefix | null {
  const c0 = text.charCodeAt(start);
  if (c0 !== 67 && c0 !== 83) return null;
  let p = start + 1;
  let direction: Direction | 'both' = c0 === 67 ? 'client' : 'server';
  if (c0 === 67 && text.startsWith(' & S:', p) && p + 5 <= end) {
    direction = 'both';
    p += 4;
  }
  if (p >= end || text.charCodeAt(p) !== 58) return null;
  p++;
  if (p === end) return { direction, contentStart: p };
  if (text.charCodeAt(p) !== 32) return null;
  return { direction, contentStart: p + 1 };
}

interface HexGroup {
  direction: Direction;
  builder: ByteViewBuilder;
  line: number;
  endLine: number;
  /** The lines follow a `<decrypted TLS 1.3 record: handshake (22)>` mark: a record's plaintext. */
  decrypted: DecryptedMark | null;
  /** The last line held 16 bytes (a capture import's full hex line): a record's hex may go on. */
  full: boolean;
}

interface DecryptedMark {
  readonly direction: Direction;
  readonly contentType: number;
  readonly version: number;
}

const GAP = /^<([0-9]{1,12}) bytes?\b/;
/** A hole in a capture, as a capture import writes it: `<1374 bytes not captured (acknowledged by the peer ...)>`. */
const NOT_CAPTURED = /^<[0-9]{1,12} bytes? not captured(?: \(([^)]{1,200})\))?>$/;

/** A line a capture import writes for bytes not captured, a FIN / RST or a decrypted record: a mark even inside message text. */
function isCaptureMark(text: string, cs: number, lineEnd: number): boolean {
  if (lineEnd - cs > 260) return false;
  const line = text.slice(cs, lineEnd);
  return NOT_CAPTURED.test(line) || line === '<closes the connection>' || line === '<resets the connection>' || parseDecryptedRecordMark(line) !== null;
}

/** Reads C:/S: lines one at a time; consecutive same-direction hex lines form one bytes event. */
export class CsTranscriptReader {
  private group: HexGroup | null = null;
  /** Storage for the group's bytes, reused from group to group (build() copies). */
  private readonly bytes = new ByteViewBuilder();
  /** A decrypted record's mark just read: the hex lines of its side that follow are its plaintext. */
  private pendingDecrypted: DecryptedMark | null = null;

  /** Reads SMTP lines out of decrypted application data shown as hex (made when first needed). */
  private splitter: WireSplitter | null = null;

  constructor(
    private readonly out: TranscriptBuilder,
    private readonly doc: DocumentLines,
  ) {}

  /** Whether the content of a C:/S: line is a line of hex bytes (possibly with malformed tokens). */
  static isHexContent(text: string, start: number, end: number): boolean {
    return looksLikeByteTokens(measureTokens(text, start, end), false, 1);
  }

  readLine(text: string, line: number, lineEnd: number, prefix: CsPrefix): void {
    const out = this.out;
    out.vote('cs-transcript', 1);
    const cs = prefix.contentStart;
    const direction = prefix.direction;
    // Message content after 354 is text even when it looks like hex bytes (not a decrypted record's).
    const dataLine = direction === 'client' && out.session.inData;
    // (The mark's record goes on, inside message text too, while its hex lines are full ones of 16 bytes.)
    const g = this.group;
    const afterMark = (this.pendingDecrypted !== null && this.pendingDecrypted.direction === direction) || (g !== null && g.decrypted !== null && g.direction === direction && g.full);
    if (direction !== 'both' && (!dataLine || afterMark) && cs < lineEnd && CsTranscriptReader.isHexContent(text, cs, lineEnd)) {
      this.readHexLine(text, line, cs, lineEnd, direction);
      return;
    }
    this.flush();
    // Inside message text only a capture import's own marks are placeholders (bytes not captured, FIN, RST).
    const isPlaceholder = lineEnd - cs >= 2 && text.charCodeAt(cs) === 60 && text.charCodeAt(lineEnd - 1) === 62 && (!dataLine || isCaptureMark(text, cs, lineEnd));
    if (direction !== 'both' && isPlaceholder && lineEnd - cs <= 80) {
      const mark = parseDecryptedRecordMark(text.slice(cs, lineEnd));
      if (mark) {
        this.pendingDecrypted = { direction, ...mark };
        return;
      }
    }
    if (direction === 'both' || isPlaceholder) {
      const inner = text.slice(cs + 1, Math.min(lineEnd - 1, cs + 200));
      const gap = isPlaceholder && direction !== 'both' ? GAP.exec(text.slice(cs, Math.min(lineEnd, cs + 40))) : null;
      if (gap && direction !== 'both') {
        const lost = lineEnd - cs <= 260 ? NOT_CAPTURED.exec(text.slice(cs, lineEnd)) : null;
        const cause = lost ? { cause: 'not-captured' as const, ...(lost[1] !== undefined ? { reason: lost[1] } : {}) } : {};
        out.add({ kind: 'gap', line, direction, length: Number(gap[1]), span: { start: cs, end: lineEnd }, ...cause });
        // Bytes a capture lost are whatever the stream carried there: they start no TLS.
        if (!dataLine && !lost) out.markTlsSeen();
        return;
      }
      let note: NoteEvent['note'] = 'other';
      if (/starts? TLS negotiation/i.test(inner)) note = 'tls-start';
      else if (direction === 'both' && /^negotiate a TLS session/i.test(inner)) note = 'tls-established';
      // FIN / RST as written by capture imports (server/src/core/capture).
      else if (/^(?:closes|resets) the connection\b/i.test(inner)) note = 'connection-closed';
      out.add({ kind: 'note', line, note, text: text.slice(cs, lineEnd), span: { start: cs, end: lineEnd } });
      if (note === 'tls-start' || note === 'tls-established') out.markTlsSeen();
      return;
    }
    const inTls = out.session.tlsSeen;
    if (cs + 2 < lineEnd && (text.charCodeAt(cs) === 98 || text.charCodeAt(cs) === 66) && (text.charCodeAt(cs + 1) === 39 || text.charCodeAt(cs + 1) === 34)) {
      // The fake server's log: `C: b'EHLO client.feas.test\r\n'` (a Python bytes repr).
      this.readReprLine(text, line, cs, lineEnd, direction, inTls);
      return;
    }
    if (direction === 'client') {
      out.addCommand(parseCommandLine(text, line, cs, lineEnd, inTls, dataLine));
    } else {
      out.addReplyLine(parseReplyLine(text, line, cs, lineEnd), inTls);
    }
  }

  private readReprLine(text: string, line: number, cs: number, lineEnd: number, direction: Direction, inTls: boolean): void {
    const out = this.out;
    const repr = decodePythonRepr(text, cs, lineEnd);
    if (!repr) return;
    out.vote('fakeserver', 1);
    for (const l of splitReprLines(repr)) {
      if (direction === 'client') out.addCommand(withWireCommand(parseCommandText(l.content, line, l.span, inTls, out.session.inData), l.lineEnding));
      else out.addReplyLine(withWireReply(parseReplyText(l.content, line, l.span), l.lineEnding), inTls);
    }
  }

  private readHexLine(text: string, line: number, start: number, end: number, direction: Direction): void {
    let g = this.group;
    if (g && g.direction !== direction) {
      this.flush();
      g = null;
    }
    if (!g) {
      this.bytes.reset();
      const mark = this.pendingDecrypted;
      g = { direction, builder: this.bytes, line, endLine: line, decrypted: mark !== null && mark.direction === direction ? mark : null, full: false };
      this.pendingDecrypted = null;
      this.group = g;
    }
    const builder = g.builder;
    const before = builder.length;
    decodeHexTokens(text, start, end, builder, this.out);
    g.full = builder.length - before === 16;
    g.endLine = line;
  }

  /** Emits the pending hex group (call when any other kind of line comes). */
  flush(): void {
    this.pendingDecrypted = null;
    const g = this.group;
    if (!g) return;
    this.group = null;
    const view = g.builder.build();
    const d = g.decrypted;
    if (d && d.contentType === CONTENT_APPLICATION_DATA) {
      // Decrypted SMTP lines that are no text line (a NUL, CR CR LF): read from their bytes, each
      // byte's hex pair its place, with the line ending as sent (what tshark's follow,tls shows).
      this.splitter ??= new WireSplitter(this.out, this.doc, 'cs', 'decrypted');
      this.splitter.addChunk(g.direction, view, g.line, g.endLine);
      this.splitter.flushLine(g.direction);
    } else if (d) this.out.addBytes({ kind: 'bytes', line: g.line, endLine: g.endLine, direction: g.direction, view, layout: 'cs', role: 'decrypted', contentType: d.contentType, tlsVersion: d.version });
    else this.out.addBytes({ kind: 'bytes', line: g.line, endLine: g.endLine, direction: g.direction, view, layout: 'cs', role: 'stream' });
    this.out.markTlsSeen();
  }
}
