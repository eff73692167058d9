import { mean, median, quantile } from 'simple-statistics';
import { type CpuInterval, type SeriesSample, toIntervals } from '../measure/types.ts';
import type { PhaseName, WindowStats } from '../report/schema.ts';

/** A window of one series: its summary for the report and the intervals a verdict needs. */
export interface MeasuredWindow {
  stats: WindowStats;
  intervals: CpuInterval[];
  /** Samples in the window where the target was not found or matched several candidates. */
  absent: number;
  ambiguous: number;
  /** Distinct details of those samples, e.g. "no process named sysbox-fs". */
  details: string[];
  /** Every distinct thing read in the window; more than one means it restarted. */
  identities: string[];
}

/**
 * Cuts one series to a window. An interval belongs to the window when both its readings lie
 * within it, so a burst just before the window cannot leak in through a straddling delta.
 */
export function measureWindow(
  samples: readonly SeriesSample[],
  phase: PhaseName,
  startMs: number,
  endMs: number,
): MeasuredWindow {
  const inside = samples.filter((sample) => sample.tMs >= startMs && sample.tMs <= endMs);
  const { intervals, restarts, gaps } = toIntervals(inside);
  const missing = inside.filter((sample) => sample.state !== 'present');
  const percents = intervals.map((interval) => interval.percent);
  const any = percents.length > 0;
  const absent = missing.filter((sample) => sample.state === 'absent').length;
  const ambiguous = missing.filter((sample) => sample.state === 'ambiguous').length;

  return {
    stats: {
      phase,
      startMs,
      endMs,
      samples: intervals.length,
      restarts,
      gaps,
      medianPercent: any ? median(percents) : null,
      meanPercent: any ? mean(percents) : null,
      p95Percent: any ? quantile(percents, 0.95) : null,
      cpuSeconds: any ? intervals.reduce((sum, interval) => sum + interval.cpuSeconds, 0) : null,
      absentSamples: absent,
      ambiguousSamples: ambiguous,
    },
    intervals,
    absent,
    ambiguous,
    details: [...new Set(missing.map((sample) => ('detail' in sample ? sample.detail : '')))],
    identities: [
      ...new Set(inside.flatMap((s) => (s.state === 'present' ? [s.reading.identity] : []))),
    ],
  };
}

/** The report's summary of one window of one series. */
export function windowStats(
  samples: readonly SeriesSample[],
  phase: PhaseName,
  startMs: number,
  endMs: number,
): WindowStats {
  return measureWindow(samples, phase, startMs, endMs).stats;
}
