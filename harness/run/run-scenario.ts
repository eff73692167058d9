import type Docker from 'dockerode';
import { HarnessError, isHarnessError } from '../errors/harness-error.ts';
import { collectEvidence } from '../evidence/collect.ts';
import { probeNotRun, runPrivateNetworkProbe, startProbe } from '../evidence/probe.ts';
import type { Logger } from '../log/logger.ts';
import type { Progress } from '../log/progress.ts';
import type { Evidence, ProbeResult, ScenarioResult } from '../report/schema.ts';
import { type StartedSystemContainer, startSystemContainer } from '../runtime/container.ts';
import { OWNER_LABEL, ownerOfThisProcess } from '../runtime/container-owner.ts';
import { waitForSystemdBoot } from '../runtime/systemd-boot.ts';
import { isLiveWorkaround } from '../scenario/cross-checks.ts';
import type { LoadedScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/schema.ts';
import { type RunClock, waitFor } from './clock.ts';
import { decideScenario } from './decide.ts';
import { startLogCapture } from './log-capture.ts';
import { measurePhase } from './measure-phase.ts';
import { PhaseRecorder } from './phases.ts';
import { phasePlan } from './plan.ts';
import type { Preflight } from './preflight.ts';
import type { RunSampler } from './sampling.ts';
import { startRunSampler } from './sampling.ts';
import { checkTargetAfterBaseline } from './target-check.ts';
import { startUnitTrigger } from './trigger.ts';
import { applyLiveWorkaround, verifyMasked } from './workaround.ts';

export interface ScenarioRunContext {
  runId: string;
  clock: RunClock;
  docker: Docker;
  logger: Logger;
  progress: Progress;
  signal: AbortSignal;
  intervalMs: number;
  /** What the host offers, read once per run by the preflight. */
  preflight: Preflight;
}

/**
 * One scenario end to end: baseline, start, boot, trigger, settle, measure (and after a live
 * workaround, measure again), evidence, probe, removal, recovery. Whatever happens, the
 * container is removed and a result with every sample taken so far comes back.
 */
export async function runScenario(
  ctx: ScenarioRunContext,
  loaded: LoadedScenario,
  scenario: Scenario,
): Promise<ScenarioResult> {
  const label = scenario.id;
  ctx.progress.scenario(label, phasePlan(scenario));
  await using sampler = await startRunSampler(ctx, scenario);
  await using logs = await startLogCapture(ctx.preflight.sysbox, new Date());
  const phases = new PhaseRecorder(ctx.clock, ctx.progress, () => sampler.atBoundary(), ctx.signal);
  const findings: string[] = [];
  const state: RunState = { phases, findings };
  let status: ScenarioResult['status'] = 'completed';
  let error: ScenarioResult['error'];

  try {
    await runPhases(ctx, scenario, sampler, state);
  } catch (caught) {
    status = isHarnessError(caught, 'interrupted') ? 'interrupted' : 'error';
    error = describeError(caught);
    ctx.logger.error({ kind: 'scenario-error', scenario: label }, error.message);
  } finally {
    await removeAndRecover(ctx, scenario, state, status === 'interrupted');
    await sampler.stop();
    ctx.progress.done();
  }
  if (state.evidence) state.evidence.logs = logs ? await logs.finish() : null;

  const decision = decideScenario({
    scenario,
    sampler,
    phases: phases.phases,
    evidence: state.evidence,
    preflight: ctx.preflight,
    status,
  });

  return {
    scenarioId: scenario.id,
    file: loaded.file,
    scenario: scenario as unknown as Record<string, unknown>,
    status,
    ...(error ? { error } : {}),
    ...(state.container
      ? {
          container: {
            id: state.container.id,
            name: state.container.name,
            imageId: state.container.imageId,
            runtime: scenario.container.runtime,
          },
        }
      : {}),
    phases: phases.phases,
    timeline: sampler.timeline(),
    windows: decision.windows,
    ...(state.evidence ? { evidence: state.evidence } : {}),
    verdict: decision.verdict,
    ...(decision.verdictBeforeWorkaround
      ? { verdictBeforeWorkaround: decision.verdictBeforeWorkaround }
      : {}),
    findings: [...findings, ...decision.findings],
    expectation: decision.expectation,
  };
}

interface RunState {
  phases: PhaseRecorder;
  findings: string[];
  container?: StartedSystemContainer;
  evidence?: Evidence;
}

async function runPhases(
  ctx: ScenarioRunContext,
  scenario: Scenario,
  sampler: RunSampler,
  state: RunState,
): Promise<void> {
  const { phases } = state;
  const { windows } = scenario;

  await phases.run('baseline', () => waitFor(windows.baselineMs, ctx.signal));
  checkTargetAfterBaseline(ctx, scenario, sampler);

  const container = await phases.run('start', () =>
    startSystemContainer(
      ctx.docker,
      {
        name: `sysbox-repro-${ctx.runId}-${scenario.id}`,
        image: scenario.container.image,
        runtime: scenario.container.runtime,
        devices: scenario.container.devices,
        network: scenario.container.network,
        env: scenario.container.env,
        labels: {
          'sysbox-repro.run-id': ctx.runId,
          'sysbox-repro.scenario': scenario.id,
          [OWNER_LABEL]: ownerOfThisProcess(),
        },
      },
      { logger: ctx.logger, safetyCapMs: scenario.safetyCapMs },
    ),
  );
  state.container = container;
  await sampler.addContainer(container.id);

  const boot = await phases.run('boot', () =>
    waitForSystemdBoot(container, windows.bootBudgetMs, ctx.signal),
  );
  if (!boot.finished) {
    phases.note('boot', `not finished within ${windows.bootBudgetMs} ms: ${boot.state}`);
  }
  await checkMaskedInImage(scenario, container, state);

  const probeTrigger =
    scenario.trigger.kind === 'probe'
      ? startProbe(container, scenario.trigger.budgetMs)
      : undefined;
  if (scenario.trigger.kind === 'start-unit') {
    const late = await startUnitTrigger(container, scenario.trigger);
    if (late) state.findings.push(late);
  }

  await phases.run('settle', () => waitFor(windows.settleMs, ctx.signal));
  await phases.run('measure', () => measurePhase(ctx, scenario, sampler, phases, 'measure'));

  if (isLiveWorkaround(scenario.workaround)) {
    const steps = await phases.run('workaround', () =>
      applyLiveWorkaround(scenario.workaround, container, ctx.signal),
    );
    phases.note('workaround', steps.join('; '));
    await phases.run('after-workaround', () =>
      measurePhase(ctx, scenario, sampler, phases, 'after-workaround'),
    );
  }

  const evidence = await phases.run('evidence', () => collectEvidence(container, scenario, boot));
  state.evidence = evidence;
  evidence.probe = await phases.run('probe', () => probeFor(scenario, container, probeTrigger));
}

async function probeFor(
  scenario: Scenario,
  container: StartedSystemContainer,
  probeTrigger: ReturnType<typeof startProbe> | undefined,
): Promise<ProbeResult> {
  if (probeTrigger) return probeTrigger.finish();
  if (!scenario.probe.enabled) return probeNotRun(scenario.probe.budgetMs, 'disabled by scenario');
  return runPrivateNetworkProbe(container, scenario.probe.budgetMs);
}

async function checkMaskedInImage(
  scenario: Scenario,
  container: StartedSystemContainer,
  state: RunState,
): Promise<void> {
  if (scenario.workaround.kind !== 'masked-in-image') return;
  const problems = await verifyMasked(container, scenario.workaround.units);
  for (const problem of problems) state.findings.push(`workaround not in effect: ${problem}`);
}

async function removeAndRecover(
  ctx: ScenarioRunContext,
  scenario: Scenario,
  state: RunState,
  interrupted: boolean,
): Promise<void> {
  const { container, phases } = state;
  if (container) await phases.run('removal', () => container.remove());
  if (interrupted || !container) return;
  // A fresh signal: the run's own may be aborted, the recovery window is short and bounded.
  await phases
    .run('recovery', () => waitFor(scenario.windows.recoveryMs, ctx.signal))
    .catch(() => phases.note('recovery', 'cut short by interrupt'));
}

function describeError(caught: unknown): NonNullable<ScenarioResult['error']> {
  if (caught instanceof HarnessError) {
    return {
      kind: caught.kind,
      message: caught.message,
      ...(caught.hint ? { hint: caught.hint } : {}),
    };
  }
  const message = caught instanceof Error ? caught.message : String(caught);
  return { kind: 'infrastructure', message };
}
