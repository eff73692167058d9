import { closeSync, openSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type AggregatorOptions, type LogAnalysis, UnmountLogAggregator } from './aggregate.ts';
import { ByteLogScanner } from './byte-scanner.ts';
import { LineBuffer } from './line-buffer.ts';
import { scanFileSegment } from './scan-file.ts';
import type { SegmentRequest, SegmentResult } from './segments.ts';
import { UnmountEvents } from './unmount-events.ts';

export interface AnalyzeFileOptions extends AggregatorOptions {
  /** Worker threads scanning the file; 1 scans on the calling thread. Default: up to 2. */
  threads?: number;
  /** Size of the parts the file is cut into; small values exercise the seams in tests. */
  segmentBytes?: number;
  /** Scan the leading segments here while the workers start (default true). */
  scanWhileWorkersStart?: boolean;
}

const SEGMENT_BYTES = 16 << 20;
/** Segments handed out but not yet applied; bounds memory whatever the file size. */
const MAX_AHEAD = 4;

/**
 * Analyses a saved log file in constant memory. The file is cut into segments at line
 * boundaries that worker threads scan in parallel; their events are applied strictly in
 * file order, so the result is the one a single sequential pass gives.
 */
export async function analyzeFile(
  path: string,
  options: AnalyzeFileOptions = {},
): Promise<LogAnalysis> {
  const { size } = await stat(path);
  const plan = new SegmentPlan(size, options.segmentBytes ?? SEGMENT_BYTES);
  const threads = Math.min(options.threads ?? Math.min(2, availableParallelism()), plan.count);
  const aggregator = new UnmountLogAggregator(options);
  const partial =
    threads <= 1
      ? scanHere(path, plan, aggregator)
      : await scanInWorkers(path, plan, threads, aggregator, options.scanWhileWorkersStart ?? true);
  if (partial) aggregator.notePartialLastLine();
  return aggregator.finish();
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

function scanHere(path: string, plan: SegmentPlan, aggregator: UnmountLogAggregator): boolean {
  const here = new LocalScan(path);
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
  plan: SegmentPlan,
  threads: number,
  aggregator: UnmountLogAggregator,
  leadHere: boolean,
): Promise<boolean> {
  const script = new URL('./scan-worker.ts', import.meta.url);
  const workers = Array.from(
    { length: threads },
    () => new Worker(script, { workerData: { path } }),
  );
  const idle: Worker[] = [];
  const waiting = new Map<number, SegmentResult>();
  const spareOps: Float64Array[] = [];
  const here = new LocalScan(path);
  let started = 0;
  let next = 0;
  let applied = 0;
  let partial = false;
  let settled = false;

  return new Promise<boolean>((resolve, reject) => {
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      here.close();
      for (const worker of workers) void worker.terminate();
      reject(error);
    };
    const dispatch = () => {
      while (idle.length > 0 && next < plan.count && next < applied + MAX_AHEAD) {
        const worker = idle.pop() as Worker;
        const spare = spareOps.pop();
        const request: SegmentRequest = { index: next, ...plan.range(next), spareOps: spare };
        worker.postMessage(request, spare === undefined ? [] : [spare.buffer as ArrayBuffer]);
        next++;
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
    // Starting a worker takes a while (its own module loading and JIT warm-up): until the
    // first one is ready, this thread scans the leading segments itself.
    const scanWhileStarting = () => {
      if (!leadHere || settled || started > 0 || next >= plan.count) return;
      const index = next++;
      const { from, to } = plan.range(index);
      try {
        accept(here.scan(index, from, to));
      } catch (error) {
        fail(error);
        return;
      }
      setImmediate(scanWhileStarting);
    };
    for (const worker of workers) {
      worker.on('message', (message: SegmentResult | 'ready') => {
        try {
          idle.push(worker);
          if (message === 'ready') started++;
          else accept(message);
          dispatch();
        } catch (error) {
          fail(error);
        }
      });
      worker.on('error', fail);
    }
    scanWhileStarting();
  });
}

/** Scanning segments on the calling thread. */
class LocalScan {
  readonly #fd: number;
  readonly #events = new UnmountEvents();
  readonly #lines = new LineBuffer(new ByteLogScanner(this.#events));
  #open = true;
  #spare: Float64Array | undefined;

  constructor(path: string) {
    this.#fd = openSync(path, 'r');
  }

  scan(index: number, from: number, to: number): SegmentResult {
    const partialLastLine = scanFileSegment(this.#fd, from, to, this.#lines);
    const batch = this.#events.take(this.#spare);
    this.#spare = undefined;
    return { index, batch, partialLastLine };
  }

  /** Gives back the ops array of a batch already applied, for the next batch to reuse. */
  recycle(ops: Float64Array): void {
    this.#spare = ops;
  }

  close(): void {
    if (this.#open) closeSync(this.#fd);
    this.#open = false;
  }
}
