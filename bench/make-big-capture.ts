/**
 * Writes a large pcap for the import benchmark by repeating a real capture (default: the swaks
 * STARTTLS session of the corpus), each copy its own TCP connection (bench/pcapCopies.ts).
 * Usage: node --import tsx bench/make-big-capture.ts OUT.pcap SIZE_MB [SOURCE.pcap]
 */
import { readTemplateFrames, writeCaptureCopies } from './pcapCopies';

const [out, sizeMb = '200', source = 'server/test/fixtures/corpus/sessions/swaks-starttls/capture.pcap'] = process.argv.slice(2);
if (!out) {
  console.error('usage: node --import tsx bench/make-big-capture.ts OUT.pcap SIZE_MB [SOURCE.pcap]');
  process.exit(2);
}
const target = Number(sizeMb) * 1024 * 1024;
const { copies, bytes } = writeCaptureCopies(out, [readTemplateFrames(source)], () => 0, (_k, written) => written < target);
console.log(`${out}: ${bytes} bytes, ${copies} connections`);
