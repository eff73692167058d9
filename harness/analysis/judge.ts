import type { Outcome } from '../errors/exit-codes.ts';
import type { SeriesSample } from '../measure/types.ts';
import type {
  Evidence,
  ExpectationResult,
  Phase,
  PhaseName,
  Verdict,
  WindowStats,
} from '../report/schema.ts';
import type { Scenario } from '../scenario/schema.ts';
import { corroborate } from './corroborate.ts';
import { cpuVerdict } from './cpu-verdict.ts';
import { expectationOutcome, matchExpectation } from './expectation.ts';
import { type MeasuredWindow, measureWindow } from './window-stats.ts';

/** What a run recorded for one scenario, in the report's terms. */
export interface RecordedScenario {
  scenario: Scenario;
  phases: readonly Phase[];
  /** The timeline's `target` series. */
  targetSamples: readonly SeriesSample[];
  /** The target as named in reasons, e.g. "sysbox-fs". */
  targetName: string;
  evidence: Evidence | undefined;
  /** Sysbox version of the host, null without Sysbox. */
  sysboxVersion: string | null;
}

export interface Judgement {
  windows: WindowStats[];
  verdict: Verdict;
  verdictBeforeWorkaround?: Verdict;
  findings: string[];
  expectation: ExpectationResult;
  outcome: Outcome;
}

const SUMMARIZED_PHASES: readonly PhaseName[] = [
  'baseline',
  'settle',
  'measure',
  'after-workaround',
  'probe',
  'recovery',
];

/** Verdicts, findings and the expectation check of one recorded scenario. */
export function judgeScenario(recorded: RecordedScenario): Judgement {
  const { scenario, phases, evidence } = recorded;
  const windowOf = (name: PhaseName): MeasuredWindow | undefined => {
    const phase = phases.findLast((candidate) => candidate.name === name);
    return phase && measureWindow(recorded.targetSamples, name, phase.startMs, phase.endMs);
  };

  const afterWorkaround = phases.some((phase) => phase.name === 'after-workaround');
  const verdict = judgeWindow(recorded, afterWorkaround ? 'after-workaround' : 'measure', windowOf);
  const before = afterWorkaround ? judgeWindow(recorded, 'measure', windowOf) : undefined;

  const expectation = matchExpectation(
    scenario.expect,
    recorded.sysboxVersion,
    scenario.container.runtime,
    {
      verdict: verdict.verdict,
      ...(before ? { beforeWorkaround: before.verdict } : {}),
      ...(evidence ? { probe: evidence.probe.outcome } : {}),
    },
  );

  return {
    windows: SUMMARIZED_PHASES.flatMap((name) => windowOf(name)?.stats ?? []),
    verdict: { verdict: verdict.verdict, reasons: verdict.reasons },
    ...(before
      ? { verdictBeforeWorkaround: { verdict: before.verdict, reasons: before.reasons } }
      : {}),
    findings: [...(before?.findings ?? []), ...verdict.findings],
    expectation,
    outcome: expectationOutcome(expectation),
  };
}

function judgeWindow(
  recorded: RecordedScenario,
  name: 'measure' | 'after-workaround',
  windowOf: (name: PhaseName) => MeasuredWindow | undefined,
) {
  const { scenario, phases, targetName } = recorded;
  const measure = windowOf(name);
  if (!measure) {
    const last = phases.at(-1)?.name ?? 'none';
    return {
      verdict: 'inconclusive' as const,
      reasons: [`no ${name} window was recorded (last phase: ${last})`],
      findings: [],
    };
  }

  const ownContainer = scenario.target.kind === 'container';
  const baseline = ownContainer ? null : (windowOf('baseline') ?? emptyBaseline());
  const cpu = cpuVerdict({
    target: targetName,
    baseline,
    measure,
    decision: scenario.decision,
    servesEverySysboxContainer: isSysboxFs(scenario.target),
  });
  const note = phases.findLast((phase) => phase.name === name)?.note;
  const withNote = note ? { ...cpu, reasons: [...cpu.reasons, `the ${name} window ${note}`] } : cpu;

  return corroborate(withNote, recorded.evidence, {
    target: targetName,
    targetKind: scenario.target.kind,
    runtime: scenario.container.runtime,
    trigger: scenario.trigger.kind,
    workaround: scenario.workaround.kind,
    window: name,
    evidenceAboutTarget: evidenceBearsOn(scenario),
  });
}

/** A run without a baseline phase: no usable intervals, so the verdict says so. */
function emptyBaseline(): MeasuredWindow {
  return measureWindow([], 'baseline', 0, 0);
}

/** The container's own evidence speaks of the container, and of sysbox-fs under Sysbox. */
function evidenceBearsOn(scenario: Scenario): boolean {
  const { target } = scenario;
  if (target.kind === 'container') return true;
  if (scenario.container.runtime !== 'sysbox-runc') return false;
  return isSysboxFs(target);
}

/** Whether the target is sysbox-fs, by name or through its service's cgroup. */
function isSysboxFs(target: Scenario['target']): boolean {
  if (target.kind === 'process') return target.name === 'sysbox-fs';
  return target.kind === 'cgroup' && target.path.includes('sysbox-fs');
}
