import { closeSync, openSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { getCompileCacheDir } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type AggregatorOptions, type LogAnalysis, UnmountLogAggregator } from './aggregate.ts';
import { LineBuffer } from './line-buffer.ts';
import { chooseLogScanner, createLogScanner, type LogScannerChoice } from './log-scanner.ts';
import { scanFileSegment } from './scan-file.ts';
import type { SegmentRequest, SegmentResult } from './segments.ts';
import { UnmountEvents } from './unmount-events.ts';

export interface AnalyzeFileOptions extends AggregatorOptions {
  /**
   * Threads scanning the file, the calling thread included unless scanOnCallingThread is
   * false; 1 scans on the calling thread alone. Default: defaultScanThreads().
   */
  threads?: number;
  /** Size of the parts the file is cut into; small values exercise the seams in tests. */
  segmentBytes?: number;
  /** Whether the calling thread scans segments too (default true); false: workers only. */
  scanOnCallingThread?: boolean;
  /** Which line scanner; default: chooseLogScanner()'s. */
  scanner?: LogScannerChoice;
}

const SEGMENT_BYTES = 16 << 20;
/** Segments handed out but not yet applied; bounds memory whatever the file size. */
const MAX_AHEAD = 10;
/** Requests a worker holds at once, so it never waits for this thread between segments. */
const WORKER_QUEUE = 2;

/**
 * Analyses a saved log file in constant memory. The file is cut into segments at line
 * boundaries that worker threads scan in parallel; their events are applied strictly in
 * file order, so the result is the one a single sequential pass gives.
 */
export async function analyzeFile(
  path: string,
  options: AnalyzeFileOptions = {},
): Promise<LogAnalysis> {
  const scanner = chooseLogScanner(options.scanner);
  const { size } = await stat(path);
  const plan = new SegmentPlan(size, options.segmentBytes ?? SEGMENT_BYTES);
  const threads = Math.min(options.threads ?? defaultScanThreads(), plan.count);
  const aggregator = new UnmountLogAggregator(options);
  const partial =
    threads <= 1
      ? scanHere(path, scanner, plan, aggregator)
      : await scanInWorkers(path, scanner, plan, threads, aggregator, options);
  if (partial) aggregator.notePartialLastLine();
  return aggregator.finish();
}

/**
 * Two scanning threads on an idle machine; one when the run queue already fills the cores,
 * where a second thread measured slower than one (it only competes, and pays its start-up).
 */
export function defaultScanThreads(): number {
  const cores = availableParallelism();
  if (cores < 2 || (loadavg()[0] ?? 0) >= cores) return 1;
  return 2;
}

/** The file cut into equal byte ranges; the last one runs to whatever the end is by then. */
class SegmentPlan {
  readonly count: number;
  readonly #bytes: number;

  constructor(size: number, bytes: number) {
    this.#bytes = bytes;
    this.count = Math.max(1, Math.ceil(size / bytes));
  }

  range(index: number): { from: number; to: number } {
    const from = index * this.#bytes;
    const last = index === this.count - 1;
    return { from, to: last ? Number.MAX_SAFE_INTEGER : from + this.#bytes };
  }
}

function scanHere(
  path: string,
  scanner: LogScannerChoice,
  plan: SegmentPlan,
  aggregator: UnmountLogAggregator,
): boolean {
  const here = new LocalScan(path, scanner);
  try {
    let partial = false;
    for (let index = 0; index < plan.count; index++) {
      const { from, to } = plan.range(index);
      const result = here.scan(index, from, to);
      aggregator.replay(result.batch);
      here.recycle(result.batch.ops);
      partial ||= result.partialLastLine;
    }
    return partial;
  } finally {
    here.close();
  }
}

function scanInWorkers(
  path: string,
  scanner: LogScannerChoice,
  plan: SegmentPlan,
  threads: number,
  aggregator: UnmountLogAggregator,
  options: AnalyzeFileOptions,
): Promise<boolean> {
  const scanHereToo = options.scanOnCallingThread ?? true;
  const script = new URL('./scan-worker.ts', import.meta.url);
  const env = workerEnvironment();
  const workers = Array.from(
    { length: scanHereToo ? threads - 1 : threads },
    () => new Worker(script, { workerData: { path, scanner }, env }),
  );
  // A worker gets segments once it is ready: until then this thread scans the leading ones
  // itself, rather than leave them queued behind the worker's start-up.
  const inFlight = new Map<Worker, number>();
  const waiting = new Map<number, SegmentResult>();
  const spareOps: Float64Array[] = [];
  const here = new LocalScan(path, scanner);
  let next = 0;
  let applied = 0;
  let partial = false;
  let settled = false;
  let hereScheduled = false;

  return new Promise<boolean>((resolve, reject) => {
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      here.close();
      for (const worker of workers) void worker.terminate();
      reject(error);
    };
    const mayHandOut = () => !settled && next < plan.count && next < applied + MAX_AHEAD;
    const dispatch = () => {
      for (const [worker, held] of inFlight) {
        for (let count = held; mayHandOut() && count < WORKER_QUEUE; count++) {
          const spare = spareOps.pop();
          const request: SegmentRequest = { index: next, ...plan.range(next), spareOps: spare };
          worker.postMessage(request, spare === undefined ? [] : [spare.buffer as ArrayBuffer]);
          inFlight.set(worker, count + 1);
          next++;
        }
      }
      if (scanHereToo && !hereScheduled && mayHandOut()) {
        hereScheduled = true;
        setImmediate(scanOneHere);
      }
    };
    const accept = (result: SegmentResult) => {
      waiting.set(result.index, result);
      for (let ready = waiting.get(applied); ready !== undefined; ready = waiting.get(applied)) {
        waiting.delete(applied);
        aggregator.replay(ready.batch);
        spareOps.push(ready.batch.ops);
        partial ||= ready.partialLastLine;
        applied++;
      }
      if (applied < plan.count) {
        dispatch();
        return;
      }
      settled = true;
      here.close();
      for (const each of workers) each.postMessage(null);
      resolve(partial);
    };
    // This thread scans segments too, between handling the workers' results: a worker
    // takes a while to start (module loading, JIT warm-up), and on two cores a third busy
    // thread would only compete with the other two.
    const scanOneHere = () => {
      hereScheduled = false;
      if (!mayHandOut()) return;
      const index = next++;
      const { from, to } = plan.range(index);
      try {
        here.recycle(spareOps.pop());
        accept(here.scan(index, from, to));
      } catch (error) {
        fail(error);
      }
    };
    for (const worker of workers) {
      worker.on('message', (message: SegmentResult | 'ready') => {
        try {
          if (message === 'ready') inFlight.set(worker, 0);
          else {
            inFlight.set(worker, (inFlight.get(worker) ?? 1) - 1);
            accept(message);
          }
          dispatch();
        } catch (error) {
          fail(error);
        }
      });
      worker.on('error', fail);
    }
    dispatch();
  });
}

/**
 * The calling thread's environment, plus its module compile cache when it has one: a worker
 * then loads its modules from that cache instead of stripping their TypeScript types again,
 * which is most of its start-up, while the calling thread scans alone.
 */
function workerEnvironment(): NodeJS.ProcessEnv {
  const compileCache = getCompileCacheDir();
  if (compileCache === undefined) return process.env;
  return { ...process.env, NODE_COMPILE_CACHE: compileCache };
}

/** Scanning segments on the calling thread. */
class LocalScan {
  readonly #fd: number;
  readonly #events = new UnmountEvents();
  readonly #lines: LineBuffer;
  #open = true;
  #spare: Float64Array | undefined;

  constructor(path: string, scanner: LogScannerChoice) {
    this.#lines = new LineBuffer(createLogScanner(this.#events, scanner));
    this.#fd = openSync(path, 'r');
  }

  scan(index: number, from: number, to: number): SegmentResult {
    const partialLastLine = scanFileSegment(this.#fd, from, to, this.#lines);
    const batch = this.#events.take(this.#spare);
    this.#spare = undefined;
    return { index, batch, partialLastLine };
  }

  /** Gives back the ops array of a batch already applied, for the next batch to reuse. */
  recycle(ops: Float64Array | undefined): void {
    this.#spare = ops;
  }

  close(): void {
    if (this.#open) closeSync(this.#fd);
    this.#open = false;
  }
}
