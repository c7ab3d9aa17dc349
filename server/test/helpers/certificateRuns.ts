/**
 * The runs of server/test/fixtures/certificates/make-fixtures.sh (also run by the live stage):
 * what the certificate rules must find in each, from s_client's -msg output and from its capture.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { createBufferSource } from '../../src/core/capture/captureSource';
import { importCapture } from '../../src/core/capture/importCapture';
import { parseKeyLog } from '../../src/core/tls/decrypt/keyLogSecrets';
import type { AnalysisSettings, Finding } from '../../src/core/rules/types';

/**
 * What each run must give, as "rule severity": from s_client's -msg output (no port stated: the
 * default severities) and from its capture (port 465, submission).
 */
export const CERTIFICATE_RUNS: Readonly<Record<string, { readonly msg: readonly string[]; readonly capture: readonly string[] }>> = {
  'good-chain': { msg: [], capture: [] },
  'cn-only': { msg: [], capture: [] },
  'name-mismatch': { msg: ['tls-certificate-name-mismatch warning'], capture: ['tls-certificate-name-mismatch error'] },
  'cn-only-mismatch': { msg: ['tls-certificate-name-mismatch warning'], capture: ['tls-certificate-name-mismatch error'] },
  'wrong-order-tls12': { msg: ['tls-certificate-chain-order error'], capture: ['tls-certificate-chain-order error'] },
  // TLS 1.3: the Certificate is encrypted; s_client -msg prints it, the capture shows it with the key log.
  'wrong-order-tls13': { msg: ['tls-certificate-chain-order warning'], capture: ['tls-certificate-chain-order warning'] },
  'weak-key': { msg: ['tls-certificate-weak-key warning'], capture: ['tls-certificate-weak-key warning'] },
  'sha1-signed': { msg: ['tls-certificate-weak-signature warning'], capture: ['tls-certificate-weak-signature warning'] },
};

/** The findings of the certificate rules in a text. */
export function certificateFindings(text: string, settings?: AnalysisSettings): Finding[] {
  return analyzeDocument(text, settings).findings.filter((f) => f.rule.startsWith('tls-certificate-'));
}

/** Findings as "rule severity". */
export function ruleAndSeverity(fs: readonly Finding[]): string[] {
  return fs.map((f) => `${f.rule} ${f.severity}`);
}

/** s_client's -msg output of run `name`. */
export function readRunOutput(dir: string, name: string): string {
  return readFileSync(join(dir, `${name}.msg.txt`), 'utf8');
}

/** The transcript of run `name`'s capture, decrypted with its key log when it has one. */
export function readRunCapture(dir: string, name: string): string {
  let keyLog;
  try {
    keyLog = parseKeyLog(readFileSync(join(dir, `${name}.keylog`), 'utf8')).keyLog;
  } catch {
    keyLog = undefined;
  }
  return importCapture(createBufferSource(new Uint8Array(readFileSync(join(dir, `${name}.pcap`)))), { name, keyLog }).text;
}
