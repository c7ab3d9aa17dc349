/** A capture source over an open file: read in chunks by position, never the whole file at once. */
import * as fs from 'fs';
import type { CaptureSource } from './captureSource';

export interface FileSource extends CaptureSource {
  close(): void;
}

/** Opens `path` for reading; throws the fs error when it cannot be opened. */
export function openFileSource(path: string): FileSource {
  const fd = fs.openSync(path, 'r');
  let open = true;
  return {
    read(into, offset, length, position) {
      return fs.readSync(fd, into, offset, length, position);
    },
    close() {
      if (open) fs.closeSync(fd);
      open = false;
    },
  };
}

/** The first bytes of a file (for sniffing a capture's magic), or an empty array when unreadable. */
export function readFileHead(path: string, length: number): Uint8Array {
  let fd: number | undefined;
  try {
    fd = fs.openSync(path, 'r');
    const buf = new Uint8Array(length);
    const n = fs.readSync(fd, buf, 0, length, 0);
    return buf.subarray(0, n);
  } catch {
    return new Uint8Array(0);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
