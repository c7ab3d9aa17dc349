/**
 * NSS key log lines (SSLKEYLOGFILE, FORMATS.md section 22): `CLIENT_RANDOM <64 hex> <hex secret>`.
 * Not a transcript: the lines are recognised so that they are never read as hex streams,
 * and nothing of them (secrets) goes into the model.
 */
import { headOf, type LineReader, type ReaderContext } from './readerContext';

/** A key log line: its label, the 64-hex client random (16 hex for RSA), and the secret. */
export const KEY_LOG = /^(?:CLIENT_RANDOM|CLIENT_EARLY_TRAFFIC_SECRET|CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|CLIENT_TRAFFIC_SECRET_[0-9]{1,3}|SERVER_TRAFFIC_SECRET_[0-9]{1,3}|EARLY_EXPORTER_SECRET|EXPORTER_SECRET|RSA) [0-9a-fA-F]{16,64} [0-9a-fA-F]{2,}/;

export class KeyLogReader implements LineReader {
  constructor(private readonly ctx: ReaderContext) {}

  tryRead(i: number): number {
    const { doc, out } = this.ctx;
    const c = doc.text.charCodeAt(doc.start(i));
    if (c !== 67 && c !== 83 && c !== 69 && c !== 82) return -1;
    // Every label is in capitals: its second character too (not the ":" of a C:/S: line).
    const c1 = doc.text.charCodeAt(doc.start(i) + 1);
    if (c1 < 65 || c1 > 90) return -1;
    if (!KEY_LOG.test(headOf(doc, i))) return -1;
    out.vote('keylog', 1);
    return i + 1;
  }

  flush(): void {
    // Nothing kept.
  }
}
