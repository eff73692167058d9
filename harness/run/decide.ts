import { judgeScenario } from '../analysis/judge.ts';
import { windowStats } from '../analysis/window-stats.ts';
import type { Evidence, ExpectationResult, Phase, Verdict, WindowStats } from '../report/schema.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Preflight } from './preflight.ts';
import type { RunSampler } from './sampling.ts';

export interface Decision {
  windows: WindowStats[];
  verdict: Verdict;
  verdictBeforeWorkaround?: Verdict;
  findings: string[];
  expectation: ExpectationResult;
}

/** Verdicts and the expectation check from what a scenario recorded. */
export function decideScenario(input: {
  scenario: Scenario;
  sampler: RunSampler;
  phases: readonly Phase[];
  evidence: Evidence | undefined;
  preflight: Preflight;
  status: 'completed' | 'skipped' | 'interrupted' | 'error';
}): Decision {
  const judged = judgeScenario({
    scenario: input.scenario,
    phases: input.phases,
    targetSamples: input.sampler.samples('target'),
    targetName: input.sampler.targetName,
    evidence: input.evidence,
    sysboxVersion: input.preflight.sysboxVersion,
  });
  const windows = [
    ...judged.windows.map((window) => ({ ...window, series: 'target' })),
    ...seriesWindows(input.sampler, input.phases, 'container'),
    ...seriesWindows(input.sampler, input.phases, 'host'),
  ];
  if (input.status === 'completed') return { ...judged, windows };

  // A scenario cut short decides nothing, whatever its partial windows looked like.
  const why = input.status === 'interrupted' ? 'the run was interrupted' : 'the scenario failed';
  return {
    ...judged,
    windows,
    verdict: { verdict: 'inconclusive', reasons: [`${why} before all evidence was in`] },
    expectation: { ...judged.expectation, result: 'inconclusive', reason: why },
  };
}

const CONTEXT_PHASES = ['baseline', 'settle', 'measure', 'after-workaround', 'recovery'] as const;

/** The container's and the host's CPU in the same windows as the target's, for the report. */
function seriesWindows(
  sampler: RunSampler,
  phases: readonly Phase[],
  series: string,
): WindowStats[] {
  const samples = sampler.samples(series);
  return CONTEXT_PHASES.flatMap((name) => {
    const phase = phases.findLast((candidate) => candidate.name === name);
    if (!phase) return [];
    return [{ ...windowStats(samples, name, phase.startMs, phase.endMs), series }];
  });
}
