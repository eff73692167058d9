import { describeValue } from './describe-issues.ts';

describe('a found value, as shown in a problem', () => {
  it('is written as in a scenario file', () => {
    expect(describeValue('crun')).toBe('"crun"');
    expect(describeValue(0)).toBe('0');
    expect(describeValue({ kind: 'boot' })).toBe('{"kind":"boot"}');
  });

  it('names what JSON cannot write instead of failing on it', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;

    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue(10n)).toBe('10n');
    expect(describeValue(cycle)).toBe('an object that refers to itself');
    expect(describeValue(Number.NaN)).toBe('NaN (not a number)');
    expect(describeValue(-Infinity)).toBe('-Infinity');
  });

  it('is cut short past 80 characters', () => {
    const shown = describeValue('x'.repeat(200));

    expect(shown).toHaveLength(80);
    expect(shown.endsWith('...')).toBe(true);
  });
});
