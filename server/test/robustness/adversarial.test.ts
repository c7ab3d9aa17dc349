/**
 * Adversarial shapes, scaled down (bench/adversarial.ts runs them at full size): each
 * finishes, stays inside the document, and 4n costs at most a generous multiple of n
 * (linear-ish: a quadratic step would cost 16x). Timings are the best of three, taken
 * alternately, so a garbage collection or a busy machine does not count against the code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { createBufferSource } from '../../src/core/capture/captureSource';
import { importCapture } from '../../src/core/capture/importCapture';
import { buildLengthClaimingPcap, SHAPES } from './adversarialShapes';
import { checkAnalysis } from './invariants';
import type { AnalyzedSession } from '../../src/core/analysis/analyzeDocument';
import type { PolicyDirective, PortDirective } from '../../src/core/rules/directives';
import { resolveSessionPort } from '../../src/core/rules/portContext';
import { resolveSessionPolicy } from '../../src/core/rules/policyContext';

/** 4n may cost this many times n: linear is 4, quadratic 16. */
const FACTOR = 9;

/** Best of three for n and for 4n, measured alternately so that a burst of load on a shared machine hits both. */
function bestPair(small: () => void, large: () => void): [number, number] {
  const best = [Infinity, Infinity];
  for (let k = 0; k < 3; k++) {
    [small, large].forEach((run, i) => {
      const t0 = performance.now();
      run();
      best[i] = Math.min(best[i], performance.now() - t0);
    });
  }
  return [best[0], best[1]];
}

for (const shape of SHAPES) {
  test(`adversarial shape "${shape.name}": n and 4n ${shape.unit} analyse in linear-ish time`, () => {
    const small = shape.build(shape.small);
    const large = shape.build(shape.small * 4);
    checkAnalysis(small, analyzeDocument(small));
    const [t1, t4] = bestPair(() => analyzeDocument(small), () => analyzeDocument(large));
    // Below a few tens of milliseconds the ratio is noise: compare against a floor.
    assert.ok(t4 <= FACTOR * Math.max(t1, 20), `${shape.name}: n=${shape.small} took ${t1.toFixed(1)} ms, 4n took ${t4.toFixed(1)} ms (x${(t4 / t1).toFixed(1)})`);
  });
}

test('a record and a hello that claim 16 MB are reported, not allocated', () => {
  const text = 'C: 16 03 01 ff ff 01 ff ff ff 03 03\n';
  const a = analyzeDocument(text);
  assert.ok(a.findings.some((f) => f.rule === 'tls-truncated' || f.rule === 'tls-record-overflow'), JSON.stringify(a.findings.map((f) => f.rule)));
  const before = process.memoryUsage().arrayBuffers;
  const many = text.repeat(2000);
  const b = analyzeDocument(many);
  checkAnalysis(many, b);
  // 2,000 claims of 16 MB each would be 32 GB if believed; what is kept stays near the input size.
  assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024 * 1024, 'array buffers grew by more than 64 MB');
});

test('pcap frames that claim 16 MB each: stopped with a clear error, nothing of that size allocated', () => {
  const frames = 1000;
  const bytes = buildLengthClaimingPcap(frames);
  const before = process.memoryUsage().arrayBuffers;
  const r = importCapture(createBufferSource(bytes), { name: 'claims' });
  assert.equal(typeof r.text, 'string');
  assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024 * 1024);
});

test('a port and a policy comment above each of n sessions: choosing each session\'s directives is linear-ish in n (a binary search, not a scan from the first)', () => {
  // Sessions and directives as the resolvers see them (only their lines count): session k on lines 3k+2.., its comments on 3k and 3k+1.
  const build = (n: number) => {
    const sessions = Array.from({ length: n }, (_, k) => ({ session: { startLine: 3 * k + 2, endLine: 3 * k + 2, events: [], port: null } }) as unknown as AnalyzedSession);
    const ports: PortDirective[] = Array.from({ length: n }, (_, k) => ({ line: 3 * k, port: 25 + (k % 3) }));
    const policies: PolicyDirective[] = Array.from({ length: n }, (_, k) => ({ line: 3 * k + 1, policy: k % 2 ? 'mta-sts' : 'dane' }));
    return { sessions, ports, policies };
  };
  const resolveAll = ({ sessions, ports, policies }: ReturnType<typeof build>): string =>
    sessions.map((s) => `${resolveSessionPort(s, ports, { baseline: 'current' })}/${resolveSessionPolicy(s, policies, { baseline: 'current' })}`).join(',');
  const small = build(5000);
  const large = build(20000);
  assert.equal(resolveAll(small).split(',')[4999], '26/mta-sts');
  const [t1, t4] = bestPair(() => resolveAll(small), () => resolveAll(large));
  assert.ok(t4 <= FACTOR * Math.max(t1, 20), `n=5000 took ${t1.toFixed(1)} ms, 4n took ${t4.toFixed(1)} ms (x${(t4 / t1).toFixed(1)})`);
});
