/**
 * Classic libpcap files (https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcap/):
 * a 24-byte file header, then 16-byte record headers each followed by the captured bytes.
 * Both byte orders; microsecond (a1b2c3d4) and nanosecond (a1b23c4d) timestamps.
 */
import type { ChunkedReader } from './captureSource';
import type { CaptureFileInfo, CapturedFrame, ProblemList } from './captureTypes';

export const PCAP_MAGIC_MICRO = 0xa1b2c3d4;
export const PCAP_MAGIC_NANO = 0xa1b23c4d;

/** No real link layer has frames this large; a larger record length means a corrupt file. */
export const MAX_FRAME_LENGTH = 16 * 1024 * 1024;

const FILE_HEADER = 24;
const RECORD_HEADER = 16;

export interface PcapHeader {
  readonly littleEndian: boolean;
  readonly nanoseconds: boolean;
  readonly snaplen: number;
  readonly linkType: number;
}

/** Reads the file header from the first bytes, or null when the magic is not pcap's. */
export function parsePcapHeader(bytes: Uint8Array): PcapHeader | null {
  if (bytes.length < 4) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const be = view.getUint32(0, false);
  const le = view.getUint32(0, true);
  let littleEndian: boolean;
  let nanoseconds: boolean;
  if (be === PCAP_MAGIC_MICRO || be === PCAP_MAGIC_NANO) {
    littleEndian = false;
    nanoseconds = be === PCAP_MAGIC_NANO;
  } else if (le === PCAP_MAGIC_MICRO || le === PCAP_MAGIC_NANO) {
    littleEndian = true;
    nanoseconds = le === PCAP_MAGIC_NANO;
  } else {
    return null;
  }
  if (bytes.length < FILE_HEADER) return { littleEndian, nanoseconds, snaplen: 0, linkType: -1 };
  // LinkType and FCS field: the link type is in the low 16 bits (draft §4, bits 16-31 are FCS info).
  return { littleEndian, nanoseconds, snaplen: view.getUint32(16, littleEndian), linkType: view.getUint32(20, littleEndian) & 0xffff };
}

/** An unsigned 32-bit field (no DataView per record header: there is one per frame). */
function readUint32(b: Uint8Array, i: number, littleEndian: boolean): number {
  return littleEndian ? (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0 : ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
}

export function readPcapFrames(reader: ChunkedReader, problems: ProblemList, onFrame: (frame: CapturedFrame) => void): CaptureFileInfo {
  const got = reader.request(FILE_HEADER);
  const header = parsePcapHeader(reader.window.subarray(reader.index, reader.index + got))!;
  const info: CaptureFileInfo = {
    format: 'pcap',
    byteOrder: header.littleEndian ? 'little-endian' : 'big-endian',
    timePrecision: header.nanoseconds ? 'nanoseconds' : 'microseconds',
    linkTypes: header.linkType >= 0 ? [header.linkType] : [],
    frames: 0,
  };
  if (got < FILE_HEADER) {
    problems.add({ severity: 'error', message: `the file ends inside the pcap file header (${got} of 24 bytes)`, fileOffset: 0 });
    return info;
  }
  reader.skip(FILE_HEADER);
  const le = header.littleEndian;
  const fractionScale = header.nanoseconds ? 1 : 1000;
  let snaplenWarned = false;
  let originalWarned = false;
  for (;;) {
    const at = reader.position;
    const h = reader.request(RECORD_HEADER);
    if (h === 0) break;
    const frameNumber = info.frames + 1;
    if (h < RECORD_HEADER) {
      problems.add({ severity: 'error', message: `the file ends inside the record header of frame ${frameNumber} (${h} of 16 bytes)`, frame: frameNumber, fileOffset: at });
      break;
    }
    const w = reader.window;
    const i = reader.index;
    const seconds = readUint32(w, i, le);
    const fraction = readUint32(w, i + 4, le);
    const captured = readUint32(w, i + 8, le);
    const original = readUint32(w, i + 12, le);
    if (captured > MAX_FRAME_LENGTH) {
      problems.add({
        severity: 'error',
        message: `frame ${frameNumber} claims ${captured} captured bytes (more than ${MAX_FRAME_LENGTH}): the file is corrupt from offset ${at}; stopped there`,
        frame: frameNumber,
        fileOffset: at,
      });
      break;
    }
    if (original < captured && !originalWarned) {
      originalWarned = true;
      problems.add({
        severity: 'warning',
        message: `frame ${frameNumber} says its packet was ${original} bytes long but holds ${captured} captured bytes: a pcap record's original length is never less than its captured length (the record header is damaged; the captured bytes are read)`,
        frame: frameNumber,
        fileOffset: at + 12,
      });
    }
    if (header.snaplen > 0 && captured > header.snaplen && !snaplenWarned) {
      snaplenWarned = true;
      problems.add({ severity: 'warning', message: `frame ${frameNumber} holds ${captured} bytes, more than the file's snapshot length ${header.snaplen}`, frame: frameNumber, fileOffset: at });
    }
    reader.skip(RECORD_HEADER);
    const n = reader.request(captured);
    if (n < captured) {
      problems.add({ severity: 'error', message: `the file ends inside frame ${frameNumber} (${n} of ${captured} bytes); the frame is not used`, frame: frameNumber, fileOffset: at });
      break;
    }
    info.frames = frameNumber;
    const start = reader.index;
    onFrame({
      frame: frameNumber,
      linkType: header.linkType,
      interfaceId: 0,
      seconds,
      nanos: Math.min(fraction * fractionScale, 999_999_999),
      originalLength: Math.max(original, captured),
      data: reader.window.subarray(start, start + captured),
    });
    reader.skip(captured);
  }
  return info;
}
