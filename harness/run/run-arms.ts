import { needsMoreRepetitions } from '../analysis/compare-arms.ts';
import { isHarnessError } from '../errors/harness-error.ts';
import type { ArmComparisonResult, ScenarioResult } from '../report/schema.ts';
import type { LoadedScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/schema.ts';
import { type ArmPlan, armsOf, initialRepetitions, interleave } from './arms.ts';
import { compareScenarioArms } from './comparisons.ts';
import { switchHostForArm } from './host-switch.ts';
import type { Preflight } from './preflight.ts';
import { scenarioPreflight } from './preflight.ts';
import { failedBeforeStart, skippedResult } from './results.ts';
import { runScenario, type ScenarioRunContext } from './run-scenario.ts';

export interface ArmsRun {
  /** Called with every result as soon as it exists, so the report on disk stays current. */
  onResult: (result: ScenarioResult) => Promise<void>;
  repetitions?: number;
}

/**
 * A scenario's arms, repeated and interleaved (A B B A ...), each run on the host as its arm
 * wants it. With two or more arms the arms are compared on per-repetition medians, and
 * blocks of repetitions are added while a comparison is inconclusive, up to the cap.
 */
export async function runScenarioArms(
  ctx: ScenarioRunContext,
  loaded: LoadedScenario,
  scenario: Scenario,
  run: ArmsRun,
): Promise<ArmComparisonResult[]> {
  const arms = armsOf(scenario);
  const results: ScenarioResult[] = [];
  const limits = scenario.repetitions;
  let repetitions = initialRepetitions(scenario, run.repetitions);
  let order = interleave(arms, repetitions);
  let comparisons: ArmComparisonResult[] = [];
  let current: ArmPlan | undefined;

  while (order.length > 0) {
    for (const { arm, repetition } of order) {
      const switched = current?.arm?.install !== undefined || arm.arm?.install !== undefined;
      const result = await runArm(ctx, loaded, arm, current === arm && !switched);
      current = arm;
      const stamped = {
        ...result,
        arm: arm.id,
        repetition,
        host: result.host ?? ctx.preflight.host,
      };
      results.push(stamped);
      await run.onResult(stamped);
    }
    if (arms.length < 2 || ctx.signal.aborted) break;

    comparisons = compareScenarioArms(
      scenario.id,
      arms.map((arm) => arm.id),
      results,
      scenario.decision.marginPoints,
    );
    const more = Math.max(
      0,
      ...comparisons.map((c) => needsMoreRepetitions(c, { ...limits, repetitions })),
    );
    order = more > 0 ? interleave(arms, more, repetitions + 1) : [];
    repetitions += more;
  }
  return comparisons;
}

async function runArm(
  ctx: ScenarioRunContext,
  loaded: LoadedScenario,
  plan: ArmPlan,
  hostUnchanged: boolean,
): Promise<ScenarioResult> {
  const { scenario } = plan;
  if (ctx.signal.aborted) {
    return failedBeforeStart(loaded, scenario, 'interrupted', 'interrupted before it started');
  }

  let preflight: Preflight = ctx.preflight;
  if (plan.arm && !hostUnchanged) {
    try {
      preflight = await switchHostForArm(plan.arm, ctx.preflight, ctx);
    } catch (error) {
      if (isHarnessError(error)) return failedBeforeStart(loaded, scenario, error);
      throw error;
    }
  }

  const ready = await scenarioPreflight({ ...ctx, preflight }, scenario);
  if (ready.kind === 'skip') return skippedResult(loaded, scenario, preflight, ready);
  if (ready.kind === 'error') return failedBeforeStart(loaded, scenario, ready.error);
  const result = await runScenario({ ...ctx, preflight }, loaded, scenario);
  return { ...result, host: preflight.host };
}
