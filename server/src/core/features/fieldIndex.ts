/**
 * Position → byte → innermost field: the one lookup behind hover, semantic
 * tokens and inlay hints. Built once per Analysis (cached beside it in a
 * WeakMap) as three parallel typed arrays sorted by document offset, so a
 * lookup is a binary search over the hex pairs plus a descent of the field
 * tree of one record.
 */
import type { Analysis } from '../analysis/analyzeDocument';
import type { TlsStream } from '../analysis/tlsStreams';
import { HEX_PAIR_WIDTH } from '../bytes/byteView';
import type { ByteRunEvent } from '../model/transcript';
import type { FieldNode, TlsRecord } from '../model/tls';

export interface IndexedStream {
  readonly sessionIndex: number;
  readonly stream: TlsStream;
}

export interface FieldIndex {
  /** Document offset of each hex pair, ascending. */
  readonly offsets: Int32Array;
  /** For each hex pair: index into `streams`. */
  readonly streamIds: Int32Array;
  /** For each hex pair: byte index in its stream's view. */
  readonly byteIndices: Int32Array;
  readonly streams: readonly IndexedStream[];
}

export interface FieldHit {
  readonly sessionIndex: number;
  readonly stream: TlsStream;
  /** Byte index in the stream view. */
  readonly byteIndex: number;
  /** Document offset of the hex pair. */
  readonly offset: number;
  /** The record holding the byte, or null when no record covers it. */
  readonly record: TlsRecord | null;
  /** From the record's root field down to the innermost field containing the byte; empty without a record. */
  readonly path: readonly FieldNode[];
}

const CACHE = new WeakMap<Analysis, FieldIndex>();

/** The field index of an analysis, built on first use and kept as long as the analysis lives. */
export function getFieldIndex(analysis: Analysis): FieldIndex {
  let index = CACHE.get(analysis);
  if (!index) {
    index = buildFieldIndex(analysis);
    CACHE.set(analysis, index);
  }
  return index;
}

/** Where each byte run of a session's TLS streams is: by event index, its stream and the index of its first byte there. */
export function locateRuns(session: Analysis['sessions'][number]): Map<number, { readonly stream: TlsStream; readonly start: number }> {
  const out = new Map<number, { stream: TlsStream; start: number }>();
  for (const stream of session.streams) {
    let at = 0;
    for (const i of stream.runIndices) {
      out.set(i, { stream, start: at });
      const ev = session.session.events[i];
      if (ev.kind === 'bytes') at += ev.view.bytes.length;
    }
  }
  return out;
}

/** Builds the offset-sorted index of every hex pair that belongs to a decoded stream. */
export function buildFieldIndex(analysis: Analysis): FieldIndex {
  const streams: IndexedStream[] = [];
  let total = 0;
  // Runs are visited in document order, so the offsets come out (nearly always) sorted.
  const runs: { streamId: number; start: number; view: ByteRunEvent['view'] }[] = [];
  analysis.sessions.forEach((s, sessionIndex) => {
    const ids = new Map<TlsStream, number>();
    for (const stream of s.streams) {
      ids.set(stream, streams.length);
      streams.push({ sessionIndex, stream });
    }
    const byEvent = locateRuns(s);
    s.session.events.forEach((ev, i) => {
      const where = byEvent.get(i);
      if (!where || ev.kind !== 'bytes') return;
      runs.push({ streamId: ids.get(where.stream)!, start: where.start, view: ev.view });
      total += ev.view.bytes.length;
    });
  });
  let offsets = new Int32Array(total);
  let streamIds = new Int32Array(total);
  let byteIndices = new Int32Array(total);
  let k = 0;
  let sorted = true;
  for (const run of runs) {
    const o = run.view.offsets;
    for (let i = 0; i < o.length; i++) {
      // Bytes sharing one place (those a hex dump's "*" line stands for) have no hex of their own.
      if ((i > 0 && o[i - 1] === o[i]) || (i + 1 < o.length && o[i + 1] === o[i])) continue;
      offsets[k] = o[i];
      streamIds[k] = run.streamId;
      byteIndices[k] = run.start + i;
      if (k > 0 && offsets[k] < offsets[k - 1]) sorted = false;
      k++;
    }
  }
  if (k < total) {
    total = k;
    offsets = offsets.slice(0, k);
    streamIds = streamIds.slice(0, k);
    byteIndices = byteIndices.slice(0, k);
  }
  if (!sorted) {
    const order = new Uint32Array(total);
    for (let i = 0; i < total; i++) order[i] = i;
    const o = offsets;
    order.sort((a, b) => o[a] - o[b]);
    const so = new Int32Array(total);
    const ss = new Int32Array(total);
    const sb = new Int32Array(total);
    for (let i = 0; i < total; i++) {
      so[i] = offsets[order[i]];
      ss[i] = streamIds[order[i]];
      sb[i] = byteIndices[order[i]];
    }
    offsets = so;
    streamIds = ss;
    byteIndices = sb;
  }
  return { offsets, streamIds, byteIndices, streams };
}

/** Index of the last hex pair starting at or before `offset`, or -1. */
export function findPairIndex(index: FieldIndex, offset: number): number {
  return findLastAtOrBefore(index.offsets.length, (i) => index.offsets[i], offset);
}

/** Binary search over ascending keys: the last index whose key is at or before `target`, or -1. */
export function findLastAtOrBefore(length: number, keyAt: (i: number) => number, target: number): number {
  let lo = 0;
  let hi = length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (keyAt(mid) <= target) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** The byte and innermost field under a document offset, or null when the offset is not on a decoded hex pair. */
export function findFieldAt(index: FieldIndex, offset: number): FieldHit | null {
  const k = findPairIndex(index, offset);
  if (k < 0 || offset >= index.offsets[k] + HEX_PAIR_WIDTH) return null;
  return describePair(index, k);
}

/** The byte and innermost field of hex pair `k` of the index. */
export function describePair(index: FieldIndex, k: number): FieldHit {
  const { sessionIndex, stream } = index.streams[index.streamIds[k]];
  const byteIndex = index.byteIndices[k];
  const record = findRecordAt(stream.decoded.records, byteIndex);
  const path = record ? findFieldPath(record.field, byteIndex) : [];
  return { sessionIndex, stream, byteIndex, offset: index.offsets[k], record, path };
}

/** The record whose byte span holds `byteIndex` (records are in stream order). */
export function findRecordAt(records: readonly TlsRecord[], byteIndex: number): TlsRecord | null {
  const found = findLastAtOrBefore(records.length, (i) => records[i].start, byteIndex);
  // A record header shown alone may share its start with the next record's view: look back a little.
  for (let i = found; i >= 0 && i >= found - 2; i--) {
    if (records[i].start <= byteIndex && byteIndex < records[i].end) return records[i];
  }
  return null;
}

const MAX_DEPTH = 64;

/** Path from `root` down to the innermost field whose span holds `byteIndex` (empty when root does not hold it). */
export function findFieldPath(root: FieldNode, byteIndex: number): FieldNode[] {
  if (byteIndex < root.start || byteIndex >= root.end) return [];
  const path: FieldNode[] = [root];
  let node = root;
  while (path.length < MAX_DEPTH) {
    const child = findChildAt(node.children, byteIndex);
    if (!child) break;
    path.push(child);
    node = child;
  }
  return path;
}

function findChildAt(children: readonly FieldNode[] | undefined, byteIndex: number): FieldNode | null {
  if (!children || children.length === 0) return null;
  // Children are in byte order: binary search the last one starting at or before the byte.
  const found = findLastAtOrBefore(children.length, (i) => children[i].start, byteIndex);
  // Empty fields (a zero-length session_id) hold no byte: step back over them.
  for (let i = found; i >= 0 && i >= found - 4; i--) {
    const c = children[i];
    if (c.start <= byteIndex && byteIndex < c.end) return c;
  }
  // Out-of-order children (should not happen): fall back to a scan.
  for (const c of children) if (c.start <= byteIndex && byteIndex < c.end) return c;
  return null;
}
