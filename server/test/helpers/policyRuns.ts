/**
 * What swaks's deliveries to the mail lab's port 25 must give under a declared TLS policy (server/test/fixtures/policy/
 * make-fixtures.sh, run again by the live stage): the plain run's MAIL is policy-tls-required under MTA-STS and DANE, the
 * STARTTLS run gives no finding at all; without a policy neither gives the finding.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';

const RULE = 'policy-tls-required';

/** The policy findings of `text` under `policy` declared by a comment above it, as `severity: the text they are on`. */
function policyFindings(text: string, policy: string | null): string[] {
  const doc = policy ? `# smtptls-policy: ${policy}\n${text}` : text;
  return analyzeDocument(doc)
    .findings.filter((f) => f.rule === RULE)
    .map((f) => `${f.severity}: ${doc.slice(f.span.start, f.span.end)}`);
}

export function assertPolicyRuns(dir: string): void {
  const plain = readFileSync(path.join(dir, 'swaks-plain.txt'), 'utf8');
  const tls = readFileSync(path.join(dir, 'swaks-starttls.txt'), 'utf8');
  // The lab offers STARTTLS on :25; the plain run does not use it.
  assert.match(plain, /<- {2}250-STARTTLS/);
  assert.doesNotMatch(plain, /-> STARTTLS/);
  assert.match(tls, /-> STARTTLS/);
  for (const policy of ['mta-sts', 'dane']) {
    assert.deepEqual(policyFindings(plain, policy), ['error: MAIL FROM:<root@client.lab.test>'], policy);
    assert.deepEqual(policyFindings(tls, policy), [], policy);
    assert.deepEqual(analyzeDocument(`# smtptls-policy: ${policy}\n${tls}`).findings.map((f) => f.rule), [], policy);
  }
  assert.deepEqual(policyFindings(plain, null), []);
}
