import { targetLabel } from '../scenario/resolve.ts';
import { targetSchema } from '../scenario/schema.ts';
import type { Evidence, Report, ScenarioResult, WindowStats } from './schema.ts';

/** The person-readable summary, sized for a CI job summary. */
export function renderMarkdown(report: Report): string {
  const lines = [
    `# sysbox-repro run ${report.runId}`,
    '',
    statusLine(report),
    `Started ${report.startedAt}${report.finishedAt ? `, finished ${report.finishedAt}` : ''}.`,
    ...Object.entries((report.options.imageMap ?? {}) as Record<string, string>).map(
      ([from, to]) => `Image \`${from}\` was replaced by \`${to}\` (--image-map).`,
    ),
    ...(report.options.target
      ? [`Target of every scenario: ${overriddenTarget(report)} (--target).`]
      : []),
    ...(report.options.debugLogs
      ? ['sysbox-fs ran at debug level: its CPU figures include the cost of debug logging.']
      : []),
    '',
    '| scenario | arm | runtime | verdict | expectation | detail |',
    '|---|---|---|---|---|---|',
    ...report.scenarios.map(summaryRow),
    '',
    ...comparisonSection(report),
    ...report.scenarios.flatMap(scenarioSection),
    ...hostSection(report),
  ];
  return `${lines.join('\n')}\n`;
}

/** The --target a run measured instead of each scenario's own, as its reasons name it. */
function overriddenTarget(report: Report): string {
  const target = targetSchema.safeParse(report.options.target);
  return target.success ? targetLabel(target.data) : `\`${JSON.stringify(report.options.target)}\``;
}

function summaryRow(result: ScenarioResult): string {
  const runtime = String((result.scenario.container as { runtime?: string })?.runtime ?? '');
  const verdict = result.verdict?.verdict ?? (result.status === 'skipped' ? 'skipped' : '—');
  const detail = result.skip?.reason ?? result.error?.message ?? result.expectation.reason;
  return `| ${result.scenarioId} | ${armLabel(result)} | ${runtime} | ${verdict} | ${result.expectation.result} | ${cell(detail)} |`;
}

function scenarioSection(result: ScenarioResult): string[] {
  const arm = result.arm && result.arm !== 'default' ? ` [${armLabel(result)}]` : '';
  const lines = [`## ${result.scenarioId}${arm}: ${String(result.scenario.title ?? '')}`, ''];
  lines.push(`- status: ${result.status}`);
  if (result.skip)
    lines.push(`- skipped: ${result.skip.reason}`, `- to run it: ${result.skip.fix}`);
  if (result.error) lines.push(`- error (${result.error.kind}): ${result.error.message}`);
  if (result.container) {
    lines.push(
      `- container: ${result.container.name} on ${result.container.runtime}, image ${
        result.container.imageId
      }`,
    );
  }
  const e = result.expectation;
  lines.push(
    `- expectation: **${e.result}** — expected ${e.expected ?? 'n/a'} for Sysbox ${
      e.sysboxVersion ?? 'absent'
    } (${e.range ? `expectation range ${e.range}` : 'no expectation range'}), observed ${
      e.observed ?? 'n/a'
    }`,
  );
  for (const verdict of [result.verdictBeforeWorkaround, result.verdict]) {
    if (!verdict) continue;
    const which = verdict === result.verdict ? 'verdict' : 'verdict before workaround';
    lines.push(`- ${which}: **${verdict.verdict}**`);
    for (const reason of verdict.reasons) lines.push(`  - ${reason}`);
  }
  for (const finding of result.findings) lines.push(`- finding: **${finding}**`);
  lines.push('');

  for (const series of ['target', 'container', 'host']) {
    const windows = result.windows.filter((w) => (w.series ?? 'target') === series);
    const describe = result.timeline?.describe ?? {};
    const sameAsTarget = series !== 'target' && describe[series] === describe.target;
    if (windows.length === 0 || sameAsTarget) continue;
    const what = String(result.timeline?.describe[series] ?? series);
    const role = series === 'target' ? 'the verdict is about' : 'for context';
    lines.push(
      `CPU of ${what} (${role}), % of one core per interval:`,
      '',
      ...windowTable(windows),
      '',
    );
  }
  if (result.evidence) lines.push(...evidenceLines(result.evidence), '');
  const sampler = samplerLine(result);
  if (sampler) lines.push(sampler, '');
  return lines;
}

/** What measuring cost: the sampler's own series, first reading to last. */
function samplerLine(result: ScenarioResult): string | undefined {
  const timeline = result.timeline;
  const present = (timeline?.series.sampler ?? []).flatMap((sample) =>
    sample.state === 'present' ? [sample.reading] : [],
  );
  const first = present[0];
  const last = present.at(-1);
  if (!timeline || !first || !last || last.tMs <= first.tMs) return undefined;
  const percent = ((last.totalSeconds - first.totalSeconds) / (last.tMs - first.tMs)) * 1e5;
  const how = timeline.describe.sampler ?? "the harness's sampling threads";
  const cost = `its own CPU ${percent.toFixed(3)} % of one core`;
  return `Sampler every ${timeline.intervalMs} ms: ${how}; ${cost}.`;
}

/**
 * Why a window has no figure: a window with readings at both ends but none wholly inside (a
 * probe shorter than the interval) measured nothing, which is not the target being absent.
 */
function noFigure(window: WindowStats): string {
  if ((window.ambiguousSamples ?? 0) > 0) return 'ambiguous';
  if ((window.absentSamples ?? 0) > 0) return 'absent';
  return window.absentSamples === undefined ? 'no figure' : 'no interval';
}

function windowTable(windows: WindowStats[]): string[] {
  return [
    '| window | duration s | samples | median | mean | p95 | CPU-s | restarts |',
    '|---|---|---|---|---|---|---|---|',
    ...windows.map((w) => {
      const figure = (value: number | null, digits: number) =>
        value === null ? noFigure(w) : value.toFixed(digits);
      const seconds = ((w.endMs - w.startMs) / 1000).toFixed(1);
      return `| ${w.phase} | ${seconds} | ${w.samples} | ${figure(w.medianPercent, 1)} | ${figure(
        w.meanPercent,
        1,
      )} | ${figure(w.p95Percent, 1)} | ${figure(w.cpuSeconds, 2)} | ${w.restarts} |`;
    }),
  ];
}

function evidenceLines(evidence: Evidence): string[] {
  const boot = evidence.boot;
  const lines = [
    'Evidence from inside the container:',
    '',
    `- systemd ${evidence.systemdVersion ?? 'version unknown'}; boot ${
      boot.finished ? 'finished' : 'did not finish'
    } (${boot.state}) after ${(boot.elapsedMs / 1000).toFixed(1)} s of ${boot.budgetMs / 1000} s`,
  ];
  for (const job of boot.pendingJobs) lines.push(`- pending job: ${job}`);
  for (const unit of [...boot.activatingUnits, ...evidence.units]) {
    const main = unit.mainProcessName ? `, main process ${unit.mainProcessName}` : '';
    const age = unit.stateAgeSeconds === null ? '' : ` for ${unit.stateAgeSeconds.toFixed(0)} s`;
    lines.push(
      `- ${unit.name}: ${unit.activeState}/${unit.subState}${age} (${unit.unitFileState || 'n/a'})${main}`,
    );
  }
  const probe = evidence.probe;
  const probeText =
    probe.outcome === 'returned'
      ? `returned exit ${probe.exitCode} in ${((probe.elapsedMs ?? 0) / 1000).toFixed(2)} s`
      : probe.outcome === 'hung'
        ? `still hanging at its ${probe.budgetMs / 1000} s budget (stopped)`
        : `not run: ${probe.stderr}`;
  lines.push(`- PrivateNetwork probe: ${probeText}`);
  if (evidence.exposure) {
    lines.push(
      `- units with PrivateNetwork=yes the image starts: ${evidence.exposure.join(', ') || 'none'}`,
    );
  }
  if (evidence.logs) {
    const logs = evidence.logs;
    lines.push(
      `- sysbox-fs log (${logs.source}, level ${logs.level ?? 'unknown'}): ${
        logs.umountCalls
      } umount calls, ${logs.ignoringLines} "Ignoring", ${logs.rejectedLines} "Rejected"`,
    );
  }
  return lines;
}

function hostSection(report: Report): string[] {
  const host = report.host;
  if (!host) return ['## Host', '', 'not recorded', ''];
  const sysbox = host.sysbox?.version ? `Sysbox ${host.sysbox.version}` : 'Sysbox absent';
  return [
    '## Host',
    '',
    `${host.hostname}: ${host.os}, kernel ${host.kernel}, ${host.cores} × ${host.cpuModel}, ` +
      `cgroup v${host.cgroupVersion}, Docker ${host.docker.version} (runtimes ${host.docker.runtimes.join(
        ', ',
      )}), ${sysbox}.`,
    '',
  ];
}

function armLabel(result: ScenarioResult): string {
  const arm = result.arm ?? 'default';
  return result.repetition ? `${arm} #${result.repetition}` : arm;
}

function comparisonSection(report: Report): string[] {
  if (report.comparisons.length === 0) return [];
  const values = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(', ');
  return [
    'Arms compared on the median CPU of each repetition (% of one core):',
    '',
    '| scenario | reference arm | other arm | outcome | reference values | other values | why |',
    '|---|---|---|---|---|---|---|',
    ...report.comparisons.map(
      (c) =>
        `| ${c.scenarioId} | ${c.armA} | ${c.armB} | **${c.outcome}** | ${values(c.valuesA)} | ${values(
          c.valuesB,
        )} | ${cell(c.reason)} |`,
    ),
    '',
  ];
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/**
 * The report is rewritten as the run goes, so one left with status "running" is from a run
 * that was killed before it could finish: it has no outcome yet, whatever the field says.
 */
function statusLine(report: Report): string {
  if (report.status === 'running') {
    return (
      'Status **running**: no outcome yet. If no run is going any more, this one was killed ' +
      'before it could finish (`sysbox-repro doctor` lists the containers it left).'
    );
  }
  const line = `Status **${report.status}**, outcome **${report.outcome}** (exit code ${report.exitCode}).`;
  return report.error ? `${line} The run stopped: ${report.error.message}` : line;
}
