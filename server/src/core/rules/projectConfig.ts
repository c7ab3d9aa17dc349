/**
 * `.smtptls.json`: per-project settings, found upward from each checked file
 * (like .eslintrc): {"baseline": "current", "rules": {"<id>": "off"}, "port": 587, "policy": "mta-sts"}.
 * The file system is passed in, so the core stays free of I/O.
 */
import { findRule } from './catalog';
import { isBaseline, isPort, isSeveritySetting, isTlsPolicy, mergeSettings, normalizeSettings } from './settings';
import type { AnalysisSettings, TlsPolicy } from './types';

export const CONFIG_FILE_NAME = '.smtptls.json';

export interface ConfigFileSystem {
  /** The file's text, or null when it does not exist. */
  readText(path: string): string | null;
  dirname(path: string): string;
  join(dir: string, name: string): string;
}

export class ConfigError extends Error {}

/** Parses a config file's text; unknown keys, rule ids or values are errors with the file named. */
export function parseProjectConfig(text: string, path: string): AnalysisSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${path}: expected a JSON object`);
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!['baseline', 'rules', 'port', 'policy', 'capture', '$schema'].includes(key)) throw new ConfigError(`${path}: unknown key "${key}" (expected baseline, rules, port, policy, capture)`);
  }
  if (obj.capture !== undefined) readCaptureConfig(obj.capture, path);
  if (obj.baseline !== undefined && !isBaseline(obj.baseline)) throw new ConfigError(`${path}: baseline must be "current" or "rfc3207"`);
  if (obj.port !== undefined && obj.port !== null && !isPort(obj.port)) throw new ConfigError(`${path}: port must be a number from 1 to 65535 or null`);
  if (obj.policy !== undefined && !isTlsPolicy(obj.policy)) throw new ConfigError(`${path}: policy must be "none", "mta-sts" or "dane"`);
  if (obj.rules !== undefined) {
    if (!obj.rules || typeof obj.rules !== 'object' || Array.isArray(obj.rules)) throw new ConfigError(`${path}: rules must be an object of rule id to severity`);
    for (const [id, value] of Object.entries(obj.rules as Record<string, unknown>)) {
      if (!findRule(id)) throw new ConfigError(`${path}: unknown rule id "${id}"`);
      if (!isSeveritySetting(value)) throw new ConfigError(`${path}: rule ${id} must be off, hint, information, warning or error`);
    }
  }
  return normalizeSettings(obj);
}

/**
 * The `capture` object of a config file: how captures (pcap, pcapng) are imported, as the CLI's
 * `--smtp-port` and `--keylog` and the editor's `smtpTls.capture.*` settings say it:
 * `{"capture": {"smtpPorts": [4465], "keyLogFiles": ["keylog.txt"]}}`. Key log paths are relative
 * to the folder of the capture they decrypt (a key log next to each capture).
 */
export interface CaptureConfig {
  readonly smtpPorts: readonly number[];
  readonly keyLogFiles: readonly string[];
}

function readCaptureConfig(raw: unknown, path: string): CaptureConfig {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${path}: capture must be an object with smtpPorts and keyLogFiles`);
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (key !== 'smtpPorts' && key !== 'keyLogFiles') throw new ConfigError(`${path}: unknown key "capture.${key}" (expected smtpPorts, keyLogFiles)`);
  }
  const ports = obj.smtpPorts ?? [];
  if (!Array.isArray(ports) || !ports.every((p) => isPort(p))) throw new ConfigError(`${path}: capture.smtpPorts must be a list of port numbers from 1 to 65535`);
  const files = obj.keyLogFiles ?? [];
  if (!Array.isArray(files) || !files.every((f) => typeof f === 'string' && f.trim() !== '')) throw new ConfigError(`${path}: capture.keyLogFiles must be a list of file names`);
  return { smtpPorts: ports as number[], keyLogFiles: files as string[] };
}

/** The `capture` settings of a config file's text (none when it has no `capture`); the text must parse (parseProjectConfig). */
export function parseCaptureConfig(text: string, path: string): CaptureConfig {
  parseProjectConfig(text, path);
  const capture = (JSON.parse(text) as Record<string, unknown>).capture;
  return capture === undefined ? { smtpPorts: [], keyLogFiles: [] } : readCaptureConfig(capture, path);
}

/** The nearest `.smtptls.json` at or above `startDir`, or null. At most 64 levels are searched. */
export function findProjectConfig(startDir: string, fs: ConfigFileSystem): { path: string; text: string } | null {
  let dir = startDir;
  for (let i = 0; i < 64; i++) {
    const path = fs.join(dir, CONFIG_FILE_NAME);
    const text = fs.readText(path);
    if (text !== null) return { path, text };
    const parent = fs.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
  return null;
}

export interface SettingsRequest {
  /** `--baseline`, when given: it wins over any config file. */
  readonly baseline?: AnalysisSettings['baseline'];
  /** `--rule` overrides: they win over the config file's rules. */
  readonly rules?: AnalysisSettings['rules'];
  /** `--policy`, when given: it wins over any config file. */
  readonly policy?: TlsPolicy;
  /** `--config FILE`: used for every input instead of the upward search. */
  readonly configPath?: string;
}

/**
 * Settings per checked file: defaults, then the config file (`--config` or the
 * nearest `.smtptls.json` above the file; for stdin, above `cwd`), then the
 * command-line flags. Config files are read and parsed once per folder.
 */
export function createSettingsResolver(request: SettingsRequest, fs: ConfigFileSystem, cwd: string, resolvePath: (cwd: string, p: string) => string): (inputPath: string) => AnalysisSettings {
  const byDir = new Map<string, AnalysisSettings>();
  let fixed: AnalysisSettings | null = null;
  if (request.configPath !== undefined) {
    const path = resolvePath(cwd, request.configPath);
    const text = fs.readText(path);
    if (text === null) throw new ConfigError(`cannot read config file ${request.configPath}`);
    fixed = parseProjectConfig(text, request.configPath);
  }
  const applyFlags = (base: AnalysisSettings): AnalysisSettings =>
    mergeSettings(base, { ...(request.baseline ? { baseline: request.baseline } : {}), ...(request.rules ? { rules: request.rules } : {}), ...(request.policy ? { policy: request.policy } : {}) });
  return (inputPath: string): AnalysisSettings => {
    if (fixed) return applyFlags(fixed);
    const dir = inputPath === '-' ? cwd : fs.dirname(resolvePath(cwd, inputPath));
    let found = byDir.get(dir);
    if (!found) {
      const file = findProjectConfig(dir, fs);
      found = file ? parseProjectConfig(file.text, file.path) : normalizeSettings({});
      byDir.set(dir, found);
    }
    return applyFlags(found);
  };
}
