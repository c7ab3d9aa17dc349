/** Reads `smtpTls.*` settings from the client, with safe defaults for clients that send none. */
import type { Connection } from 'vscode-languageserver';
import type { AnalysisSettings, Baseline, SeveritySetting } from './core/rules/types';
import { normalizeSettings } from './core/rules/settings';
import { DEFAULT_MAX_DIAGNOSTICS } from './features/diagnosticLimit';

export interface ServerSettings {
  readonly analysis: AnalysisSettings;
  /** `smtpTls.inlayHints.enabled` (default true). */
  readonly inlayHints: boolean;
  /** `smtpTls.maxDocumentSize` in MB (default 50), as characters: only that much of a document is analysed. */
  readonly maxDocumentChars: number;
  /** `smtpTls.maxDiagnostics` (default 1000, VS Code's own limit per file): the most diagnostics published per document; 0 for no limit. */
  readonly maxDiagnostics: number;
}

export const DEFAULT_MAX_DOCUMENT_MB = 50;

/** `maxDocumentSize` in MB, a positive number; anything else gives the default. */
function readMaxDocumentChars(raw: unknown): number {
  const v = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).maxDocumentSize : undefined;
  const mb = typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : DEFAULT_MAX_DOCUMENT_MB;
  return Math.round(mb * 1e6);
}

/** `maxDiagnostics`, a whole number ≥ 0 (0: no limit); anything else gives the default. */
function readMaxDiagnostics(raw: unknown): number {
  const v = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).maxDiagnostics : undefined;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : DEFAULT_MAX_DIAGNOSTICS;
}

export class SettingsStore {
  private pushed: unknown = undefined;
  private readonly perUri = new Map<string, Promise<ServerSettings>>();

  constructor(private readonly connection: Connection, private canPull: () => boolean) {}

  /** Settings pushed by didChangeConfiguration or initializationOptions (`{smtpTls: {...}}` or the bare object). */
  setPushed(raw: unknown): void {
    this.pushed = raw;
    this.perUri.clear();
  }

  clear(): void {
    this.perUri.clear();
  }

  forUri(uri: string): Promise<ServerSettings> {
    let p = this.perUri.get(uri);
    if (!p) {
      p = this.load(uri);
      this.perUri.set(uri, p);
    }
    return p;
  }

  private async load(uri: string): Promise<ServerSettings> {
    let raw: unknown = pick(this.pushed);
    if (this.canPull()) {
      try {
        raw = (await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'smtpTls' })) ?? raw;
      } catch {
        // The client could not answer: keep the pushed or default settings.
      }
    }
    return {
      analysis: normalizeSettings(raw),
      inlayHints: readInlayHintsEnabled(raw),
      maxDocumentChars: readMaxDocumentChars(raw),
      maxDiagnostics: readMaxDiagnostics(raw),
    };
  }
}

/** `inlayHints.enabled` (nested object, or the flat `inlayHints.enabled` key some clients send); true unless false. */
function readInlayHintsEnabled(raw: unknown): boolean {
  if (!raw || typeof raw !== 'object') return true;
  const r = raw as Record<string, unknown>;
  const nested = r.inlayHints;
  if (nested && typeof nested === 'object' && (nested as Record<string, unknown>).enabled === false) return false;
  return r['inlayHints.enabled'] !== false;
}

function pick(raw: unknown): unknown {
  if (raw && typeof raw === 'object' && 'smtpTls' in raw) return (raw as { smtpTls: unknown }).smtpTls;
  return raw;
}

export type { Baseline, SeveritySetting };
