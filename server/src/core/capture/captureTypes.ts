/** What the capture file readers produce: frames with their link type and time, and problems. */

export interface CapturedFrame {
  /** 1-based frame number, counted as Wireshark counts (every packet block of the file). */
  readonly frame: number;
  /** LINKTYPE_* value of the interface the frame was captured on. */
  readonly linkType: number;
  readonly interfaceId: number;
  /** Capture time: whole seconds since the epoch, and nanoseconds within that second. */
  readonly seconds: number;
  readonly nanos: number;
  /** Length on the wire; more than data.length when the snapshot length cut the frame. */
  readonly originalLength: number;
  /** The captured bytes: a view valid only until the callback returns (copy what you keep). */
  readonly data: Uint8Array;
}

export interface CaptureProblem {
  /** `error`: the file could not be read to its end; `warning`: something was skipped or cut. */
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Frame the problem belongs to, when there is one. */
  readonly frame?: number;
  /** File offset where it was found, when it is about the file structure. */
  readonly fileOffset?: number;
}

export type CaptureFormat = 'pcap' | 'pcapng';

export interface CaptureFileInfo {
  readonly format: CaptureFormat;
  /** Byte order of the (first) section. */
  readonly byteOrder: 'big-endian' | 'little-endian';
  /** pcap: 'microseconds' or 'nanoseconds'; pcapng: the resolution of the first interface. */
  readonly timePrecision: string;
  /** Link types seen (one per pcap file, one per interface in pcapng). */
  readonly linkTypes: readonly number[];
  /** Number of frames read. */
  frames: number;
}

/** Keeps at most `limit` problems, plus a count of the rest (bad files must not flood the output). */
export class ProblemList {
  readonly items: CaptureProblem[] = [];
  suppressed = 0;
  constructor(private readonly limit = 200) {}

  add(problem: CaptureProblem): void {
    if (this.items.length < this.limit) this.items.push(problem);
    else this.suppressed++;
  }

  get hasError(): boolean {
    return this.items.some((p) => p.severity === 'error');
  }
}

/** Formats a capture time as ISO 8601 UTC with the given number of fraction digits (6 or 9). */
export function formatCaptureTime(seconds: number, nanos: number, digits = 6): string {
  const d = new Date(seconds * 1000);
  if (!Number.isFinite(d.getTime())) return `${seconds}.${String(nanos).padStart(9, '0')}`;
  const iso = d.toISOString().slice(0, 19);
  const frac = String(nanos).padStart(9, '0').slice(0, digits);
  return `${iso}.${frac}Z`;
}
