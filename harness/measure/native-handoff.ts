import { NativeRounds, samplerCore } from './native-core.ts';
import type { Series } from './series.ts';

/** The files of one series in a round, and at which grid points they are read. */
interface Part {
  series: Series;
  from: number;
  to: number;
  period: number;
}

/**
 * Series whose rounds the native thread takes: which files of a round are whose, and what
 * that thread has cost so far. Made only when every series is bound to fixed files.
 */
export class NativeHandoff {
  readonly #rounds: NativeRounds;
  readonly #parts: Part[];
  readonly #originMonoNs: number;
  #threadSeconds = 0;
  /** When its last round collected so far began, ms since the origin. */
  lastRoundMs: number | undefined;

  private constructor(rounds: NativeRounds, parts: Part[], originMonoNs: number) {
    this.#rounds = rounds;
    this.#parts = parts;
    this.#originMonoNs = originMonoNs;
  }

  /**
   * Starts the native thread on the grid: grid point `tick` is due at `dueMs` (ms since the
   * origin), the next ones every `intervalMs`; with room for `holdMs` of rounds. Undefined
   * when the addon is not built or a series needs decisions each round, is unbound, or found
   * its files gone.
   */
  static start(
    series: Iterable<Series>,
    grid: { originMonoNs: number; dueMs: number; tick: number; intervalMs: number; holdMs: number },
  ): NativeHandoff | undefined {
    const core = samplerCore();
    if (!('addon' in core)) return undefined;
    const parts: Part[] = [];
    const files: { fd: number; period: number }[] = [];
    for (const each of series) {
      const fixed = each.fixedFiles()?.files;
      if (!fixed) return undefined;
      const from = files.length;
      const period = each.periodRounds(grid.intervalMs);
      for (const file of fixed) {
        if (file.fd === undefined) return undefined;
        files.push({ fd: file.fd, period });
      }
      parts.push({ series: each, from, to: files.length, period });
    }

    const capacity = Math.ceil(grid.holdMs / grid.intervalMs) + 16;
    const times = {
      firstDueNs: grid.originMonoNs + grid.dueMs * 1e6,
      intervalNs: grid.intervalMs * 1e6,
      firstTick: grid.tick,
    };
    const rounds = new NativeRounds(core.addon, files, times, capacity);
    return new NativeHandoff(rounds, parts, grid.originMonoNs);
  }

  /**
   * Turns the rounds taken since the last call into samples of their series; returns how
   * many. Throws when the ring overran.
   */
  collect(): number {
    const rounds = this.#rounds.drain();
    for (const round of rounds) {
      const tMs = (round.monoNs - this.#originMonoNs) / 1e6;
      for (const { series, from, to, period } of this.#parts) {
        if (round.tick % period === 0) series.sampleFrom(tMs, round.files.slice(from, to));
      }
      this.lastRoundMs = tMs;
    }
    this.#threadSeconds = this.#rounds.threadCpuSeconds() ?? this.#threadSeconds;
    return rounds.length;
  }

  /** Whether a series found its files gone: the Node thread must take over and resolve. */
  get anyGone(): boolean {
    return this.#parts.some(({ series }) => series.gone);
  }

  /** CPU the native thread has used, s, as of the last collect. */
  get threadSeconds(): number {
    return this.#threadSeconds;
  }

  /** Collects, stops the thread, then collects the round it may have been taking. */
  stop(): number {
    const collected = this.collect(); // while the thread exists, so its CPU can be read
    this.#rounds.stop();
    return collected + this.collect();
  }
}
