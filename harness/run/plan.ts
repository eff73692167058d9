import type { PhasePlan } from '../log/progress.ts';
import { isLiveWorkaround } from '../scenario/cross-checks.ts';
import { measureMsNeeded } from '../scenario/limits.ts';
import { targetLabel } from '../scenario/resolve.ts';
import type { Scenario } from '../scenario/schema.ts';

/** Expected phase durations, for the progress line's remaining-time estimate. */
export function phasePlan(scenario: Scenario): PhasePlan[] {
  const w = scenario.windows;
  const plan: PhasePlan[] = [
    { name: 'baseline', expectedMs: w.baselineMs },
    { name: 'start', expectedMs: 1_000 },
    { name: 'boot', expectedMs: Math.min(w.bootBudgetMs, 6_000) },
    { name: 'settle', expectedMs: w.settleMs },
    { name: 'measure', expectedMs: w.measureMs },
  ];
  if (isLiveWorkaround(scenario.workaround)) {
    plan.push(
      { name: 'workaround', expectedMs: 2_000 },
      { name: 'after-workaround', expectedMs: w.measureMs },
    );
  }
  plan.push(
    { name: 'evidence', expectedMs: 2_000 },
    { name: 'probe', expectedMs: scenario.probe.enabled ? 2_000 : 0 },
    { name: 'removal', expectedMs: 1_000 },
    { name: 'recovery', expectedMs: w.recoveryMs },
  );
  return plan;
}

/** Longest a scenario can take, for a run's total estimate. */
export function plannedMs(scenario: Scenario): number {
  return phasePlan(scenario).reduce((sum, phase) => sum + phase.expectedMs, 0);
}

/**
 * Why the measure window, or the baseline a target that exists before the start is compared
 * with, cannot hold the intervals a verdict needs at this sampling interval, or null when both
 * can. `scenario` is as it will run (its target overridden). A scenario that cannot decide is
 * refused before it runs.
 */
export function windowTooShort(scenario: Scenario, intervalMs: number): string | null {
  const { minSamples } = scenario.decision;
  const neededMs = measureMsNeeded(minSamples, intervalMs);
  const fastest = (windowMs: number) => Math.floor(windowMs / (minSamples + 1));
  const { measureMs, baselineMs } = scenario.windows;
  if (measureMs < neededMs) {
    return (
      `scenario ${scenario.id}: windows.measureMs ${measureMs} holds fewer than the ` +
      `${minSamples} intervals a verdict needs at --interval ${intervalMs}: make it at least ` +
      `${neededMs}, or sample every ${fastest(measureMs)} ms or faster`
    );
  }

  // The container does not exist before the start, so its verdict needs no baseline.
  if (scenario.target.kind === 'container' || baselineMs >= neededMs) return null;
  return (
    `scenario ${scenario.id}: windows.baselineMs ${baselineMs} holds fewer than the ` +
    `${minSamples} intervals a verdict about ${targetLabel(scenario.target)} needs at ` +
    `--interval ${intervalMs}: make it at least ${neededMs}, or sample every ` +
    `${fastest(baselineMs)} ms or faster`
  );
}
