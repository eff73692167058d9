import { compareArms } from '../analysis/compare-arms.ts';
import type { ArmComparisonResult, ScenarioResult } from '../report/schema.ts';

/** The value a repetition contributes: the target's median in its (final) measure window. */
export function repetitionValue(result: ScenarioResult): number | null {
  if (result.status !== 'completed') return null;
  const windows = result.windows.filter((w) => (w.series ?? 'target') === 'target');
  const final =
    windows.find((w) => w.phase === 'after-workaround') ??
    windows.find((w) => w.phase === 'measure');
  return final?.medianPercent ?? null;
}

/**
 * Every arm against the first, on per-repetition medians: the first arm is the reference
 * (e.g. the released version), the others are what changed.
 */
export function compareScenarioArms(
  scenarioId: string,
  armIds: readonly string[],
  results: readonly ScenarioResult[],
  marginPoints: number,
): ArmComparisonResult[] {
  const valuesOf = (arm: string) =>
    results
      .filter((r) => r.scenarioId === scenarioId && r.arm === arm)
      .map(repetitionValue)
      .filter((value): value is number => value !== null);
  const [reference, ...others] = armIds;
  if (reference === undefined) return [];

  const valuesA = valuesOf(reference);
  return others.map((other) => {
    const valuesB = valuesOf(other);
    const stats = compareArms(valuesA, valuesB, { marginPoints });
    return {
      scenarioId,
      armA: reference,
      armB: other,
      outcome: stats.outcome,
      valuesA,
      valuesB,
      difference: stats.difference,
      ci: stats.ci,
      p: stats.p,
      reason: stats.reason,
    };
  });
}
