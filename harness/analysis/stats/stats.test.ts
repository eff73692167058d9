import { bootstrapDifferenceCI } from './bootstrap.ts';
import { readGolden } from './golden.ts';
import { mannWhitneyU } from './mann-whitney.ts';
import { seededRandom } from './seeded-random.ts';

interface MannWhitneyGolden {
  name: string;
  a: number[];
  b: number[];
  u: number;
  p: number;
  method: 'exact' | 'normal';
}

interface BootstrapGolden {
  name: string;
  a: number[];
  b: number[];
  iterations: number;
  confidence: number;
  seed: number;
  difference: number;
  low: number;
  high: number;
}

// The normal tail comes from simple-statistics' erf, accurate to about 1.2e-7 relative.
const closeTo = (actual: number, expected: number, relative: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected) + 1e-12);

describe('mannWhitneyU against independently computed golden values', () => {
  const cases = readGolden<MannWhitneyGolden[]>('mann-whitney.json.golden');

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, golden) => {
    const result = mannWhitneyU(golden.a, golden.b);

    expect(result.method).toBe(golden.method);
    expect(result.u).toBe(golden.u);
    closeTo(result.p, golden.p, golden.method === 'exact' ? 1e-12 : 1e-6);
  });

  it('is symmetric in its p-value and complementary in U', () => {
    const a = [3.1, 7.4, 2.2];
    const b = [5.5, 9.9, 1.1, 8.8, 6.6, 4.4, 0.5];

    const forward = mannWhitneyU(a, b);
    const backward = mannWhitneyU(b, a);

    expect(forward.u + backward.u).toBe(a.length * b.length);
    expect(backward.p).toBeCloseTo(forward.p, 12);
  });

  it('refuses an empty sample', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(RangeError);
  });
});

describe('bootstrapDifferenceCI against an independent re-implementation', () => {
  const cases = readGolden<BootstrapGolden[]>('bootstrap.json.golden');

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, golden) => {
    const interval = bootstrapDifferenceCI(golden.a, golden.b, golden);

    closeTo(interval.difference, golden.difference, 1e-12);
    closeTo(interval.low, golden.low, 1e-12);
    closeTo(interval.high, golden.high, 1e-12);
  });

  it('gives the same interval for the same seed and another for another seed', () => {
    const random = seededRandom(3);
    const a = Array.from({ length: 9 }, () => 100 * random());
    const b = Array.from({ length: 9 }, () => 100 * random());

    const first = bootstrapDifferenceCI(a, b, { iterations: 500, seed: 9 });
    const again = bootstrapDifferenceCI(a, b, { iterations: 500, seed: 9 });
    const other = bootstrapDifferenceCI(a, b, { iterations: 500, seed: 10 });

    expect(again).toEqual(first);
    expect([other.low, other.high]).not.toEqual([first.low, first.high]);
  });

  it('covers a known shift between two large samples', () => {
    const random = seededRandom(5);
    const a = Array.from({ length: 200 }, () => 10 * random());
    const b = Array.from({ length: 200 }, () => 30 + 10 * random());

    const interval = bootstrapDifferenceCI(a, b, { iterations: 2000 });

    expect(interval.low).toBeLessThan(30);
    expect(interval.high).toBeGreaterThan(30);
    expect(interval.high - interval.low).toBeLessThan(4);
  });
});

describe('seededRandom', () => {
  it('draws the same sequence as the independent generator', () => {
    const golden = readGolden<{ seed: number; values: number[] }>('seeded-random.json.golden');
    const random = seededRandom(golden.seed);

    expect(golden.values.map(() => random())).toEqual(golden.values);
  });
});
