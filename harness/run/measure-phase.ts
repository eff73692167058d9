import { earlyStopCheck } from '../analysis/early-stop.ts';
import { measureWindow } from '../analysis/window-stats.ts';
import type { Scenario } from '../scenario/schema.ts';
import { waitFor } from './clock.ts';
import type { PhaseRecorder } from './phases.ts';
import type { ScenarioRunContext } from './run-scenario.ts';
import type { RunSampler } from './sampling.ts';

/**
 * Waits out a steady-state window while the sampler records, and ends it early once a storm
 * is unmistakable (the report says so); a safety cap still bounds the container.
 */
export async function measurePhase(
  ctx: ScenarioRunContext,
  scenario: Scenario,
  sampler: RunSampler,
  phases: PhaseRecorder,
  phase: 'measure' | 'after-workaround',
): Promise<void> {
  const startMs = ctx.clock.now();
  const endMs = startMs + scenario.windows.measureMs;
  const baseline = phases.find('baseline');
  const baselineMedian =
    baseline && !sampler.targetIsContainer
      ? (measureWindow(sampler.samples('target'), 'baseline', baseline.startMs, baseline.endMs)
          .stats.medianPercent ?? 0)
      : 0;

  while (ctx.clock.now() < endMs) {
    // Reading samples wakes the sampling thread, which otherwise leaves the rounds to the
    // native thread for up to 30 s: every 5 s is often enough to stop a confirmed storm early.
    const checkEveryMs = Math.max(ctx.intervalMs, 5_000);
    await waitFor(Math.min(checkEveryMs, endMs - ctx.clock.now()), ctx.signal);
    // The window ran its full length: whatever the last look finds, nothing ended early.
    if (ctx.clock.now() >= endMs) return;

    const soFar = measureWindow(sampler.samples('target'), phase, startMs, ctx.clock.now());
    const check = earlyStopCheck(soFar.intervals, baselineMedian, scenario.decision, {
      target: sampler.targetName,
    });
    if (check.stop) {
      phases.note(phase, check.reason);
      ctx.logger.info({ kind: 'early-stop', scenario: scenario.id, phase }, check.reason);
      return;
    }
  }
}
