import { containerCgroupPath } from '../measure/cgroup-path.ts';
import { HOST_MIN_INTERVAL_MS } from '../measure/probes.ts';
import { type Sampler, startSampler } from '../measure/sampler.ts';
import type { SeriesSpec } from '../measure/series-spec.ts';
import { describeSpec } from '../measure/series-spec.ts';
import type { SeriesSample } from '../measure/types.ts';
import { targetLabel } from '../scenario/resolve.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { RunClock } from './clock.ts';

/**
 * The run's view of the sampler: the host and the scenario's target from before the
 * container starts, the container's cgroup from its start on. For a `container` target the
 * target series is that cgroup, which did not exist before the start.
 */
export interface RunSampler extends AsyncDisposable {
  readonly targetName: string;
  readonly targetIsContainer: boolean;
  addContainer(containerId: string): Promise<void>;
  /** Re-resolves every target (it may have restarted) and samples at a phase boundary. */
  atBoundary(): void;
  samples(series: string): SeriesSample[];
  /** Why the target's latest sample has no reading, or null if it has one. */
  targetMissing(): { state: 'absent' | 'ambiguous' | 'unsampled'; detail: string } | null;
  timeline(): {
    intervalMs: number;
    describe: Record<string, string>;
    series: Record<string, SeriesSample[]>;
  };
  stop(): Promise<void>;
}

export async function startRunSampler(
  ctx: { clock: RunClock; intervalMs: number },
  scenario: Scenario,
): Promise<RunSampler> {
  const target = scenario.target;
  const targetIsContainer = target.kind === 'container';
  const series: Record<string, SeriesSpec> = { host: { kind: 'host' } };
  if (!targetIsContainer) series.target = toSpec(target);

  const sampler: Sampler = await startSampler({
    intervalMs: ctx.intervalMs,
    origin: ctx.clock.origin,
    series,
  });
  const describe: Record<string, string> = { host: describeHost(ctx.intervalMs) };
  if (series.target) describe.target = describeSpec(series.target);
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await sampler.stop();
  };

  return {
    targetName: targetIsContainer ? 'container' : targetLabel(target),
    targetIsContainer,
    async addContainer(containerId) {
      const spec: SeriesSpec = { kind: 'cgroup', path: await containerCgroupPath(containerId) };
      sampler.addSeries('container', spec);
      describe.container = describeSpec(spec);
      if (targetIsContainer) {
        sampler.addSeries('target', spec);
        describe.target = describeSpec(spec);
      }
    },
    atBoundary() {
      if (stopped) return;
      sampler.refresh();
      sampler.sampleNow();
    },
    samples: (name) => [...sampler.samples(name)],
    targetMissing() {
      const latest = sampler.samples('target').at(-1);
      if (latest === undefined) {
        return targetIsContainer ? null : { state: 'unsampled', detail: 'not sampled yet' };
      }
      return latest.state === 'present' ? null : { state: latest.state, detail: latest.detail };
    },
    timeline: () => ({
      intervalMs: ctx.intervalMs,
      describe: {
        ...describe,
        sampler: `the harness's sampling threads, ${sampler.core() ?? 'rounds on a Node thread'}`,
      },
      series: Object.fromEntries(
        ['target', 'container', 'host', 'sampler'].map((name) => [
          name,
          [...sampler.samples(name)],
        ]),
      ),
    }),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function toSpec(target: Exclude<Scenario['target'], { kind: 'container' }>): SeriesSpec {
  switch (target.kind) {
    case 'process':
      return { kind: 'process', name: target.name, via: 'auto' };
    case 'pid':
      return { kind: 'pid', pid: target.pid, via: 'auto' };
    case 'cgroup':
      return { kind: 'cgroup', path: target.path };
  }
}

/** The host series; below HOST_MIN_INTERVAL_MS it is read only that often, which it says. */
function describeHost(intervalMs: number): string {
  const host = describeSpec({ kind: 'host' });
  return intervalMs < HOST_MIN_INTERVAL_MS
    ? `${host}, read about once a second (/proc/stat counts 10 ms ticks)`
    : host;
}
