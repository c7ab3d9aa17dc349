/** Resolves CLI path arguments (files, folders, `-` for stdin) into documents to analyse. */
import * as fs from 'fs';
import * as path from 'path';

export interface InputDocument {
  /** The path as the user gave it (or joined under a folder they gave). */
  readonly path: string;
  readonly text: string;
}

export class InputError extends Error {}

/** File extensions read when a folder is given. */
const TRANSCRIPT_EXTENSIONS = new Set(['.smtp', '.smtplog', '.transcript', '.txt', '.log']);

export function readInputs(args: readonly string[], readStdin: () => string): InputDocument[] {
  const out: InputDocument[] = [];
  for (const arg of args) {
    if (arg === '-') {
      out.push({ path: '-', text: readStdin() });
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch (err) {
      throw new InputError(`cannot read ${arg}: ${describe(err)}`);
    }
    if (stat.isDirectory()) {
      for (const file of listFolder(arg)) out.push({ path: file, text: readText(file) });
    } else {
      out.push({ path: arg, text: readText(arg) });
    }
  }
  return out;
}

function listFolder(dir: string): string[] {
  const files: string[] = [];
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch (err) {
      throw new InputError(`cannot read ${d}: ${describe(err)}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && TRANSCRIPT_EXTENSIONS.has(path.extname(e.name).toLowerCase())) files.push(p);
    }
  };
  walk(dir);
  return files;
}

function readText(file: string): string {
  try {
    // latin1 keeps every byte as one character: binary input never fails to decode.
    const buf = fs.readFileSync(file);
    return decodeText(buf);
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${describe(err)}`);
  }
}

/** UTF-8 when the bytes are valid UTF-8, else Latin-1 (every byte one character). */
export function decodeText(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return buf.toString('latin1');
  }
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e && e.code === 'ENOENT') return 'no such file or directory';
  if (e && e.code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(err);
}
