/**
 * pcapng files (https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcapng/): blocks of
 * type, total length, body, total length. Read here: Section Header (byte order per
 * section), Interface Description (link type, snaplen, if_tsresol, if_tsoffset),
 * Enhanced Packet, Simple Packet and the obsolete Packet block; other blocks are skipped.
 */
import type { ChunkedReader } from './captureSource';
import type { CaptureFileInfo, CapturedFrame, ProblemList } from './captureTypes';
import { MAX_FRAME_LENGTH } from './pcapFile';

export const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const BLOCK_IDB = 1;
const BLOCK_PB = 2;
const BLOCK_SPB = 3;
const BLOCK_EPB = 6;
/** Decryption Secrets Block (pcapng draft §4.7; `editcap --inject-secrets`). */
const BLOCK_DSB = 10;
/** Its secrets type for an NSS key log ("TLSK"). */
const SECRETS_TLS_KEY_LOG = 0x544c534b;
/** Key logs larger than this are not read (a key log line is about 200 bytes). */
const MAX_SECRETS_LENGTH = 16 * 1024 * 1024;

/** Largest block read: a maximal frame plus generous room for options. */
const MAX_BLOCK_LENGTH = MAX_FRAME_LENGTH + 65536;

const OPT_ENDOFOPT = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

interface Interface {
  readonly linkType: number;
  readonly snaplen: number;
  /** if_tsresol: units per second are 10^exp (binary false) or 2^exp (binary true). */
  readonly binary: boolean;
  readonly exp: number;
  readonly offsetSeconds: number;
}

/** Whether the first bytes are a pcapng Section Header Block (either byte order). */
export function isPcapngStart(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, false) !== PCAPNG_SHB) return false;
  const bom = view.getUint32(8, false);
  return bom === BYTE_ORDER_MAGIC || view.getUint32(8, true) === BYTE_ORDER_MAGIC;
}

function describeResolution(i: Interface): string {
  if (i.binary) return `2^-${i.exp} s`;
  if (i.exp === 6) return 'microseconds';
  if (i.exp === 9) return 'nanoseconds';
  if (i.exp === 3) return 'milliseconds';
  return `10^-${i.exp} s`;
}

/** Converts a 64-bit timestamp in the interface's units to seconds + nanoseconds. */
function convertTimestamp(high: number, low: number, i: Interface): { seconds: number; nanos: number } {
  if (!i.binary && i.exp <= 9 && high < 0x200000) {
    // Fits in a double exactly (< 2^53).
    const ts = high * 4294967296 + low;
    const unit = 10 ** i.exp;
    const seconds = Math.floor(ts / unit);
    return { seconds: seconds + i.offsetSeconds, nanos: (ts - seconds * unit) * 10 ** (9 - i.exp) };
  }
  const ts = (BigInt(high) << 32n) | BigInt(low);
  let seconds: bigint;
  let nanos: bigint;
  if (i.binary) {
    const e = BigInt(i.exp);
    seconds = ts >> e;
    nanos = ((ts - (seconds << e)) * 1_000_000_000n) >> e;
  } else {
    const unit = 10n ** BigInt(i.exp);
    seconds = ts / unit;
    const frac = ts - seconds * unit;
    nanos = i.exp <= 9 ? frac * 10n ** BigInt(9 - i.exp) : frac / 10n ** BigInt(i.exp - 9);
  }
  return { seconds: Number(seconds) + i.offsetSeconds, nanos: Number(nanos) };
}

export function readPcapngFrames(
  reader: ChunkedReader,
  problems: ProblemList,
  onFrame: (frame: CapturedFrame) => void,
  onSecrets?: (keyLog: string, fileOffset: number) => void,
): CaptureFileInfo {
  const info: { -readonly [K in keyof CaptureFileInfo]: CaptureFileInfo[K] } & { linkTypes: number[] } = { format: 'pcapng', byteOrder: 'little-endian', timePrecision: 'microseconds', linkTypes: [], frames: 0 };
  let le = true;
  let interfaces: Interface[] = [];
  let sawSection = false;
  let originalWarned = false;
  let firstInterface = true;

  for (;;) {
    const at = reader.position;
    const h = reader.request(12);
    if (h === 0) break;
    if (h < 12) {
      problems.add({ severity: 'error', message: `the file ends inside a block header at offset ${at} (${h} of at least 12 bytes)`, fileOffset: at });
      break;
    }
    let w = reader.window;
    let view = new DataView(w.buffer, w.byteOffset + reader.index, 12);
    const typeBe = view.getUint32(0, false);
    if (typeBe === PCAPNG_SHB) {
      // The byte-order magic decides how this section (this block included) is read.
      const bom = view.getUint32(8, false);
      if (bom === BYTE_ORDER_MAGIC) le = false;
      else if (view.getUint32(8, true) === BYTE_ORDER_MAGIC) le = true;
      else {
        problems.add({ severity: 'error', message: `section header at offset ${at} has no valid byte-order magic; stopped there`, fileOffset: at });
        break;
      }
      if (!sawSection) info.byteOrder = le ? 'little-endian' : 'big-endian';
      sawSection = true;
      interfaces = [];
    } else if (!sawSection) {
      problems.add({ severity: 'error', message: 'the file does not start with a pcapng section header', fileOffset: at });
      break;
    }
    const type = view.getUint32(0, le);
    const length = view.getUint32(4, le);
    if (length < 12 || length % 4 !== 0 || length > MAX_BLOCK_LENGTH) {
      problems.add({
        severity: 'error',
        message: `block of type ${type} at offset ${at} has an impossible length ${length} (must be a multiple of 4 between 12 and ${MAX_BLOCK_LENGTH}); the file is corrupt from there`,
        fileOffset: at,
      });
      break;
    }
    const isPacket = type === BLOCK_EPB || type === BLOCK_SPB || type === BLOCK_PB;
    const needsBody = isPacket || type === BLOCK_IDB || type === PCAPNG_SHB || (type === BLOCK_DSB && onSecrets !== undefined && length <= MAX_SECRETS_LENGTH + 32);
    if (!needsBody) {
      // Name resolution, statistics, custom and unknown blocks: skipped without reading them.
      reader.skip(length);
      continue;
    }
    const got = reader.request(length);
    if (got < length) {
      const what = isPacket ? `frame ${info.frames + 1}` : `a block of type ${type}`;
      problems.add({ severity: 'error', message: `the file ends inside ${what} at offset ${at} (${got} of ${length} bytes); it is not used`, fileOffset: at });
      break;
    }
    w = reader.window;
    const base = reader.index;
    view = new DataView(w.buffer, w.byteOffset + base, length);
    const trailer = view.getUint32(length - 4, le);
    if (trailer !== length) {
      problems.add({ severity: 'error', message: `block at offset ${at} says ${length} bytes at its start but ${trailer} at its end; the file is corrupt from there`, fileOffset: at });
      break;
    }
    const bodyEnd = length - 4;

    if (type === BLOCK_DSB) {
      const secretsType = length >= 20 ? view.getUint32(8, le) : -1;
      const secretsLength = length >= 20 ? view.getUint32(12, le) : -1;
      if (secretsType === SECRETS_TLS_KEY_LOG && secretsLength >= 0 && 16 + secretsLength <= bodyEnd) {
        onSecrets!(new TextDecoder('utf-8').decode(w.subarray(base + 16, base + 16 + secretsLength)), at);
      } else if (secretsType === SECRETS_TLS_KEY_LOG) {
        problems.add({ severity: 'warning', message: `the decryption secrets block at offset ${at} says ${secretsLength} bytes of key log, more than it holds; ignored`, fileOffset: at });
      }
    } else if (type === BLOCK_IDB) {
      if (length < 20) {
        problems.add({ severity: 'warning', message: `interface description at offset ${at} is too short; ignored`, fileOffset: at });
      } else {
        const iface = parseInterface(view, le, 16, bodyEnd);
        interfaces.push(iface);
        info.linkTypes.push(iface.linkType);
        if (firstInterface) {
          info.timePrecision = describeResolution(iface);
          firstInterface = false;
        }
      }
    } else if (isPacket) {
      const frameNumber = info.frames + 1;
      let ifaceId: number;
      let high = 0;
      let low = 0;
      let captured: number;
      let original: number;
      let dataStart: number;
      if (type === BLOCK_EPB || type === BLOCK_PB) {
        if (bodyEnd < 28) {
          problems.add({ severity: 'warning', message: `packet block of frame ${frameNumber} at offset ${at} is too short; skipped`, frame: frameNumber, fileOffset: at });
          reader.skip(length);
          info.frames = frameNumber;
          continue;
        }
        ifaceId = type === BLOCK_EPB ? view.getUint32(8, le) : view.getUint16(8, le);
        high = view.getUint32(12, le);
        low = view.getUint32(16, le);
        captured = view.getUint32(20, le);
        original = view.getUint32(24, le);
        dataStart = 28;
      } else {
        ifaceId = 0;
        original = view.getUint32(8, le);
        dataStart = 12;
        const snap = interfaces[0]?.snaplen ?? 0;
        captured = Math.min(original, bodyEnd - dataStart, snap > 0 ? snap : Infinity);
      }
      info.frames = frameNumber;
      if (original < captured && !originalWarned) {
        originalWarned = true;
        problems.add({
          severity: 'warning',
          message: `frame ${frameNumber} says its packet was ${original} bytes long but holds ${captured} captured bytes: a packet block's original length is never less than its captured length (the block is damaged; the captured bytes are read)`,
          frame: frameNumber,
          fileOffset: at + 24,
        });
      }
      const iface = interfaces[ifaceId];
      if (!iface) {
        problems.add({ severity: 'warning', message: `frame ${frameNumber} names interface ${ifaceId}, which the section does not describe; skipped`, frame: frameNumber, fileOffset: at });
      } else if (dataStart + captured > bodyEnd) {
        problems.add({
          severity: 'warning',
          message: `frame ${frameNumber} claims ${captured} captured bytes but its block holds ${bodyEnd - dataStart}; skipped`,
          frame: frameNumber,
          fileOffset: at,
        });
      } else {
        const t = type === BLOCK_SPB ? { seconds: 0, nanos: 0 } : convertTimestamp(high, low, iface);
        onFrame({
          frame: frameNumber,
          linkType: iface.linkType,
          interfaceId: ifaceId,
          seconds: t.seconds,
          nanos: t.nanos,
          originalLength: Math.max(original, captured),
          data: w.subarray(base + dataStart, base + dataStart + captured),
        });
      }
    }
    reader.skip(length);
  }
  return info;
}

function parseInterface(view: DataView, le: boolean, optionsStart: number, bodyEnd: number): Interface {
  const linkType = view.getUint16(8, le);
  const snaplen = view.getUint32(12, le);
  let binary = false;
  let exp = 6;
  let offsetSeconds = 0;
  let p = optionsStart;
  while (p + 4 <= bodyEnd) {
    const code = view.getUint16(p, le);
    const len = view.getUint16(p + 2, le);
    const value = p + 4;
    if (code === OPT_ENDOFOPT || value + len > bodyEnd) break;
    if (code === OPT_IF_TSRESOL && len >= 1) {
      const v = view.getUint8(value);
      binary = (v & 0x80) !== 0;
      exp = v & 0x7f;
      // Beyond 2^-63 or 10^-19 a 64-bit timestamp cannot count even one second: treat as microseconds.
      if ((binary && exp > 63) || (!binary && exp > 19)) {
        binary = false;
        exp = 6;
      }
    } else if (code === OPT_IF_TSOFFSET && len >= 8) {
      const hi = view.getInt32(le ? value + 4 : value, le);
      const lo = view.getUint32(le ? value : value + 4, le);
      offsetSeconds = hi * 4294967296 + lo;
    }
    p = value + ((len + 3) & ~3);
  }
  return { linkType, snaplen, binary, exp, offsetSeconds };
}
