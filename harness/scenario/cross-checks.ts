import type { z } from 'zod';
import { measureMsNeeded, SAMPLING_INTERVAL_MS, UNBUDGETED_STEPS_MS } from './limits.ts';
import type { Scenario, Workaround } from './schema.ts';

type Context = z.core.$RefinementCtx<Scenario>;

/**
 * Rules that tie fields together, for a scenario whose fields are each valid. Each problem is
 * reported on the field to change, with the numbers that decide it.
 */
export function checkAcrossFields(scenario: Scenario, ctx: Context): void {
  checkSafetyCap(scenario, ctx);
  checkMeasureHoldsMinSamples(scenario, ctx);
  checkRepetitions(scenario, ctx);
  checkArmIds(scenario, ctx);
}

/** Workarounds applied to the running container, which is then measured a second time. */
export function isLiveWorkaround(workaround: Workaround): boolean {
  return (
    workaround.kind === 'stop-and-mask-live' ||
    workaround.kind === 'restart-sysbox-fs' ||
    workaround.kind === 'commands'
  );
}

/**
 * How long the container lives when every budget runs out, on its longest-living arm. The
 * probe as a trigger is left out: it runs alongside settle and measure and is stopped after.
 */
export function containerLifetime(scenario: Scenario): { ms: number; parts: string[] } {
  const { windows, probe, trigger } = scenario;
  const workarounds = [scenario.workaround, ...scenario.arms.map((arm) => arm.workaround)];
  const measures = workarounds.some((w) => w !== undefined && isLiveWorkaround(w)) ? 2 : 1;
  const probeMs = probe.enabled && trigger.kind !== 'probe' ? probe.budgetMs : 0;

  const parts: [string, number][] = [
    ['boot budget', windows.bootBudgetMs],
    ['settle', windows.settleMs],
    [measures === 2 ? 'measure twice' : 'measure', measures * windows.measureMs],
    ['probe budget', probeMs],
    ['start, evidence and removal', UNBUDGETED_STEPS_MS],
  ];
  const counted = parts.filter(([, ms]) => ms > 0);
  return {
    ms: counted.reduce((sum, [, ms]) => sum + ms, 0),
    parts: counted.map(([name, ms]) => `${name} ${ms}`),
  };
}

// Past the cap the container is removed mid-run, so the run could never finish as written.
function checkSafetyCap(scenario: Scenario, ctx: Context): void {
  const lifetime = containerLifetime(scenario);
  if (scenario.safetyCapMs >= lifetime.ms) return;
  ctx.addIssue({
    code: 'custom',
    path: ['safetyCapMs'],
    input: scenario.safetyCapMs,
    message:
      `expected at least ${lifetime.ms} ms, what the container may need: ` +
      lifetime.parts.join(' + '),
  });
}

// Even at the fastest interval a shorter window cannot hold enough samples for a verdict.
function checkMeasureHoldsMinSamples(scenario: Scenario, ctx: Context): void {
  const { minSamples } = scenario.decision;
  const neededMs = measureMsNeeded(minSamples, SAMPLING_INTERVAL_MS.min);
  if (scenario.windows.measureMs >= neededMs) return;
  ctx.addIssue({
    code: 'custom',
    path: ['windows', 'measureMs'],
    input: scenario.windows.measureMs,
    message:
      `expected at least ${neededMs} ms: decision.minSamples ${minSamples} intervals at the ` +
      `fastest interval of ${SAMPLING_INTERVAL_MS.min} ms, and one for the window's edges`,
  });
}

// Runs are only ever added up to the cap, so a cap below the first round is never used. The
// first round is 3 per arm with two or more arms, else 1 (see repetitions.initial).
function checkRepetitions(scenario: Scenario, ctx: Context): void {
  const { initial, cap } = scenario.repetitions;
  const firstRound = initial ?? (scenario.arms.length >= 2 ? 3 : 1);
  if (firstRound <= cap) return;
  ctx.addIssue({
    code: 'custom',
    path: ['repetitions', 'cap'],
    input: cap,
    message: `expected at least ${firstRound}, the runs per arm before the first comparison`,
  });
}

// Results and comparisons are keyed by arm id: two arms with one id would be counted as one.
function checkArmIds(scenario: Scenario, ctx: Context): void {
  const seen = new Set<string>();
  scenario.arms.forEach((arm, index) => {
    if (seen.has(arm.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['arms', index, 'id'],
        input: arm.id,
        message: 'expected an id no other arm of this scenario has',
      });
    }
    seen.add(arm.id);
  });
}
