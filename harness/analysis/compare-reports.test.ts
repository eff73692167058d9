import { exitCodeFor } from '../errors/exit-codes.ts';
import { isHarnessError } from '../errors/harness-error.ts';
import { reportSchema } from '../report/schema.ts';
import { compareReports } from './compare-reports.ts';
import { cleanEvidence, loadProfile, recorded, stormEvidence } from './fixtures/recorded-runs.ts';
import { host, report, scenarioResult } from './fixtures/reports.ts';

const stormResult = () =>
  scenarioResult(
    recorded({
      load: loadProfile({ stormFrom: 12 }),
      evidence: stormEvidence(),
      sysboxVersion: '0.6.4',
    }),
  );
const cleanResult = () =>
  scenarioResult(
    recorded({ load: loadProfile({}), evidence: cleanEvidence(), sysboxVersion: '0.6.5' }),
  );
const fixedHost = host({
  sysbox: { version: '0.6.5', components: { 'sysbox-fs': '0.6.5' }, package: '0.6.5-0.linux' },
});

describe('compareReports', () => {
  it('builds reports the schema accepts', () => {
    expect(reportSchema.safeParse(report('a', [stormResult()])).success).toBe(true);
  });

  it('calls clean-to-storm between Sysbox versions a regression: exit 1', () => {
    const comparison = compareReports(
      report('fixed', [cleanResult()], fixedHost),
      report('old', [stormResult()]),
    );

    expect(comparison.scenarios[0]?.outcome).toBe('regressed');
    expect(comparison.scenarios[0]?.basis).toBe('pooled intervals');
    expect(comparison.sysboxDifferences.map((d) => d.field)).toContain('sysbox.version');
    expect(exitCodeFor(comparison.outcome)).toBe(1);
  });

  it('calls storm-to-clean fixed: exit 0', () => {
    const comparison = compareReports(
      report('old', [stormResult()]),
      report('fixed', [cleanResult()], fixedHost),
    );

    expect(comparison.scenarios[0]?.outcome).toBe('fixed');
    expect(exitCodeFor(comparison.outcome)).toBe(0);
  });

  it('compares repetition medians when each report repeated the scenario', () => {
    const comparison = compareReports(
      report('a', [stormResult(), stormResult(), stormResult()]),
      report('b', [stormResult(), stormResult(), stormResult()]),
    );

    expect(comparison.scenarios[0]).toMatchObject({
      outcome: 'unchanged',
      basis: 'repetition medians',
      verdictA: 'storm',
      verdictB: 'storm',
    });
    expect(exitCodeFor(comparison.outcome)).toBe(0);
  });

  it('is inconclusive when a verdict was inconclusive: exit 125', () => {
    const vanished = scenarioResult(
      recorded({
        load: (second) => (second >= 38 ? 'absent' : loadProfile({ stormFrom: 12 })(second)),
        evidence: stormEvidence(),
        sysboxVersion: '0.6.4',
      }),
    );

    const comparison = compareReports(report('a', [stormResult()]), report('b', [vanished]));

    expect(comparison.scenarios[0]?.outcome).toBe('inconclusive');
    expect(comparison.scenarios[0]?.reason).toMatch(
      /^verdicts storm and inconclusive do not allow/,
    );
    expect(exitCodeFor(comparison.outcome)).toBe(125);
  });

  it('refuses reports from different hosts and names the fields', () => {
    const elsewhere = host({ hostname: 'ci-runner-7', kernel: '6.8.0-49-generic' });

    let caught: unknown;
    try {
      compareReports(report('a', [stormResult()]), report('b', [stormResult()], elsewhere));
    } catch (error) {
      caught = error;
    }

    expect(isHarnessError(caught, 'bad-input')).toBe(true);
    expect((caught as Error).message).toBe(
      'reports a and b come from different hosts: hostname (ci-runner-3 vs ci-runner-7), ' +
        'kernel (6.8.0-45-generic vs 6.8.0-49-generic)',
    );
  });

  it('compares reports from different hosts when forced, and still lists the fields', () => {
    const elsewhere = host({ cores: 4 });

    const comparison = compareReports(
      report('a', [stormResult()]),
      report('b', [stormResult()], elsewhere),
      { force: true },
    );

    expect(comparison.hostDifferences).toEqual([{ field: 'cores', a: '2', b: '4' }]);
    expect(comparison.scenarios[0]?.outcome).toBe('unchanged');
  });

  it('lists scenarios run in only one report without deciding on them', () => {
    const other = { ...cleanResult(), scenarioId: 'jammy-control' };

    const comparison = compareReports(
      report('a', [stormResult(), other]),
      report('b', [stormResult()]),
    );

    expect(comparison.scenarios.map((s) => s.outcome)).toEqual(['unchanged', 'only-in-a']);
    expect(exitCodeFor(comparison.outcome)).toBe(0);
  });

  it('decides nothing when the reports share no scenario: exit 125', () => {
    const other = { ...stormResult(), scenarioId: 'something-else' };

    const comparison = compareReports(report('a', [stormResult()]), report('b', [other]));

    expect(comparison.scenarios.map((s) => s.outcome)).toEqual(['only-in-a', 'only-in-b']);
    expect(exitCodeFor(comparison.outcome)).toBe(125);
  });

  it('sets aside scenarios both hosts skipped, and decides on the rest', () => {
    const skipped = () => ({
      ...cleanResult(),
      scenarioId: 'noble-gpu-storm',
      status: 'skipped' as const,
      skip: { reason: 'runtime sysbox-runc not registered with Docker', fix: 'install Sysbox' },
      verdict: undefined,
    });

    const both = compareReports(
      report('a', [stormResult(), skipped()]),
      report('b', [stormResult(), skipped()]),
    );
    expect(both.scenarios.map((s) => s.outcome)).toEqual(['unchanged', 'skipped-in-both']);
    expect(both.scenarios[1]?.reason).toContain('runtime sysbox-runc not registered');
    expect(exitCodeFor(both.outcome)).toBe(0);

    const onlySkipped = compareReports(report('a', [skipped()]), report('b', [skipped()]));
    expect(exitCodeFor(onlySkipped.outcome)).toBe(125);
  });

  it('flags run options that make the numbers less alike, and runs that did not complete', () => {
    const a = report('a', [stormResult()]);
    const b = report('b', [stormResult()]);
    a.options = { intervalMs: 1000, debugLogs: false };
    b.options = { intervalMs: 100, debugLogs: false };
    b.status = 'interrupted';
    b.outcome = 'interrupted';

    const comparison = compareReports(a, b);

    expect(comparison.settingDifferences).toEqual([{ field: 'intervalMs', a: '1000', b: '100' }]);
    expect(comparison.incomplete).toEqual([{ report: 'b', runId: 'b', status: 'interrupted' }]);
    expect(comparison.scenarios[0]?.outcome).toBe('unchanged');
  });

  it('flags nothing between two complete runs with the same options', () => {
    const comparison = compareReports(report('a', [stormResult()]), report('b', [stormResult()]));

    expect(comparison.settingDifferences).toEqual([]);
    expect(comparison.incomplete).toEqual([]);
  });
});
