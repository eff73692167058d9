import type { ScenarioResult } from '../report/schema.ts';
import { compareScenarioArms, repetitionValue } from './comparisons.ts';

function result(arm: string, median: number | null, status = 'completed'): ScenarioResult {
  return {
    scenarioId: 's',
    arm,
    file: 's.ts',
    scenario: {},
    status: status as ScenarioResult['status'],
    phases: [],
    windows: [
      {
        phase: 'measure',
        series: 'container',
        startMs: 0,
        endMs: 1,
        samples: 9,
        restarts: 0,
        gaps: 0,
        medianPercent: 50,
        meanPercent: 50,
        p95Percent: 50,
        cpuSeconds: 1,
      },
      {
        phase: 'measure',
        series: 'target',
        startMs: 0,
        endMs: 1,
        samples: 9,
        restarts: 0,
        gaps: 0,
        medianPercent: median,
        meanPercent: median,
        p95Percent: median,
        cpuSeconds: 1,
      },
    ],
    findings: [],
    expectation: {
      result: 'pass',
      sysboxVersion: null,
      range: null,
      expected: null,
      observed: null,
      reason: '',
    },
  };
}

describe('arm comparisons', () => {
  it("takes the target's measure median, not another series'", () => {
    expect(repetitionValue(result('a', 97))).toBe(97);
    expect(repetitionValue(result('a', 97, 'interrupted'))).toBeNull();
  });

  it('finds a storm that a new version fixed', () => {
    const results = [
      ...[96, 97, 98, 97, 96].map((m) => result('old', m)),
      ...[0.1, 0, 0.2, 0, 0.3].map((m) => result('new', m)),
    ];

    const [comparison] = compareScenarioArms('s', ['old', 'new'], results, 20);

    expect(comparison).toMatchObject({ armA: 'old', armB: 'new', outcome: 'fixed' });
    expect(comparison?.valuesA).toEqual([96, 97, 98, 97, 96]);
  });

  it('is inconclusive with too few repetitions to decide', () => {
    const results = [result('old', 97), result('new', 0)];

    expect(compareScenarioArms('s', ['old', 'new'], results, 20)[0]?.outcome).toBe('inconclusive');
  });
});
