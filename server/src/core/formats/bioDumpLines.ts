/**
 * Postfix's dumps of what OpenSSL read and wrote (smtpd_tls_loglevel 3, posttls-finger's
 * `-L ssl-handshake-packet-dump`): a BIO header, then lines of 16 bytes with a `|` after the eighth,
 *   read from 55D43E0CFE00 [55D43E0DF463] (5 bytes => 5 (0x5))
 *   0000 16 03 01 02 00 01 00 01|fc 03 03 94 75 19 17 76  ........ ....u..v
 *   017b - <SPACES/NULLS>
 * The last form says the dump left out the trailing bytes from that offset on, each a space (0x20)
 * or a NUL (0x00); left out, they would cut every such record short. Each is placed at the
 * `<SPACES/NULLS>` (as a hexdump's repeated bytes are placed at its `*`) and read as a NUL: TLS
 * ends records with zeros far more often than with spaces (an empty extension, the null
 * compression method, the padding extension). One case is known exactly: OpenSSL reads a record's
 * 5-byte header, then its body, so the length at the end of a header read is the next read's size
 * (`17 03 03` and `<SPACES/NULLS>`, then a read of 32 bytes: the length was `00 20`, a NUL and a
 * space). Both readers keep the message after their own line prefix (syslog's, posttls-finger's)
 * and hand it here.
 */
import { ByteViewBuilder } from '../bytes/byteView';
import type { Direction } from '../model/transcript';
import { isHexRun, readFixedColumns, spacedLayout } from './dumpColumns';
import { parseHexNumber } from './hexTokens';
import type { BioHeader } from './opensslDebug';
import type { ReaderContext } from './readerContext';

const LAYOUT = spacedLayout('|', 0);
/** What OpenSSL's and Postfix's BIO dumps write for trailing spaces and NULs they leave out. */
export const ELISION = '<SPACES/NULLS>';

export interface BioDump {
  readonly direction: Direction;
  /** Bytes the BIO header says were transferred; lowered to what was read when the text ends inside the dump. */
  count: number;
  readonly line: number;
  readonly builder: ByteViewBuilder;
  endLine: number;
  seen: number;
  done: boolean;
  /** Read (its lines consumed) but not kept. */
  readonly skip: boolean;
  /** A read of 5 bytes: OpenSSL reading a record header. */
  readonly headerRead: boolean;
  /** Document offset of the `<SPACES/NULLS>` standing for the bytes from `seen` to `count`; -1 when none. */
  elidedAt: number;
}

export function startBioDump(bio: BioHeader, direction: Direction, line: number, skip = false): BioDump {
  return { direction, count: bio.count, line, builder: new ByteViewBuilder(), endLine: line, seen: 0, done: false, skip, headerRead: !bio.write && bio.count === 5, elidedAt: -1 };
}

/** Whether the message at text[ms..e) is a line of a dump still open (`XXXX ` then bytes, or the elision). */
export function continuesBioDump(d: BioDump | null, text: string, ms: number, e: number): d is BioDump {
  return d !== null && !d.done && isHexRun(text, ms, 4, e) && text.charCodeAt(ms + 4) === 32;
}

/** One dump line (its message at text[ms..e)): the bytes, the elision, or an offset that does not follow (reported). */
export function readBioDumpLine(ctx: ReaderContext, i: number, d: BioDump, ms: number, e: number): void {
  const text = ctx.doc.text;
  const offset = parseHexNumber(text, ms, ms + 4);
  if (text.startsWith(`- ${ELISION}`, ms + 5)) {
    d.done = true;
    // The rest of the transfer, when the marker's offset is where the bytes stopped (else a gap)
    // and the document's allowance for bytes it does not write out permits: filled in by endBioDump.
    const rest = d.count - d.seen;
    if (offset === d.seen && rest > 0 && ctx.out.allowRepeatedBytes(rest)) {
      d.elidedAt = ms + 7;
      d.endLine = i;
    }
    return;
  }
  if (offset !== d.seen) {
    ctx.out.report(ms, ms + 4, `dump offset ${text.slice(ms, ms + 4)} does not follow the bytes before it: expected ${d.seen.toString(16).padStart(4, '0')}`);
    d.done = true;
    return;
  }
  const builder = d.builder;
  const r = readFixedColumns(text, ms + 5, e, LAYOUT, d.count - d.seen, (b, o) => builder.push(b, o));
  d.seen += r.count;
  d.endLine = i;
  if (r.brokenAt >= 0 || d.seen >= d.count) d.done = true;
}

/**
 * The dump is over (`next`: the BIO header that ended it, if one did): its bytes, the elided ones
 * filled in, join the session's stream; what it did not show otherwise (an offset that jumps, a
 * line cut) is a gap.
 */
export function endBioDump(ctx: ReaderContext, d: BioDump, layout: string, next: BioHeader | null = null): void {
  if (d.skip) return;
  if (d.elidedAt >= 0) fillElided(d, next);
  const { doc, out } = ctx;
  if (d.builder.length > 0) {
    out.addBytes({ kind: 'bytes', line: d.line, endLine: d.endLine, direction: d.direction, view: d.builder.build(), layout, role: 'stream' });
  }
  if (d.seen < d.count) {
    out.add({ kind: 'gap', line: d.line, direction: d.direction, length: d.count - d.seen, span: { start: doc.start(d.line), end: doc.end(d.line) } });
  }
}

/** The bytes `<SPACES/NULLS>` stands for: NULs, or the length of a record header that the next read states. */
function fillElided(d: BioDump, next: BioHeader | null): void {
  const length = elidedHeaderLength(d, next);
  for (let k = d.seen; k < d.count; k++) d.builder.push(length < 0 ? 0 : k === 3 ? length >> 8 : length & 0xff, d.elidedAt);
  d.seen = d.count;
}

/**
 * The record length a header read left (partly) out, when the read after it (`next`, the record's
 * body) states it and its bytes are what the dump shows and spaces or NULs where it does not; else -1.
 */
function elidedHeaderLength(d: BioDump, next: BioHeader | null): number {
  if (!d.headerRead || !next || next.write || next.count <= 0 || next.count > 0xffff || d.seen < 3) return -1;
  const b = d.builder;
  if (b.byteAt(0) < 20 || b.byteAt(0) > 24) return -1;
  for (let k = 3; k < 5; k++) {
    const v = k === 3 ? next.count >> 8 : next.count & 0xff;
    if (k < d.seen ? b.byteAt(k) !== v : v !== 0x00 && v !== 0x20) return -1;
  }
  return next.count;
}

/** The text ends inside the dump: what is missing comes after the text, no gap in the session. */
export function endBioDumpAtTextEnd(ctx: ReaderContext, d: BioDump, layout: string): void {
  if (!d.done && d.seen < d.count) d.count = d.seen;
  endBioDump(ctx, d, layout);
}
