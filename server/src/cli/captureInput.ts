/** Lets `check`, `decode` and `diagram` read captures: pcap/pcapng bytes (sniffed by magic) become transcript text. */
import * as path from 'path';
import { createBufferSource } from '../core/capture/captureSource';
import { importCapture } from '../core/capture/importCapture';
import { sniffCaptureFormat } from '../core/capture/readCapture';
import type { InputConverter } from './inputs';

export const captureInputConverter: InputConverter = {
  extensions: ['.pcap', '.pcapng', '.cap'],
  convert(bytes, file) {
    if (!sniffCaptureFormat(bytes.subarray(0, 12))) return null;
    return importCapture(createBufferSource(bytes), { name: file === '-' ? 'standard input' : path.basename(file) }).text;
  },
};
