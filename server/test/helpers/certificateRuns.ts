/**
 * The runs of server/test/fixtures/certificates/make-fixtures.sh (also run by the live stage):
 * what the certificate rules must find in each, from s_client's -msg output and from its capture.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { createBufferSource } from '../../src/core/capture/captureSource';
import { importCapture } from '../../src/core/capture/importCapture';
import { parseKeyLog } from '../../src/core/tls/decrypt/keyLogSecrets';
import type { AnalysisSettings, Finding } from '../../src/core/rules/types';

/**
 * What each run must give, as "rule severity": from s_client's -msg output (no port stated: the
 * default severities), from its capture (port 465, submission), and from s_client without -msg
 * (no server_name stated), with -showcerts (the chain in PEM) and without (the server's certificate only).
 */
export const CERTIFICATE_RUNS: Readonly<Record<string, { readonly msg: readonly string[]; readonly capture: readonly string[]; readonly showcerts: readonly string[]; readonly plain: readonly string[] }>> = {
  'good-chain': { msg: [], capture: [], showcerts: [], plain: [] },
  'cn-only': { msg: [], capture: [], showcerts: [], plain: [] },
  'name-mismatch': { msg: ['tls-certificate-name-mismatch warning'], capture: ['tls-certificate-name-mismatch error'], showcerts: [], plain: [] },
  'cn-only-mismatch': { msg: ['tls-certificate-name-mismatch warning'], capture: ['tls-certificate-name-mismatch error'], showcerts: [], plain: [] },
  'wrong-order-tls12': { msg: ['tls-certificate-chain-order error'], capture: ['tls-certificate-chain-order error'], showcerts: ['tls-certificate-chain-order error'], plain: [] },
  // TLS 1.3: the Certificate is encrypted; s_client -msg prints it, the capture shows it with the key log.
  'wrong-order-tls13': { msg: ['tls-certificate-chain-order warning'], capture: ['tls-certificate-chain-order warning'], showcerts: ['tls-certificate-chain-order warning'], plain: [] },
  'weak-key': { msg: ['tls-certificate-weak-key warning'], capture: ['tls-certificate-weak-key warning'], showcerts: ['tls-certificate-weak-key warning'], plain: ['tls-certificate-weak-key warning'] },
  'sha1-signed': { msg: ['tls-certificate-weak-signature warning'], capture: ['tls-certificate-weak-signature warning'], showcerts: ['tls-certificate-weak-signature warning'], plain: ['tls-certificate-weak-signature warning'] },
};

/** The findings of the certificate rules in a text. */
export function certificateFindings(text: string, settings?: AnalysisSettings): Finding[] {
  return analyzeDocument(text, settings).findings.filter((f) => f.rule.startsWith('tls-certificate-'));
}

/** Findings as "rule severity". */
export function ruleAndSeverity(fs: readonly Finding[]): string[] {
  return fs.map((f) => `${f.rule} ${f.severity}`);
}

/** s_client's output of run `name`: with -msg (default), -showcerts, or neither. */
export function readRunOutput(dir: string, name: string, kind: 'msg' | 'showcerts' | 'plain' = 'msg'): string {
  return readFileSync(join(dir, `${name}.${kind}.txt`), 'utf8');
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

/** Asserts what run `name` in `dir` must give (CERTIFICATE_RUNS) from each of its outputs and its capture. */
export function assertCertificateRun(dir: string, name: string): void {
  const want = CERTIFICATE_RUNS[name];
  assert.deepEqual(ruleAndSeverity(certificateFindings(readRunOutput(dir, name))), want.msg, `${name}: s_client -msg`);
  assert.deepEqual(ruleAndSeverity(certificateFindings(readRunCapture(dir, name))), want.capture, `${name}: the capture`);
  assert.deepEqual(ruleAndSeverity(certificateFindings(readRunOutput(dir, name, 'showcerts'))), want.showcerts, `${name}: s_client -showcerts`);
  assert.deepEqual(ruleAndSeverity(certificateFindings(readRunOutput(dir, name, 'plain'))), want.plain, `${name}: s_client`);
}
