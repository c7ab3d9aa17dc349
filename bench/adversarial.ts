/**
 * `npm run bench:adversarial`: analyses each adversarial shape of
 * server/test/robustness/adversarialShapes.ts at full size (one 100 MB line, a million
 * one-byte dump lines, 100,000 records claiming 16 MB, 100,000 sessions, interleaved
 * formats) and at a quarter of it, printing time, throughput, the quarter/full time ratio
 * (near 4 when linear), heap growth right after the analysis (garbage included), the heap
 * the result keeps after a collection (absolute and per input MB: the model's size) and
 * the peak RSS of the process so far. Not a test: it prints.
 *
 * Then the streaming CLI (`smtptls check`, text and SARIF) on the shapes of many sessions
 * and of interleaved formats written to files (--cli-only: that part alone).
 *
 *   node --expose-gc --import tsx bench/adversarial.ts [--scale 0.1] [--only NAME] [--cli-only]
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

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, only: { type: 'string' }, 'cli-only': { type: 'boolean', default: false } } });
const scale = Number(values.scale);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const MB = 1024 * 1024;

/**
 * Time of `run`, and heap growth twice: right after it returns (garbage not yet collected
 * included) and after a collection with its result still held (what the result keeps).
 */
function measure(run: () => unknown): { ms: number; heapMb: number; keptMb: number } {
  gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const keep = run();
  const ms = performance.now() - t0;
  const after = process.memoryUsage();
  const heapMb = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / MB;
  gc();
  const settled = process.memoryUsage();
  const keptMb = (settled.heapUsed + settled.arrayBuffers - before.heapUsed - before.arrayBuffers) / MB;
  void keep;
  return { ms, heapMb, keptMb };
}

const rssMb = (): number => process.resourceUsage().maxRSS / 1024;
const columns: [string, number][] = [
  ['shape', -26], ['n', 10], ['input MB', 9], ['ms', 9], ['MB/s', 7], ['t(n)/t(n/4)', 12], ['heap+ MB', 9], ['kept MB', 8], ['kept/input', 11], ['peak RSS MB', 12],
];
const row = (cells: string[]): string => cells.map((c, i) => (columns[i][1] < 0 ? c.padEnd(-columns[i][1]) : c.padStart(columns[i][1]))).join(' ');
console.log(row(columns.map(([name]) => name)));
for (const shape of SHAPES) {
  if (values['cli-only'] || (values.only && !shape.name.includes(values.only))) continue;
  const n = Math.max(1, Math.round(shape.full * scale));
  const quarter = Math.max(1, Math.round(n / 4));
  const small = shape.build(quarter);
  const tq = measure(() => analyzeDocument(small)).ms;
  const text = shape.build(n);
  const { ms, heapMb, keptMb } = measure(() => analyzeDocument(text));
  const inputMb = text.length / MB;
  console.log(row([
    shape.name, String(n), inputMb.toFixed(1), ms.toFixed(0), (inputMb / (ms / 1000)).toFixed(1), (ms / tq).toFixed(2),
    heapMb.toFixed(0), keptMb.toFixed(0), `${(keptMb / inputMb).toFixed(1)}x`, rssMb().toFixed(0),
  ]));
}

// The CLI path: `smtptls check` (the built bin/smtptls, streaming) on the shape written to a file,
// its peak RSS reported by the child itself. Its memory is bounded by the largest chunk (a
// session after a blank line, at most MAX_CHUNK_CHARS, documentChunks.ts), not by the document
// nor by the number of findings: they wait in a spill (cli/findingSpill.ts) for the report.
for (const shape of SHAPES) {
  if (!['sessions', 'interleaved formats'].includes(shape.name) || (values.only && !shape.name.includes(values.only))) continue;
  const n = Math.max(1, Math.round(shape.full * scale));
  const text = shape.build(n);
  const chunks = findChunkStarts(text).length + 1;
  const file = path.join(os.tmpdir(), `smtptls-adversarial-${process.pid}.txt`);
  fs.writeFileSync(file, text);
  const inputMb = text.length / MB;
  for (const format of ['text', 'sarif']) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['-r', path.join(__dirname, 'reportMaxRss.cjs'), path.join(__dirname, '..', 'bin', 'smtptls'), 'check', '--format', format, file], {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 64 * MB,
    });
    const ms = performance.now() - t0;
    const rss = /smtptls-bench-max-rss-kb (\d+)/.exec(r.stderr ?? '');
    const label = `CLI ${format}: ${shape.name}`.padEnd(26);
    if ((r.status !== 0 && r.status !== 1) || !rss) {
      console.log(`${label} failed (exit ${r.status}; is the CLI built? npm run build): ${(r.stderr ?? '').slice(0, 200)}`);
      continue;
    }
    console.log(
      `${label} ${String(n).padStart(10)} ${inputMb.toFixed(1).padStart(9)} ${ms.toFixed(0).padStart(9)} ${(inputMb / (ms / 1000)).toFixed(1).padStart(7)} ${''.padStart(9)}  peak RSS ${(Number(rss[1]) / 1024).toFixed(0)} MB, ${chunks} chunk${chunks === 1 ? '' : 's'}`,
    );
  }
  fs.rmSync(file, { force: true });
}

// A capture whose frames claim 16 MB each: the reader must not allocate what they claim.
if (!values['cli-only'] && (!values.only || 'capture'.includes(values.only))) {
  const frames = Math.max(1, Math.round(100e3 * scale));
  const bytes = buildLengthClaimingPcap(frames);
  const { ms, heapMb, keptMb } = measure(() => importCapture(createBufferSource(bytes), { name: 'bench' }));
  const inputMb = bytes.length / MB;
  console.log(row(['pcap frames claiming 16 MB', String(frames), inputMb.toFixed(1), ms.toFixed(0), '', '', heapMb.toFixed(0), keptMb.toFixed(0), `${(keptMb / inputMb).toFixed(1)}x`, rssMb().toFixed(0)]));
}
