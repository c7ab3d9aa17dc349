/** Sniffs a capture file's format from its first bytes and reads its frames with the matching reader. */
import { ChunkedReader, type CaptureSource } from './captureSource';
import { ProblemList, type CaptureFileInfo, type CaptureFormat, type CapturedFrame } from './captureTypes';
import { parsePcapHeader, readPcapFrames } from './pcapFile';
import { isPcapngStart, readPcapngFrames } from './pcapngFile';

/** Bytes needed to recognise a capture (pcapng needs its byte-order magic at offset 8). */
export const SNIFF_LENGTH = 12;

/** Which capture format the first bytes announce (magic numbers, not the file name), or null. */
export function sniffCaptureFormat(head: Uint8Array): CaptureFormat | null {
  if (isPcapngStart(head)) return 'pcapng';
  if (parsePcapHeader(head)) return 'pcap';
  return null;
}

export interface FrameReadResult {
  /** null when the bytes are not a capture at all. */
  readonly info: CaptureFileInfo | null;
  readonly problems: ProblemList;
}

/** Reads every frame of a capture, calling `onFrame` for each; never throws on any bytes. */
export function readCaptureFrames(
  source: CaptureSource,
  onFrame: (frame: CapturedFrame) => void,
  problems = new ProblemList(),
  /** Receives the key log of each pcapng Decryption Secrets Block (TLS key log type), in file order. */
  onSecrets?: (keyLog: string, fileOffset: number) => void,
): FrameReadResult {
  const reader = new ChunkedReader(source);
  const n = reader.request(SNIFF_LENGTH);
  const head = reader.window.subarray(reader.index, reader.index + n);
  const format = sniffCaptureFormat(head);
  if (!format) {
    const hex = Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    problems.add({
      severity: 'error',
      message: n === 0 ? 'the file is empty, not a pcap or pcapng capture' : `not a pcap or pcapng capture (starts with ${hex}; expected a1 b2 c3 d4, a1 b2 3c 4d, their byte swaps, or 0a 0d 0d 0a)`,
      fileOffset: 0,
    });
    return { info: null, problems };
  }
  try {
    const info = format === 'pcap' ? readPcapFrames(reader, problems, onFrame) : readPcapngFrames(reader, problems, onFrame, onSecrets);
    return { info, problems };
  } catch (err) {
    // A reader bug must not lose what was read: report it and stop.
    problems.add({ severity: 'error', message: `reading stopped at offset ${reader.position}: ${err instanceof Error ? err.message : String(err)}`, fileOffset: reader.position });
    return { info: { format, byteOrder: 'little-endian', timePrecision: '', linkTypes: [], frames: 0 }, problems };
  }
}
