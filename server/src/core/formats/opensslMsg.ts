/**
 * openssl s_client/s_server -msg output (FORMATS.md section 2):
 * `>>> TLS 1.0, RecordHeader [length 0005]` + 4-space-indented hex lines, then the
 * content (`>>> TLS 1.3, Handshake [length 0124], ClientHello`) dumped from the
 * handshake header on. A header and the content it frames become one `stream` run when
 * the content is the record's plaintext; encrypted records become a `record-header-only`
 * run plus `decrypted` runs.
 */
import { ByteViewBuilder, concatByteViews, type ByteView } from '../bytes/byteView';
import type { Direction } from '../model/transcript';
import type { DocumentLines } from './documentLines';
import { decodeHexTokens, hexDigitValue, looksLikeByteTokens, measureTokens } from './hexTokens';
import { OpensslRecordAccount } from './opensslRecords';
import type { TranscriptBuilder } from './transcriptBuilder';

/** A `>>>`/`<<<` label line. */
export interface OpensslLabel {
  /** true for `>>>` (sent by the program that printed the log). */
  readonly sent: boolean;
  /** Content word: RecordHeader, Handshake, Alert, ChangeCipherSpec, InnerContent, ApplicationData, ... */
  readonly type: string;
  /** Length stated in the label (hex digits). */
  readonly length: number;
  readonly lengthStart: number;
  readonly lengthEnd: number;
  /** Version named before the content word ("TLS 1.3, Handshake": 0x0304), when it is one. */
  readonly version?: number;
}

const LENGTH_TAG = '[length ';

/** Parses an openssl -msg label line text[start, end), or returns null. */
export function matchOpensslLabel(text: string, start: number, end: number): OpensslLabel | null {
  if (end - start < 14) return null;
  const c = text.charCodeAt(start);
  if (c !== 62 && c !== 60) return null;
  if (text.charCodeAt(start + 1) !== c || text.charCodeAt(start + 2) !== c || text.charCodeAt(start + 3) !== 32) return null;
  const head = text.slice(start, Math.min(end, start + 120));
  const tag = head.indexOf(LENGTH_TAG);
  if (tag < 4) return null;
  const ls = start + tag + LENGTH_TAG.length;
  let le = ls;
  while (le < end && le - ls < 8 && hexDigitValue(text.charCodeAt(le)) >= 0) le++;
  if (le === ls || le >= end || text.charCodeAt(le) !== 93) return null;
  let length = 0;
  for (let p = ls; p < le; p++) length = length * 16 + hexDigitValue(text.charCodeAt(p));
  // The content word is the last word before "[length": "TLS 1.3, Handshake " -> Handshake.
  const middle = head.slice(4, tag).trim();
  const sp = Math.max(middle.lastIndexOf(' '), middle.lastIndexOf(','));
  let type = middle.slice(sp + 1);
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(type) || /^(?:TLS|SSL|DTLS)$/.test(type) || middle.indexOf(',') < 0) {
    // Older openssl: ">>> ??? [length 0005]" or ">>> TLS 1.2 [length 0005]" for the record header.
    type = length === 5 ? 'RecordHeader' : type;
  }
  const version = versionOfLabel(middle);
  return { sent: c === 62, type, length, lengthStart: ls, lengthEnd: le, ...(version !== undefined ? { version } : {}) };
}

/** "SSL 3.0" / "TLS 1.0".."TLS 1.3" at the start of a label's middle part, as a version number. */
function versionOfLabel(middle: string): number | undefined {
  const m = /^(SSL 3\.0|TLS 1\.[0-3]),/.exec(middle);
  if (!m) return undefined;
  return m[1] === 'SSL 3.0' ? 0x0300 : 0x0301 + Number(m[1].slice(6));
}

/** Content type byte named by a label (Handshake 22, ...), or undefined. */
export function contentTypeOfLabel(type: string): number | undefined {
  switch (type) {
    case 'ChangeCipherSpec':
      return 20;
    case 'Alert':
      return 21;
    case 'Handshake':
      return 22;
    case 'ApplicationData':
      return 23;
    case 'Heartbeat':
    case 'HeartBeat':
      return 24;
    default:
      return undefined;
  }
}

interface Dump {
  readonly label: OpensslLabel;
  readonly direction: Direction;
  readonly view: ByteView;
  readonly line: number;
  readonly endLine: number;
}

interface PendingRecord {
  readonly header: Dump;
  readonly type: number;
  readonly length: number;
  readonly bodies: Dump[];
  shown: number;
}

const LAYOUT = 'openssl-msg';

/** Reads label + dump blocks and pairs record headers with their content. */
export class OpensslMsgReader {
  private pending: PendingRecord | null = null;
  /** Inner content type stated by the last `InnerContent` label, per direction. */
  private inner: { direction: Direction; type: number } | null = null;
  /** Whether any label was read (bare SMTP lines after it are inside TLS). */
  seenLabel = false;
  /** `>>>` is the server (s_server printed the log: an `ACCEPT` line came first). */
  sentIsServer = false;
  /** Record header lengths against the content dumped after them. */
  private readonly records: OpensslRecordAccount;

  constructor(private readonly out: TranscriptBuilder) {
    this.records = new OpensslRecordAccount(out);
  }

  /** Reads the label on line `i` and its hex lines; returns the next line to read. */
  readBlock(doc: DocumentLines, i: number, label: OpensslLabel): number {
    const text = doc.text;
    this.seenLabel = true;
    const direction: Direction = label.sent !== this.sentIsServer ? 'client' : 'server';
    const builder = new ByteViewBuilder();
    let bad = 0;
    let endLine = i;
    let j = doc.nextReadable(i + 1);
    while (j < doc.count) {
      const s = doc.start(j);
      const e = doc.end(j);
      if (s === e) break;
      // 4-space-indented hex lines; unindented ones (indentation lost in a paste) only when clean.
      const c = text.charCodeAt(s);
      const indented = c === 32 || c === 9;
      if (!looksLikeByteTokens(measureTokens(text, s, e), !indented, 1)) break;
      bad += decodeHexTokens(text, s, e, builder, this.out);
      endLine = j;
      j = doc.nextReadable(j + 1);
    }
    this.out.vote('openssl-msg', endLine - i + 1);
    const view = builder.build();
    const lengthAgrees = view.bytes.length === label.length;
    if (bad === 0 && !lengthAgrees) {
      this.out.report(label.lengthStart, label.lengthEnd,
        `label says length 0x${text.slice(label.lengthStart, label.lengthEnd)} (${label.length} bytes) but ${view.bytes.length} bytes are dumped`);
    }
    this.records.add({ type: label.type, contentType: contentTypeOfLabel(label.type), version: label.version, direction, view, line: i }, bad === 0 && lengthAgrees);
    this.handle({ label, direction, view, line: i, endLine });
    return j;
  }

  /** The connection ended (a new one starts, or the document ends): flushes and closes the record account. */
  endConnection(): void {
    this.flush();
    this.records.endConnection();
  }

  private handle(dump: Dump): void {
    const type = dump.label.type;
    if (type === 'RecordHeader') {
      this.flush();
      this.inner = null;
      const b = dump.view.bytes;
      const ok = b.length === 5;
      this.pending = { header: dump, type: ok ? b[0] : -1, length: ok ? (b[3] << 8) | b[4] : -1, bodies: [], shown: 0 };
      return;
    }
    if (type === 'InnerContent') {
      this.flush();
      if (dump.view.bytes.length >= 1) this.inner = { direction: dump.direction, type: dump.view.bytes[0] };
      return;
    }
    const labelType = contentTypeOfLabel(type);
    const p = this.pending;
    if (p && p.header.direction === dump.direction && p.type !== 23 && p.type >= 0 && labelType === p.type) {
      p.bodies.push(dump);
      p.shown += dump.view.bytes.length;
      if (p.shown === p.length) {
        this.pending = null;
        const views = [p.header.view, ...p.bodies.map((d) => d.view)];
        this.out.addBytes({ kind: 'bytes', line: p.header.line, endLine: dump.endLine, direction: dump.direction, view: concatByteViews(views), layout: LAYOUT, role: 'stream' });
      } else if (p.shown > p.length) {
        this.flush();
      }
      return;
    }
    this.flush();
    const inner = this.inner && this.inner.direction === dump.direction ? this.inner.type : undefined;
    this.emitDecrypted(dump, inner ?? labelType);
  }

  private emitDecrypted(dump: Dump, contentType: number | undefined): void {
    const version = dump.label.version;
    const base = {
      kind: 'bytes' as const, line: dump.line, endLine: dump.endLine, direction: dump.direction, view: dump.view, layout: LAYOUT, role: 'decrypted' as const,
      ...(version !== undefined ? { tlsVersion: version } : {}),
    };
    this.out.addBytes(contentType === undefined ? base : { ...base, contentType });
  }

  /** Emits a record header still waiting for its content as header-only (+ what was shown of it). */
  flush(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    const h = p.header;
    this.out.addBytes({ kind: 'bytes', line: h.line, endLine: h.endLine, direction: h.direction, view: h.view, layout: LAYOUT, role: 'record-header-only' });
    for (const d of p.bodies) this.emitDecrypted(d, contentTypeOfLabel(d.label.type));
  }
}
