import { errorFunction, wilcoxonRankSum } from 'simple-statistics';

export interface MannWhitneyResult {
  /** U of the first sample: pairs (x from a, y from b) with x > y, ties counting one half. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'normal';
}

/**
 * Samples up to this size without ties get the exact null distribution; beyond it (or with
 * ties) the normal approximation is close and the exact table grows quadratically.
 */
export const EXACT_MAX_SAMPLE = 30;

/**
 * Two-sided Mann-Whitney U test. Exact for small samples without ties; otherwise the normal
 * approximation with tie correction of the variance and a continuity correction of 0.5.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) {
    throw new RangeError(`Mann-Whitney U needs two non-empty samples, got ${m} and ${n}`);
  }

  const u = wilcoxonRankSum([...a], [...b]) - (m * (m + 1)) / 2;
  const tieGroups = tieGroupSizes([...a, ...b]);

  if (tieGroups.length === 0 && m <= EXACT_MAX_SAMPLE && n <= EXACT_MAX_SAMPLE) {
    return { u, p: exactTwoSided(m, n, u), method: 'exact' };
  }
  return { u, p: normalTwoSided(m, n, u, tieGroups), method: 'normal' };
}

function exactTwoSided(m: number, n: number, u: number): number {
  const counts = exactCounts(m, n);
  let total = 0;
  let atMost = 0;
  let atLeast = 0;
  counts.forEach((count, value) => {
    total += count;
    if (value <= u) atMost += count;
    if (value >= u) atLeast += count;
  });
  return Math.min(1, (2 * Math.min(atMost, atLeast)) / total);
}

/**
 * Number of orderings of m + n distinct values giving each U, by where the largest value
 * falls: in the first sample it beats all n of the second (adds n), otherwise it adds 0.
 */
function exactCounts(m: number, n: number): Float64Array {
  let previousRow: Float64Array[] = Array.from({ length: n + 1 }, () => Float64Array.of(1));
  for (let i = 1; i <= m; i++) {
    const row: Float64Array[] = [];
    for (let j = 0; j <= n; j++) {
      const counts = new Float64Array(i * j + 1);
      const largestInFirst = previousRow[j] as Float64Array;
      largestInFirst.forEach((count, value) => {
        counts[value + j] = (counts[value + j] as number) + count;
      });
      if (j > 0) {
        (row[j - 1] as Float64Array).forEach((count, value) => {
          counts[value] = (counts[value] as number) + count;
        });
      }
      row.push(counts);
    }
    previousRow = row;
  }
  return previousRow[n] as Float64Array;
}

function normalTwoSided(m: number, n: number, u: number, tieGroups: number[]): number {
  const size = m + n;
  const tieTerm = tieGroups.reduce((sum, t) => sum + t ** 3 - t, 0);
  const variance = ((m * n) / 12) * (size + 1 - tieTerm / (size * (size - 1)));
  if (variance <= 0) return 1;

  const z = (Math.abs(u - (m * n) / 2) - 0.5) / Math.sqrt(variance);
  const upperTail = (1 - errorFunction(z / Math.SQRT2)) / 2;
  return Math.min(1, 2 * upperTail);
}

/** Sizes of the groups of equal values (only groups of two or more). */
function tieGroupSizes(values: number[]): number[] {
  const sorted = [...values].sort((x, y) => x - y);
  const groups: number[] = [];
  let run = 1;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) run++;
    else {
      if (run > 1) groups.push(run);
      run = 1;
    }
  }
  return groups;
}
