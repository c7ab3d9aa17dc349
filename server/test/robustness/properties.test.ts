/**
 * Property-based robustness tests (fast-check) for every parser: the fuzz targets of
 * targets.ts run here for a few hundred cases each with a fixed seed, so CI stays fast
 * and a failure replays; `npm run fuzz` runs the same targets for a million cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TARGETS } from './targets';

/** Cases per target in CI: the cheap byte-level targets get more. */
const CI_CASES = Number(process.env.SMTPTLS_PROPERTY_CASES ?? 0) || undefined;

for (const target of TARGETS) {
  test(`property ${target.name}: ${target.what}`, () => {
    const numRuns = CI_CASES ?? Math.max(25, Math.round(60 * target.weight));
    fc.assert(
      fc.property(target.arbitrary, (input) => {
        target.check(input);
      }),
      { numRuns, seed: 0x5eed + target.name.length },
    );
  });
}

test('the targets cover every parser entry point', () => {
  const names = TARGETS.map((t) => t.name);
  for (const n of ['document', 'deterministic', 'tls-bytes', 'tls-prefix', 'document-prefix', 'layouts', 'smtp', 'sample-mutations', 'sample-lengths', 'capture', 'capture-bytes', 'features']) {
    assert.ok(names.includes(n), n);
  }
});
