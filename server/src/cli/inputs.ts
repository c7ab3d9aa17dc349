/**
 * Resolves CLI path arguments (files, folders, globs, `-` for stdin) into documents to
 * analyse, in two steps so a long run can report progress: resolveInputs lists what
 * to read, readInput reads one of them.
 *
 * Selection: a file named on the command line is always read. In folders (walked
 * recursively, hidden entries and node_modules skipped) and glob matches, files with a
 * transcript extension are read; `.txt`, `.log`, extension-less files (and, for globs,
 * any other matched file) are read only when their content looks like a transcript or
 * dump to the core's format readers. Captures plug in through registerInputConverter.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readTranscript } from '../core/formats/readTranscript';
import { expandGlob, isGlobPattern } from './globs';
import { EncryptedSpool } from './encryptedSpool';
import type { KeyLog } from '../core/tls/decrypt/keyLogSecrets';

export interface InputDocument {
  /** The path as the user gave it (or joined under a folder or glob base they gave). */
  readonly path: string;
  readonly text: string;
}

/** One thing to read: a file, or standard input. */
export interface InputRef {
  readonly path: string;
  readonly stdin: boolean;
  /** Read only if the content looks like a transcript (found in a folder or by a glob). */
  readonly sniff: boolean;
}

export class InputError extends Error {}

/** File extensions always read when found in a folder or by a glob. */
const TRANSCRIPT_EXTENSIONS = new Set(['.smtp', '.smtplog', '.transcript']);
/** File extensions read from folders when their content looks like a transcript. */
const SNIFFED_EXTENSIONS = new Set(['.txt', '.log', '']);
/** How much of a file the sniffer looks at. */
const SNIFF_BYTES = 256 * 1024;

/**
 * Turns bytes that are not text (a pcap, a pcapng) into transcript text. The capture
 * support registers one per format; `convert` returns null for bytes of another kind.
 */
/** Options for converters, from the command line (`--smtp-port`, `--keylog`). */
export interface ConvertOptions {
  /** Ports besides the standard ones whose connections a capture import reads as SMTP. */
  readonly smtpPorts?: readonly number[];
  /** Secrets that decrypt the TLS of captured connections. */
  readonly keyLog?: KeyLog;
}

export interface InputConverter {
  /** Lower-case extensions with the dot (`.pcap`) collected from folders and globs. */
  readonly extensions: readonly string[];
  convert(bytes: Buffer, path: string, options?: ConvertOptions): string | null;
  /**
   * The same text in pieces, from a file read in bounded blocks (`file`) or from bytes in
   * memory; returns false, having written nothing, for input of another kind.
   */
  convertInPieces(input: { readonly file: string } | { readonly bytes: Buffer }, path: string, write: (piece: string) => void, options?: ConvertOptions): boolean;
  /** Whether input starting with `head` (its first SNIFF_HEAD bytes, or all of a shorter input) is of this kind. */
  sniffs?(head: Buffer): boolean;
}

/** How many first bytes of a stream read once are looked at to tell a capture from text. */
export const SNIFF_HEAD = 64;

const converters: InputConverter[] = [];

export function registerInputConverter(converter: InputConverter): void {
  converters.push(converter);
}

export interface ReadInputOptions {
  /** Standard input as bytes, for converters (captures piped in). */
  readonly readStdinBytes?: () => Buffer;
  /** Reads the next bytes of standard input into the buffer and says how many (0 at its end): stdin streamed. */
  readonly readStdinBlock?: (buf: Buffer) => number;
  /** Passed to the converters. */
  readonly convert?: ConvertOptions;
}

/** Every input the arguments name, in argument order (folders and globs sorted). */
export function resolveInputs(args: readonly string[]): InputRef[] {
  const out: InputRef[] = [];
  for (const arg of args) {
    if (arg === '-') {
      out.push({ path: '-', stdin: true, sniff: false });
      continue;
    }
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(arg);
    } catch (err) {
      if (!isGlobPattern(arg)) throw new InputError(`cannot read ${arg}: ${describeError(err)}`);
    }
    if (stat === undefined) {
      const matches = expandGlob(arg);
      if (matches.length === 0) throw new InputError(`no files match ${arg}`);
      for (const file of matches) out.push({ path: file, stdin: false, sniff: !hasKnownExtension(file) });
    } else if (stat.isDirectory()) {
      for (const file of listFolder(arg)) out.push({ path: file, stdin: false, sniff: !hasKnownExtension(file) });
    } else {
      out.push({ path: arg, stdin: false, sniff: false });
    }
  }
  return out;
}

/** The document for one input, or null when a sniffed file does not look like a transcript. */
export function readInput(ref: InputRef, readStdin: () => string, options: ReadInputOptions = {}): InputDocument | null {
  if (ref.stdin) {
    if (converters.length > 0 && options.readStdinBytes) {
      const bytes = options.readStdinBytes();
      return { path: '-', text: convertBytes(bytes, '-', options.convert) ?? decodeText(bytes) };
    }
    return { path: '-', text: readStdin() };
  }
  const bytes = readWholeFile(ref.path);
  const converted = convertBytes(bytes, ref.path, options.convert);
  if (converted !== null) return { path: ref.path, text: converted };
  const text = decodeText(bytes);
  if (ref.sniff && !looksLikeTranscript(text)) return null;
  return { path: ref.path, text };
}

/** Where streamInput puts a document: `begin` starts it (again, discarding what came before), `push` appends a piece. */
export interface TextSink {
  begin(): void;
  push(piece: string): void;
}

/** Bytes of a stream read once kept in memory before they go to a temporary file. */
const SPOOL_MEMORY = 8 << 20;
/** Bytes read per block when a file is streamed. */
const STREAM_BLOCK = 1 << 20;

/**
 * The document of one input, in pieces, with the text readInput would give: a named file
 * is read block by block (captures converted as they are read), never held whole; so are
 * standard input (when the caller can read it in blocks) and pipes (streamOnce). Files
 * found by sniffing are read whole first. Returns false when a sniffed file does not look
 * like a transcript.
 */
export function streamInput(ref: InputRef, sink: TextSink, readStdin: () => string, options: ReadInputOptions = {}): boolean {
  if (ref.sniff || (ref.stdin && !(converters.length > 0 && (options.readStdinBytes || options.readStdinBlock)))) {
    const doc = readInput(ref, readStdin, options);
    if (!doc) return false;
    sink.begin();
    sink.push(doc.text);
    return true;
  }
  if (ref.stdin && options.readStdinBlock) return streamOnce(ref.path, options.readStdinBlock, sink, options.convert);
  if (ref.stdin) {
    const bytes = options.readStdinBytes!();
    sink.begin();
    if (converters.some((c) => c.convertInPieces({ bytes }, ref.path, (t) => sink.push(t), options.convert))) return true;
    sink.push(decodeText(bytes));
    return true;
  }
  let fd: number;
  try {
    fd = fs.openSync(ref.path, 'r');
  } catch (err) {
    throw new InputError(`cannot read ${ref.path}: ${describeError(err)}`);
  }
  try {
    // Pipes and devices (`<(zcat log.pcap.gz)`) cannot be read twice or by position.
    if (!isRegularFile(ref.path)) return streamOnce(ref.path, (buf) => fs.readSync(fd, buf, 0, buf.length, null), sink, options.convert);
    let begun = false;
    const write = (t: string): void => {
      if (!begun) sink.begin();
      begun = true;
      sink.push(t);
    };
    if (converters.some((c) => c.convertInPieces({ file: ref.path }, ref.path, write, options.convert))) {
      if (!begun) sink.begin();
      return true;
    }
    // UTF-8 when the whole file is valid UTF-8, else Latin-1 (decodeText): a late invalid byte starts the document again.
    sink.begin();
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    if (readBlocks(fd, ref.path, (block, last) => utf8.decode(block, { stream: !last }), (t) => sink.push(t))) return true;
    sink.begin();
    readBlocks(fd, ref.path, (block) => block.toString('latin1'), (t) => sink.push(t));
    return true;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * An input that can be read only once, in order (standard input, a pipe), in blocks. A
 * capture (its first bytes say so) is read whole and converted. Text is decoded as UTF-8
 * block by block while its bytes are set aside (beyond 8 MB in an encrypted temporary
 * file, encryptedSpool.ts): when an invalid byte comes, however late, the document starts
 * again as Latin-1 (decodeText's rule), read back from there, then from the input.
 */
function streamOnce(name: string, readBlock: (buf: Buffer) => number, sink: TextSink, convert?: ConvertOptions): boolean {
  const read = (buf: Buffer): number => {
    try {
      return readBlock(buf);
    } catch (err) {
      throw new InputError(`cannot read ${name === '-' ? 'standard input' : name}: ${describeError(err)}`);
    }
  };
  const buf = Buffer.allocUnsafe(STREAM_BLOCK);
  let n = 0;
  for (let k = -1; n < SNIFF_HEAD && k !== 0; n += k) k = read(buf.subarray(n));
  if (converters.some((c) => c.sniffs?.(buf.subarray(0, n)))) {
    const parts = [Buffer.from(buf.subarray(0, n))];
    for (let k = read(buf); k > 0; k = read(buf)) parts.push(Buffer.from(buf.subarray(0, k)));
    const bytes = Buffer.concat(parts);
    sink.begin();
    if (converters.some((c) => c.convertInPieces({ bytes }, name, (t) => sink.push(t), convert))) return true;
    sink.push(decodeText(bytes));
    return true;
  }
  const spool = new EncryptedSpool(undefined, SPOOL_MEMORY);
  try {
    sink.begin();
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    let latin1 = false;
    for (;;) {
      const block = buf.subarray(0, n);
      if (latin1) {
        if (n > 0) sink.push(block.toString('latin1'));
      } else {
        spool.append(block);
        let text = '';
        try {
          text = utf8.decode(block, { stream: n > 0 });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ERR_ENCODING_INVALID_ENCODED_DATA') throw err;
          latin1 = true;
          sink.begin();
          spool.read((b) => sink.push(b.toString('latin1')));
          spool.close();
        }
        if (text !== '') sink.push(text);
      }
      if (n === 0) return true;
      n = read(buf);
    }
  } finally {
    spool.close();
  }
}

function readWholeFile(p: string): Buffer {
  try {
    return fs.readFileSync(p);
  } catch (err) {
    throw new InputError(`cannot read ${p}: ${describeError(err)}`);
  }
}

function isRegularFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    // Unreadable: the whole-file read reports why.
    return false;
  }
}

/** Reads a file from its start in blocks, decoded; false when the decoder found invalid data. */
function readBlocks(fd: number, file: string, decode: (block: Buffer, last: boolean) => string, push: (text: string) => void): boolean {
  const buf = Buffer.allocUnsafe(STREAM_BLOCK);
  let position = 0;
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, buf.length, position);
    } catch (err) {
      throw new InputError(`cannot read ${file}: ${describeError(err)}`);
    }
    position += n;
    let text: string;
    try {
      text = decode(buf.subarray(0, n), n === 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') return false;
      throw err;
    }
    if (text !== '') push(text);
    if (n === 0) return true;
  }
}

/** resolveInputs then readInput for each: the documents the arguments name. */
export function readInputs(args: readonly string[], readStdin: () => string, options: ReadInputOptions = {}): InputDocument[] {
  const out: InputDocument[] = [];
  for (const ref of resolveInputs(args)) {
    const doc = readInput(ref, readStdin, options);
    if (doc) out.push(doc);
  }
  return out;
}

/**
 * True when the core's format readers find SMTP lines, hex-dumped bytes or a dump
 * layout in the first part of the text. Binary data (a NUL among the first bytes) never does.
 */
export function looksLikeTranscript(text: string): boolean {
  const head = text.slice(0, SNIFF_BYTES);
  if (head.slice(0, 8192).includes('\u0000')) return false;
  const t = readTranscript(head);
  return t.format !== 'text' || t.sessions.some((s) => s.events.some((e) => e.kind !== 'note'));
}

function convertBytes(bytes: Buffer, file: string, options?: ConvertOptions): string | null {
  for (const c of converters) {
    const text = c.convert(bytes, file, options);
    if (text !== null) return text;
  }
  return null;
}

function isCaptureFile(file: string): boolean {
  const ext = path.extname(file).toLowerCase();
  return converters.some((c) => c.extensions.includes(ext));
}

function hasKnownExtension(file: string): boolean {
  return TRANSCRIPT_EXTENSIONS.has(path.extname(file).toLowerCase()) || isCaptureFile(file);
}

function listFolder(dir: string): string[] {
  const files: string[] = [];
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch (err) {
      throw new InputError(`cannot read ${d}: ${describeError(err)}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && (hasKnownExtension(p) || SNIFFED_EXTENSIONS.has(path.extname(e.name).toLowerCase()))) files.push(p);
    }
  };
  walk(dir);
  return files;
}

/** UTF-8 when the bytes are valid UTF-8, else Latin-1 (every byte one character). */
export function decodeText(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return buf.toString('latin1');
  }
}

export function describeError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e && e.code === 'ENOENT') return 'no such file or directory';
  if (e && e.code === 'EACCES') return 'permission denied';
  if (e && e.code === 'EISDIR') return 'is a folder';
  if (e && e.code === 'ENOTDIR') return 'a path component is not a folder';
  return e instanceof Error ? e.message : String(err);
}
