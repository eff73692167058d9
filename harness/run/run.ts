import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { exitCodeFor, type Outcome, worstOutcome } from '../errors/exit-codes.ts';
import { isHarnessError } from '../errors/harness-error.ts';
import type { Logger } from '../log/logger.ts';
import { Progress } from '../log/progress.ts';
import type { Report, ScenarioResult } from '../report/schema.ts';
import { REPORT_SCHEMA_VERSION } from '../report/schema.ts';
import {
  prepareReportsDir,
  REPORTS_DIR,
  type WrittenReport,
  writeReport,
} from '../report/write.ts';
import { dockerClient } from '../runtime/docker-client.ts';
import { onForcedExit } from '../runtime/forced-exit.ts';
import { type LoadedScenario, selectScenarios } from '../scenario/load.ts';
import { invalidScenarios } from '../scenario/problems.ts';
import { type ImageMap, resolveScenario } from '../scenario/resolve.ts';
import type { Target } from '../scenario/schema.ts';
import { listSysboxContainers } from '../sysbox/containers.ts';
import { withDebugLogs } from '../sysbox/debug-logs.ts';
import { readSysboxInstallation } from '../sysbox/installation.ts';
import { startClock } from './clock.ts';
import { interruptOnSignals } from './interrupt.ts';
import { windowTooShort } from './plan.ts';
import { hostPreflight } from './preflight.ts';
import { runScenarioArms } from './run-arms.ts';

export interface RunOptions {
  /** Scenario files or ids; empty means the default set. */
  scenarios: string[];
  imageMap: ImageMap;
  /** Replaces every scenario's target (e.g. another daemon, or a test load). */
  target?: Target;
  intervalMs: number;
  allowOtherSysboxContainers: boolean;
  /** Runs per arm, instead of the scenario's own initial count. */
  repetitions?: number;
  /** Raise sysbox-fs to debug level for the run (a drop-in, restored afterwards). */
  debugLogs?: boolean;
  reportsDir?: string;
  logger: Logger;
}

export interface RunResult {
  report: Report;
  written: WrittenReport;
  exitCode: number;
}

const version: string = createRequire(import.meta.url)('../../package.json').version;

/**
 * The main job: validate every selected scenario before anything starts, check the host,
 * run the scenarios one after another, and keep an up-to-date report on disk throughout.
 */
export async function runScenarios(options: RunOptions): Promise<RunResult> {
  const { logger } = options;
  const selected = await selectScenarios(options.scenarios);
  refuseUndecidable(selected, options);
  const reportsDir = options.reportsDir ?? REPORTS_DIR;
  await prepareReportsDir(reportsDir);
  const runId = newRunId();
  const clock = startClock();
  const docker = dockerClient();

  const report: Report = {
    schema: 'sysbox-repro/report',
    schemaVersion: REPORT_SCHEMA_VERSION,
    runId,
    status: 'running',
    startedAt: new Date().toISOString(),
    finishedAt: null,
    tool: { version, node: process.versions.node },
    host: null,
    options: {
      scenarios: options.scenarios,
      imageMap: options.imageMap,
      target: options.target ?? null,
      intervalMs: options.intervalMs,
      allowOtherSysboxContainers: options.allowOtherSysboxContainers,
      debugLogs: options.debugLogs ?? false,
    },
    scenarios: [],
    comparisons: [],
    outcome: null,
    exitCode: null,
  };
  const save = () => writeReport(report, reportsDir);
  using _forcedExit = onForcedExit(`mark ${runId}/report.json interrupted`, async () => {
    endReport(report, 'interrupted', 'interrupted');
    await save();
  });
  using interrupt = interruptOnSignals();

  logger.info({ kind: 'run', runId, scenarios: selected.length }, `run ${runId} starting`);
  const preflight = await hostPreflight(docker, options);
  report.host = preflight.host;
  report.options.otherSysboxContainers = preflight.otherSysboxContainers;
  await save();

  const progress = new Progress(logger, []);
  const outcomes: (Outcome | 'skipped')[] = [];
  const ctx = {
    runId,
    clock,
    docker,
    logger,
    progress,
    signal: interrupt.signal,
    intervalMs: options.intervalMs,
    preflight,
  };
  const onResult = async (result: ScenarioResult) => {
    report.scenarios.push(result);
    outcomes.push(outcomeOf(result));
    const verdict = result.verdict?.verdict ?? result.status;
    logger.info(
      { kind: 'scenario-done', scenario: result.scenarioId, arm: result.arm, verdict },
      `${result.scenarioId}: ${verdict}, expectation ${result.expectation.result}`,
    );
    await save();
  };
  const runAll = async () => {
    for (const loaded of selected) {
      const overrides = {
        imageMap: options.imageMap,
        ...(options.target ? { target: options.target } : {}),
      };
      const scenario = resolveScenario(loaded.scenario, overrides);
      const run = {
        onResult,
        ...(options.repetitions ? { repetitions: options.repetitions } : {}),
      };
      const comparisons = await runScenarioArms(ctx, loaded, scenario, run);
      report.comparisons.push(...comparisons);
      await save();
    }
  };
  try {
    if (options.debugLogs) {
      const installation = preflight.sysbox ?? (await readSysboxInstallation());
      const others = await listSysboxContainers(docker);
      // Debug logging costs sysbox-fs CPU itself; every CPU figure of this run includes it.
      await withDebugLogs({ installation, otherSysboxContainers: others }, runAll);
    } else {
      await runAll();
    }
  } catch (error) {
    // The report on disk must not stay "running": say how the run ended, then fail.
    const kind = isHarnessError(error) ? error.kind : 'infrastructure';
    report.error = { kind, message: error instanceof Error ? error.message : String(error) };
    endReport(report, 'failed', kind);
    await save();
    throw error;
  }

  const outcome = runOutcome(outcomes, interrupt.signal.aborted);
  const exitCode = endReport(
    report,
    interrupt.signal.aborted ? 'interrupted' : 'completed',
    outcome,
  );
  const written = await save();
  return { report, written, exitCode };
}

/** Every selected scenario must be able to reach a verdict at the run's interval. */
function refuseUndecidable(selected: LoadedScenario[], options: RunOptions): void {
  const problems = selected.flatMap((loaded) => {
    const overrides = { imageMap: options.imageMap, target: options.target };
    const scenario = resolveScenario(loaded.scenario, overrides);
    return windowTooShort(scenario, options.intervalMs) ?? [];
  });
  if (problems.length > 0) throw invalidScenarios(problems.map((line) => ({ line })));
}

function endReport(report: Report, status: Report['status'], outcome: Outcome): number {
  report.status = status;
  report.finishedAt = new Date().toISOString();
  report.outcome = outcome;
  report.exitCode = exitCodeFor(outcome);
  return report.exitCode;
}

function outcomeOf(result: ScenarioResult): Outcome | 'skipped' {
  if (result.status === 'interrupted') return 'interrupted';
  if (result.status === 'error') return (result.error?.kind as Outcome) ?? 'infrastructure';
  switch (result.expectation.result) {
    case 'pass':
      return 'ok';
    case 'fail':
      return 'regression';
    case 'inconclusive':
      return 'inconclusive';
    case 'skipped':
      return 'skipped';
  }
}

/** Skips are reported, not failures; but a run in which nothing was decided decided nothing. */
function runOutcome(outcomes: (Outcome | 'skipped')[], interrupted: boolean): Outcome {
  if (interrupted) return 'interrupted';
  const decided = outcomes.filter((o): o is Outcome => o !== 'skipped');
  if (decided.length === 0) return 'inconclusive';
  return worstOutcome(decided);
}

function newRunId(): string {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}
