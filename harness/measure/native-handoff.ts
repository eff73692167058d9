import { type NativeQuiet, NativeRounds, type NativeSlot, samplerCore } from './native-core.ts';
import type { FixedFiles } from './probes.ts';
import type { Series } from './series.ts';

/** The C part's limits: slots per round and quiet checks (native/sampler-core.c). */
const MAX_SLOTS = 32;
const MAX_CHECKS = 4;

/** The slots of one series in a round, what they were bound to, and when they are read. */
interface Part {
  series: Series;
  fixed: FixedFiles;
  from: number;
  to: number;
  period: number;
}

/** Where the native thread wakes the sampling thread when it hands a quiet target back. */
export interface WakeWord {
  words: Int32Array;
  index: number;
}

/**
 * Series whose rounds the native thread takes: which files of a round are whose, and what
 * that thread has cost so far. Made only when every series is bound to fixed files.
 */
export class NativeHandoff {
  readonly #rounds: NativeRounds;
  readonly #parts: Part[];
  readonly #originMonoNs: number;
  /** Whether the thread may hand back: the sampling thread must then wait on the futex. */
  readonly watchesQuiet: boolean;
  #threadSeconds = 0;
  /** Rounds collected so far. */
  rounds = 0;
  /** When its last round collected so far began, ms since the origin. */
  lastRoundMs: number | undefined;

  private constructor(rounds: NativeRounds, parts: Part[], originMonoNs: number) {
    this.#rounds = rounds;
    this.#parts = parts;
    this.#originMonoNs = originMonoNs;
    this.watchesQuiet = parts.some(({ fixed }) => fixed.quiet !== undefined);
  }

  /** Whether every series is bound to files the native thread can take now. */
  static possible(series: Iterable<Series>): boolean {
    return 'addon' in samplerCore() && plan(series) !== undefined;
  }

  /**
   * Starts the native thread on the grid: grid point `tick` is due at `dueMs` (ms since the
   * origin), the next ones every `intervalMs`; with room for `holdMs` of rounds; a quiet
   * target that stops being quiet bumps and wakes `wake`. Undefined when the addon is not
   * built or a series needs decisions this round, is unbound, or found its files gone.
   */
  static start(
    series: Iterable<Series>,
    grid: { originMonoNs: number; dueMs: number; tick: number; intervalMs: number; holdMs: number },
    wake: WakeWord,
  ): NativeHandoff | undefined {
    const core = samplerCore();
    const planned = 'addon' in core ? plan(series, grid.intervalMs) : undefined;
    if (!('addon' in core) || !planned) return undefined;
    const { parts, slots, checks } = planned;

    const capacity = Math.ceil(grid.holdMs / grid.intervalMs) + 16;
    const times = {
      firstDueNs: grid.originMonoNs + grid.dueMs * 1e6,
      intervalNs: grid.intervalMs * 1e6,
      firstTick: grid.tick,
    };
    const quiet: NativeQuiet | undefined = checks.length > 0 ? { checks, wake } : undefined;
    const rounds = new NativeRounds(core.addon, slots, times, capacity, quiet);
    for (const { fixed } of parts) fixed.handedOff?.();
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
      for (const { series, fixed, from, to, period } of this.#parts) {
        if (round.tick % period === 0) series.sampleFrom(tMs, fixed, round.files.slice(from, to));
      }
      this.lastRoundMs = tMs;
    }
    this.rounds += rounds.length;
    this.#threadSeconds = this.#rounds.threadCpuSeconds() ?? this.#threadSeconds;
    return rounds.length;
  }

  /** Whether a series found its files gone: the Node thread must take over and resolve. */
  get anyGone(): boolean {
    return this.#parts.some(({ series }) => series.gone);
  }

  /** Whether the thread ended at a round that was not quiet: the sampling thread takes over. */
  get handedBack(): boolean {
    return this.#rounds.handedBack;
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

/**
 * Each series' slots in a round (its files, then its clock, then its children's sum), and the
 * quiet checks naming their slots; undefined when a series is not bound to files the native
 * thread can take.
 */
function plan(series: Iterable<Series>, intervalMs = 1000) {
  const parts: Part[] = [];
  const slots: NativeSlot[] = [];
  const checks: NativeQuiet['checks'] = [];
  for (const each of series) {
    const fixed = each.fixedFiles();
    if (!fixed) return undefined;
    const from = slots.length;
    const period = each.periodRounds(intervalMs);
    for (const file of fixed.files) {
      if (file.fd === undefined) return undefined;
      slots.push({ fd: file.fd, period });
    }
    if (fixed.clockPid !== undefined) slots.push({ clockPid: fixed.clockPid, period });
    if (fixed.quiet) {
      checks.push({ statSlot: from, liveSlot: slots.length, check: fixed.quiet });
      slots.push({ liveOf: 'check', period });
    }
    parts.push({ series: each, fixed, from, to: slots.length, period });
  }
  if (slots.length > MAX_SLOTS || checks.length > MAX_CHECKS) return undefined;
  return { parts, slots, checks };
}
