import type { CpuInterval } from '../measure/types.ts';
import { type Decision, points, readGate } from './storm-gate.ts';

/** Seconds of uninterrupted load above the threshold that make a storm unmistakable. */
export const UNMISTAKABLE_SECONDS = 10;

export interface EarlyStopOptions {
  /** What was measured, as named in the reason. */
  target?: string;
  unmistakableSeconds?: number;
}

/**
 * Whether the measure window may end now: the intervals so far already pass the storm gate
 * and the latest of them have been busy without a break for `unmistakableSeconds`. Ending
 * then leaves a window whose own verdict is a storm.
 */
export function earlyStopCheck(
  intervalsSoFar: readonly CpuInterval[],
  baselineMedianPercent: number,
  decision: Decision,
  options: EarlyStopOptions = {},
): { stop: boolean; reason: string } {
  const target = options.target ?? 'target';
  const neededMs = (options.unmistakableSeconds ?? UNMISTAKABLE_SECONDS) * 1000;
  const gate = readGate(intervalsSoFar, baselineMedianPercent, decision);
  const busyMs = trailingBusyMs(intervalsSoFar, gate.thresholdPercent);
  const busyFor =
    `${target} at or above ${points(gate.thresholdPercent)} % of one core for ` +
    `the last ${points(busyMs / 1000)} s`;

  if (intervalsSoFar.length < decision.minSamples) {
    return { stop: false, reason: `only ${intervalsSoFar.length} intervals so far` };
  }
  if (!gate.storm) {
    return { stop: false, reason: `the window so far does not pass the storm gate; ${busyFor}` };
  }
  if (busyMs < neededMs) {
    return { stop: false, reason: `${busyFor}, ${points(neededMs / 1000)} s needed` };
  }
  return {
    stop: true,
    reason:
      `ended early: storm unmistakable: ${busyFor} without a break, ` +
      `median ${points(gate.medianPercent)} % vs ${points(baselineMedianPercent)} % baseline`,
  };
}

/** Length of the uninterrupted busy stretch at the end; a gap between intervals breaks it. */
function trailingBusyMs(intervals: readonly CpuInterval[], thresholdPercent: number): number {
  let busyMs = 0;
  let next: CpuInterval | undefined;
  for (let i = intervals.length - 1; i >= 0; i--) {
    const interval = intervals[i] as CpuInterval;
    if (interval.percent < thresholdPercent) break;
    if (next && next.startMs !== interval.endMs) break;
    busyMs += interval.endMs - interval.startMs;
    next = interval;
  }
  return busyMs;
}
