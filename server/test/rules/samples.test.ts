/**
 * Every bundled sample states, in its header, which rules its recording was
 * made to show. The analyser must report exactly those among the rules it
 * implements, and nothing else of those.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { CHECKS } from '../../src/core/rules/checks';
import { expectedRules, listSamples, readSample } from '../helpers/samples';

for (const name of listSamples()) {
  const text = readSample(name);
  const expected = expectedRules(text);
  if (expected === null) continue;
  test(`${name}: reports exactly the expected implemented rules`, () => {
    const implementedExpected = expected.filter((id) => id in CHECKS).sort();
    const got = [...new Set(analyzeDocument(text).findings.map((f) => f.rule))].sort();
    assert.deepEqual(got, implementedExpected);
  });
}

test('at least the founding cases are among the samples', () => {
  const all = listSamples();
  for (const n of ['sslv2-hello-ssl2.transcript', 'sslv2-hello-ssl3.transcript', 'ssl3-hello.transcript']) {
    assert.ok(all.includes(n), n);
  }
});
