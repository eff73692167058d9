import { type Outcome, worstOutcome } from '../errors/exit-codes.ts';
import { badInput } from '../errors/harness-error.ts';
import type { HostFingerprint, ReadableReport, ScenarioResult } from '../report/schema.ts';
import {
  type ArmComparison,
  type ArmOutcome,
  COMPARE_DEFAULTS,
  type CompareOptions,
  compareArms,
} from './compare-arms.ts';
import { measureWindow } from './window-stats.ts';

export interface HostDifference {
  field: string;
  a: string;
  b: string;
}

export interface ScenarioComparison {
  scenarioId: string;
  outcome: ArmOutcome | 'only-in-a' | 'only-in-b' | 'skipped-in-both';
  verdictA: string;
  verdictB: string;
  /** What the numbers are: one median per repetition, or every interval of the windows. */
  basis: 'repetition medians' | 'pooled intervals' | null;
  stats: ArmComparison | null;
  reason: string;
}

export interface ReportComparison {
  hostDifferences: HostDifference[];
  /** Fields that differ but are what a comparison is for (the Sysbox under test). */
  sysboxDifferences: HostDifference[];
  /** Run options that make the two reports' numbers less alike (interval, target, ...). */
  settingDifferences: HostDifference[];
  /** Reports whose run did not complete: what they hold was compared, the rest is missing. */
  incomplete: { report: 'a' | 'b'; runId: string; status: string }[];
  scenarios: ScenarioComparison[];
  outcome: Outcome;
}

/**
 * Compares two saved reports scenario by scenario with the rules used between arms. Reports
 * from different hosts are refused unless forced; the Sysbox version may differ, since
 * comparing versions is what this is for.
 */
export function compareReports(
  a: ReadableReport,
  b: ReadableReport,
  options: { force?: boolean; compare?: CompareOptions } = {},
): ReportComparison {
  const hostDifferences = diffHosts(a.host, b.host);
  if (hostDifferences.length > 0 && !options.force) {
    const fields = hostDifferences.map((d) => `${d.field} (${d.a} vs ${d.b})`).join(', ');
    throw badInput(
      `reports ${a.runId} and ${b.runId} come from different hosts: ${fields}`,
      'compare them anyway with --force',
    );
  }

  // Arms of one scenario are different experiments: each is compared with its namesake.
  const ids = [...new Set([...a.scenarios, ...b.scenarios].map(comparisonKey))];
  const scenarios = ids.map((id) =>
    compareScenario(
      id,
      a.scenarios.filter((s) => comparisonKey(s) === id),
      b.scenarios.filter((s) => comparisonKey(s) === id),
      options.compare ?? {},
    ),
  );

  return {
    hostDifferences,
    sysboxDifferences: diffFlat(flattenSysbox(a.host), flattenSysbox(b.host)),
    settingDifferences: diffFlat(comparableSettings(a), comparableSettings(b)),
    incomplete: [
      { report: 'a' as const, runId: a.runId, status: a.status },
      { report: 'b' as const, runId: b.runId, status: b.status },
    ].filter((r) => r.status !== 'completed'),
    scenarios,
    outcome: comparedAnything(scenarios)
      ? worstOutcome(
          scenarios
            .filter((s) => !UNCOMPARED.has(s.outcome))
            .map((s) =>
              s.outcome === 'regressed'
                ? 'regression'
                : s.outcome === 'inconclusive'
                  ? 'inconclusive'
                  : 'ok',
            ),
        )
      : 'inconclusive',
  };
}

/** Scenarios that ran in only one report, or in neither, decide nothing. */
const UNCOMPARED = new Set<ScenarioComparison['outcome']>([
  'only-in-a',
  'only-in-b',
  'skipped-in-both',
]);

/** Two reports without a scenario run in both decide nothing. */
function comparedAnything(scenarios: readonly ScenarioComparison[]): boolean {
  return scenarios.some((s) => !UNCOMPARED.has(s.outcome));
}

function comparisonKey(result: ScenarioResult): string {
  return result.arm && result.arm !== 'default'
    ? `${result.scenarioId} [${result.arm}]`
    : result.scenarioId;
}

function compareScenario(
  scenarioId: string,
  a: ScenarioResult[],
  b: ScenarioResult[],
  options: CompareOptions,
): ScenarioComparison {
  const verdictA = armVerdict(a);
  const verdictB = armVerdict(b);
  const base = { scenarioId, verdictA, verdictB, basis: null, stats: null };
  if (a.length === 0) return { ...base, outcome: 'only-in-b', reason: 'not run in report a' };
  if (b.length === 0) return { ...base, outcome: 'only-in-a', reason: 'not run in report b' };
  // A host without the scenario's runtime skips it every time: nothing to compare, and no
  // reason to call the comparison inconclusive for it.
  if ([...a, ...b].every((result) => result.status === 'skipped')) {
    const reason = `skipped in both reports: ${a[0]?.skip?.reason ?? 'no reason recorded'}`;
    return { ...base, outcome: 'skipped-in-both', reason };
  }

  const minPerArm = options.minPerArm ?? COMPARE_DEFAULTS.minPerArm;
  const mediansA = repetitionMedians(a);
  const mediansB = repetitionMedians(b);
  const byRepetition = mediansA.length >= minPerArm && mediansB.length >= minPerArm;
  const basis = byRepetition ? 'repetition medians' : 'pooled intervals';
  const stats = byRepetition
    ? compareArms(mediansA, mediansB, options)
    : compareArms(pooledIntervals(a), pooledIntervals(b), options);
  const undecided = [verdictA, verdictB].filter((v) => v !== 'storm' && v !== 'clean');

  if (undecided.length > 0) {
    return {
      ...base,
      basis,
      stats,
      outcome: 'inconclusive',
      reason: `verdicts ${verdictA} and ${verdictB} do not allow a decision; CPU: ${stats.reason}`,
    };
  }
  const verdictsSay: ArmOutcome | null =
    verdictA === verdictB ? null : verdictB === 'storm' ? 'regressed' : 'fixed';
  if (verdictsSay && stats.outcome !== verdictsSay) {
    return {
      ...base,
      basis,
      stats,
      outcome: 'inconclusive',
      reason: `verdicts say ${verdictsSay} (${verdictA} to ${verdictB}) but CPU says ${stats.outcome}: ${stats.reason}`,
    };
  }
  return { ...base, basis, stats, outcome: stats.outcome, reason: stats.reason };
}

/** The arm's verdict when every completed repetition agrees, else what stands in the way. */
function armVerdict(results: ScenarioResult[]): string {
  if (results.length === 0) return 'not run';
  const incomplete = results.find((r) => r.status !== 'completed');
  if (incomplete) return incomplete.status;
  const verdicts = new Set(results.map((r) => r.verdict?.verdict ?? 'none'));
  return verdicts.size === 1 ? ([...verdicts][0] as string) : 'mixed';
}

function finalWindowName(result: ScenarioResult): 'measure' | 'after-workaround' {
  return result.phases.some((p) => p.name === 'after-workaround') ? 'after-workaround' : 'measure';
}

function repetitionMedians(results: ScenarioResult[]): number[] {
  return results.flatMap((result) => {
    const name = finalWindowName(result);
    const median = result.windows.findLast((w) => w.phase === name)?.medianPercent;
    return median === undefined || median === null ? [] : [median];
  });
}

function pooledIntervals(results: ScenarioResult[]): number[] {
  return results.flatMap((result) => {
    const name = finalWindowName(result);
    const phase = result.phases.findLast((p) => p.name === name);
    const samples = result.timeline?.series.target;
    if (!phase || !samples) return [];
    return measureWindow(samples, name, phase.startMs, phase.endMs).intervals.map((i) => i.percent);
  });
}

/** Fingerprint fields that describe the host itself. */
function diffHosts(a: HostFingerprint | null, b: HostFingerprint | null): HostDifference[] {
  if (a === null || b === null) {
    if (a === b) return [];
    return [{ field: 'host', a: a ? 'recorded' : 'missing', b: b ? 'recorded' : 'missing' }];
  }
  const { sysbox: _a, ...hostA } = a;
  const { sysbox: _b, ...hostB } = b;
  return diffFlat(flatten(hostA), flatten(hostB));
}

function flattenSysbox(host: HostFingerprint | null): Record<string, string> {
  return host?.sysbox ? flatten({ sysbox: host.sysbox }) : { sysbox: 'not installed' };
}

/**
 * Options that change what the numbers are: the sampling interval (noise per interval), the
 * target, debug logging (costs sysbox-fs CPU) and sharing sysbox-fs with other containers.
 * Which scenarios ran and the image map are compared scenario by scenario instead.
 */
const COMPARABLE_SETTINGS = [
  'intervalMs',
  'target',
  'debugLogs',
  'allowOtherSysboxContainers',
  'otherSysboxContainers',
];

function comparableSettings(report: ReadableReport): Record<string, string> {
  const picked = Object.fromEntries(
    COMPARABLE_SETTINGS.map((key) => [key, report.options[key] ?? null]),
  );
  return flatten(picked);
}

function flatten(value: unknown, prefix = ''): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { [prefix]: Array.isArray(value) ? [...value].sort().join(',') : String(value) };
  }
  return Object.assign(
    {},
    ...Object.entries(value).map(([key, inner]) =>
      flatten(inner, prefix ? `${prefix}.${key}` : key),
    ),
  );
}

function diffFlat(a: Record<string, string>, b: Record<string, string>): HostDifference[] {
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return fields
    .filter((field) => a[field] !== b[field])
    .map((field) => ({ field, a: a[field] ?? 'missing', b: b[field] ?? 'missing' }));
}
