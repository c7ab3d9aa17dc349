/**
 * The alerts of a run of the stated-alerts fixtures (server/test/fixtures/stated-alerts/make-fixtures.sh,
 * also run by the live stage): what the client printed and postfix's log of it are compared with the
 * capture of the same session, and the capture with tshark's alert fields.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { createBufferSource } from '../../src/core/capture/captureSource';
import { importCapture } from '../../src/core/capture/importCapture';

/** The runs make-fixtures.sh records. */
export const ALERT_RUNS = ['sclient-no-shared-cipher', 'sclient-state-no-shared-cipher', 'sclient-state-unknown-ca', 'sclient-tls10-no-shared-cipher', 'posttls-finger-no-shared-cipher', 'gnutls-cli-no-shared-cipher', 'swaks-no-shared-cipher', 'curl-no-shared-cipher', 'python-smtplib-no-shared-cipher'];

/** Each tls-alert finding of a text as its first sentence (who sends which alert), with its severity, in order. */
export function statedAlertFindings(text: string): string[] {
  return analyzeDocument(text)
    .findings.filter((f) => f.rule === 'tls-alert')
    .map((f) => `${f.severity} ${/^(?:The server|The client|A peer) sends a [a-z]+ alert [a-z_]+ \([0-9]+\)/.exec(f.message)?.[0]}`);
}

export interface AlertRunReading {
  /** tshark's alert in the capture: level and description. */
  readonly tshark: { readonly level: number; readonly description: number } | null;
  readonly capture: string[];
  readonly client: string[];
  readonly postfix: string[];
}

/** The tls-alert findings of the capture `name`.pcap in folder `dir`. */
export function readAlertCapture(dir: string, name: string): string[] {
  const imported = importCapture(createBufferSource(new Uint8Array(readFileSync(path.join(dir, `${name}.pcap`)))), { name });
  return statedAlertFindings(imported.text);
}

/** The tls-alert findings of run `name` in folder `dir`: of its capture, the client's output and postfix's log. */
export function readAlertRun(dir: string, name: string): AlertRunReading {
  const file = (ext: string): string => path.join(dir, `${name}${ext}`);
  const fields = readFileSync(file('.tshark.txt'), 'utf8').trim().split(';');
  return {
    tshark: fields.length === 4 && fields[2] !== '' ? { level: Number(fields[2]), description: Number(fields[3]) } : null,
    capture: readAlertCapture(dir, name),
    client: statedAlertFindings(readFileSync(file('.txt'), 'utf8')),
    postfix: statedAlertFindings(readFileSync(file('.postfix.log'), 'utf8')),
  };
}
