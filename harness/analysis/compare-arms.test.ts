import { compareArms, needsMoreRepetitions } from './compare-arms.ts';

const storm = [96.8, 97.1, 96.5, 97.3, 96.9];
const clean = [0.1, 0.0, 0.2, 0.4, 0.3];

describe('compareArms', () => {
  it('calls a clean-to-storm change a regression', () => {
    const comparison = compareArms(clean, storm);

    expect(comparison.outcome).toBe('regressed');
    expect(comparison.difference).toBeCloseTo(96.7, 5);
    expect(comparison.ci?.low).toBeGreaterThan(90);
    expect(comparison.p).toBeCloseTo(2 / 252, 10);
    expect(comparison.reason).toMatch(
      /^difference \+96\.7 points, 95 % CI \[\+9\d\.\d, \+9\d\.\d\], p 0\.008:/,
    );
  });

  it('calls a storm-to-clean change fixed', () => {
    expect(compareArms(storm, clean).outcome).toBe('fixed');
  });

  it('calls two storms unchanged', () => {
    const again = [97.0, 96.6, 97.4, 96.2, 97.2];

    expect(compareArms(storm, again).outcome).toBe('unchanged');
  });

  it('calls two idle arms unchanged, ties and all', () => {
    expect(compareArms([0, 0, 0], [0, 0, 0, 0]).outcome).toBe('unchanged');
  });

  it('is inconclusive with three repetitions each, however far apart', () => {
    // The smallest two-sided exact p for 3 against 3 is 0.1.
    const comparison = compareArms(clean.slice(0, 3), storm.slice(0, 3));

    expect(comparison.outcome).toBe('inconclusive');
    expect(comparison.p).toBeCloseTo(0.1, 10);
    expect(needsMoreRepetitions(comparison, { repetitions: 3, cap: 9, block: 3 })).toBe(3);
    expect(needsMoreRepetitions(comparison, { repetitions: 8, cap: 9, block: 3 })).toBe(1);
    expect(needsMoreRepetitions(comparison, { repetitions: 9, cap: 9, block: 3 })).toBe(0);
  });

  it('is inconclusive when one arm is split between storm and clean', () => {
    const split = [96.8, 0.2, 97.0, 0.1, 96.9, 0.3];

    expect(compareArms(clean, split).outcome).toBe('inconclusive');
  });

  it('refuses to decide on too few values', () => {
    const comparison = compareArms([1], [90, 91, 92]);

    expect(comparison.outcome).toBe('inconclusive');
    expect(comparison.reason).toBe('too few values to compare: 1 and 3, at least 3 each');
    expect(
      needsMoreRepetitions(compareArms(clean, storm), { repetitions: 5, cap: 9, block: 3 }),
    ).toBe(0);
  });
});
