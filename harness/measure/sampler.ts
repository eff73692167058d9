import { once } from 'node:events';
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import { badInput, infrastructure } from '../errors/harness-error.ts';
import { type MeasureEnv, readMeasureEnv } from './environment.ts';
import { samplerCore } from './native-core.ts';
import {
  type Answer,
  type Batch,
  CONTROL_SLOTS,
  type Command,
  DONE,
  SAMPLER_SERIES,
  UNSENT,
  WAKE,
  type WorkerSetup,
} from './sampler-protocol.ts';
import { describeSpec, type SeriesSpec } from './series-spec.ts';
import type { SeriesSample } from './types.ts';

export const MIN_INTERVAL_MS = 100;
export const DEFAULT_INTERVAL_MS = 1000;
export { SAMPLER_SERIES };
/** How long a call waits for the sampling thread to answer before giving up on it. */
export const ANSWER_BUDGET_MS = 30_000;

export interface SamplerOptions {
  /** Default 1000 ms, at least 100 ms. */
  intervalMs?: number;
  series: Record<string, SeriesSpec>;
  /**
   * The run's origin: a `performance.now()` value (ms) or a `process.hrtime.bigint()` value
   * (ns); both read the same monotonic clock. Sample times are ms since then.
   */
  origin?: number | bigint;
  /** While a series has nothing bound, try to resolve it again at most this often. */
  retryMs?: number;
  /** For tests: a fixture tree instead of /proc. */
  env?: MeasureEnv;
}

export interface Sampler extends AsyncDisposable {
  readonly intervalMs: number;
  readonly origin: number | bigint;
  /** Ms since the origin, on the clock the samples use. */
  now(): number;
  samples(name: string): readonly SeriesSample[];
  names(): string[];
  /** Adds a series (e.g. the container's cgroup, once the container exists). */
  addSeries(name: string, spec: SeriesSpec): void;
  /** Resolves every series anew; call it at the start of each window. */
  refresh(): void;
  /** Takes one sample of every series now, e.g. exactly at a phase boundary. */
  sampleNow(): void;
  /** How the rounds have been taken (native thread or Node thread, and why), once known. */
  core(): string | undefined;
  stop(): Promise<void>;
}

/**
 * Starts sampling every series at a fixed interval on the monotonic clock, on a thread of its
 * own that sleeps in Atomics.wait between rounds. Throws when a process name matches several
 * unrelated processes: the caller must pick one (pid or cgroup).
 */
export async function startSampler(options: SamplerOptions): Promise<Sampler> {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  if (!(intervalMs >= MIN_INTERVAL_MS)) {
    throw badInput(
      `sampler interval ${intervalMs} ms is below the ${MIN_INTERVAL_MS} ms minimum`,
      `use --interval ${MIN_INTERVAL_MS} or more`,
    );
  }
  const origin = options.origin ?? performance.now();
  const { port1: port, port2: workerPort } = new MessageChannel();
  const setup: WorkerSetup = {
    port: workerPort,
    control: new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4)),
    intervalMs,
    originNs: toNanoseconds(origin),
    env: options.env ?? readMeasureEnv(),
    retryMs: options.retryMs ?? Math.max(intervalMs, DEFAULT_INTERVAL_MS),
  };
  const worker = new Worker(new URL('./sampler-worker.ts', import.meta.url), {
    workerData: setup,
    transferList: [workerPort],
  });
  try {
    await once(worker, 'message');
  } catch (error) {
    throw infrastructure('sampling thread failed to start', error);
  }

  const sampler = new ThreadSampler(intervalMs, origin, worker, port, setup.control);
  try {
    for (const [name, spec] of Object.entries(options.series)) sampler.addSeries(name, spec);
    sampler.start();
  } catch (error) {
    await sampler.stop();
    throw error;
  }
  return sampler;
}

/** The monotonic instant `origin` names, as `process.hrtime.bigint()` would give it. */
function toNanoseconds(origin: number | bigint): bigint {
  if (typeof origin === 'bigint') return origin;
  return process.hrtime.bigint() - BigInt(Math.round((performance.now() - origin) * 1e6));
}

/**
 * The caller's side. Every call that changes or reads the sampling thread's state posts one
 * command and blocks until the answer, so it completes before it returns, as a call on this
 * thread would; the answer carries every sample taken since the previous one.
 */
class ThreadSampler implements Sampler {
  readonly intervalMs: number;
  readonly origin: number | bigint;
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #control: Int32Array;
  readonly #samples = new Map<string, SeriesSample[]>([[SAMPLER_SERIES, []]]);
  #failure: Error | undefined;
  #core: string | undefined;
  #stopped = false;

  constructor(
    intervalMs: number,
    origin: number | bigint,
    worker: Worker,
    port: MessagePort,
    control: Int32Array,
  ) {
    this.intervalMs = intervalMs;
    this.origin = origin;
    this.#worker = worker;
    this.#port = port;
    this.#control = control;
    // An exception that escapes the thread must not take the caller's process down with it.
    worker.on('error', (error) => {
      this.#failure ??= error;
    });
    worker.unref();
  }

  now = (): number => {
    const origin = this.origin;
    return typeof origin === 'bigint'
      ? Number(process.hrtime.bigint() - origin) / 1e6
      : performance.now() - origin;
  };

  samples(name: string): readonly SeriesSample[] {
    if (!this.#stopped) {
      try {
        this.#receive();
        if (Atomics.load(this.#control, UNSENT) > 0) this.#call({ op: 'flush' });
      } catch {
        // Kept in #failure: the next sampleNow, refresh or addSeries reports it.
      }
    }
    return this.#samples.get(name) ?? [];
  }

  names(): string[] {
    return [...this.#samples.keys()]
      .filter((name) => name !== SAMPLER_SERIES)
      .concat(SAMPLER_SERIES);
  }

  addSeries(name: string, spec: SeriesSpec): void {
    if (this.#samples.has(name)) {
      throw badInput(`series "${name}" already exists`, 'give each series its own name');
    }
    const answer = this.#call({ op: 'add', name, spec });
    if (!answer.ok && 'ambiguous' in answer) {
      throw badInput(
        `series "${name}": ${answer.ambiguous}`,
        `measure one of them by pid (pid:<n>) or by cgroup instead of ${describeSpec(spec)}`,
      );
    }
    this.#samples.set(name, []);
  }

  refresh(): void {
    this.#call({ op: 'refresh' });
  }

  core(): string | undefined {
    return this.#core;
  }

  sampleNow(): void {
    this.#call({ op: 'sample' });
  }

  start(): void {
    this.#call({ op: 'start' });
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    try {
      this.#call({ op: 'stop' });
    } catch {
      // A thread that cannot answer any more is ended below all the same.
    } finally {
      this.#stopped = true;
      await this.#worker.terminate();
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /** Posts `command`, wakes the sampling thread and blocks until it has answered. */
  #call(command: Command): Answer {
    if (this.#stopped)
      throw badInput(`sampler: "${command.op}" after stop`, 'call it before stop()');
    if (this.#failure) throw infrastructure('sampling thread failed', this.#failure);

    const control = this.#control;
    const done = Atomics.load(control, DONE);
    this.#port.postMessage(command);
    Atomics.add(control, WAKE, 1);
    Atomics.notify(control, WAKE);
    // While the native thread watches a quiet /proc target, the sampling thread sleeps on the
    // kernel's futex (so that thread can wake it), which Atomics.notify does not reach.
    const core = samplerCore();
    if ('addon' in core) core.addon.futexWake(control, WAKE);
    if (Atomics.wait(control, DONE, done, ANSWER_BUDGET_MS) === 'timed-out') {
      this.#failure = infrastructure(
        `sampling thread did not answer "${command.op}" within ${ANSWER_BUDGET_MS} ms`,
      );
      throw this.#failure;
    }

    const answer = this.#receive();
    if (!answer) throw infrastructure(`sampling thread woke without answering "${command.op}"`);
    if (!answer.ok && 'failure' in answer) throw failed(command.op, answer.failure);
    return answer;
  }

  /** Takes every batch the sampling thread has posted; returns the answer among them, if any. */
  #receive(): Answer | undefined {
    let answer: Answer | undefined;
    for (let received = receiveMessageOnPort(this.#port); received; ) {
      const batch = received.message as Batch;
      for (const [name, taken] of Object.entries(batch.samples)) {
        const samples = this.#samples.get(name);
        if (samples) for (const sample of taken) samples.push(sample);
      }
      if (batch.failure) this.#failure ??= failed('a scheduled round', batch.failure);
      this.#core = batch.core ?? this.#core;
      answer = batch.answer ?? answer;
      received = receiveMessageOnPort(this.#port);
    }
    return answer;
  }
}

function failed(what: string, failure: { message: string; stack?: string }) {
  const cause = Object.assign(new Error(failure.message), { stack: failure.stack });
  return infrastructure(`sampling thread failed in ${what}: ${failure.message}`, cause);
}
