/**
 * Follows the handshake message stream of one direction across records (RFC 8446 §4, §5.1;
 * RFC 5246 §7.4: msg_type(1) + length(3) + body, messages may span and share records) and reports
 * the messages that end in each record. Bodies are kept only for the hellos (the decryptor needs
 * their randoms and parameters), up to a bound; memory grows only with the bytes actually fed.
 */

export interface ScannedMessage {
  readonly type: number;
  /** The body for ClientHello / ServerHello (types 1, 2) when within the bound; otherwise undefined. */
  readonly body?: Uint8Array;
}

const KEPT_TYPES = new Set([1, 2]);
/** Longest hello body kept (a ClientHello with post-quantum key shares is a few KB). */
const MAX_KEPT = 1 << 16;

export class HandshakeScanner {
  private header = new Uint8Array(4);
  private headerFill = 0;
  private remaining = 0;
  private type = 0;
  private chunks: Uint8Array[] | undefined;

  /** Forgets a partial message (a key change: messages must not span it, RFC 8446 §5.1). */
  reset(): void {
    this.headerFill = 0;
    this.remaining = 0;
    this.chunks = undefined;
  }

  /** Feeds the content of one handshake record; returns the messages that end in it. */
  feed(data: Uint8Array): ScannedMessage[] {
    const out: ScannedMessage[] = [];
    let p = 0;
    while (p < data.length) {
      if (this.headerFill < 4) {
        this.header[this.headerFill++] = data[p++];
        if (this.headerFill < 4) continue;
        this.type = this.header[0];
        this.remaining = (this.header[1] << 16) | (this.header[2] << 8) | this.header[3];
        this.chunks = KEPT_TYPES.has(this.type) && this.remaining <= MAX_KEPT ? [] : undefined;
        if (this.remaining === 0) this.finish(out);
        continue;
      }
      const n = Math.min(this.remaining, data.length - p);
      this.chunks?.push(data.slice(p, p + n));
      p += n;
      this.remaining -= n;
      if (this.remaining === 0) this.finish(out);
    }
    return out;
  }

  private finish(out: ScannedMessage[]): void {
    let body: Uint8Array | undefined;
    if (this.chunks) {
      const total = this.chunks.reduce((n, c) => n + c.length, 0);
      body = new Uint8Array(total);
      let at = 0;
      for (const c of this.chunks) {
        body.set(c, at);
        at += c.length;
      }
    }
    out.push({ type: this.type, body });
    this.headerFill = 0;
    this.chunks = undefined;
  }
}
