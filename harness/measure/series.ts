import type { Bytes } from './bytes.ts';
import type { MeasureEnv } from './environment.ts';
import { type FixedFiles, type Probe, periodRounds } from './probes.ts';
import { type Resolution, resolveSeries } from './resolve.ts';
import { describeSpec, type SeriesSpec } from './series-spec.ts';
import type { CpuReading, SeriesSample } from './types.ts';

/**
 * A read slower than this, and than twice the quickest of the series' last RECENT_READS, was
 * probably preempted; a target whose reads grow slower for good raises the budget with them.
 */
const SLOW_READ_MS = 5;
const RECENT_READS = 10;
const READ_ATTEMPTS = 3;

/**
 * One named timeline. It stays bound to what it resolved until that is gone; then it resolves
 * again, at most once per `retryMs`, recording why there is no reading in between.
 */
export class Series implements Disposable {
  readonly name: string;
  readonly spec: SeriesSpec;
  readonly samples: SeriesSample[] = [];
  readonly #env: MeasureEnv;
  readonly #retryMs: number;
  #probe: Probe | undefined;
  #unbound: Exclude<Resolution, { state: 'bound' }> | undefined;
  #lastResolveMs = Number.NEGATIVE_INFINITY;
  #last: CpuReading | undefined;
  /** Set when the native thread found the bound files gone; see dropGone(). */
  #gone = false;
  /** Bumped when a counter goes backwards under the same identity (a re-created cgroup). */
  #generation = 0;
  /** How long the last readings kept took, ms: the quickest is what a read usually costs. */
  readonly #recentReadsMs: number[] = [];

  constructor(name: string, spec: SeriesSpec, env: MeasureEnv, retryMs: number) {
    this.name = name;
    this.spec = spec;
    this.#env = env;
    this.#retryMs = retryMs;
  }

  /** Resolves now; returns why nothing is bound, if so. */
  resolve(tMs: number): Exclude<Resolution, { state: 'bound' }> | undefined {
    this.#probe?.[Symbol.dispose]();
    this.#probe = undefined;
    this.#lastResolveMs = tMs;
    const resolution = resolveSeries(this.spec, this.#env);
    if (resolution.state === 'bound') this.#probe = resolution.probe;
    this.#unbound = resolution.state === 'bound' ? undefined : resolution;
    return this.#unbound;
  }

  sample(now: () => number): SeriesSample {
    const bound = this.#probe;
    let reading = bound && this.#readStamped(bound, now);
    if (!reading && bound) {
      this.#markGone();
      this.dropGone();
    }
    if (!this.#probe && now() - this.#lastResolveMs >= this.#retryMs) {
      this.resolve(now());
      reading = this.#probe && this.#readStamped(this.#probe, now);
    }

    const sample = reading ? this.#present(reading) : this.#absent(now());
    this.samples.push(sample);
    return sample;
  }

  /** Every how many rounds of `intervalMs` this series is read (see Probe.minIntervalMs). */
  periodRounds(intervalMs: number): number {
    return periodRounds(this.#probe, intervalMs);
  }

  /** The files a native thread may read for this series while it is bound to fixed files. */
  fixedFiles(): FixedFiles | undefined {
    return this.#gone ? undefined : this.#probe?.fixed;
  }

  /**
   * A sample from contents the native thread read of `fixed` (what fixedFiles() gave when it
   * started). Closes nothing, since that thread may still be reading: a series whose files are
   * gone answers `gone` until dropGone().
   */
  sampleFrom(
    tMs: number,
    fixed: FixedFiles,
    contents: readonly (Bytes | undefined)[],
  ): SeriesSample {
    const reading = this.#gone ? undefined : fixed.parse(tMs, contents);
    if (!reading && !this.#gone) this.#markGone();
    const sample = reading ? this.#present(reading) : this.#absent(tMs);
    this.samples.push(sample);
    return sample;
  }

  get gone(): boolean {
    return this.#gone;
  }

  #markGone(): void {
    this.#gone = true;
    this.#unbound = { state: 'absent', detail: `${describeSpec(this.spec)} went away` };
  }

  /** Closes what was found gone (once the native thread has stopped); sample() resolves again. */
  dropGone(): void {
    if (!this.#gone) return;
    this.#probe?.[Symbol.dispose]();
    this.#probe = undefined;
    this.#gone = false;
    this.#lastResolveMs = Number.NEGATIVE_INFINITY;
  }

  /**
   * A reading stamped halfway through taking it: a process with many live children takes
   * milliseconds to read, and on a busy machine the thread may be preempted in the middle.
   * Its counters were then read at instants up to the whole read apart, which at 150 % of one
   * core and a 300 ms preemption puts ±22 points into both windows the reading bounds. So a
   * read slower than its budget is taken again, and the quickest attempt kept.
   */
  #readStamped(probe: Probe, now: () => number): CpuReading | undefined {
    let usualMs = this.#recentReadsMs[0] ?? 0;
    for (const ms of this.#recentReadsMs) usualMs = Math.min(usualMs, ms);
    const budgetMs = Math.max(SLOW_READ_MS, 2 * usualMs);
    let best: { reading: CpuReading; spanMs: number } | undefined;
    for (let attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
      const startMs = now();
      const reading = probe.read(startMs);
      const endMs = now();
      // Gone since an earlier attempt: that one was still taken while it was there.
      if (!reading) break;
      const spanMs = endMs - startMs;
      if (!best || spanMs < best.spanMs) {
        // Each read makes a new reading: stamping it in place copies nothing.
        reading.tMs = (startMs + endMs) / 2;
        best = { reading, spanMs };
      }
      if (spanMs <= budgetMs) break;
    }
    if (best) this.#recentReadsMs.push(best.spanMs);
    if (this.#recentReadsMs.length > RECENT_READS) this.#recentReadsMs.shift();
    return best?.reading;
  }

  #present(reading: CpuReading): SeriesSample {
    const last = this.#last;
    // Counters never decrease: a drop means the same path or pid now names a new object.
    const sameObject = last?.identity.startsWith(reading.identity);
    if (last && sameObject && reading.totalSeconds < last.totalSeconds) {
      this.#generation++;
    }
    // The reading is this series' own (see #readStamped): renamed in place, not copied.
    if (this.#generation > 0) reading.identity = `${reading.identity} #${this.#generation}`;
    this.#last = reading;
    return { tMs: reading.tMs, state: 'present', reading };
  }

  #absent(tMs: number): SeriesSample {
    const unbound = this.#unbound ?? {
      state: 'absent',
      detail: `${describeSpec(this.spec)} not resolved yet`,
    };
    if (unbound.state === 'ambiguous') {
      return { tMs, state: 'ambiguous', detail: unbound.detail, candidates: unbound.candidates };
    }
    return { tMs, state: 'absent', detail: unbound.detail };
  }

  [Symbol.dispose](): void {
    this.#probe?.[Symbol.dispose]();
    this.#probe = undefined;
  }
}
