import { badInput } from '../errors/harness-error.ts';
import { type MeasureEnv, readMeasureEnv } from './environment.ts';
import { Series } from './series.ts';
import { describeSpec, type SeriesSpec } from './series-spec.ts';
import type { CpuReading, SeriesSample } from './types.ts';

export const MIN_INTERVAL_MS = 100;
export const DEFAULT_INTERVAL_MS = 1000;
/** The series in which the sampler records the CPU its own sampling cost. */
export const SAMPLER_SERIES = 'sampler';

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
  stop(): Promise<void>;
}

/**
 * Starts sampling every series at a fixed interval on the monotonic clock. Throws when a
 * process name matches several unrelated processes: the caller must pick one (pid or cgroup).
 */
export async function startSampler(options: SamplerOptions): Promise<Sampler> {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  if (!(intervalMs >= MIN_INTERVAL_MS)) {
    throw badInput(
      `sampler interval ${intervalMs} ms is below the ${MIN_INTERVAL_MS} ms minimum`,
      `use --interval ${MIN_INTERVAL_MS} or more`,
    );
  }
  const sampler = new IntervalSampler(
    intervalMs,
    options.origin ?? performance.now(),
    options.env ?? readMeasureEnv(),
    options.retryMs ?? Math.max(intervalMs, DEFAULT_INTERVAL_MS),
  );
  try {
    for (const [name, spec] of Object.entries(options.series)) sampler.addSeries(name, spec);
  } catch (error) {
    await sampler.stop();
    throw error;
  }
  sampler.start();
  return sampler;
}

class IntervalSampler implements Sampler {
  readonly intervalMs: number;
  readonly origin: number | bigint;
  readonly #env: MeasureEnv;
  readonly #retryMs: number;
  readonly #series = new Map<string, Series>();
  readonly #own: SeriesSample[] = [];
  // The kernel's per-thread accounting (getrusage RUSAGE_THREAD), the same counters as
  // /proc/self/task/<tid>/stat, which is why the report names its source 'proc'.
  readonly #ownIdentity = `sampler thread of pid ${process.pid}`;
  #ownUserUs = 0;
  #ownSystemUs = 0;
  #timer: NodeJS.Timeout | undefined;
  #ticks = 0;
  #stopped = false;

  constructor(intervalMs: number, origin: number | bigint, env: MeasureEnv, retryMs: number) {
    this.intervalMs = intervalMs;
    this.origin = origin;
    this.#env = env;
    this.#retryMs = retryMs;
  }

  now = (): number => {
    const origin = this.origin;
    return typeof origin === 'bigint'
      ? Number(process.hrtime.bigint() - origin) / 1e6
      : performance.now() - origin;
  };

  samples(name: string): readonly SeriesSample[] {
    if (name === SAMPLER_SERIES) return this.#own;
    return this.#series.get(name)?.samples ?? [];
  }

  names(): string[] {
    return [...this.#series.keys(), SAMPLER_SERIES];
  }

  addSeries(name: string, spec: SeriesSpec): void {
    if (name === SAMPLER_SERIES || this.#series.has(name)) {
      throw badInput(`series "${name}" already exists`, 'give each series its own name');
    }
    const series = new Series(name, spec, this.#env, this.#retryMs);
    const unbound = this.#measured(() => series.resolve(this.now()));
    if (unbound?.state === 'ambiguous') {
      series[Symbol.dispose]();
      throw badInput(
        `series "${name}": ${unbound.detail}`,
        `measure one of them by pid or by cgroup instead of by name (${describeSpec(spec)})`,
      );
    }
    this.#series.set(name, series);
  }

  refresh(): void {
    this.#measured(() => {
      for (const series of this.#series.values()) series.resolve(this.now());
    });
  }

  sampleNow(): void {
    this.#measured(() => {
      for (const series of this.#series.values()) series.sample(this.now);
    });
    this.#recordOwn();
  }

  start(): void {
    this.sampleNow();
    this.#schedule();
  }

  // Ticks fall on a fixed grid from the first sample, so a late tick does not shift the rest.
  #schedule(): void {
    if (this.#stopped) return;
    const firstMs = this.#own[0]?.tMs ?? this.now();
    let dueMs = firstMs + ++this.#ticks * this.intervalMs;
    const nowMs = this.now();
    while (dueMs < nowMs) dueMs = firstMs + ++this.#ticks * this.intervalMs;
    this.#timer = setTimeout(() => {
      this.sampleNow();
      this.#schedule();
    }, dueMs - nowMs);
    this.#timer.unref();
  }

  /** Runs `work` and charges the CPU it took on this thread to the sampler's own series. */
  #measured<T>(work: () => T): T {
    const before = process.threadCpuUsage();
    try {
      return work();
    } finally {
      const after = process.threadCpuUsage();
      this.#ownUserUs += after.user - before.user;
      this.#ownSystemUs += after.system - before.system;
    }
  }

  #recordOwn(): void {
    const tMs = this.now();
    const reading: CpuReading = {
      tMs,
      totalSeconds: (this.#ownUserUs + this.#ownSystemUs) / 1e6,
      userSeconds: this.#ownUserUs / 1e6,
      systemSeconds: this.#ownSystemUs / 1e6,
      source: 'proc',
      identity: this.#ownIdentity,
    };
    this.#own.push({ tMs, state: 'present', reading });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    for (const series of this.#series.values()) series[Symbol.dispose]();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
