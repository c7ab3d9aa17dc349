/**
 * What swaks's deliveries to the mail lab's port 25 must give under a declared TLS policy (server/test/fixtures/policy/
 * make-fixtures.sh, run again by the live stage): the plain run's MAIL is policy-tls-required under MTA-STS and DANE, the
 * STARTTLS run gives no finding at all; without a policy neither gives the finding.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import type { AnalysisSettings, Finding } from '../../src/core/rules/types';

/** The findings of `rule` among `findings` of `text`, as `severity: the text they are on`. */
export function locatedOf(text: string, findings: readonly Finding[], rule: string): string[] {
  return findings.filter((f) => f.rule === rule).map((f) => `${f.severity}: ${text.slice(f.span.start, f.span.end)}`);
}

/** The policy-tls-required findings of `text` analysed under `settings`, located. */
export function policyFindings(text: string, settings: AnalysisSettings = { baseline: 'current' }): string[] {
  return locatedOf(text, analyzeDocument(text, settings).findings, 'policy-tls-required');
}

/** The same with `policy` declared by a comment above the text (none: no comment). */
function declaredPolicyFindings(text: string, policy: string | null): string[] {
  return policyFindings(policy ? `# smtptls-policy: ${policy}\n${text}` : text);
}

export function assertPolicyRuns(dir: string): void {
  const plain = readFileSync(path.join(dir, 'swaks-plain.txt'), 'utf8');
  const tls = readFileSync(path.join(dir, 'swaks-starttls.txt'), 'utf8');
  // The lab offers STARTTLS on :25; the plain run does not use it.
  assert.match(plain, /<- {2}250-STARTTLS/);
  assert.doesNotMatch(plain, /-> STARTTLS/);
  assert.match(tls, /-> STARTTLS/);
  for (const policy of ['mta-sts', 'dane']) {
    assert.deepEqual(declaredPolicyFindings(plain, policy), ['error: MAIL FROM:<root@client.lab.test>'], policy);
    assert.deepEqual(declaredPolicyFindings(tls, policy), [], policy);
    assert.deepEqual(analyzeDocument(`# smtptls-policy: ${policy}\n${tls}`).findings.map((f) => f.rule), [], policy);
  }
  assert.deepEqual(declaredPolicyFindings(plain, null), []);
}
