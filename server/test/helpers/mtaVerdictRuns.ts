/**
 * What Postfix's outputs of the mail lab's certificate servers must give (server/test/fixtures/mta-verdicts/
 * make-fixtures.sh, run again by the live stage): the certificate findings of each output, as
 * "rule severity: the words they point at", in any order (a fresh mail log may interleave its lines otherwise).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import type { Finding } from '../../src/core/rules/types';

const EXPIRED = 'tls-certificate-expired warning: certificate has expired';
const FUTURE = 'tls-certificate-expired warning: certificate not yet valid';
const WEAK = 'tls-certificate-weak-key warning: RSA-PSS (1024 bits)';

export const MTA_VERDICT_RUNS: Readonly<Record<string, readonly string[]>> = {
  'posttls-finger-expired.txt': [EXPIRED],
  'posttls-finger-future.txt': [FUTURE],
  'posttls-finger-weak.txt': [WEAK],
  // The chain in PEM after the session, no time to date it by: the verdict.
  'posttls-finger-expired-chain.txt': [EXPIRED],
  // postfix/smtp's verdicts and its established line to 2528; lab2528/smtpd's established line states the same key.
  'postfix-deliveries.log': [EXPIRED, FUTURE, WEAK, WEAK],
  // curl states OpenSSL's verdict on the chain (OpenSSL's words: `certificate is not yet valid`) before it gives up.
  'curl-expired-strict.txt': [EXPIRED],
  'curl-future-strict.txt': ['tls-certificate-expired warning: certificate is not yet valid'],
  'curl-trace-expired.txt': [EXPIRED],
  // With -k curl loads no CA: the verify result it states is the untrusted CA's (19), nothing about dates.
  'curl-expired.txt': [],
  // Names, against port 25 (information there): Postfix's and s_client's OpenSSL result 62, curl's own words; s_client's
  // -brief output names no port (a warning).
  'posttls-finger-name-mismatch.txt': ['tls-certificate-name-mismatch information: num=62:hostname mismatch'],
  'curl-name-mismatch-strict.txt': ["tls-certificate-name-mismatch information: no alternative certificate subject name matches target host name 'localhost'"],
  'sclient-name-mismatch-brief.txt': ['tls-certificate-name-mismatch warning: hostname mismatch'],
};

/** Findings as "rule severity: the words they point at". */
export function locatedFindings(text: string, findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.rule} ${f.severity}: ${text.slice(f.span.start, f.span.end)}`);
}

/**
 * Every output of the runs in `dir` gives its findings; each verdict is in the session of the server
 * its line names (`... failed for 127.0.0.1[127.0.0.1]:2527: ...`) or curl's command does, and no smtp-command-order finding
 * comes from the DATA postfix/smtp pipelines after a refused RCPT.
 */
export function assertMtaVerdictRuns(dir: string): void {
  const commands = readFileSync(join(dir, 'commands.txt'), 'utf8').split('\n');
  for (const [file, want] of Object.entries(MTA_VERDICT_RUNS)) {
    const text = readFileSync(join(dir, file), 'utf8');
    const analysis = analyzeDocument(text);
    const certificate = analysis.findings.filter((f) => f.rule.startsWith('tls-certificate-'));
    assert.deepEqual(locatedFindings(text, certificate).sort(), [...want].sort(), file);
    assert.deepEqual(analysis.findings.filter((f) => f.rule === 'smtp-command-order'), [], file);
    for (const s of analysis.sessions) {
      for (const e of s.session.events) {
        if (e.kind !== 'stated' || !e.verdict) continue;
        // Postfix names the server (`... failed for 127.0.0.1[127.0.0.1]:2527: ...`); for curl, its command's URL does (`smtp://expired.cert-lab.test:2527`).
        const statement = text.slice(e.span.start, e.span.end);
        const command = commands.find((l) => l.startsWith(`${file.replace(/\.txt$/, '')}: `)) ?? '';
        const named = /\]:([0-9]{1,5}): (?:certificate|num=)/.exec(statement) ?? /smtp:\/\/[a-z0-9.-]{1,60}:([0-9]{1,5})/.exec(command);
        assert.ok(named, statement);
        assert.equal(s.session.port, Number(named[1]), `${file}: the session of ${statement}`);
      }
    }
  }
}
