import { median, quantileSorted, sampleWithReplacement } from 'simple-statistics';
import { seededRandom } from './seeded-random.ts';

export interface BootstrapOptions {
  iterations?: number;
  /** Two-sided coverage, e.g. 0.95. */
  confidence?: number;
  seed?: number;
}

export interface DifferenceInterval {
  /** median(b) - median(a) on the observed samples. */
  difference: number;
  low: number;
  high: number;
  confidence: number;
  iterations: number;
  seed: number;
}

export const BOOTSTRAP_DEFAULTS = { iterations: 10_000, confidence: 0.95, seed: 1 } as const;

/**
 * Percentile bootstrap of the difference of medians, b minus a: each iteration resamples both
 * samples with replacement. Seeded, so the same inputs always give the same interval.
 */
export function bootstrapDifferenceCI(
  a: readonly number[],
  b: readonly number[],
  options: BootstrapOptions = {},
): DifferenceInterval {
  const { iterations, confidence, seed } = { ...BOOTSTRAP_DEFAULTS, ...options };
  if (a.length === 0 || b.length === 0) {
    throw new RangeError(`bootstrap needs two non-empty samples, got ${a.length} and ${b.length}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must lie strictly between 0 and 1, got ${confidence}`);
  }

  const random = seededRandom(seed);
  const sampleA = [...a];
  const sampleB = [...b];
  const differences = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const resampledA = sampleWithReplacement(sampleA, sampleA.length, random);
    const resampledB = sampleWithReplacement(sampleB, sampleB.length, random);
    differences[i] = median(resampledB) - median(resampledA);
  }
  const sorted = Array.from(differences.sort());

  const tail = (1 - confidence) / 2;
  return {
    difference: median(sampleB) - median(sampleA),
    low: quantileSorted(sorted, tail),
    high: quantileSorted(sorted, 1 - tail),
    confidence,
    iterations,
    seed,
  };
}
