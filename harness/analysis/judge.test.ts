import { exitCodeFor } from '../errors/exit-codes.ts';
import {
  CONTAINER_START_S,
  cleanEvidence,
  idle,
  loadProfile,
  maskedEvidence,
  probe,
  recorded,
  recordSeries,
  type SecondLoad,
  STANDARD_PHASES,
  scenario,
  stormEvidence,
} from './fixtures/recorded-runs.ts';
import { judgeScenario } from './judge.ts';

describe('judgeScenario over recorded runs', () => {
  describe('a clear storm (Sysbox before the fix)', () => {
    const run = recorded({
      load: loadProfile({ stormFrom: CONTAINER_START_S + 2 }),
      evidence: stormEvidence(),
      sysboxVersion: '0.6.4',
    });

    it('is a storm that meets the expectation for 0.6.4: exit 0', () => {
      const judgement = judgeScenario(run);

      expect(judgement.verdict.verdict).toBe('storm');
      expect(judgement.verdict.reasons[0]).toMatch(
        /^sysbox-fs median 9\d\.\d % of one core in the measure window vs 0\.0 % baseline: \+9\d\.\d points >= 20, sustained in 29\/29 intervals \(100 % >= 80 %\)$/,
      );
      expect(judgement.verdict.reasons).toContain(
        'agrees: e2scrub_reap.service stuck in activating/start for 44 s, main process (crub_all)',
      );
      expect(judgement.expectation.result).toBe('pass');
      expect(exitCodeFor(judgement.outcome)).toBe(0);
    });

    it('is a regression on a host that claims the fix: exit 1', () => {
      const judgement = judgeScenario({ ...run, sysboxVersion: '0.6.5' });

      expect(judgement.expectation.result).toBe('fail');
      expect(judgement.expectation.reason).toContain('verdict: expected clean, got storm');
      expect(exitCodeFor(judgement.outcome)).toBe(1);
    });

    it('summarizes each recorded window', () => {
      const judgement = judgeScenario(run);
      const measure = judgement.windows.find((window) => window.phase === 'measure');

      expect(judgement.windows.map((window) => window.phase)).toEqual([
        'baseline',
        'settle',
        'measure',
        'probe',
        'recovery',
      ]);
      expect(measure?.samples).toBe(29);
      expect(measure?.p95Percent).toBeGreaterThan(98);
      expect(measure?.cpuSeconds).toBeCloseTo(29 * 0.968, 0);
    });
  });

  describe('a clean run (Sysbox with the fix)', () => {
    const run = recorded({
      load: loadProfile({}),
      evidence: cleanEvidence(),
      sysboxVersion: '0.6.5',
    });

    it('is clean despite the start-up burst: exit 0', () => {
      const judgement = judgeScenario(run);

      expect(judgement.verdict.verdict).toBe('clean');
      expect(judgement.verdict.reasons[0]).toMatch(/points < 20, at or above 20\.0 % in 0\/29/);
      expect(judgement.verdict.reasons).toContain('agrees: boot finished in 4.3 s (degraded)');
      expect(exitCodeFor(judgement.outcome)).toBe(0);
    });

    it('is a regression where a storm is expected: exit 1', () => {
      expect(exitCodeFor(judgeScenario({ ...run, sysboxVersion: '0.6.4' }).outcome)).toBe(1);
    });

    it('stays clean with another container start burst inside the measure window', () => {
      const secondBurst = (second: number) =>
        second >= 33 && second < 37 ? 80 : loadProfile({})(second);

      const judgement = judgeScenario({ ...run, ...recordedLoad(secondBurst) });

      expect(judgement.verdict.verdict).toBe('clean');
      expect(judgement.verdict.reasons[0]).toContain('in 4/29 intervals (14 %;');
    });
  });

  describe('a slow-starting storm', () => {
    it('is a storm when the loop starts a few seconds into the window: exit 0', () => {
      const judgement = judgeScenario(
        recorded({
          load: loadProfile({ stormFrom: 28 }),
          evidence: stormEvidence(),
          sysboxVersion: '0.6.4',
        }),
      );

      expect(judgement.verdict.verdict).toBe('storm');
      expect(judgement.verdict.reasons[0]).toContain('sustained in 26/29 intervals (90 % >= 80 %)');
      expect(exitCodeFor(judgement.outcome)).toBe(0);
    });

    it('is inconclusive when it starts too late to decide: exit 125', () => {
      const judgement = judgeScenario(
        recorded({
          load: loadProfile({ stormFrom: 45 }),
          evidence: stormEvidence(),
          sysboxVersion: '0.6.4',
        }),
      );

      expect(judgement.verdict.verdict).toBe('inconclusive');
      expect(judgement.verdict.reasons[1]).toBe(
        'sysbox-fs rose to the threshold 20.5 s into the ' +
          'window and stayed there: a late start; a longer settle period or measure window would decide',
      );
      expect(exitCodeFor(judgement.outcome)).toBe(125);
    });
  });

  describe('a storm that ends by itself', () => {
    it('is inconclusive when it ends inside the measure window: exit 125', () => {
      const judgement = judgeScenario(
        recorded({
          load: loadProfile({ stormFrom: 12, stormUntil: 40 }),
          evidence: cleanEvidence(),
          sysboxVersion: '0.6.5',
        }),
      );

      expect(judgement.verdict.verdict).toBe('inconclusive');
      expect(judgement.verdict.reasons[1]).toMatch(
        /^sysbox-fs fell below the threshold 1\d\.\d s into the window and stayed there: the load ended by itself/,
      );
      expect(exitCodeFor(judgement.outcome)).toBe(125);
    });

    it('is clean when it ends during the settle period: exit 0 on a fixed host', () => {
      const judgement = judgeScenario(
        recorded({
          load: loadProfile({ stormFrom: 12, stormUntil: 20 }),
          evidence: cleanEvidence(),
          sysboxVersion: '0.6.5',
        }),
      );

      expect(judgement.verdict.verdict).toBe('clean');
      expect(exitCodeFor(judgement.outcome)).toBe(0);
    });
  });

  describe('noisy baselines', () => {
    const spiky = (second: number) => [0, 36, 1, 0, 2, 0, 1, 44, 0, 1][second % 10] as number;

    it('still shows a storm: exit 0 on 0.6.4', () => {
      const judgement = judgeScenario(
        recorded({
          load: loadProfile({ baseline: spiky, stormFrom: 12 }),
          evidence: stormEvidence(),
          sysboxVersion: '0.6.4',
        }),
      );

      expect(judgement.verdict.verdict).toBe('storm');
      expect(judgement.windows[0]?.p95Percent).toBeGreaterThan(30);
    });

    it('stay clean when rarer noise continues through the window: exit 0 on 0.6.5', () => {
      const rarer = (second: number) => (second % 10 === 7 ? 41 : idle(second));
      const noisy = (second: number) => (second < 15 ? loadProfile({})(second) : rarer(second));

      const judgement = judgeScenario(
        recorded({
          load: (second) => (second < CONTAINER_START_S ? spiky(second) : noisy(second)),
          evidence: cleanEvidence(),
          sysboxVersion: '0.6.5',
        }),
      );

      expect(judgement.verdict.verdict).toBe('clean');
      expect(judgement.verdict.reasons[0]).toContain('in 3/29 intervals (10 %;');
    });

    it('are inconclusive when heavier noise fills the window: exit 125', () => {
      const heavier = (second: number) => (second % 10 < 3 ? 38 : idle(second));

      const judgement = judgeScenario(
        recorded({ load: heavier, evidence: cleanEvidence(), sysboxVersion: '0.6.5' }),
      );

      expect(judgement.verdict.verdict).toBe('inconclusive');
      expect(judgement.verdict.reasons[1]).toBe(
        'sysbox-fs was busy intermittently (9 of 29 intervals)',
      );
      expect(exitCodeFor(judgement.outcome)).toBe(125);
    });

    it('are inconclusive when the target was already busy before the start: exit 125', () => {
      const busyAllAlong = (second: number) => 96 + (second % 3);

      const judgement = judgeScenario(
        recorded({ load: busyAllAlong, evidence: cleanEvidence(), sysboxVersion: '0.6.5' }),
      );

      expect(judgement.verdict.verdict).toBe('inconclusive');
      expect(judgement.verdict.reasons[1]).toMatch(
        /already busy before the start \(baseline median 97\.0 % >= 20\)/,
      );
      expect(judgement.verdict.reasons[1]).toMatch(/another Sysbox container may be running$/);
      expect(exitCodeFor(judgement.outcome)).toBe(125);
    });
  });

  describe('a target that vanishes', () => {
    it('is inconclusive when sysbox-fs disappears during the window: exit 125', () => {
      const storm = loadProfile({ stormFrom: 12 });
      const judgement = judgeScenario(
        recorded({
          load: (second) => (second >= 38 ? 'absent' : storm(second)),
          evidence: stormEvidence(),
          sysboxVersion: '0.6.4',
        }),
      );

      expect(judgement.verdict.verdict).toBe('inconclusive');
      expect(judgement.verdict.reasons[0]).toBe(
        'sysbox-fs was absent in 17 samples of the measure window (no process named sysbox-fs)',
      );
      expect(exitCodeFor(judgement.outcome)).toBe(125);
    });

    it('is inconclusive when sysbox-fs restarts during the window: exit 125', () => {
      const storm = loadProfile({ stormFrom: 12 });
      const judgement = judgeScenario(
        recorded({
          load: (second) => (second === 40 ? 'restart' : storm(second)),
          evidence: stormEvidence(),
          sysboxVersion: '0.6.4',
        }),
      );

      expect(judgement.verdict.verdict).toBe('inconclusive');
      expect(judgement.verdict.reasons).toContain(
        'sysbox-fs restarted once during the measure window',
      );
      expect(exitCodeFor(judgement.outcome)).toBe(125);
    });

    it('is inconclusive when the run stopped before the measure window', () => {
      const judgement = judgeScenario(
        recorded({
          load: loadProfile({ stormFrom: 12 }),
          evidence: undefined,
          sysboxVersion: '0.6.4',
          phases: STANDARD_PHASES.slice(0, 4),
        }),
      );

      expect(judgement.verdict).toEqual({
        verdict: 'inconclusive',
        reasons: ['no measure window was recorded (last phase: settle)'],
      });
      expect(exitCodeFor(judgement.outcome)).toBe(125);
    });
  });

  describe('corroboration', () => {
    it('finds that a masked image hides the bug while the host stays vulnerable', () => {
      const judgement = judgeScenario(
        recorded({
          scenario: scenario({
            id: 'noble-masked-image',
            workaround: { kind: 'masked-in-image' },
            expect: [
              { sysbox: '<0.6.5', verdict: 'clean', probe: 'hangs' },
              { sysbox: '>=0.6.5', verdict: 'clean', probe: 'returns' },
            ],
          }),
          load: loadProfile({}),
          evidence: maskedEvidence('hung'),
          sysboxVersion: '0.6.4',
        }),
      );

      expect(judgement.verdict.verdict).toBe('clean');
      expect(judgement.findings).toEqual([
        'the workaround hides the bug while the host stays vulnerable: with masked-in-image the ' +
          'measure window is clean, but the PrivateNetwork probe hung for 20000 ms',
      ]);
      expect(exitCodeFor(judgement.outcome)).toBe(0);
    });

    it('is inconclusive when CPU says storm but the container finished booting and the probe returned', () => {
      const judgement = judgeScenario(
        recorded({
          load: loadProfile({ stormFrom: 12 }),
          evidence: cleanEvidence(),
          sysboxVersion: '0.6.5',
        }),
      );

      expect(judgement.verdict.verdict).toBe('inconclusive');
      expect(judgement.verdict.reasons[0]).toBe('CPU says storm but other evidence disagrees');
      expect(judgement.verdict.reasons).toContain(
        'disagrees: the PrivateNetwork probe returned in 640 ms',
      );
      expect(judgement.verdict.reasons.at(-1)).toMatch(/another may cause the load/);
      expect(exitCodeFor(judgement.outcome)).toBe(125);
    });

    it('is inconclusive when CPU is clean but the probe hangs without a workaround', () => {
      const judgement = judgeScenario(
        recorded({
          load: loadProfile({}),
          evidence: { ...cleanEvidence(), probe: probe('hung'), logs: null },
          sysboxVersion: '0.6.4',
        }),
      );

      expect(judgement.verdict.verdict).toBe('inconclusive');
      expect(judgement.verdict.reasons).toContain(
        'disagrees: the PrivateNetwork probe hung for 20000 ms',
      );
      expect(judgement.findings).toEqual([]);
    });

    it('judges both windows of a live workaround', () => {
      const phases = [
        ...STANDARD_PHASES.slice(0, 5),
        { name: 'workaround' as const, startMs: 54_500, endMs: 56_000 },
        { name: 'after-workaround' as const, startMs: 56_000, endMs: 86_000 },
        { name: 'evidence' as const, startMs: 86_000, endMs: 87_000 },
        { name: 'probe' as const, startMs: 87_000, endMs: 107_000 },
      ];
      const stopped = { ...cleanEvidence(), probe: probe('hung'), logs: null };
      const judgement = judgeScenario({
        ...recorded({
          scenario: scenario({
            id: 'noble-live-workaround',
            workaround: { kind: 'stop-and-mask-live' },
            expect: [
              { sysbox: '<0.6.5', beforeWorkaround: 'storm', verdict: 'clean', probe: 'hangs' },
            ],
          }),
          load: loadProfile({ stormFrom: 12, stormUntil: 55 }),
          evidence: { ...stopped, boot: stormEvidence().boot },
          sysboxVersion: '0.6.4',
          phases,
        }),
        ...recordedLoad(loadProfile({ stormFrom: 12, stormUntil: 55 }), 110),
      });

      expect(judgement.verdictBeforeWorkaround?.verdict).toBe('storm');
      expect(judgement.verdict.verdict).toBe('clean');
      expect(judgement.findings).toHaveLength(1);
      expect(judgement.expectation.result).toBe('pass');
    });
  });

  describe('a runc control measuring its own container', () => {
    const control = scenario({
      id: 'runc-trixie-control',
      container: { image: 'sysbox-repro/trixie-systemd', runtime: 'runc', devices: [] },
      target: { kind: 'container' },
      expect: [{ sysbox: '*', verdict: 'clean', probe: 'returns' }],
    });
    const containerLoad = (second: number) =>
      second < CONTAINER_START_S ? ('absent' as const) : second < 12 ? 35 : idle(second);

    it('is clean against 0 % on a host without Sysbox: exit 0', () => {
      const judgement = judgeScenario({
        ...recorded({
          scenario: control,
          load: containerLoad,
          evidence: { ...cleanEvidence(), logs: null },
          sysboxVersion: null,
        }),
        targetName: 'container',
      });

      expect(judgement.verdict.verdict).toBe('clean');
      expect(judgement.verdict.reasons[0]).toContain(
        'vs 0 % (no baseline: it did not exist before the start)',
      );
      expect(exitCodeFor(judgement.outcome)).toBe(0);
    });

    it('ignores sysbox-fs log counts, which runc never produces', () => {
      const logs = { ...cleanEvidence().logs, ignoringLines: 500 } as ReturnType<
        typeof cleanEvidence
      >['logs'];

      const judgement = judgeScenario({
        ...recorded({
          scenario: control,
          load: containerLoad,
          evidence: { ...cleanEvidence(), logs },
          sysboxVersion: null,
        }),
        targetName: 'container',
      });

      expect(judgement.verdict.verdict).toBe('clean');
    });
  });
});

describe('a host process measured beside a runc container', () => {
  const hostLoad = scenario({
    id: 'host-load',
    container: { image: 'sysbox-repro/trixie-systemd', runtime: 'runc', devices: [] },
    target: { kind: 'process', name: 'sbx-burner' },
    expect: [{ sysbox: '*', verdict: 'storm' }],
  });

  it('stays a storm: the clean container says nothing about that process', () => {
    const judgement = judgeScenario({
      ...recorded({
        scenario: hostLoad,
        load: loadProfile({ stormFrom: 12 }),
        evidence: cleanEvidence(),
        sysboxVersion: null,
      }),
      targetName: 'sbx-burner',
    });

    expect(judgement.verdict.verdict).toBe('storm');
    expect(judgement.verdict.reasons.at(-1)).toBe(
      'evidence inside the container is recorded but not weighed: it says nothing about sbx-burner',
    );
    expect(judgement.verdict.reasons.join(' ')).not.toMatch(/serves every Sysbox container/);
    expect(exitCodeFor(judgement.outcome)).toBe(0);
  });

  it('blames no Sysbox container when that process was busy before the start', () => {
    const judgement = judgeScenario({
      ...recorded({
        scenario: hostLoad,
        load: (second: number) => 96 + (second % 3),
        evidence: cleanEvidence(),
        sysboxVersion: null,
      }),
      targetName: 'sbx-burner',
    });

    expect(judgement.verdict.verdict).toBe('inconclusive');
    expect(judgement.verdict.reasons[1]).toMatch(/^sbx-burner was already busy before the start/);
    expect(judgement.verdict.reasons.join(' ')).not.toMatch(/Sysbox container/);
  });
});

function recordedLoad(load: (second: number) => SecondLoad, seconds?: number) {
  return { targetSamples: recordSeries(load, seconds ? { seconds } : {}) };
}
