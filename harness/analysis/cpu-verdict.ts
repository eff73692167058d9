import type { Verdict } from '../report/schema.ts';
import { type Decision, type GateReading, points, readGate, share } from './storm-gate.ts';
import type { MeasuredWindow } from './window-stats.ts';

export interface CpuVerdictInput {
  /** What was measured, as named in reasons: "sysbox-fs", "container". */
  target: string;
  /**
   * The pre-start window. Null when the target cannot exist before the start (the scenario's
   * own container): it is then compared with 0 % of one core.
   */
  baseline: MeasuredWindow | null;
  measure: MeasuredWindow;
  decision: Decision;
  /** Whether the target is sysbox-fs, which serves every Sysbox container on the host. */
  servesEverySysboxContainer?: boolean;
}

/**
 * The CPU verdict of one steady-state window against the baseline. Storm and clean each need
 * the gate to hold in most intervals, so a start-up burst inside the window decides nothing;
 * anything between is inconclusive with the shape of the load as the reason.
 */
export function cpuVerdict(input: CpuVerdictInput): Verdict {
  const { target, baseline, measure, decision } = input;
  const unusable = [
    ...unusableWindow(target, measure, decision),
    ...(baseline ? unusableWindow(target, baseline, decision) : []),
  ];
  if (unusable.length > 0) return { verdict: 'inconclusive', reasons: unusable };

  const baselinePercent = baseline?.stats.medianPercent ?? 0;
  const gate = readGate(measure.intervals, baselinePercent, decision);
  const summary = summarize(target, measure, baseline, gate, decision);

  if (gate.storm) return { verdict: 'storm', reasons: [summary] };
  if (gate.calm && baselinePercent >= decision.marginPoints) {
    return {
      verdict: 'inconclusive',
      reasons: [
        summary,
        `${target} was already busy before the start (baseline median ` +
          `${points(baselinePercent)} % >= ${decision.marginPoints}): a calm window cannot be ` +
          `told from a storm that was running all along${
            input.servesEverySysboxContainer ? '; another Sysbox container may be running' : ''
          }`,
      ],
    };
  }
  if (gate.calm) return { verdict: 'clean', reasons: [summary] };
  return { verdict: 'inconclusive', reasons: [summary, describeShape(target, measure, gate)] };
}

function unusableWindow(target: string, window: MeasuredWindow, decision: Decision): string[] {
  const where = `the ${window.stats.phase} window`;
  const seen = window.intervals.length + window.absent + window.ambiguous;
  const details = window.details.length > 0 ? ` (${window.details.join('; ')})` : '';
  const reasons: string[] = [];
  if (window.absent > 0) {
    reasons.push(`${target} was absent in ${window.absent} samples of ${where}${details}`);
  }
  if (window.ambiguous > 0) {
    reasons.push(
      `${target} matched several candidates in ${window.ambiguous} samples of ${where}${details}`,
    );
  }
  if (window.stats.restarts > 0) {
    const times = window.stats.restarts === 1 ? 'once' : `${window.stats.restarts} times`;
    reasons.push(`${target} restarted ${times} during ${where}`);
  }
  if (window.intervals.length < decision.minSamples) {
    reasons.push(
      `only ${window.intervals.length} usable intervals in ${where} (of ${seen} samples), ` +
        `fewer than the ${decision.minSamples} a verdict needs`,
    );
  }
  return reasons;
}

function summarize(
  target: string,
  measure: MeasuredWindow,
  baseline: MeasuredWindow | null,
  gate: GateReading,
  decision: Decision,
): string {
  const reference = baseline
    ? `${points(gate.baselinePercent)} % baseline`
    : '0 % (no baseline: it did not exist before the start)';
  const sign = gate.deltaPoints >= 0 ? '+' : '';
  const marginTest = gate.deltaPoints >= decision.marginPoints ? '>=' : '<';
  const total = measure.intervals.length;
  const busyPart = gate.storm
    ? `sustained in ${gate.busyCount}/${total} intervals ` +
      `(${share(gate.busyFraction)} >= ${share(decision.sustainedFraction)})`
    : `at or above ${points(gate.thresholdPercent)} % in ${gate.busyCount}/${total} intervals ` +
      `(${share(gate.busyFraction)}; a storm needs >= ${share(decision.sustainedFraction)}, ` +
      `clean allows <= ${share(1 - decision.sustainedFraction)})`;
  return (
    `${target} median ${points(gate.medianPercent)} % of one core in the ` +
    `${measure.stats.phase} window vs ${reference}: ${sign}${points(gate.deltaPoints)} points ` +
    `${marginTest} ${decision.marginPoints}, ${busyPart}`
  );
}

/** Says whether the busy intervals came late, ended early, or came and went. */
function describeShape(target: string, measure: MeasuredWindow, gate: GateReading): string {
  const firstBusy = gate.busy.indexOf(true);
  const lastBusy = gate.busy.lastIndexOf(true);
  const busyRun = gate.busy.slice(firstBusy, lastBusy + 1).every(Boolean);
  const secondsInto = (index: number) =>
    points(((measure.intervals[index]?.startMs ?? 0) - measure.stats.startMs) / 1000);

  if (busyRun && firstBusy > 0 && lastBusy === gate.busy.length - 1) {
    return (
      `${target} rose to the threshold ${secondsInto(firstBusy)} s into the window and stayed ` +
      'there: a late start; a longer settle period or measure window would decide'
    );
  }
  if (busyRun && firstBusy === 0 && lastBusy < gate.busy.length - 1) {
    return (
      `${target} fell below the threshold ${secondsInto(lastBusy + 1)} s into the window and ` +
      'stayed there: the load ended by itself, which the unmount loop does not do'
    );
  }
  return `${target} was busy intermittently (${gate.busyCount} of ${gate.busy.length} intervals)`;
}
