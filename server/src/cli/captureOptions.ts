/**
 * Options of the commands that read captures (`check`, `decode`, `import`, `diagram`):
 * `--smtp-port N` (repeatable, or `N,M`): more ports whose connections are read as SMTP;
 * `--keylog FILE` (repeatable): NSS key logs (SSLKEYLOGFILE) whose secrets decrypt TLS records.
 */
import * as fs from 'fs';
import * as path from 'path';
import { mergeKeyLogs, parseKeyLog, type KeyLog } from '../core/tls/decrypt/keyLogSecrets';
import { ConfigError, findProjectConfig, parseCaptureConfig, type CaptureConfig } from '../core/rules/projectConfig';
import { InputError, type ConvertOptions } from './inputs';
import { UsageError, type Io } from './cliTypes';

export const CAPTURE_OPTIONS = {
  'smtp-port': { type: 'string', multiple: true },
  keylog: { type: 'string', multiple: true },
} as const;

export const CAPTURE_USAGE = `          --smtp-port N           captures: read connections to port N as SMTP too, clear or implicit TLS (repeatable)
          --keylog FILE           captures: decrypt TLS with an NSS key log (SSLKEYLOGFILE, openssl -keylogfile; repeatable)`;

/** The largest key log read (a line is about 200 bytes; a day of connections is far less). */
const MAX_KEY_LOG_BYTES = 64 * 1024 * 1024;

export function parseSmtpPorts(values: readonly string[] | undefined): number[] {
  const ports: number[] = [];
  for (const value of values ?? []) {
    for (const part of value.split(',')) {
      const text = part.trim();
      const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
      if (!(port >= 1 && port <= 65535)) throw new UsageError(`--smtp-port must be a port number from 1 to 65535, not '${part}'`);
      ports.push(port);
    }
  }
  return ports;
}

/** Reads the key logs named by `--keylog`; lines it cannot read are reported on stderr (never their content). */
export function readKeyLogs(files: readonly string[] | undefined, io: Pick<Io, 'stderr' | 'cwd'>): KeyLog | undefined {
  if (!files || files.length === 0) return undefined;
  const logs: KeyLog[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readKeyLogText(path.resolve(io.cwd ?? process.cwd(), file));
    } catch (err) {
      throw new UsageError(`--keylog: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    logs.push(parseKeyLogText(text, file, io));
  }
  return logs.length === 1 ? logs[0] : mergeKeyLogs(logs);
}

/** A key log file's text; throws when it cannot be read or is too large. */
function readKeyLogText(full: string): string {
  if (fs.statSync(full).size > MAX_KEY_LOG_BYTES) throw new Error(`larger than ${MAX_KEY_LOG_BYTES / 1024 / 1024} MB`);
  return fs.readFileSync(full, 'utf8');
}

/** The secrets of a key log's text; lines it cannot read are reported on stderr (never their content). */
function parseKeyLogText(text: string, file: string, io: Pick<Io, 'stderr'>): KeyLog {
  const { keyLog, problems } = parseKeyLog(text);
  for (const p of problems.slice(0, 5)) io.stderr(`${file}:${p.line + 1}: warning: ${p.message}\n`);
  if (problems.length > 5) io.stderr(`${file}: warning: ${problems.length - 5} more lines not read\n`);
  if (keyLog.size === 0) io.stderr(`${file}: warning: no TLS secrets in this key log\n`);
  return keyLog;
}

/** `--smtp-port` and `--keylog` as converter options. */
export function parseCaptureOptions(values: Record<string, unknown>, io: Pick<Io, 'stderr' | 'cwd'>): ConvertOptions {
  const keyLog = readKeyLogs(values.keylog as string[] | undefined, io);
  return { smtpPorts: parseSmtpPorts(values['smtp-port'] as string[] | undefined), ...(keyLog ? { keyLog } : {}) };
}

/**
 * `check`'s capture options per input: the command line's, plus the `capture` object of the input's
 * config file (`--config`, or the nearest `.smtptls.json` above it): its ports, and its key logs read
 * from the input's own folder. Read once per folder; a key log the config names but that cannot be
 * read is a warning on stderr, not an error (a capture without one is still checked).
 */
export function createCaptureOptionsResolver(
  cli: ConvertOptions,
  configPath: string | undefined,
  io: Pick<Io, 'stderr' | 'cwd'>,
  /** Reads a config file (null when it cannot be read): the one the settings resolver reads with. */
  readText: (path: string) => string | null,
): (inputPath: string) => ConvertOptions {
  const cwd = io.cwd ?? process.cwd();
  const configOf = (dir: string): { config: CaptureConfig; path: string } | null => {
    try {
      if (configPath !== undefined) {
        const full = path.resolve(cwd, configPath);
        const text = readText(full);
        return text === null ? null : { config: parseCaptureConfig(text, configPath), path: configPath };
      }
      const found = findProjectConfig(dir, { readText, dirname: path.dirname, join: path.join });
      return found ? { config: parseCaptureConfig(found.text, found.path), path: found.path } : null;
    } catch (err) {
      if (err instanceof ConfigError) throw new InputError(err.message);
      throw err;
    }
  };
  const byDir = new Map<string, ConvertOptions>();
  return (inputPath) => {
    const dir = inputPath === '-' ? cwd : path.dirname(path.resolve(cwd, inputPath));
    let options = byDir.get(dir);
    if (!options) {
      const found = configOf(dir);
      if (!found || (found.config.smtpPorts.length === 0 && found.config.keyLogFiles.length === 0)) options = cli;
      else {
        const config = found;
        // Read when a capture of the folder is converted (the key log's getter), not for text files beside it.
        let loaded: KeyLog | null | undefined;
        const load = (): KeyLog | undefined => {
          if (loaded === undefined) loaded = readConfiguredKeyLogs(config, dir) ?? null;
          return loaded ?? undefined;
        };
        options = {
          smtpPorts: [...(cli.smtpPorts ?? []), ...config.config.smtpPorts],
          get keyLog() {
            return load();
          },
        };
      }
      byDir.set(dir, options);
    }
    return options;
  };

  function readConfiguredKeyLogs(found: { config: CaptureConfig; path: string }, dir: string): KeyLog | undefined {
    const logs: KeyLog[] = cli.keyLog ? [cli.keyLog] : [];
    for (const file of found.config.keyLogFiles) {
      const full = path.resolve(dir, file);
      const shown = path.relative(cwd, full) || full;
      if (!fs.existsSync(full)) {
        io.stderr(`${shown}: warning: no such key log (capture.keyLogFiles of ${found.path})\n`);
        continue;
      }
      let text: string;
      try {
        text = readKeyLogText(full);
      } catch (err) {
        // (A folder, a file it may not read, one too large: the capture is still checked, encrypted.)
        io.stderr(`${shown}: warning: cannot read this key log (capture.keyLogFiles of ${found.path}): ${err instanceof Error ? err.message : String(err)}\n`);
        continue;
      }
      logs.push(parseKeyLogText(text, full, io));
    }
    return logs.length === 0 ? undefined : logs.length === 1 ? logs[0] : mergeKeyLogs(logs);
  }
}
