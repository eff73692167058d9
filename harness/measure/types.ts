/**
 * Cumulative CPU counters of one measured thing at one instant. Decisions use deltas
 * between two readings over the monotonic interval between them, never a single reading.
 */
export interface CpuReading {
  /** Monotonic time of the reading, ms since the run's origin. */
  tMs: number;
  /** CPU time consumed so far, seconds (user + system). */
  totalSeconds: number;
  /** Null where the source has no split (cgroup v1 cpuacct.usage without cpuacct.stat). */
  userSeconds: number | null;
  systemSeconds: number | null;
  source: CpuSource;
  /**
   * Identity of what was read (e.g. "pid 812 started at tick 4711", a cgroup path); a change
   * between two readings means the target restarted and the delta must not be used.
   */
  identity: string;
}

export type CpuSource = 'cgroup-v1' | 'cgroup-v2' | 'proc' | 'proc-stat-host';

/** One sample of one series: a reading, or why there is none. */
export type SeriesSample =
  | { tMs: number; state: 'present'; reading: CpuReading }
  | { tMs: number; state: 'absent'; detail: string }
  | { tMs: number; state: 'ambiguous'; detail: string; candidates: number[] };

/** The series a run records; `target` is what the verdict is about (sysbox-fs by default). */
export type SeriesName = 'target' | 'container' | 'host' | 'sampler';

/** CPU use between two consecutive present readings with the same identity. */
export interface CpuInterval {
  startMs: number;
  endMs: number;
  /** Percent of one core (100 = one core fully busy). */
  percent: number;
  cpuSeconds: number;
  userPercent: number | null;
  systemPercent: number | null;
}

/** Deltas of a series; intervals that span an absence or a restart are left out and counted. */
export function toIntervals(samples: readonly SeriesSample[]): {
  intervals: CpuInterval[];
  restarts: number;
  gaps: number;
} {
  const intervals: CpuInterval[] = [];
  let restarts = 0;
  let gaps = 0;
  let previous: CpuReading | undefined;
  let lastIdentity: string | undefined;

  for (const sample of samples) {
    if (sample.state !== 'present') {
      if (previous) gaps++;
      previous = undefined;
      continue;
    }
    const current = sample.reading;
    // Another process after an absence is a restart too, not just a gap.
    if (lastIdentity !== undefined && lastIdentity !== current.identity) restarts++;
    else if (previous && current.tMs > previous.tMs) intervals.push(between(previous, current));
    previous = current;
    lastIdentity = current.identity;
  }
  return { intervals, restarts, gaps };
}

function between(a: CpuReading, b: CpuReading): CpuInterval {
  const seconds = (b.tMs - a.tMs) / 1000;
  const share = (delta: number) => (Math.max(0, delta) / seconds) * 100;
  const split = (x: number | null, y: number | null) =>
    x === null || y === null ? null : share(y - x);
  return {
    startMs: a.tMs,
    endMs: b.tMs,
    percent: share(b.totalSeconds - a.totalSeconds),
    cpuSeconds: Math.max(0, b.totalSeconds - a.totalSeconds),
    userPercent: split(a.userSeconds, b.userSeconds),
    systemPercent: split(a.systemSeconds, b.systemSeconds),
  };
}
