/**
 * Bytes set aside and read back once, in order: in memory up to a limit, beyond it in a
 * temporary file unlinked as soon as it is open (POSIX; elsewhere removed on close) and
 * encrypted with AES-256-CTR under a key and IV that live in memory only, since what is
 * set aside (findings, standard input) may hold credentials. Where no temporary file can
 * be made (a read-only TMPDIR), everything stays in memory, as before there was a spool.
 */
import { createCipheriv, createDecipheriv, randomBytes, type Cipher } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError, describeError } from './inputs';

/** Bytes read back per block. */
const READ_BLOCK = 1 << 20;

export class EncryptedSpool {
  private file: { fd: number; cipher: Cipher; key: Buffer; iv: Buffer; leftover: string | null } | null = null;
  /** What is held in memory (all of it until the limit is passed, or when no file could be made). */
  private memory: Buffer[] = [];
  private noFile = false;
  /** Bytes appended so far. */
  bytes = 0;

  constructor(
    private readonly tmpdir: string = os.tmpdir(),
    /** Bytes held in memory before a file is made. */
    private readonly memoryLimit = 0,
  ) {}

  append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (!this.file && !this.noFile && this.bytes + bytes.length > this.memoryLimit) {
      try {
        this.file = this.open();
      } catch {
        this.noFile = true;
      }
      const held = this.memory;
      this.memory = [];
      this.bytes = 0;
      for (const b of held) this.append(b);
    }
    if (!this.file) {
      this.memory.push(Buffer.from(bytes));
      this.bytes += bytes.length;
      return;
    }
    const file = this.file;
    const sealed = file.cipher.update(bytes);
    try {
      for (let at = 0; at < sealed.length; ) at += fs.writeSync(file.fd, sealed, at, sealed.length - at, this.bytes + at);
    } catch (err) {
      throw new InputError(`cannot write a temporary file: ${describeError(err)}`);
    }
    this.bytes += sealed.length;
  }

  /** Everything appended, decrypted, from the start, in blocks (each valid during the call only). */
  read(each: (block: Buffer) => void): void {
    const file = this.file;
    if (!file) {
      for (const b of this.memory) each(b);
      return;
    }
    const decipher = createDecipheriv('aes-256-ctr', file.key, file.iv);
    const buf = Buffer.allocUnsafe(Math.min(READ_BLOCK, this.bytes));
    for (let position = 0; position < this.bytes; ) {
      let n: number;
      try {
        n = fs.readSync(file.fd, buf, 0, Math.min(buf.length, this.bytes - position), position);
      } catch (err) {
        throw new InputError(`cannot read a temporary file: ${describeError(err)}`);
      }
      if (n === 0) throw new InputError('cannot read a temporary file: it is shorter than written');
      position += n;
      each(decipher.update(buf.subarray(0, n)));
    }
  }

  /** Closes (and, where it could not be unlinked when opened, removes) the file; appending again opens a new one. */
  close(): void {
    this.memory = [];
    this.bytes = 0;
    if (!this.file) return;
    const { fd, leftover } = this.file;
    this.file = null;
    fs.closeSync(fd);
    if (leftover) fs.rmSync(leftover, { recursive: true, force: true });
  }

  /** The file descriptor (null while in memory), for tests that look at what is on disk. */
  get fd(): number | null {
    return this.file?.fd ?? null;
  }

  private open(): NonNullable<EncryptedSpool['file']> {
    let dir: string;
    let fd: number;
    try {
      dir = fs.mkdtempSync(path.join(this.tmpdir, 'smtptls-'));
      fd = fs.openSync(path.join(dir, 'spool'), 'wx+', 0o600);
    } catch (err) {
      throw new InputError(`cannot create a temporary file in ${this.tmpdir}: ${describeError(err)}`);
    }
    let leftover: string | null = dir;
    try {
      fs.unlinkSync(path.join(dir, 'spool'));
      fs.rmdirSync(dir);
      leftover = null;
    } catch {
      // An open file cannot be removed here (Windows): close() removes it.
    }
    const key = randomBytes(32);
    const iv = randomBytes(16);
    return { fd, cipher: createCipheriv('aes-256-ctr', key, iv), key, iv, leftover };
  }
}
