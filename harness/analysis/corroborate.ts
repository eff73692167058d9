import type { Evidence, UnitState, Verdict } from '../report/schema.ts';
import type { RuntimeName, Target, Trigger, Workaround } from '../scenario/schema.ts';

/** A unit activating for at least this long is stuck, not merely starting. */
export const STUCK_AFTER_SECONDS = 10;

export interface CorroborationContext {
  /** What the CPU verdict measured, as named in reasons: "sysbox-fs", "container". */
  target: string;
  targetKind: Target['kind'];
  runtime: RuntimeName;
  trigger: Trigger['kind'];
  workaround: Workaround['kind'];
  /** The window the CPU verdict judged. */
  window: 'measure' | 'after-workaround';
  /**
   * Whether what happens inside the container bears on the target: true for the container
   * itself and for sysbox-fs under sysbox-runc; false for any other host process, whose load
   * the container's units and probe neither cause nor show.
   */
  evidenceAboutTarget: boolean;
}

export interface CorroboratedVerdict extends Verdict {
  /** Sentences that stand apart from the verdict. */
  findings: string[];
}

interface Signal {
  says: 'storm' | 'clean';
  sentence: string;
}

const LIVE_WORKAROUNDS: ReadonlySet<Workaround['kind']> = new Set([
  'stop-and-mask-live',
  'restart-sysbox-fs',
  'commands',
]);

/**
 * Checks the CPU verdict against what was seen inside the container and in sysbox-fs's logs.
 * Only evidence from the judged window's time counts: boot evidence predates a live workaround,
 * unit states and the probe come after it. Disagreement makes the verdict inconclusive.
 */
export function corroborate(
  cpu: Verdict,
  evidence: Evidence | undefined,
  context: CorroborationContext,
): CorroboratedVerdict {
  const beforeLiveWorkaround =
    LIVE_WORKAROUNDS.has(context.workaround) && context.window === 'measure';
  const workaroundInEffect = context.workaround !== 'none' && !beforeLiveWorkaround;
  const probe = evidence?.probe;
  const hidesBug =
    cpu.verdict === 'clean' &&
    workaroundInEffect &&
    probe?.outcome === 'hung' &&
    !beforeLiveWorkaround;

  const signals =
    evidence && context.evidenceAboutTarget
      ? [
          ...(context.trigger === 'boot' && context.window === 'measure'
            ? bootSignals(evidence)
            : []),
          ...(beforeLiveWorkaround ? [] : unitSignals(evidence.units)),
          ...(beforeLiveWorkaround || hidesBug ? [] : probeSignals(evidence)),
          ...(context.runtime === 'sysbox-runc' && context.window === 'measure'
            ? logSignals(evidence)
            : []),
        ]
      : [];
  const findings = hidesBug && probe ? [hiddenBugFinding(context, probe.budgetMs)] : [];

  const unweighed =
    evidence && !context.evidenceAboutTarget
      ? [
          `evidence inside the container is recorded but not weighed: it says nothing about ` +
            `${context.target}`,
        ]
      : [];

  if (cpu.verdict === 'inconclusive') {
    return {
      verdict: 'inconclusive',
      reasons: [...cpu.reasons, ...signals.map((s) => `evidence: ${s.sentence}`), ...unweighed],
      findings,
    };
  }

  const agreeing = signals.filter((signal) => signal.says === cpu.verdict);
  const disagreeing = signals.filter((signal) => signal.says !== cpu.verdict);
  if (disagreeing.length > 0) {
    const sharedDaemon =
      cpu.verdict === 'storm' && context.target === 'sysbox-fs'
        ? [
            `${context.target} serves every Sysbox container on the host: another may cause the load`,
          ]
        : [];
    return {
      verdict: 'inconclusive',
      reasons: [
        `CPU says ${cpu.verdict} but other evidence disagrees`,
        ...cpu.reasons,
        ...disagreeing.map((s) => `disagrees: ${s.sentence}`),
        ...agreeing.map((s) => `agrees: ${s.sentence}`),
        ...sharedDaemon,
      ],
      findings,
    };
  }

  const corroboration =
    agreeing.length > 0
      ? agreeing.map((s) => `agrees: ${s.sentence}`)
      : ['no other evidence corroborates or contradicts the CPU verdict'];
  return {
    verdict: cpu.verdict,
    reasons: [...cpu.reasons, ...corroboration, ...unweighed],
    findings,
  };
}

function bootSignals(evidence: Evidence): Signal[] {
  const { boot } = evidence;
  if (boot.finished) {
    return [
      { says: 'clean', sentence: `boot finished in ${seconds(boot.elapsedMs)} s (${boot.state})` },
    ];
  }
  const waiting = boot.activatingUnits.map((unit) => unit.name);
  const on = waiting.length > 0 ? `, waiting on ${waiting.join(', ')}` : '';
  return [
    {
      says: 'storm',
      sentence: `boot not finished within ${boot.budgetMs} ms: state ${boot.state}${on}`,
    },
  ];
}

function unitSignals(units: readonly UnitState[]): Signal[] {
  const stuck = units.filter(
    (unit) =>
      unit.activeState === 'activating' &&
      (unit.stateAgeSeconds ?? Number.POSITIVE_INFINITY) >= STUCK_AFTER_SECONDS,
  );
  const finished = units.filter(
    (unit) =>
      unit.name.endsWith('.service') &&
      unit.loadState !== 'masked' &&
      ['inactive', 'active', 'failed'].includes(unit.activeState),
  );
  return [
    ...stuck.map((unit) => ({ says: 'storm' as const, sentence: describeStuck(unit) })),
    ...finished.map((unit) => ({
      says: 'clean' as const,
      sentence: `${unit.name} is not stuck (${unit.activeState}/${unit.subState})`,
    })),
  ];
}

function describeStuck(unit: UnitState): string {
  const age = unit.stateAgeSeconds === null ? '' : ` for ${Math.round(unit.stateAgeSeconds)} s`;
  const main = unit.mainProcessName ? `, main process ${unit.mainProcessName}` : '';
  return `${unit.name} stuck in ${unit.activeState}/${unit.subState}${age}${main}`;
}

function probeSignals(evidence: Evidence): Signal[] {
  const { probe } = evidence;
  if (probe.outcome === 'hung') {
    return [{ says: 'storm', sentence: `the PrivateNetwork probe hung for ${probe.budgetMs} ms` }];
  }
  if (probe.outcome === 'returned' && probe.exitCode === 0) {
    const after = probe.elapsedMs === null ? '' : ` in ${Math.round(probe.elapsedMs)} ms`;
    return [{ says: 'clean', sentence: `the PrivateNetwork probe returned${after}` }];
  }
  return [];
}

/**
 * Only a sysbox-runc container's unmounts pass through sysbox-fs. Its "Ignoring" lines (debug
 * level, before the fix) also appear when the probe hangs, so they only count without that.
 */
function logSignals(evidence: Evidence): Signal[] {
  const { logs, probe } = evidence;
  if (!logs) return [];
  if (logs.ignoringLines > 0 && probe.outcome !== 'hung') {
    return [
      {
        says: 'storm',
        sentence: `${logs.source} has ${logs.ignoringLines} "Ignoring unmount" lines (fake success)`,
      },
    ];
  }
  if (logs.rejectedLines > 0 && logs.ignoringLines === 0) {
    return [
      {
        says: 'clean',
        sentence: `${logs.source} has ${logs.rejectedLines} "Rejected unmount" lines (the fix)`,
      },
    ];
  }
  return [];
}

function hiddenBugFinding(context: CorroborationContext, probeBudgetMs: number): string {
  return (
    `the workaround hides the bug while the host stays vulnerable: with ${context.workaround} ` +
    `the ${context.window} window is clean, but the PrivateNetwork probe hung for ` +
    `${probeBudgetMs} ms`
  );
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
