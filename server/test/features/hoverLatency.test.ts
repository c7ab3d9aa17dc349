/**
 * Hover stays fast on a large document: the byte→field index is built once per
 * analysis and each hover is a binary search. The document repeats a real
 * openssl -msg session to about 4 MB; rules are turned off because only the
 * decoding matters here (and keeps the test quick).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../src/core/analysis/analyzeDocument';
import { computeHover } from '../../src/core/features/hover';
import { getFieldIndex } from '../../src/core/features/fieldIndex';
import { computeSemanticTokens } from '../../src/core/features/semanticTokens';
import { RULES } from '../../src/core/rules/catalog';
import { readSample } from '../helpers/samples';

test('hover latency on a 4 MB document: index built once, every hover a lookup', () => {
  const base = readSample('openssl-tls12-clean.transcript');
  let text = '';
  while (text.length < 4e6) text += base;
  const a = analyzeDocument(text, { baseline: 'current', rules: Object.fromEntries(RULES.map((r) => [r.id, 'off'])) });
  const t0 = performance.now();
  const index = getFieldIndex(a);
  const buildMs = performance.now() - t0;
  assert.ok(index.offsets.length > 500000, `${index.offsets.length} hex pairs`);
  computeHover(a, index.offsets[0]); // first hover also builds the line map
  const times: number[] = [];
  let seed = 12345;
  for (let i = 0; i < 1000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const offset = index.offsets[seed % index.offsets.length] + (seed % 2);
    const t = performance.now();
    const h = computeHover(a, offset);
    times.push(performance.now() - t);
    assert.ok(h, `a hover on the hex pair at ${offset}`);
  }
  times.sort((x, y) => x - y);
  const p99 = times[Math.floor(times.length * 0.99)];
  console.log(`index build ${buildMs.toFixed(0)} ms for ${index.offsets.length} pairs; hover p50 ${times[500].toFixed(3)} ms, p99 ${p99.toFixed(3)} ms`);
  assert.ok(p99 < 20, `p99 ${p99} ms`);
  const mid = Math.floor(a.lines.lineCount / 2);
  const t1 = performance.now();
  assert.ok(computeSemanticTokens(a, mid, mid + 100).length > 100);
  assert.ok(performance.now() - t1 < 500, 'tokens for a screenful cost what the screenful costs');
});
