import { formatLogrusSecond } from './seconds.ts';

export interface StormOptions {
  /** Unmount attempts per second on one target that count as looping. */
  minRatePerSecond: number;
  /** A loop shorter than this is a burst (boot, a probe), not a storm. */
  minSeconds: number;
  /** Quiet seconds tolerated inside one storm (log lines can bunch up across seconds). */
  maxGapSeconds: number;
}

export const DEFAULT_STORM_OPTIONS: StormOptions = {
  minRatePerSecond: 20,
  minSeconds: 5,
  maxGapSeconds: 2,
};

/** What one second saw on one target. */
export interface TargetSecond {
  calls: number;
  ignored: number;
  rejected: number;
  pids: ReadonlySet<number>;
}

export type Behaviour = 'pre-fix' | 'post-fix' | 'mixed' | 'unknown';

export interface StormTarget {
  path: string;
  attempts: number;
  ignored: number;
  rejected: number;
  peakPerSecond: number;
}

/** A sustained unmount loop: one or more targets looping over overlapping seconds. */
export interface StormPeriod {
  start: string;
  end: string;
  durationSeconds: number;
  targets: StormTarget[];
  pids: number[];
  attempts: number;
  meanPerSecond: number;
  peakPerSecond: number;
  behaviour: Behaviour;
  /** The log ended while the loop was still going. */
  ongoingAtEnd: boolean;
}

interface Run {
  path: string;
  start: number;
  last: number;
  attempts: number;
  ignored: number;
  rejected: number;
  peak: number;
  /** Attempts by second, so a period over several targets can find its busiest second. */
  perSecond: Map<number, number>;
  pids: Set<number>;
  ongoingAtEnd: boolean;
}

const MAX_PIDS_PER_RUN = 256;

/**
 * Finds sustained loops per target as seconds arrive, in constant memory per looping
 * target. Attempts on a target are its trapped calls, or, where the debug call lines are
 * missing, its Ignoring/Rejected lines.
 */
export class StormDetector {
  readonly #options: StormOptions;
  readonly #open = new Map<string, Run>();
  readonly #closed: Run[] = [];

  constructor(options: StormOptions) {
    this.#options = options;
  }

  addSecond(second: number, targets: ReadonlyMap<string, TargetSecond>): void {
    for (const [path, seen] of targets) {
      const attempts = Math.max(seen.calls, seen.ignored + seen.rejected);
      if (attempts < this.#options.minRatePerSecond) continue;

      let run = this.#open.get(path);
      if (run !== undefined && second - run.last > this.#options.maxGapSeconds + 1) {
        this.#close(run);
        run = undefined;
      }
      if (run === undefined) {
        run = newRun(path, second);
        this.#open.set(path, run);
      }
      run.last = second;
      run.attempts += attempts;
      run.ignored += seen.ignored;
      run.rejected += seen.rejected;
      run.peak = Math.max(run.peak, attempts);
      run.perSecond.set(second, (run.perSecond.get(second) ?? 0) + attempts);
      for (const pid of seen.pids) if (run.pids.size < MAX_PIDS_PER_RUN) run.pids.add(pid);
    }
    for (const run of this.#open.values()) {
      if (second - run.last > this.#options.maxGapSeconds + 1) this.#close(run);
    }
  }

  /** Closes what is still open (marked as ongoing) and merges overlapping targets. */
  finish(): StormPeriod[] {
    for (const run of this.#open.values()) {
      run.ongoingAtEnd = true;
      this.#close(run);
    }
    return mergeRuns(this.#closed, this.#options.maxGapSeconds);
  }

  #close(run: Run): void {
    this.#open.delete(run.path);
    if (run.last - run.start + 1 >= this.#options.minSeconds) this.#closed.push(run);
  }
}

function newRun(path: string, second: number): Run {
  return {
    path,
    start: second,
    last: second,
    attempts: 0,
    ignored: 0,
    rejected: 0,
    peak: 0,
    perSecond: new Map(),
    pids: new Set(),
    ongoingAtEnd: false,
  };
}

function mergeRuns(runs: Run[], maxGapSeconds: number): StormPeriod[] {
  const sorted = [...runs].sort((a, b) => a.start - b.start);
  const groups: Run[][] = [];
  let groupEnd = Number.NEGATIVE_INFINITY;
  for (const run of sorted) {
    const current = groups.at(-1);
    if (current !== undefined && run.start - groupEnd <= maxGapSeconds + 1) {
      current.push(run);
      groupEnd = Math.max(groupEnd, run.last);
    } else {
      groups.push([run]);
      groupEnd = run.last;
    }
  }
  return groups.map(toPeriod);
}

function toPeriod(group: Run[]): StormPeriod {
  const start = Math.min(...group.map((run) => run.start));
  const last = Math.max(...group.map((run) => run.last));
  const durationSeconds = last - start + 1;
  const attempts = sum(group.map((run) => run.attempts));
  const ignored = sum(group.map((run) => run.ignored));
  const rejected = sum(group.map((run) => run.rejected));
  const pids = new Set(group.flatMap((run) => [...run.pids]));
  return {
    start: formatLogrusSecond(start),
    end: formatLogrusSecond(last),
    durationSeconds,
    targets: group
      .map((run) => ({
        path: run.path,
        attempts: run.attempts,
        ignored: run.ignored,
        rejected: run.rejected,
        peakPerSecond: run.peak,
      }))
      .sort((a, b) => b.attempts - a.attempts),
    pids: [...pids].sort((a, b) => a - b),
    attempts,
    meanPerSecond: attempts / durationSeconds,
    peakPerSecond: busiestSecond(group),
    behaviour: behaviourOf(ignored, rejected),
    ongoingAtEnd: group.some((run) => run.ongoingAtEnd),
  };
}

/** Which side of the 0.6.5 fix the decision lines show. */
export function behaviourOf(ignored: number, rejected: number): Behaviour {
  if (ignored > 0 && rejected > 0) return 'mixed';
  if (ignored > 0) return 'pre-fix';
  if (rejected > 0) return 'post-fix';
  return 'unknown';
}

/** The most attempts in one second over all the targets of a period. */
function busiestSecond(group: Run[]): number {
  const bySecond = new Map<number, number>();
  for (const run of group) {
    for (const [second, attempts] of run.perSecond) {
      bySecond.set(second, (bySecond.get(second) ?? 0) + attempts);
    }
  }
  let busiest = 0;
  for (const attempts of bySecond.values()) busiest = Math.max(busiest, attempts);
  return busiest;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
