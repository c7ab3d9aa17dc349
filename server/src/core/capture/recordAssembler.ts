/**
 * Cuts one side's TLS byte stream, as it arrives segment by segment, into whole records
 * (header included) for the key log decryptor (tls/decrypt/connectionDecryptor.ts). Each record
 * remembers the frames its bytes came from and whether the transcript summarises it (an
 * encrypted record) or shows it as bytes.
 *
 * Bounded: a record's body is at most what its 16-bit length says, and only the bytes present are
 * kept. A byte that starts no record (framing lost) stops the assembler for good.
 */
import { concatBytes } from '../bytes/concatBytes';

export interface AssembledRecord {
  /** Header and body as on the wire. */
  readonly bytes: Uint8Array;
  readonly firstFrame: number;
  readonly lastFrame: number;
  /** The transcript summarises this record (`<N bytes of encrypted TLS records>`) rather than showing it. */
  readonly summarised: boolean;
}

export class RecordAssembler {
  private readonly header = new Uint8Array(5);
  private headerSeen = 0;
  private headerNeeded = 5;
  private parts: Uint8Array[] = [];
  private bodyLeft = 0;
  private firstFrame = 0;
  private summarised = false;
  /** The stream left record framing: nothing more is assembled. */
  private broken = false;

  get stopped(): boolean {
    return this.broken;
  }

  /** Stops assembling (the renderer lost this side's framing). */
  stop(): void {
    this.broken = true;
    this.parts = [];
    this.headerSeen = 0;
    this.bodyLeft = 0;
  }

  /** Stops, and says how many bytes of a summarised record were held (0 when none). */
  abandon(): { readonly bytes: number; readonly firstFrame: number } {
    let bytes = 0;
    if (this.summarised && (this.headerSeen > 0 || this.bodyLeft > 0)) {
      bytes = this.parts.length === 0 ? this.headerSeen : 0;
      for (const part of this.parts) bytes += part.length;
    }
    const firstFrame = this.firstFrame;
    this.stop();
    return { bytes, firstFrame };
  }

  /**
   * Takes the next bytes of the side. `summarised` says how the transcript shows a record whose
   * header starts in these bytes; `done` receives each record completed by them.
   */
  feed(b: Uint8Array, frame: number, summarised: boolean, done: (record: AssembledRecord) => void): void {
    let p = 0;
    while (p < b.length && !this.broken) {
      if (this.headerSeen === 0 && this.bodyLeft === 0) {
        const t = b[p];
        if (t >= 20 && t <= 24) this.headerNeeded = 5;
        else if ((t & 0x80) !== 0) this.headerNeeded = 2;
        else {
          this.stop();
          return;
        }
        this.firstFrame = frame;
        this.summarised = summarised;
      }
      if (this.headerSeen < this.headerNeeded) {
        this.header[this.headerSeen++] = b[p++];
        if (this.headerSeen === this.headerNeeded) {
          const h = this.header;
          this.bodyLeft = this.headerNeeded === 5 ? (h[3] << 8) | h[4] : ((h[0] & 0x7f) << 8) | h[1];
          this.parts = [h.slice(0, this.headerNeeded)];
          if (this.bodyLeft === 0) this.complete(frame, done);
        }
        continue;
      }
      const take = Math.min(this.bodyLeft, b.length - p);
      // (A copy: the segment's bytes may live in a buffer the reader reuses.)
      this.parts.push(b.slice(p, p + take));
      p += take;
      this.bodyLeft -= take;
      if (this.bodyLeft === 0) this.complete(frame, done);
    }
  }

  private complete(frame: number, done: (record: AssembledRecord) => void): void {
    const bytes = concatBytes(this.parts);
    this.parts = [];
    this.headerSeen = 0;
    done({ bytes, firstFrame: this.firstFrame, lastFrame: frame, summarised: this.summarised });
  }
}
