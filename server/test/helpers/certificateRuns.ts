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
import { readCertificate, type CertificateSummary } from '../../src/core/tls/x509Summary';

/**
 * What each run must give, as "rule severity": from s_client's -msg output (no port stated: the
 * default severities), from its capture (port 465, submission), from s_client without -msg (no
 * server_name stated) with -showcerts (the chain in PEM), without (the server's certificate only) and
 * with -brief (no certificate, s_client's verify errors only) and piped into openssl x509 -noout -text
 * (the server's certificate described), and from gnutls-cli (its one-line readings) and gnutls-cli --print-cert (the chain in PEM; it negotiates TLS 1.3 in every run). tshark -V
 * of the capture must give what the capture gives.
 */
type Expected = {
  readonly msg: readonly string[];
  readonly capture: readonly string[];
  readonly showcerts: readonly string[];
  readonly plain: readonly string[];
  readonly gnutls: readonly string[];
  /** s_client -brief: no certificate printed, s_client's verdicts only (expired, not yet valid). */
  readonly brief: readonly string[];
  /**
   * gnutls-cli without --print-cert: its one-line reading of each certificate (no subjectAltName, no
   * key identifier, no time), so the gnutls findings less a CA with another key under the same name.
   */
  readonly gnutlsDefault?: readonly string[];
  /** s_client piped into `openssl x509 -noout -text`: the server's certificate alone, no name asked for, no time. */
  readonly x509Text?: readonly string[];
};
const NONE: Expected = { msg: [], capture: [], showcerts: [], plain: [], gnutls: [], brief: [] };
const NAME = 'tls-certificate-name-mismatch';
const ORDER = 'tls-certificate-chain-order';
const EXPIRED = 'tls-certificate-expired';
const KEY = ['tls-certificate-weak-key warning'];
const SIGNATURE = ['tls-certificate-weak-signature warning'];

export const CERTIFICATE_RUNS: Readonly<Record<string, Expected>> = {
  'good-chain': NONE,
  'cn-only': NONE,
  // A P-256 key (ECDSA signatures in the handshake, an RSA issuer).
  'ec-key': NONE,
  'name-mismatch': { ...NONE, msg: [`${NAME} warning`], capture: [`${NAME} error`] },
  'cn-only-mismatch': { ...NONE, msg: [`${NAME} warning`], capture: [`${NAME} error`] },
  // The issuing CA's certificate under its name with another key (RFC 5280 §4.2.1.1): s_client without -showcerts prints the leaf only.
  'rekeyed-intermediate': { ...NONE, msg: [`${ORDER} error`], capture: [`${ORDER} error`], showcerts: [`${ORDER} error`], gnutls: [`${ORDER} warning`], gnutlsDefault: [] },
  'wrong-order-tls12': { ...NONE, msg: [`${ORDER} error`], capture: [`${ORDER} error`], showcerts: [`${ORDER} error`], gnutls: [`${ORDER} warning`] },
  // TLS 1.3: the Certificate is encrypted; s_client -msg prints it, the capture shows it with the key log.
  'wrong-order-tls13': { ...NONE, msg: [`${ORDER} warning`], capture: [`${ORDER} warning`], showcerts: [`${ORDER} warning`], gnutls: [`${ORDER} warning`] },
  'weak-key': { msg: KEY, capture: KEY, showcerts: KEY, plain: KEY, gnutls: KEY, brief: [], x509Text: KEY },
  'sha1-signed': { msg: SIGNATURE, capture: SIGNATURE, showcerts: SIGNATURE, plain: SIGNATURE, gnutls: SIGNATURE, brief: [], x509Text: SIGNATURE },
  // Judged at the session's time: s_client's `Start Time:`, the capture's `# smtptls-time:` line; gnutls-cli states none.
  // s_client -brief prints no certificate: its own verdict (verify error 10, 9) is the finding.
  expired: { msg: [`${EXPIRED} warning`], capture: [`${EXPIRED} error`], showcerts: [`${EXPIRED} warning`], plain: [`${EXPIRED} warning`], gnutls: [], brief: [`${EXPIRED} warning`] },
  'not-yet-valid': { msg: [`${EXPIRED} warning`], capture: [`${EXPIRED} error`], showcerts: [`${EXPIRED} warning`], plain: [`${EXPIRED} warning`], gnutls: [], brief: [`${EXPIRED} warning`] },
};

/** The findings of the certificate rules in a text. */
export function certificateFindings(text: string, settings?: AnalysisSettings): Finding[] {
  return analyzeDocument(text, settings).findings.filter((f) => f.rule.startsWith('tls-certificate-'));
}

/** Findings as "rule severity". */
export function ruleAndSeverity(fs: readonly Finding[]): string[] {
  return fs.map((f) => `${f.rule} ${f.severity}`);
}

/**
 * A client's output of run `name`: s_client with -msg (default), with -showcerts, with neither;
 * gnutls-cli --print-cert; or tshark -V of its capture.
 */
export function readRunOutput(dir: string, name: string, kind: 'msg' | 'showcerts' | 'plain' | 'brief' | 'gnutls' | 'gnutls-default' | 'x509-text' | 'tshark-V' = 'msg'): string {
  return readFileSync(join(dir, `${name}.${kind}.txt`), 'utf8');
}

/** A finding's rule, severity and message, the session time's source left out (a capture's comment, tshark's frame time). */
function ruleAndMessage(f: Finding): string {
  return `${f.rule} ${f.severity} ${f.message.replace(/, (as the tool states it|from the `# smtptls-time:` line)\)/, ')')}`;
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
  assert.deepEqual(ruleAndSeverity(certificateFindings(readRunOutput(dir, name, 'gnutls'))), want.gnutls, `${name}: gnutls-cli --print-cert`);
  assert.deepEqual(ruleAndSeverity(certificateFindings(readRunOutput(dir, name, 'brief'))), want.brief, `${name}: s_client -brief`);
  assert.deepEqual(ruleAndSeverity(certificateFindings(readRunOutput(dir, name, 'gnutls-default'))), want.gnutlsDefault ?? want.gnutls, `${name}: gnutls-cli`);
  assert.deepEqual(ruleAndSeverity(certificateFindings(readRunOutput(dir, name, 'x509-text'))), want.x509Text ?? [], `${name}: openssl x509 -noout -text`);
  // tshark -V prints each certificate field by field (no DER) and each frame's time: the same findings, word for word.
  assert.deepEqual(
    certificateFindings(readRunOutput(dir, name, 'tshark-V')).map(ruleAndMessage),
    certificateFindings(readRunCapture(dir, name)).map(ruleAndMessage),
    `${name}: tshark -V`,
  );
}

/** The readings of the certificates the server of run `name` sent, in order (`<name>.chain.pem`, @peculiar/x509 on their DER). */
export function readServedChain(dir: string, name: string): CertificateSummary[] {
  const pem = readFileSync(join(dir, `${name}.chain.pem`), 'utf8');
  return (pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? []).map((b) => {
    const r = readCertificate(Uint8Array.from(Buffer.from(b.replace(/-----[^-]+-----|\s/g, ''), 'base64')));
    assert.ok('summary' in r, name);
    return r.summary;
  });
}

/** The text the first finding of `rule` covers in fixture `file` of `dir`. */
export function findingText(dir: string, file: string, rule: string): string {
  const text = readFileSync(join(dir, file), 'utf8');
  const f = analyzeDocument(text).findings.find((x) => x.rule === rule);
  assert.ok(f, `${file} ${rule}`);
  return text.slice(f.span.start, f.span.end);
}
