import type { Arm, Scenario } from '../scenario/schema.ts';

/** A scenario as one arm runs it. */
export interface ArmPlan {
  id: string;
  arm: Arm | null;
  scenario: Scenario;
}

export const DEFAULT_ARM = 'default';

/** The arms of a scenario with their overrides applied; a scenario without arms is one arm. */
export function armsOf(scenario: Scenario): ArmPlan[] {
  if (scenario.arms.length === 0) return [{ id: DEFAULT_ARM, arm: null, scenario }];
  return scenario.arms.map((arm) => ({
    id: arm.id,
    arm,
    scenario: {
      ...scenario,
      container: {
        ...scenario.container,
        ...(arm.image ? { image: arm.image } : {}),
        ...(arm.runtime ? { runtime: arm.runtime } : {}),
        ...(arm.devices ? { devices: arm.devices } : {}),
      },
      ...(arm.workaround ? { workaround: arm.workaround } : {}),
    },
  }));
}

/** Runs per arm before the first comparison: three when there is something to compare. */
export function initialRepetitions(scenario: Scenario, override?: number): number {
  return override ?? scenario.repetitions.initial ?? (scenario.arms.length >= 2 ? 3 : 1);
}

/**
 * Orders `count` repetitions of every arm so that each arm sees the host at every stage of
 * the run alike: A B, then B A, then A B ... (for two arms: A B B A A B).
 */
export function interleave<T>(arms: readonly T[], count: number, firstRepetition = 1) {
  const order: { arm: T; repetition: number }[] = [];
  for (let index = 0; index < count; index++) {
    const repetition = firstRepetition + index;
    const round = repetition % 2 === 1 ? arms : [...arms].reverse();
    for (const arm of round) order.push({ arm, repetition });
  }
  return order;
}
