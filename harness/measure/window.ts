import { type CpuInterval, type SeriesSample, toIntervals } from './types.ts';

/** What a series shows over one phase window, and whether the window can be trusted. */
export interface WindowSummary {
  samples: number;
  absent: number;
  ambiguous: number;
  /** Every distinct thing read in the window; more than one means it restarted. */
  identities: string[];
  restarted: boolean;
  intervals: CpuInterval[];
  /** CPU over the usable intervals; null when there is none (never 0 for "not measured"). */
  cpuSeconds: number | null;
  percent: number | null;
}

/** Summarises the samples taken in [startMs, endMs]. */
export function summarizeWindow(
  samples: readonly SeriesSample[],
  startMs: number,
  endMs: number,
): WindowSummary {
  const inside = samples.filter((sample) => sample.tMs >= startMs && sample.tMs <= endMs);
  const identities = [
    ...new Set(inside.flatMap((s) => (s.state === 'present' ? [s.reading.identity] : []))),
  ];
  const { intervals, restarts } = toIntervals(inside);
  const cpuSeconds = intervals.reduce((sum, interval) => sum + interval.cpuSeconds, 0);
  const seconds = intervals.reduce((sum, i) => sum + (i.endMs - i.startMs) / 1000, 0);
  return {
    samples: inside.length,
    absent: inside.filter((sample) => sample.state === 'absent').length,
    ambiguous: inside.filter((sample) => sample.state === 'ambiguous').length,
    identities,
    restarted: identities.length > 1 || restarts > 0,
    intervals,
    cpuSeconds: intervals.length === 0 ? null : cpuSeconds,
    percent: intervals.length === 0 || seconds === 0 ? null : (cpuSeconds / seconds) * 100,
  };
}
