/**
 * Joins the byte runs of a session into TLS byte streams and decodes them.
 *
 * Each direction of a TCP connection is one byte stream: a record may be split
 * across dump lines, C:/S: line groups or segments. Runs of one direction join
 * until something breaks the stream: a gap (bytes not shown), or SMTP text in
 * clear from the same side (decrypted text shown between records is their content). Runs without a direction (a pasted xxd dump) join only when
 * nothing else stands between them.
 *
 * In a session whose start is not in the text (a chunk after a forced cut), the first stream of
 * each side may begin inside a record: it is decoded from the first record boundary
 * (tls/recordBoundary.ts).
 */
import { concatByteViews, sliceByteView, type ByteView } from '../bytes/byteView';
import type { ByteRunEvent, Direction, TranscriptSession } from '../model/transcript';
import type { DecodedTlsStream, FieldNode, HandshakeMessage, TlsRecord } from '../model/tls';
import { decodeDecryptedContent, decodeRecordHeaderOnly, decodeTlsStream } from '../tls/decodeStream';
import { findRecordBoundary } from '../tls/recordBoundary';

export interface TlsStream {
  readonly direction: Direction | null;
  /** Indices into session.events of the runs joined in this stream, in order. */
  readonly runIndices: readonly number[];
  readonly view: ByteView;
  readonly decoded: DecodedTlsStream;
}

/** Records that start in one run: the unit shown as a `tls` event. */
export interface TlsEvent {
  readonly kind: 'tls';
  readonly line: number;
  readonly direction: Direction | null;
  /** Index into session.events of the run where these records start. */
  readonly eventIndex: number;
  readonly stream: TlsStream;
  readonly records: readonly TlsRecord[];
}

interface OpenStream {
  direction: Direction | null;
  runIndices: number[];
  lastEventIndex: number;
}

export function assembleTlsStreams(session: TranscriptSession): TlsStream[] {
  const streams: TlsStream[] = [];
  const open = new Map<string, OpenStream>();
  /** Sides whose first stream was closed (or all, when the session's start is in the text). */
  const begun = new Set<string>(session.startMissing ? [] : ['client', 'server', 'none']);
  const close = (key: string): void => {
    const s = open.get(key);
    if (!s) return;
    open.delete(key);
    streams.push(decodeJoinedRuns(session, s.direction, s.runIndices, !begun.has(key)));
    begun.add(key);
  };

  session.events.forEach((event, index) => {
    if (event.kind === 'bytes') {
      if (event.role !== 'stream') {
        streams.push(decodeSpecialRun(event, index));
        return;
      }
      const key = event.direction ?? 'none';
      const current = open.get(key);
      // Direction-less dumps join only when adjacent to the previous run.
      if (current && key === 'none' && current.lastEventIndex !== index - 1) close(key);
      const s = open.get(key);
      if (s) {
        s.runIndices.push(index);
        s.lastEventIndex = index;
      } else {
        open.set(key, { direction: event.direction, runIndices: [index], lastEventIndex: index });
      }
      return;
    }
    if (event.kind === 'gap') {
      close(event.direction ?? 'none');
      if (event.direction === null) {
        close('client');
        close('server');
      }
      return;
    }
    // SMTP text in clear breaks a side's stream; decrypted text a tool prints between the records
    // (openssl s_client -debug's stdout) is their content, and the stream goes on.
    if (event.kind === 'command' && !event.inTls) close('client');
    else if (event.kind === 'reply' && !event.inTls) close('server');
    else if (event.kind === 'note' && event.note === 'connection-closed') {
      // One side closed: the other may still send (its close_notify); otherwise both are done.
      if (event.closedBy) close(event.closedBy);
      else for (const key of [...open.keys()]) close(key);
    }
  });
  for (const key of [...open.keys()]) close(key);
  streams.sort((a, b) => a.runIndices[0] - b.runIndices[0]);
  return streams.slice();
}

/** `mayStartInRecord`: the first stream of a side of a session whose start is not in the text. */
function decodeJoinedRuns(session: TranscriptSession, direction: Direction | null, runIndices: number[], mayStartInRecord: boolean): TlsStream {
  const runs = runIndices.map((i) => session.events[i] as ByteRunEvent);
  const view = runs.length === 1 ? runs[0].view : concatByteViews(runs.map((r) => r.view));
  if (runs.length > 1) shareJoinedView(runs, view);
  // (No boundary: the bytes may all be the rest of one record; none is decoded.)
  const boundary = mayStartInRecord ? findRecordBoundary(view.bytes) : 0;
  const options = mayStartInRecord ? { direction, from: boundary < 0 ? view.bytes.length : boundary, midConnection: true } : { direction };
  const decoded = compactDecoded(decodeTlsStream(view.bytes, options));
  return { direction, runIndices: runIndices.slice(), view, decoded };
}

/**
 * Replaces the lists of a decoded stream (records, problems, each record's messages, each
 * field's children) by exact-size copies, once the decoder is done with them: a list grown
 * by push keeps room for 17 entries, and most hold one to three (about a tenth of what a
 * TLS-heavy analysis keeps). Same contents, same order.
 */
function compactDecoded(decoded: DecodedTlsStream): DecodedTlsStream {
  for (const record of decoded.records) {
    compactField(record.field);
    if (!Object.isFrozen(record)) (record as { messages: readonly HandshakeMessage[] }).messages = record.messages.slice();
  }
  return { records: decoded.records.slice(), problems: decoded.problems.slice() };
}

function compactField(node: FieldNode): void {
  const children = node.children;
  if (!children) return;
  for (const child of children) compactField(child);
  if (!Object.isFrozen(node)) (node as { children: readonly FieldNode[] }).children = children.slice();
}

/**
 * Points each joined run at its part of the stream's copy (same bytes, same offsets), so
 * that the runs' own arrays can be collected: a stream's bytes are then kept once, not twice.
 */
function shareJoinedView(runs: readonly ByteRunEvent[], joined: ByteView): void {
  let at = 0;
  for (const run of runs) {
    const n = run.view.bytes.length;
    (run as { view: ByteView }).view = sliceByteView(joined, at, at + n);
    at += n;
  }
}

function decodeSpecialRun(run: ByteRunEvent, index: number): TlsStream {
  const decoded =
    run.role === 'record-header-only'
      ? decodeRecordHeaderOnly(run.view.bytes)
      : decodeDecryptedContent(run.view.bytes, run.contentType ?? 22, run.tlsVersion !== undefined ? { version: run.tlsVersion } : {});
  return { direction: run.direction, runIndices: [index], view: run.view, decoded: compactDecoded(decoded) };
}

/** Groups each stream's records by the run in which they start, in document order. */
export function groupTlsEvents(session: TranscriptSession, streams: readonly TlsStream[]): TlsEvent[] {
  const events: TlsEvent[] = [];
  for (const stream of streams) {
    // Byte index where each run starts in the joined view.
    const starts: number[] = [];
    let at = 0;
    for (const i of stream.runIndices) {
      starts.push(at);
      at += (session.events[i] as ByteRunEvent).view.bytes.length;
    }
    const byRun = new Map<number, TlsRecord[]>();
    // Records come in stream order, so the run index only moves forward (one pass, not runs x records).
    let k = 0;
    for (const record of stream.decoded.records) {
      if (starts[k] > record.start) k = 0;
      while (k + 1 < starts.length && starts[k + 1] <= record.start) k++;
      const list = byRun.get(k) ?? [];
      list.push(record);
      byRun.set(k, list);
    }
    for (const [k, records] of byRun) {
      const eventIndex = stream.runIndices[k];
      const run = session.events[eventIndex] as ByteRunEvent;
      // An exact-size copy: a list grown by push keeps room for 17 records, most events have one or two.
      events.push({ kind: 'tls', line: run.line, direction: stream.direction, eventIndex, stream, records: records.slice() });
    }
  }
  events.sort((a, b) => a.eventIndex - b.eventIndex || a.line - b.line);
  return events.slice();
}
