/**
 * Chunks of a large input analysed on worker threads while this thread reads, imports and
 * cuts the input (and analyses chunks itself whenever the workers are busy). Results are
 * merged in document order, so the report is the same as a sequential check.
 *
 * The CLI stays synchronous: results come back on one MessagePort per worker, read with
 * receiveMessageOnPort, and this thread sleeps on a shared counter (Atomics.wait) that a
 * worker bumps after each result. The workers run the CLI bundle itself (this file's
 * module, started with a marker in workerData).
 */
import * as os from 'os';
import { MessageChannel, receiveMessageOnPort, Worker, isMainThread, parentPort, workerData, type MessagePort } from 'worker_threads';
import { checkChunk, type ChunkFindings, type ChunkRunner } from '../core/analysis/chunkedCheck';
import type { AnalysisSettings } from '../core/rules/types';

const ROLE = 'smtptls-chunk-worker';
/** Batches queued per worker; more are analysed on this thread. */
const MAX_IN_FLIGHT = 2;
/** Chunks go to a worker in batches of about this many characters (fewer, larger messages). */
const BATCH_CHARS = 256 * 1024;
/** Larger batches (a huge chunk) are analysed here: a worker's result would be awaited as long anyway. */
const MAX_WORKER_CHUNK = 4 * 1024 * 1024;
/** Each worker holds its own heap and copy of the code: more than a few rarely pays. */
const DEFAULT_MAX_WORKERS = 4;
/** A worker silent this long with work queued is taken for dead: its chunks are analysed here. */
const STALL_MS = 120_000;

/** Consecutive chunks, each with the port directive in force at its start. */
interface Job {
  readonly seq: number;
  readonly chunks: readonly { readonly text: string; readonly port: number | null }[];
  readonly settings: AnalysisSettings;
  readonly keepText: boolean;
}

interface Done {
  readonly seq: number;
  readonly results?: ChunkFindings[];
  readonly error?: string;
}

function runJob(job: Job): ChunkFindings[] {
  return job.chunks.map((c) => checkChunk(c.text, job.settings, c.port, job.keepText));
}

interface WorkerSlot {
  readonly worker: Worker;
  readonly results: MessagePort;
  /** Jobs sent and not answered, by sequence number. */
  readonly inFlight: Map<number, Job>;
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) {
  const { results, signal } = workerData as { results: MessagePort; signal: Int32Array };
  parentPort!.on('message', (job: Job) => {
    let done: Done;
    try {
      done = { seq: job.seq, results: runJob(job) };
    } catch (err) {
      done = { seq: job.seq, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    results.postMessage(done);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
}

/** Worker threads for chunk analysis; create once per run, close at its end. */
export class ChunkWorkerPool {
  private readonly slots: WorkerSlot[] = [];
  readonly signal = new Int32Array(new SharedArrayBuffer(4));

  private constructor(script: string, count: number) {
    for (let i = 0; i < count; i++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(script, { workerData: { role: ROLE, results: port2, signal: this.signal }, transferList: [port2] });
      // Never keeps the process alive; a worker's own failure shows as a stall.
      worker.unref();
      worker.on('error', () => undefined);
      this.slots.push({ worker, results: port1, inFlight: new Map() });
    }
  }

  /**
   * A pool of `count` workers (default: one less than the cores, at most DEFAULT_MAX_WORKERS),
   * or null when there is no second core or this code does not run from the built bundle (a
   * worker needs a .js file).
   */
  static create(count = Math.min(DEFAULT_MAX_WORKERS, os.availableParallelism() - 1), script = __filename): ChunkWorkerPool | null {
    if (count < 1 || !script.endsWith('.js')) return null;
    return new ChunkWorkerPool(script, count);
  }

  get size(): number {
    return this.slots.length;
  }

  close(): void {
    for (const s of this.slots) {
      s.results.close();
      void s.worker.terminate();
    }
    this.slots.length = 0;
  }

  /** A ChunkedCheck runner analysing on this pool and on the calling thread. */
  runner(settings: AnalysisSettings, keepText: boolean): (deliver: (result: ChunkFindings) => void) => ChunkRunner {
    return (deliver) => {
      let nextSeq = 0;
      let nextDelivery = 0;
      const ready = new Map<number, ChunkFindings[]>();
      let batch: { text: string; port: number | null }[] = [];
      let batchChars = 0;
      let lastProgress = Date.now();
      const deliverReady = (): void => {
        for (let r = ready.get(nextDelivery); r !== undefined; r = ready.get(nextDelivery)) {
          ready.delete(nextDelivery++);
          for (const c of r) deliver(c);
        }
      };
      const collect = (): void => {
        for (const slot of this.slots) {
          for (let m = receiveMessageOnPort(slot.results); m !== undefined; m = receiveMessageOnPort(slot.results)) {
            const done = m.message as Done;
            if (!slot.inFlight.delete(done.seq)) continue;
            if (done.error !== undefined) throw new Error(`chunk analysis failed in a worker: ${done.error}`);
            ready.set(done.seq, done.results!);
            lastProgress = Date.now();
          }
        }
        deliverReady();
      };
      const analyseHere = (job: Job): void => {
        ready.set(job.seq, runJob(job));
        lastProgress = Date.now();
      };
      /** Sends the batch to the least busy worker, or analyses it here when every worker is busy. */
      const dispatch = (): void => {
        if (batch.length === 0) return;
        const job: Job = { seq: nextSeq++, chunks: batch, settings, keepText };
        const large = batchChars > MAX_WORKER_CHUNK;
        batch = [];
        batchChars = 0;
        collect();
        let slot: WorkerSlot | undefined;
        for (const s of this.slots) if (!slot || s.inFlight.size < slot.inFlight.size) slot = s;
        if (slot && slot.inFlight.size < MAX_IN_FLIGHT && !large) {
          slot.inFlight.set(job.seq, job);
          slot.worker.postMessage(job);
        } else {
          analyseHere(job);
        }
        deliverReady();
      };
      /** Waits for a worker's next result; after a long silence takes the queued batches back. */
      const waitForWorkers = (): void => {
        const seen = Atomics.load(this.signal, 0);
        collect();
        if (Atomics.load(this.signal, 0) !== seen || nextDelivery === nextSeq) return;
        if (Atomics.wait(this.signal, 0, seen, 1000) === 'timed-out' && Date.now() - lastProgress > STALL_MS) {
          for (const slot of this.slots) {
            for (const job of slot.inFlight.values()) analyseHere(job);
            slot.inFlight.clear();
          }
        }
        collect();
      };
      return {
        submit: (text, port) => {
          batch.push({ text, port });
          batchChars += text.length;
          if (batchChars >= BATCH_CHARS) dispatch();
        },
        flush: () => {
          dispatch();
          while (nextDelivery < nextSeq) waitForWorkers();
        },
      };
    };
  }
}
