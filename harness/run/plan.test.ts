import type { Scenario } from '../scenario/schema.ts';
import { windowTooShort } from './plan.ts';

/** Only the windows, the target and minSamples matter here. */
const scenario = (
  measureMs: number,
  minSamples: number,
  baselineMs = 10_000,
  target: Scenario['target'] = { kind: 'container' },
) =>
  ({ id: 's', windows: { measureMs, baselineMs }, decision: { minSamples }, target }) as Scenario;

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

  it('refuses a baseline too short for a target that exists before the start', () => {
    // The runc control's 3 s baseline, measured by pid: a trial waited 29 s for exit 125.
    expect(windowTooShort(scenario(15_000, 5, 3_000, { kind: 'pid', pid: 42 }), 1_000)).toBe(
      'scenario s: windows.baselineMs 3000 holds fewer than the 5 intervals a verdict about ' +
        'pid 42 needs at --interval 1000: make it at least 6000, or sample every 500 ms or faster',
    );
    expect(windowTooShort(scenario(15_000, 5, 3_000, { kind: 'pid', pid: 42 }), 500)).toBeNull();
  });

  it('needs no baseline for the container, which starts with the scenario', () => {
    expect(windowTooShort(scenario(15_000, 5, 3_000), 1_000)).toBeNull();
  });
});
