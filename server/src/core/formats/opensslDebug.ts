/**
 * openssl s_client/s_server -debug BIO dumps (FORMATS.md section 4):
 *   write to 0x55840870c2f0 [0x558408802530] (23 bytes => 23 (0x17))
 *   0000 - 45 48 4c 4f 20 63 6c 69-65 6e 74 2e 66 65 61 73   EHLO client.feas
 * Everything the client wrote and read, the STARTTLS dialogue in clear included, so the
 * payload goes through a WireSplitter. stdout and stderr interleave mid-line in real
 * output; a dump line cut by other text ends its read with a gap, and an SMTP reply
 * glued onto the cut line is still read.
 */
import { ByteViewBuilder } from '../bytes/byteView';
import type { Direction } from '../model/transcript';
import { readFixedColumns, spacedLayout, isHexRun } from './dumpColumns';
import { ELISION } from './bioDumpLines';
import { hexDigitValue, parseHexNumber } from './hexTokens';
import { headOf, lineBounds, type LineReader, type ReaderContext } from './readerContext';
import { looksLikeBareCommand, looksLikeBareReply, parseCommandLine, parseReplyLine } from './smtpLines';
import { WireSplitter } from './wireText';

/** `read from PTR [PTR] (N bytes => M (0xM))` / `write to ...`; pointers with or without 0x (postfix prints them bare). */
export const BIO_HEADER = /^(read from|write to) (?:0x)?[0-9A-Fa-f]{1,16} \[(?:0x)?[0-9A-Fa-f]{1,16}\] \(([0-9]{1,10}) bytes => (-?[0-9]{1,10})(?: \(0x[0-9A-Fa-f]{1,8}\))?\)/;

export interface BioHeader {
  readonly write: boolean;
  /** Bytes transferred (negative: the call failed, nothing follows). */
  readonly count: number;
}

export function matchBioHeader(head: string): BioHeader | null {
  const m = BIO_HEADER.exec(head);
  return m ? { write: m[1] === 'write to', count: Number(m[3]) } : null;
}

/** How much of a line a cut header is looked for in (a header is about 60 characters). */
const CUT_HEADER_SCAN = 120;

/**
 * A BIO header whose line other output cut: the start of the header, then that output up to its
 * own line end (`line`), and the rest of the header on the next line (`next`). The header is the
 * longest start of `line` that the rest completes.
 */
export function matchCutBioHeader(line: string, next: string): BioHeader | null {
  if (!line.startsWith('read from ') && !line.startsWith('write to ')) return null;
  for (let cut = line.length - 1; cut >= 9; cut--) {
    const joined = line.slice(0, cut) + next;
    const m = BIO_HEADER.exec(joined);
    // The whole of the next line belongs to the header.
    if (m && m[0].length === joined.length) return { write: m[1] === 'write to', count: Number(m[3]) };
  }
  return null;
}

const DEBUG_LAYOUT = spacedLayout('-', 0);

/** `0000 - ` at text[s]: the offset value, or -1. */
export function matchDebugOffset(text: string, s: number, e: number): number {
  if (!isHexRun(text, s, 4, e) || text.charCodeAt(s + 4) !== 32 || text.charCodeAt(s + 5) !== 45 || text.charCodeAt(s + 6) !== 32) return -1;
  return parseHexNumber(text, s, s + 4);
}


interface Block {
  readonly direction: Direction;
  readonly count: number;
  readonly line: number;
  builder: ByteViewBuilder;
  runLine: number;
  endLine: number;
  seen: number;
  /** The dump was cut by other output: the rest of the read is a gap (unless `cut` finds its line's rest). */
  broken: boolean;
  /**
   * A dump line cut after whole bytes: how many bytes its rest holds, the line it was cut on, and
   * where a byte the cut left without its separator would be (`66250-mx...`: "66", then the other
   * output; -1 when the text there is no hex pair).
   */
  cut: { readonly line: number; readonly missing: number; readonly pairAt: number } | null;
}

/**
 * Other output that starts inside a byte of a dump line it cut in two: what s_client writes on stderr
 * during the handshake, or an SMTP reply it prints decrypted (`66 9` + `250-mx...`, the rest later).
 */
export const OTHER_AFTER_DIGIT = /^(?:depth=[0-9]|verify (?:error|return):|Can't use SSL_get_servername|[2-5][0-9][0-9][ -])/;

/** How many lines after a cut dump line its rest is looked for (s_client's certificate verification prints 4). */
const CUT_REST_LINES = 16;

export class OpensslDebugReader implements LineReader {
  private block: Block | null = null;
  private splitter: WireSplitter;

  constructor(private readonly ctx: ReaderContext) {
    this.splitter = new WireSplitter(ctx.out, ctx.doc, 'openssl-debug');
  }

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const { text, s, e, c } = lineBounds(doc, i);
    if (c === 114 || c === 119) {
      let next = i + 1;
      let header = matchBioHeader(headOf(doc, i));
      if (!header && i + 1 < doc.count) {
        // stderr printed into the middle of the header line: "read from ... (2Can't use SSL_get_servername" + "3 bytes => 23 (0x17))".
        header = matchCutBioHeader(text.slice(s, Math.min(e, s + CUT_HEADER_SCAN)), text.slice(doc.start(i + 1), Math.min(doc.end(i + 1), doc.start(i + 1) + CUT_HEADER_SCAN)));
        if (header) next = i + 2;
      }
      if (!header) return -1;
      this.endBlock();
      out.vote('openssl-debug', 1);
      const direction: Direction = header.write !== this.ctx.sentIsServer ? 'client' : 'server';
      if (header.count > 0) this.block = { direction, count: header.count, line: i, builder: new ByteViewBuilder(), runLine: -1, endLine: next - 1, seen: 0, broken: false, cut: null };
      return next;
    }
    const b = this.block;
    if (!b) return -1;
    const offset = matchDebugOffset(text, s, e);
    if (offset < 0) {
      if (b.cut && i - b.cut.line <= CUT_REST_LINES && this.readCutRest(b, i, s, e)) return i + 1;
      return -1;
    }
    out.vote('openssl-debug', 1);
    b.cut = null;
    if (b.broken) return i + 1;
    if (text.startsWith(ELISION, s + 7)) {
      // BIO_dump left out trailing spaces/NULs: the rest of the read is not shown.
      this.endBlock();
      return i + 1;
    }
    if (offset !== b.seen) {
      b.broken = true;
      return i + 1;
    }
    const builder = b.builder;
    const r = readFixedColumns(text, s + 7, e, DEBUG_LAYOUT, b.count - b.seen, (byte, o) => builder.push(byte, o));
    if (r.count > 0 && b.runLine < 0) b.runLine = i;
    b.seen += r.count;
    b.endLine = i;
    if (r.brokenAt >= 0) {
      b.broken = true;
      // Cut after whole bytes: the rest of the line may come after the other output.
      const lineBytes = Math.min(16, b.count - offset);
      if (r.count < lineBytes && text.charCodeAt(r.brokenAt - 1) === 32) {
        b.cut = { line: i, missing: lineBytes - r.count, pairAt: isHexRun(text, r.brokenAt, 2, e) ? r.brokenAt : -1 };
      }
      // The other output starts after a lone digit (`9250-mx`: a byte cut in two) or after a whole byte (`66250-mx`).
      if (!this.readGluedLine(i, r.brokenAt + 1, e)) this.readGluedLine(i, r.brokenAt + 2, e);
    }
    if (b.seen >= b.count) this.endBlock();
    return i + 1;
  }

  /**
   * The rest of a dump line that other output cut after whole bytes, on a line of its own after
   * that output (stderr's `depth=0 CN = ...` lines into stdout's `0320 - ... 5a 57 a4 `): exactly
   * the missing bytes, then the text column; or cut inside a byte, its low digit first. The read
   * goes on as if the line had not been cut.
   */
  private readCutRest(b: Block, i: number, s: number, e: number): boolean {
    const text = this.ctx.doc.text;
    const { missing, pairAt, line: cutLine } = b.cut!;
    // The rest holds all the missing bytes, or (starting with the separator of a byte left whole
    // before the cut) all but that one.
    const sep0 = text.charCodeAt(s);
    const pairFirst = pairAt >= 0 && (sep0 === 32 || sep0 === 45);
    // Or the other output cut a byte in two (`dd 3` + `depth=0 ...`, later `a 9b 63 ...`): the byte's
    // high digit ends the cut line, its low digit starts the rest.
    const sep1 = text.charCodeAt(s + 1);
    const nibbleFirst =
      !pairFirst && pairAt >= 0 && OTHER_AFTER_DIGIT.test(text.slice(pairAt + 1, pairAt + 40)) && isHexRun(text, s, 1, e) && (s + 1 >= e || sep1 === 32 || sep1 === 45);
    const start = pairFirst ? s + 1 : nibbleFirst ? s + 2 : s;
    const tokens = pairFirst || nibbleFirst ? missing - 1 : missing;
    for (let k = 0; k < tokens; k++) {
      const p = start + 3 * k;
      const sep = text.charCodeAt(p + 2);
      if (!isHexRun(text, p, 2, e) || (p + 2 < e && sep !== 32 && sep !== 45)) return false;
    }
    const after = start + 3 * tokens;
    if (after < e && !(text.charCodeAt(after - 1) === 32 && text.charCodeAt(after) === 32)) return false;
    this.ctx.out.vote('openssl-debug', 1);
    const push = (p: number): void => b.builder.push(hexDigitValue(text.charCodeAt(p)) * 16 + hexDigitValue(text.charCodeAt(p + 1)), p);
    // The run's first bytes may be these (the cut line read none): its line is where the first of them is.
    if (b.runLine < 0) b.runLine = pairFirst || nibbleFirst ? cutLine : i;
    if (pairFirst) push(pairAt);
    // The byte's offset is its high digit's (the hover shows the byte there).
    if (nibbleFirst) b.builder.push(hexDigitValue(text.charCodeAt(pairAt)) * 16 + hexDigitValue(text.charCodeAt(s)), pairAt);
    for (let k = 0; k < tokens; k++) push(start + 3 * k);
    b.seen += missing;
    b.endLine = i;
    b.broken = false;
    b.cut = null;
    if (b.seen >= b.count) this.endBlock();
    return true;
  }

  /** An SMTP line printed into a cut dump line: `66 9250-mx.feas.test` holds "250-mx.feas.test". */
  private readGluedLine(i: number, start: number, end: number): boolean {
    const { doc, out } = this.ctx;
    const text = doc.text;
    if (looksLikeBareReply(text, start, end)) {
      this.flushRun();
      out.addReplyLine(parseReplyLine(text, i, start, end), true);
    } else if (looksLikeBareCommand(text, start, end)) {
      this.flushRun();
      out.addCommand(parseCommandLine(text, i, start, end, true, false));
    } else {
      return false;
    }
    return true;
  }

  /** Hands the bytes read so far in the block to the splitter. */
  private flushRun(): void {
    const b = this.block;
    if (!b || b.builder.length === 0) return;
    const view = b.builder.build();
    b.builder = new ByteViewBuilder();
    this.splitter.addChunk(b.direction, view, b.runLine, b.endLine);
    if (this.splitter.inTls(b.direction)) this.ctx.bareLinesInTls = true;
    b.runLine = -1;
  }

  private endBlock(): void {
    const b = this.block;
    if (!b) return;
    this.flushRun();
    this.block = null;
    if (b.seen < b.count) {
      const { doc } = this.ctx;
      this.ctx.out.add({ kind: 'gap', line: b.line, direction: b.direction, length: b.count - b.seen, span: { start: doc.start(b.line), end: doc.end(b.line) }, layout: 'openssl-debug' });
    }
  }

  flush(): void {
    this.endBlock();
    this.splitter.flush();
  }
}
