import type { Scenario } from '../scenario/schema.ts';
import { windowTooShort } from './plan.ts';

/** Only the measure window and minSamples matter here. */
const scenario = (measureMs: number, minSamples: number) =>
  ({ id: 's', windows: { measureMs }, decision: { minSamples } }) as Scenario;

describe('windowTooShort', () => {
  it('refuses a window a trial found undecidable: 5 s for 5 samples at 1 s', () => {
    expect(windowTooShort(scenario(5_000, 5), 1_000)).toBe(
      'scenario s: windows.measureMs 5000 holds fewer than the 5 intervals a verdict needs at ' +
        '--interval 1000: make it at least 6000, or sample every 833 ms or faster',
    );
  });

  it('accepts a window with one interval to spare for its edges', () => {
    expect(windowTooShort(scenario(6_000, 5), 1_000)).toBeNull();
    expect(windowTooShort(scenario(10_000, 4), 500)).toBeNull();
  });

  it('refuses a one-minute interval for a 15 s window', () => {
    expect(windowTooShort(scenario(15_000, 5), 60_000)).toMatch(/at least 360000/);
  });
});
