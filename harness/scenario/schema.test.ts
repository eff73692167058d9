import { MIN_INTERVAL_MS } from '../measure/sampler.ts';
import { containerLifetime } from './cross-checks.ts';
import { LIMITS_MS, SAMPLING_INTERVAL_MS, UNBUDGETED_STEPS_MS } from './limits.ts';
import { parseScenario } from './load.ts';
import type { ScenarioInput } from './schema.ts';

const minimal = {
  id: 'minimal',
  title: 'minimal',
  container: { image: 'example/image:1' },
  expect: [{ sysbox: '*', verdict: 'clean' }],
} satisfies ScenarioInput;

const parse = (changes: Partial<ScenarioInput>) =>
  parseScenario({ ...minimal, ...changes }, 'x.scenario.ts');

/** Every duration field, with a scenario that sets it to `ms`. */
const DURATIONS: [string, keyof typeof LIMITS_MS, (ms: number) => Partial<ScenarioInput>][] = [
  ['windows.baselineMs', 'baseline', (ms) => ({ windows: { baselineMs: ms } })],
  ['windows.bootBudgetMs', 'bootBudget', (ms) => ({ windows: { bootBudgetMs: ms } })],
  ['windows.settleMs', 'settle', (ms) => ({ windows: { settleMs: ms } })],
  ['windows.measureMs', 'measure', (ms) => ({ windows: { measureMs: ms } })],
  ['windows.recoveryMs', 'recovery', (ms) => ({ windows: { recoveryMs: ms } })],
  ['probe.budgetMs', 'probeBudget', (ms) => ({ probe: { budgetMs: ms } })],
  [
    'trigger.budgetMs',
    'unitBudget',
    (ms) => ({ trigger: { kind: 'start-unit', unit: 'x.service', budgetMs: ms } }),
  ],
  [
    'trigger.budgetMs',
    'triggerProbeBudget',
    (ms) => ({ trigger: { kind: 'probe', budgetMs: ms } }),
  ],
  [
    'safetyCapMs',
    'safetyCap',
    // The shortest container life there is, so that the shortest cap fits it.
    (ms) => ({
      safetyCapMs: ms,
      windows: {
        bootBudgetMs: LIMITS_MS.bootBudget.min,
        settleMs: 0,
        measureMs: LIMITS_MS.measure.min,
      },
      probe: { enabled: false },
    }),
  ],
];

/** A cap that leaves room for the longest windows, so only the field under test is at fault. */
const roomy = { safetyCapMs: LIMITS_MS.safetyCap.max };

describe('scenario durations', () => {
  it('refuses the timings a user trial accepted: no measure window, a 1 ms safety cap', () => {
    expect(() => parse({ windows: { measureMs: 0 } })).toThrow(
      'scenario x.scenario.ts: field windows.measureMs: expected at least 6000 ms; found 0',
    );
    expect(() => parse({ safetyCapMs: 1 })).toThrow(
      'field safetyCapMs: expected at least 71000 ms; found 1',
    );
  });

  it.each(DURATIONS)('bounds %s (%s) at both ends', (field, limit, set) => {
    const { min, max } = LIMITS_MS[limit];
    const at = (ms: number) => () => parse({ ...roomy, ...set(ms) });

    expect(at(min)).not.toThrow();
    expect(at(max)).not.toThrow();
    expect(at(max + 1)).toThrow(`field ${field}: expected at most ${max} ms; found ${max + 1}`);
    if (min > 0) {
      expect(at(min - 1)).toThrow(`field ${field}: expected at least ${min} ms; found ${min - 1}`);
    }
    expect(at(-1)).toThrow(`field ${field}: expected at least ${min} ms`);
    expect(at(min + 0.5)).toThrow(`field ${field}: expected a whole number of milliseconds`);
  });

  it('keeps every default within its bounds', () => {
    expect(() => parse({})).not.toThrow();
  });

  it('fits the longest windows together under the longest safety cap', () => {
    const longest = parse({
      ...roomy,
      workaround: { kind: 'stop-and-mask-live' },
      windows: {
        bootBudgetMs: LIMITS_MS.bootBudget.max,
        settleMs: LIMITS_MS.settle.max,
        measureMs: LIMITS_MS.measure.max,
      },
      probe: { budgetMs: LIMITS_MS.probeBudget.max },
    });

    expect(containerLifetime(longest).ms).toBeLessThanOrEqual(LIMITS_MS.safetyCap.max);
  });

  it('uses the sampler floor as the fastest interval', () => {
    expect(SAMPLING_INTERVAL_MS.min).toBe(MIN_INTERVAL_MS);
  });
});

describe('scenario counts', () => {
  it('bounds decision.minSamples and the repetitions', () => {
    expect(() => parse({ decision: { minSamples: 2 } })).toThrow(
      'field decision.minSamples: expected at least 3; found 2',
    );
    for (const key of ['initial', 'block', 'cap'] as const) {
      expect(() => parse({ repetitions: { [key]: 0 } })).toThrow(
        `field repetitions.${key}: expected at least 1; found 0`,
      );
      expect(() => parse({ repetitions: { initial: 1, [key]: 101 } })).toThrow(
        `field repetitions.${key}: expected at most 100; found 101`,
      );
    }
  });
});

describe('rules across fields', () => {
  it('wants a safety cap the container can live within, naming what it adds up', () => {
    const windows = { bootBudgetMs: 60_000, settleMs: 10_000, measureMs: 120_000 };
    const needed = 60_000 + 10_000 + 120_000 + 20_000 + UNBUDGETED_STEPS_MS;

    expect(() => parse({ windows, safetyCapMs: needed })).not.toThrow();
    expect(() => parse({ windows, safetyCapMs: needed - 1 })).toThrow(
      `field safetyCapMs: expected at least ${needed} ms, what the container may need: ` +
        `boot budget 60000 + settle 10000 + measure 120000 + probe budget 20000 + ` +
        `start, evidence and removal ${UNBUDGETED_STEPS_MS}; found ${needed - 1}`,
    );
  });

  it('counts the measure window twice for a live workaround, on the scenario or an arm', () => {
    const once = containerLifetime(parse({}));
    const live = containerLifetime(parse({ workaround: { kind: 'restart-sysbox-fs' } }));
    const onArm = containerLifetime(
      parse({
        arms: [{ id: 'plain' }, { id: 'live', workaround: { kind: 'stop-and-mask-live' } }],
      }),
    );

    expect(live.ms - once.ms).toBe(30_000);
    expect(onArm.ms).toBe(live.ms);
  });

  it('leaves out a probe that is disabled or already the trigger', () => {
    const withProbe = containerLifetime(parse({})).ms;

    expect(containerLifetime(parse({ probe: { enabled: false } })).ms).toBe(withProbe - 20_000);
    const triggered = parse({ trigger: { kind: 'probe', budgetMs: 3_000_000 }, ...roomy });
    expect(containerLifetime(triggered).ms).toBe(withProbe - 20_000);
  });

  it('wants a measure window that can hold decision.minSamples at the fastest interval', () => {
    expect(() => parse({ windows: { measureMs: 10_000 }, decision: { minSamples: 100 } })).toThrow(
      'field windows.measureMs: expected at least 10100 ms: decision.minSamples 100',
    );
    expect(() =>
      parse({ windows: { measureMs: 10_000 }, decision: { minSamples: 99 } }),
    ).not.toThrow();
  });

  it('wants a repetition cap no lower than the first round of runs', () => {
    const arms = [{ id: 'a' }, { id: 'b' }];

    expect(() => parse({ repetitions: { initial: 5, cap: 4 } })).toThrow(
      'field repetitions.cap: expected at least 5, the runs per arm before the first comparison',
    );
    expect(() => parse({ arms, repetitions: { cap: 2 } })).toThrow(
      'field repetitions.cap: expected at least 3',
    );
    expect(() => parse({ repetitions: { cap: 2 } })).not.toThrow();
  });

  it('wants arm ids that tell the arms apart', () => {
    expect(() => parse({ arms: [{ id: 'a' }, { id: 'b' }, { id: 'a' }] })).toThrow(
      'field arms.2.id: expected an id no other arm of this scenario has; found "a"',
    );
  });
});
