import { NativeRounds, samplerCore } from './native-core.ts';
import type { Series } from './series.ts';

/**
 * Series whose rounds the native thread takes: which files of a round are whose, and what
 * that thread has cost so far. Made only when every series is bound to fixed files.
 */
export class NativeHandoff {
  readonly #rounds: NativeRounds;
  readonly #parts: { series: Series; from: number; to: number }[];
  readonly #originMonoNs: number;
  #threadSeconds = 0;
  /** When its last round collected so far began, ms since the origin. */
  lastRoundMs: number | undefined;

  private constructor(
    rounds: NativeRounds,
    parts: { series: Series; from: number; to: number }[],
    originMonoNs: number,
  ) {
    this.#rounds = rounds;
    this.#parts = parts;
    this.#originMonoNs = originMonoNs;
  }

  /**
   * Starts the native thread on the grid dueMs + k * intervalMs (ms since the origin), with
   * room for `holdMs` of rounds; undefined when the addon is not built or a series needs
   * decisions each round, is unbound, or found its files gone.
   */
  static start(
    series: Iterable<Series>,
    grid: { originMonoNs: number; dueMs: number; intervalMs: number; holdMs: number },
  ): NativeHandoff | undefined {
    const core = samplerCore();
    if (!('addon' in core)) return undefined;
    const parts: { series: Series; from: number; to: number }[] = [];
    const fds: number[] = [];
    for (const each of series) {
      const files = each.fixedFiles()?.files;
      if (!files) return undefined;
      const from = fds.length;
      for (const file of files) {
        if (file.fd === undefined) return undefined;
        fds.push(file.fd);
      }
      parts.push({ series: each, from, to: fds.length });
    }

    const capacity = Math.ceil(grid.holdMs / grid.intervalMs) + 16;
    const times = {
      firstDueNs: grid.originMonoNs + grid.dueMs * 1e6,
      intervalNs: grid.intervalMs * 1e6,
    };
    const rounds = new NativeRounds(core.addon, fds, times, capacity);
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
      for (const { series, from, to } of this.#parts) {
        series.sampleFrom(tMs, round.files.slice(from, to));
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
