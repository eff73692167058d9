import { median } from 'simple-statistics';
import type { z } from 'zod';
import type { CpuInterval } from '../measure/types.ts';
import type { decisionSchema } from '../scenario/schema.ts';

export type Decision = z.output<typeof decisionSchema>;

/** How a window's intervals stand against the practical gate of a scenario. */
export interface GateReading {
  medianPercent: number;
  baselinePercent: number;
  /** Measure median minus baseline median, percentage points of one core. */
  deltaPoints: number;
  /** Baseline median plus the margin: an interval at or above it counts as busy. */
  thresholdPercent: number;
  busy: boolean[];
  busyCount: number;
  busyFraction: number;
  storm: boolean;
  /** The median stays under the margin and busy intervals are no more than the gate tolerates. */
  calm: boolean;
}

/** Storm: median at least `marginPoints` above baseline, busy in `sustainedFraction` of them. */
export function readGate(
  intervals: readonly CpuInterval[],
  baselinePercent: number,
  decision: Decision,
): GateReading {
  const percents = intervals.map((interval) => interval.percent);
  const medianPercent = percents.length > 0 ? median(percents) : 0;
  const thresholdPercent = baselinePercent + decision.marginPoints;
  const busy = percents.map((percent) => percent >= thresholdPercent);
  const busyCount = busy.filter(Boolean).length;
  const busyFraction = percents.length > 0 ? busyCount / percents.length : 0;
  const deltaPoints = medianPercent - baselinePercent;

  return {
    medianPercent,
    baselinePercent,
    deltaPoints,
    thresholdPercent,
    busy,
    busyCount,
    busyFraction,
    storm: deltaPoints >= decision.marginPoints && busyFraction >= decision.sustainedFraction,
    calm: deltaPoints < decision.marginPoints && busyFraction <= 1 - decision.sustainedFraction,
  };
}

/** Numbers in sentences: one decimal, no trailing noise. */
export const points = (value: number) => value.toFixed(1);
export const share = (fraction: number) => `${Math.round(fraction * 100)} %`;
