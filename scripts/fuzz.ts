/**
 * `npm run fuzz`: runs every fuzz target of server/test/robustness/targets.ts with
 * fast-check across worker processes (one per core) until --cases cases have run or
 * --seconds have passed, and prints the throughput. A failure is shrunk by fast-check
 * and saved as a regression fixture under server/test/fixtures/fuzz-regressions/,
 * which the unit tests replay; the run then exits 1.
 *
 * With --sweep, the targets whose cases can be listed (FuzzTarget.enumerate, e.g. every
 * length field of every seed set to 0 and to the maximum) run every case instead, split
 * across the workers; every failing case is printed, the first few saved.
 *
 *   node --import tsx scripts/fuzz.ts [--cases 1000000] [--seconds 900] [--workers N]
 *                                     [--seed S] [--targets a,b] [--chunk 2000] [--sweep]
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { findTarget, TARGETS, type FuzzTarget } from '../server/test/robustness/targets';
import { encodeInput, saveRegression } from '../server/test/robustness/regressions';

interface Chunk {
  readonly target: string;
  readonly seed: number;
  readonly runs: number;
  readonly deadline: number;
  /** Sweep: run the listed cases i with i % parts === part. */
  readonly sweep?: { readonly part: number; readonly parts: number };
}

interface ChunkResult {
  readonly target: string;
  readonly seed: number;
  readonly runs: number;
  readonly ms: number;
  readonly failure?: { error: string; path: string; input: unknown; shrinks: number };
  /** Sweep: every failing case of the chunk, in one line each. */
  readonly failures?: readonly string[];
}

const sweepCases = new Map<string, readonly unknown[]>();

/** One part of a target's listed cases, each checked; no shrinking (the cases are small already). */
function runSweep(chunk: Chunk, target: FuzzTarget<unknown>, part: number, parts: number): ChunkResult {
  const t0 = performance.now();
  let cases = sweepCases.get(target.name);
  if (!cases) sweepCases.set(target.name, (cases = target.enumerate?.() ?? []));
  const failures: string[] = [];
  let failure: ChunkResult['failure'];
  let runs = 0;
  for (let i = part; i < cases.length && Date.now() < chunk.deadline; i += parts) {
    runs++;
    try {
      target.check(cases[i]);
    } catch (e) {
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      failures.push(`${JSON.stringify(encodeInput(cases[i]))}: ${error.split('\n')[0]}`);
      failure ??= { error, path: `sweep ${i}`, input: encodeInput(cases[i]), shrinks: 0 };
    }
  }
  return { target: chunk.target, seed: chunk.seed, runs, ms: performance.now() - t0, ...(failure ? { failure, failures } : {}) };
}

function runChunk(chunk: Chunk): ChunkResult {
  const target = findTarget(chunk.target);
  if (!target) throw new Error(`unknown target ${chunk.target}`);
  if (chunk.sweep) return runSweep(chunk, target, chunk.sweep.part, chunk.sweep.parts);
  const t0 = performance.now();
  const details = fc.check(
    fc.property(target.arbitrary, (input) => {
      target.check(input);
    }),
    { numRuns: chunk.runs, seed: chunk.seed, interruptAfterTimeLimit: Math.max(1, chunk.deadline - Date.now()) },
  );
  const ms = performance.now() - t0;
  if (!details.failed) return { target: chunk.target, seed: chunk.seed, runs: details.numRuns, ms };
  const err = details.errorInstance;
  const found = details.counterexample?.[0];
  return {
    target: chunk.target,
    seed: chunk.seed,
    runs: details.numRuns,
    ms,
    failure: {
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      path: details.counterexamplePath ?? '',
      input: encodeInput(pinned(target, found)),
      shrinks: details.numShrinks,
    },
  };
}

/** The failing input in the form the target saves (seed names, field offsets) when that form fails too; otherwise as found. */
function pinned(target: FuzzTarget<unknown>, input: unknown): unknown {
  if (!target.pin || input === undefined) return input;
  try {
    const pin = target.pin(input);
    // Only a form that still fails is worth saving instead.
    try {
      target.check(pin);
    } catch {
      return pin;
    }
  } catch {
    // fall through: the input as found
  }
  return input;
}

function worker(): void {
  process.on('message', (chunk: Chunk) => {
    let result: ChunkResult;
    try {
      result = runChunk(chunk);
    } catch (e) {
      result = { target: chunk.target, seed: chunk.seed, runs: 0, ms: 0, failure: { error: `worker: ${(e as Error).stack}`, path: '', input: null, shrinks: 0 } };
    }
    process.send!(result);
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: '1000000' },
      seconds: { type: 'string', default: '900' },
      workers: { type: 'string', default: String(Math.max(1, os.availableParallelism?.() ?? os.cpus().length)) },
      seed: { type: 'string', default: String(Date.now() % 1e9) },
      targets: { type: 'string' },
      chunk: { type: 'string', default: '2000' },
      sweep: { type: 'boolean', default: false },
    },
  });
  const cases = Number(values.cases);
  const seconds = Number(values.seconds);
  const workerCount = Number(values.workers);
  const baseSeed = Number(values.seed);
  const chunkSize = Number(values.chunk);
  const sweep = values.sweep === true;
  const named = values.targets ? values.targets.split(',').map((n) => findTarget(n) ?? fail(`unknown target ${n}`)) : TARGETS;
  const targets = sweep ? named.filter((t) => t.enumerate) : named;
  if (targets.length === 0) fail('no target to run (with --sweep: none of them lists its cases)');
  if (![cases, seconds, workerCount, baseSeed, chunkSize].every((n) => Number.isFinite(n) && n > 0)) fail('--cases, --seconds, --workers, --seed and --chunk take positive numbers');

  // Each target gets a share of the cases by weight; chunks are handed to whichever worker is free.
  const totalWeight = targets.reduce((s, t) => s + t.weight, 0);
  const queue: { target: string; runs: number; sweep?: { part: number; parts: number } }[] = [];
  // A sweep: each target's cases in parts, a few per worker so that a slow part does not hold the end.
  const parts = workerCount * 4;
  if (sweep) for (const t of targets) for (let part = 0; part < parts; part++) queue.push({ target: t.name, runs: 0, sweep: { part, parts } });
  for (const t of sweep ? [] : targets) {
    let share = Math.ceil((cases * t.weight) / totalWeight);
    while (share > 0) {
      const runs = Math.min(chunkSize, share);
      queue.push({ target: t.name, runs });
      share -= runs;
    }
  }
  // Interleave the targets so that a time cap still covers all of them.
  const order = interleave(targets.map((t) => queue.filter((q) => q.target === t.name)));

  const started = Date.now();
  const deadline = started + seconds * 1000;
  console.log(
    sweep
      ? `fuzz: every listed case of ${targets.map((t) => t.name).join(', ')}, ${workerCount} workers, at most ${seconds} s`
      : `fuzz: ${cases} cases over ${targets.length} targets, ${workerCount} workers, seed ${baseSeed}, at most ${seconds} s`,
  );
  const perTarget = new Map<string, { runs: number; ms: number }>();
  const failed = new Set<string>();
  let done = 0;
  let next = 0;
  let chunkSeed = baseSeed;
  let lastReport = Date.now();
  const savedBySweep = new Map<string, number>();

  await new Promise<void>((resolve) => {
    const workers: ChildProcess[] = [];
    let busy = 0;
    const dispatch = (w: ChildProcess): void => {
      while (!sweep && next < order.length && failed.has(order[next].target)) next++;
      if (next >= order.length || Date.now() >= deadline) {
        w.kill();
        if (busy === 0 && workers.every((x) => x.killed || x.exitCode !== null)) resolve();
        return;
      }
      const item = order[next++];
      busy++;
      w.send({ target: item.target, runs: item.runs, seed: chunkSeed++, deadline, ...(item.sweep ? { sweep: item.sweep } : {}) } satisfies Chunk);
    };
    for (let i = 0; i < workerCount; i++) {
      const w = fork(__filename, ['--worker'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      workers.push(w);
      w.on('message', (r: ChunkResult) => {
        busy--;
        done += r.runs;
        const s = perTarget.get(r.target) ?? { runs: 0, ms: 0 };
        s.runs += r.runs;
        s.ms += r.ms;
        perTarget.set(r.target, s);
        for (const line of r.failures ?? []) console.log(`FAIL ${r.target} ${line}`);
        if (r.failure && sweep) {
          failed.add(r.target);
          const saved = savedBySweep.get(r.target) ?? 0;
          savedBySweep.set(r.target, saved + 1);
          if (saved < 3) console.log(`  reproducer saved: ${saveRegression({ target: r.target, error: r.failure.error.split('\n').slice(0, 6).join('\n'), seed: 0, path: r.failure.path, input: r.failure.input })}`);
        } else if (r.failure && !sweep && !failed.has(r.target)) {
          failed.add(r.target);
          const file = saveRegression({ target: r.target, error: r.failure.error.split('\n').slice(0, 6).join('\n'), seed: r.seed, path: r.failure.path, input: r.failure.input });
          console.log(`\nFAIL ${r.target} (seed ${r.seed}, path ${r.failure.path}, ${r.failure.shrinks} shrinks):\n${r.failure.error.split('\n').slice(0, 4).join('\n')}\n  reproducer saved: ${file}`);
        }
        if (Date.now() - lastReport > 10000) {
          lastReport = Date.now();
          const s2 = (Date.now() - started) / 1000;
          console.log(`  ${done} cases in ${s2.toFixed(0)} s (${(done / s2).toFixed(0)} cases/s)`);
        }
        dispatch(w);
      });
      w.on('exit', () => {
        if (busy === 0 && workers.every((x) => x.killed || x.exitCode !== null)) resolve();
      });
      dispatch(w);
    }
  });

  const seconds2 = (Date.now() - started) / 1000;
  console.log(`\n${'target'.padEnd(18)} ${'cases'.padStart(9)} ${'cases/s/worker'.padStart(15)}`);
  for (const t of targets) {
    const s = perTarget.get(t.name) ?? { runs: 0, ms: 0 };
    console.log(`${t.name.padEnd(18)} ${String(s.runs).padStart(9)} ${(s.ms > 0 ? (s.runs / s.ms) * 1000 : 0).toFixed(0).padStart(15)}${failed.has(t.name) ? '  FAILED' : ''}`);
  }
  const stopped = (sweep ? Date.now() >= deadline : done < cases) && failed.size === 0 ? ` (stopped by the ${seconds} s cap)` : '';
  console.log(`\n${done} cases in ${seconds2.toFixed(1)} s: ${(done / seconds2).toFixed(0)} cases/s with ${workerCount} workers${stopped}; ${failed.size} failing target(s)`);
  return failed.size > 0 ? 1 : 0;
}

function interleave<T>(lists: T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]);
  return out;
}

function fail(message: string): never {
  console.error(`fuzz: ${message}`);
  process.exit(2);
}

if (process.argv.includes('--worker')) worker();
else void main().then((code) => process.exit(code));
