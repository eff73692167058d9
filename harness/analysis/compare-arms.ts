import { median } from 'simple-statistics';
import {
  BOOTSTRAP_DEFAULTS,
  type BootstrapOptions,
  bootstrapDifferenceCI,
} from './stats/bootstrap.ts';
import { mannWhitneyU } from './stats/mann-whitney.ts';

export type ArmOutcome = 'regressed' | 'fixed' | 'unchanged' | 'inconclusive';

export interface CompareOptions {
  /** A change smaller than this (% of one core) does not matter; larger is a real change. */
  marginPoints?: number;
  /** Largest Mann-Whitney p-value that counts as a difference. */
  alpha?: number;
  /** Fewer values than this in either arm decide nothing. */
  minPerArm?: number;
  bootstrap?: BootstrapOptions;
}

export interface ArmComparison {
  outcome: ArmOutcome;
  n: { a: number; b: number };
  medianA: number | null;
  medianB: number | null;
  /** median(b) - median(a), percentage points of one core. */
  difference: number | null;
  ci: { low: number; high: number; confidence: number; seed: number } | null;
  p: number | null;
  reason: string;
}

export const COMPARE_DEFAULTS = { marginPoints: 20, alpha: 0.05, minPerArm: 3 } as const;

/**
 * Compares CPU values of two arms (per-repetition medians, or pooled intervals), b against a.
 * Regressed or fixed needs a difference of at least the margin whose interval excludes zero and
 * a small p; unchanged needs the whole interval inside the margin; anything else is inconclusive.
 */
export function compareArms(
  a: readonly number[],
  b: readonly number[],
  options: CompareOptions = {},
): ArmComparison {
  const { marginPoints, alpha, minPerArm } = { ...COMPARE_DEFAULTS, ...options };
  const n = { a: a.length, b: b.length };
  if (a.length < minPerArm || b.length < minPerArm) {
    return {
      outcome: 'inconclusive',
      n,
      medianA: a.length > 0 ? median([...a]) : null,
      medianB: b.length > 0 ? median([...b]) : null,
      difference: null,
      ci: null,
      p: null,
      reason: `too few values to compare: ${a.length} and ${b.length}, at least ${minPerArm} each`,
    };
  }

  const interval = bootstrapDifferenceCI(a, b, { ...BOOTSTRAP_DEFAULTS, ...options.bootstrap });
  const { p } = mannWhitneyU(a, b);
  const { difference, low, high, confidence } = interval;
  const facts =
    `difference ${signed(difference)} points, ${Math.round(confidence * 100)} % CI ` +
    `[${signed(low)}, ${signed(high)}], p ${formatP(p)}`;
  const significant = p < alpha;
  const outcome: ArmOutcome =
    difference >= marginPoints && low > 0 && significant
      ? 'regressed'
      : difference <= -marginPoints && high < 0 && significant
        ? 'fixed'
        : low > -marginPoints && high < marginPoints
          ? 'unchanged'
          : 'inconclusive';

  return {
    outcome,
    n,
    medianA: median([...a]),
    medianB: median([...b]),
    difference,
    ci: { low, high, confidence, seed: interval.seed },
    p,
    reason: `${facts}: ${explain(outcome, marginPoints, alpha)}`,
  };
}

function explain(outcome: ArmOutcome, marginPoints: number, alpha: number): string {
  if (outcome === 'regressed') return `b uses at least ${marginPoints} points more (p < ${alpha})`;
  if (outcome === 'fixed') return `b uses at least ${marginPoints} points less (p < ${alpha})`;
  if (outcome === 'unchanged') return `the interval lies within ±${marginPoints} points`;
  return `neither a change of ${marginPoints} points with p < ${alpha} nor an interval within it`;
}

/**
 * How many repetitions to add to each arm: a block while the comparison is inconclusive and
 * the cap allows, else 0.
 */
export function needsMoreRepetitions(
  comparison: Pick<ArmComparison, 'outcome'>,
  limits: { repetitions: number; cap: number; block: number },
): number {
  if (comparison.outcome !== 'inconclusive') return 0;
  return Math.max(0, Math.min(limits.block, limits.cap - limits.repetitions));
}

export const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
export const formatP = (p: number) => (p < 0.001 ? '< 0.001' : p.toFixed(3));
