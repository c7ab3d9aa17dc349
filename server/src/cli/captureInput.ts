/** Lets `check`, `decode` and `diagram` read captures: pcap/pcapng bytes (sniffed by magic) become transcript text. */
import * as path from 'path';
import { createBufferSource } from '../core/capture/captureSource';
import { openFileSource, readFileHead } from '../core/capture/fileSource';
import { importCapture } from '../core/capture/importCapture';
import { SNIFF_LENGTH, sniffCaptureFormat } from '../core/capture/readCapture';
import type { InputConverter } from './inputs';

function importName(file: string): string {
  return file === '-' ? 'standard input' : path.basename(file);
}

export const captureInputConverter: InputConverter = {
  extensions: ['.pcap', '.pcapng', '.cap'],
  convert(bytes, file, convert) {
    if (!sniffCaptureFormat(bytes.subarray(0, SNIFF_LENGTH))) return null;
    return importCapture(createBufferSource(bytes), { name: importName(file), smtpPorts: convert?.smtpPorts, keyLog: convert?.keyLog }).text;
  },
  sniffs: (head) => sniffCaptureFormat(head.subarray(0, SNIFF_LENGTH)) !== null,
  convertInPieces(input, file, write, convert) {
    const head = 'bytes' in input ? input.bytes.subarray(0, SNIFF_LENGTH) : readFileHead(input.file, SNIFF_LENGTH);
    if (!sniffCaptureFormat(head)) return false;
    // Each connection's text is written as soon as it is complete; nothing is listed or mapped.
    const options = { name: importName(file), write, sourceMap: false, smtpPorts: convert?.smtpPorts, keyLog: convert?.keyLog };
    if ('bytes' in input) {
      importCapture(createBufferSource(input.bytes), options);
      return true;
    }
    const source = openFileSource(input.file);
    try {
      importCapture(source, options);
    } finally {
      source.close();
    }
    return true;
  },
};
