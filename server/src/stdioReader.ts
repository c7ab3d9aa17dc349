/**
 * The message reader of the stdio transport. The library's reader keeps every
 * incoming block of a message until the whole body is there, copies them into
 * one buffer of the body's size and decodes that: opening a 20 MB document
 * left 20 MB of blocks and a 20 MB body buffer behind as garbage (external
 * memory, often promoted, so held until a full collection). This reader
 * decodes each block into text as it arrives (UTF-8 sequences split between
 * blocks included) and drops it, so no buffer of the message's size is made.
 * Headers, errors and message order are as the library's reader has them.
 */
import { StringDecoder } from 'node:string_decoder';
import { AbstractMessageReader, Disposable, type DataCallback, type Message, type MessageReader } from 'vscode-languageserver/node';

const CRLF_CRLF = Buffer.from('\r\n\r\n');
/** Header blocks longer than this are refused (a peer that never ends its headers). */
const MAX_HEADER_BYTES = 64 * 1024;

export class StdioMessageReader extends AbstractMessageReader implements MessageReader {
  private callback: DataCallback | null = null;
  /** Bytes of a header block not complete yet. */
  private header: Buffer = Buffer.alloc(0);
  /** Body bytes still to come (-1: reading headers). */
  private remaining = -1;
  private pieces: string[] = [];
  private decoder = new StringDecoder('utf8');
  private failed = false;

  constructor(private readonly input: NodeJS.ReadableStream) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (data: Buffer | string): void => this.onData(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    const onError = (error: Error): void => this.fireError(error);
    const onClose = (): void => this.fireClose();
    this.input.on('data', onData);
    this.input.on('error', onError);
    this.input.on('close', onClose);
    this.input.on('end', onClose);
    return Disposable.create(() => {
      this.input.off('data', onData);
      this.input.off('error', onError);
      this.input.off('close', onClose);
      this.input.off('end', onClose);
    });
  }

  /** Takes one block of input: ends of headers and bodies anywhere in it, any number of messages. */
  onData(data: Buffer): void {
    if (this.failed) return;
    let at = 0;
    while (at < data.length) {
      if (this.remaining < 0) {
        const block = this.header.length > 0 ? Buffer.concat([this.header, data.subarray(at)]) : data.subarray(at);
        const end = block.indexOf(CRLF_CRLF);
        if (end < 0) {
          if (block.length > MAX_HEADER_BYTES) return this.fail(new Error(`Message header exceeds ${MAX_HEADER_BYTES} bytes without an end`));
          this.header = Buffer.from(block);
          return;
        }
        const consumed = end + CRLF_CRLF.length - this.header.length;
        const length = this.contentLength(block.toString('ascii', 0, end));
        if (length === undefined) return;
        this.header = Buffer.alloc(0);
        at += consumed;
        this.remaining = length;
      }
      const take = Math.min(this.remaining, data.length - at);
      if (take > 0) this.pieces.push(this.decoder.write(data.subarray(at, at + take)));
      at += take;
      this.remaining -= take;
      if (this.remaining === 0) this.deliver();
    }
  }

  private contentLength(headers: string): number | undefined {
    let length: number | undefined;
    for (const line of headers.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) return this.fail(new Error(`Message header must separate key and value using ':'\n${line}`));
      if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
      const value = line.slice(colon + 1).trim();
      length = /^\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(length)) return this.fail(new Error(`Content-Length value must be a number. Got ${value}`));
    }
    if (length === undefined) return this.fail(new Error(`Header must provide a Content-Length property.\n${headers}`));
    return length;
  }

  private deliver(): void {
    this.pieces.push(this.decoder.end());
    const text = this.pieces.length === 1 ? this.pieces[0] : this.pieces.join('');
    this.pieces = [];
    this.decoder = new StringDecoder('utf8');
    this.remaining = -1;
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch (error) {
      this.fireError(error);
      return;
    }
    this.callback?.(message);
  }

  /** A stream that does not follow the framing cannot be resynchronised: report it and read no further. */
  private fail(error: Error): undefined {
    this.failed = true;
    this.fireError(error);
    return undefined;
  }
}
