/**
 * `npm run bench:adversarial`: analyses each adversarial shape of
 * server/test/robustness/adversarialShapes.ts at full size (one 100 MB line, a million
 * one-byte dump lines, 100,000 records claiming 16 MB, 100,000 sessions, interleaved
 * formats) and at a quarter of it, printing time, throughput, heap growth and peak RSS;
 * the quarter/full time ratio should be near 4 (linear). Not a test: it prints.
 *
 *   node --expose-gc --import tsx bench/adversarial.ts [--scale 0.1] [--only NAME]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeDocument } from '../server/src/core/analysis/analyzeDocument';
import { findChunkStarts } from '../server/src/core/analysis/documentChunks';
import { createBufferSource } from '../server/src/core/capture/captureSource';
import { importCapture } from '../server/src/core/capture/importCapture';
import { buildLengthClaimingPcap, SHAPES } from '../server/test/robustness/adversarialShapes';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, only: { type: 'string' } } });
const scale = Number(values.scale);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const MB = 1024 * 1024;

function measure(run: () => unknown): { ms: number; heapMb: number } {
  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const keep = run();
  const ms = performance.now() - t0;
  const after = process.memoryUsage();
  const heapMb = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / MB;
  void keep;
  return { ms, heapMb };
}

console.log(`${'shape'.padEnd(26)} ${'n'.padStart(10)} ${'input MB'.padStart(9)} ${'ms'.padStart(9)} ${'MB/s'.padStart(7)} ${'heap+ MB'.padStart(9)} ${'t(n)/t(n/4)'.padStart(12)}`);
for (const shape of SHAPES) {
  if (values.only && !shape.name.includes(values.only)) continue;
  const n = Math.max(1, Math.round(shape.full * scale));
  const quarter = Math.max(1, Math.round(n / 4));
  const small = shape.build(quarter);
  const tq = measure(() => analyzeDocument(small)).ms;
  const text = shape.build(n);
  const { ms, heapMb } = measure(() => analyzeDocument(text));
  const inputMb = text.length / MB;
  console.log(
    `${shape.name.padEnd(26)} ${String(n).padStart(10)} ${inputMb.toFixed(1).padStart(9)} ${ms.toFixed(0).padStart(9)} ${(inputMb / (ms / 1000)).toFixed(1).padStart(7)} ${heapMb.toFixed(0).padStart(9)} ${(ms / tq).toFixed(2).padStart(12)}`,
  );
}

// The CLI path: `smtptls check` (the built bin/smtptls, streaming) on the shape written to a file,
// its peak RSS reported by the child itself. Its memory is bounded by the largest chunk (a
// session after a blank line, documentChunks.ts) plus the findings, not by the document.
for (const shape of SHAPES) {
  if (!['sessions', 'interleaved formats'].includes(shape.name) || (values.only && !shape.name.includes(values.only))) continue;
  const n = Math.max(1, Math.round(shape.full * scale));
  const text = shape.build(n);
  const chunks = findChunkStarts(text).length + 1;
  const file = path.join(os.tmpdir(), `smtptls-adversarial-${process.pid}.txt`);
  fs.writeFileSync(file, text);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-r', path.join(__dirname, 'reportMaxRss.cjs'), path.join(__dirname, '..', 'bin', 'smtptls'), 'check', file], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * MB,
  });
  const ms = performance.now() - t0;
  fs.rmSync(file, { force: true });
  const rss = /smtptls-bench-max-rss-kb (\d+)/.exec(r.stderr ?? '');
  if ((r.status !== 0 && r.status !== 1) || !rss) {
    console.log(`${('CLI: ' + shape.name).padEnd(26)} failed (exit ${r.status}; is the CLI built? npm run build): ${(r.stderr ?? '').slice(0, 200)}`);
    continue;
  }
  const inputMb = text.length / MB;
  console.log(
    `${('CLI: ' + shape.name).padEnd(26)} ${String(n).padStart(10)} ${inputMb.toFixed(1).padStart(9)} ${ms.toFixed(0).padStart(9)} ${(inputMb / (ms / 1000)).toFixed(1).padStart(7)} ${''.padStart(9)}  peak RSS ${(Number(rss[1]) / 1024).toFixed(0)} MB, ${chunks} chunk${chunks === 1 ? '' : 's'}`,
  );
}

// A capture whose frames claim 16 MB each: the reader must not allocate what they claim.
if (!values.only || 'capture'.includes(values.only)) {
  const frames = Math.max(1, Math.round(100e3 * scale));
  const bytes = buildLengthClaimingPcap(frames);
  const { ms, heapMb } = measure(() => importCapture(createBufferSource(bytes), { name: 'bench' }));
  console.log(`${'pcap frames claiming 16 MB'.padEnd(26)} ${String(frames).padStart(10)} ${(bytes.length / MB).toFixed(1).padStart(9)} ${ms.toFixed(0).padStart(9)} ${''.padStart(7)} ${heapMb.toFixed(0).padStart(9)}`);
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
