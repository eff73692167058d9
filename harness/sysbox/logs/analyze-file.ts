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
      : await scanInWorkers(path, plan, threads, aggregator);
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
  const fd = openSync(path, 'r');
  try {
    const events = new UnmountEvents();
    const lines = new LineBuffer(new ByteLogScanner(events));
    let partial = false;
    let spare: Float64Array | undefined;
    for (let index = 0; index < plan.count; index++) {
      const { from, to } = plan.range(index);
      partial = scanFileSegment(fd, from, to, lines) || partial;
      const batch = events.take(spare);
      aggregator.replay(batch);
      spare = batch.ops;
    }
    return partial;
  } finally {
    closeSync(fd);
  }
}

function scanInWorkers(
  path: string,
  plan: SegmentPlan,
  threads: number,
  aggregator: UnmountLogAggregator,
): Promise<boolean> {
  const script = new URL('./scan-worker.ts', import.meta.url);
  const workers = Array.from(
    { length: threads },
    () => new Worker(script, { workerData: { path } }),
  );
  const idle = [...workers];
  const waiting = new Map<number, SegmentResult>();
  const spareOps: Float64Array[] = [];
  let next = 0;
  let applied = 0;
  let partial = false;

  return new Promise<boolean>((resolve, reject) => {
    const fail = (error: unknown) => {
      for (const worker of workers) void worker.terminate();
      reject(error);
    };
    const dispatch = () => {
      while (idle.length > 0 && next < plan.count && next < applied + MAX_AHEAD) {
        const worker = idle.pop() as Worker;
        const spare = spareOps.pop();
        const request: SegmentRequest = {
          index: next,
          ...plan.range(next),
          spareOps: spare,
        };
        worker.postMessage(request, spare === undefined ? [] : [spare.buffer as ArrayBuffer]);
        next++;
      }
    };
    const receive = (worker: Worker, result: SegmentResult) => {
      idle.push(worker);
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
      for (const each of workers) each.postMessage(null);
      resolve(partial);
    };
    for (const worker of workers) {
      worker.on('message', (result: SegmentResult) => {
        try {
          receive(worker, result);
        } catch (error) {
          fail(error);
        }
      });
      worker.on('error', fail);
    }
    dispatch();
  });
}
