import { setTimeout as sleep } from 'node:timers/promises';
import { startSampler } from '../../harness/measure/sampler.ts';
import { type SeriesSample, toIntervals } from '../../harness/measure/types.ts';
import { type BurnerLoad, startBurner } from './burner.ts';
import { makeLoadCgroups } from './cgroups.ts';
import { startPidstat } from './pidstat.ts';

/** Signed errors, in percentage points of one core, of each 1 s window of one way to measure. */
export type Errors = Record<'proc' | 'cgroupV1' | 'cgroupV2' | 'pidstat', number[]>;

export interface CaseResult {
  /** What the load itself used, mean over its windows, % of one core. */
  loadPercent: number;
  errors: Errors;
}

/**
 * Runs one load for `seconds` and measures it at once with the sampler through /proc, through
 * a v1 and a v2 cgroup holding only the load, and with pidstat; every 1 s window is compared
 * with the load's own accounting over the same instants of CLOCK_MONOTONIC.
 */
export async function measureCase(
  burner: string,
  load: Omit<BurnerLoad, 'seconds'>,
  seconds: number,
): Promise<CaseResult> {
  const run = await startBurner(burner, { ...load, seconds });
  const cgroups = makeLoadCgroups(`sysbox-repro-bench-${process.pid}-${run.pid}`);
  try {
    cgroups.enter(run.pid);
    const origin = process.hrtime.bigint();
    const series = {
      proc: { kind: 'pid', pid: run.pid, via: 'proc' } as const,
      ...(cgroups.directories.v1 && {
        v1: { kind: 'cgroup', path: cgroups.directories.v1 } as const,
      }),
      ...(cgroups.directories.v2 && {
        v2: { kind: 'cgroup', path: cgroups.directories.v2 } as const,
      }),
    };
    const sampler = await startSampler({ intervalMs: 1000, origin, series });
    const pidstat = startPidstat(run.pid);
    run.go();
    await sleep(seconds * 1000 + 200);
    await sampler.stop();
    const pidstatWindows = await pidstat.stop();
    const accounting = await run.finished();

    const toNs = (tMs: number) => origin + BigInt(Math.round(tMs * 1e6));
    const inside = (startNs: bigint, endNs: bigint) =>
      startNs >= accounting.startNs + 300_000_000n && endNs <= accounting.endNs;
    const truthSeconds = (startNs: bigint, endNs: bigint) =>
      accounting.treeSecondsAt(endNs) - accounting.treeSecondsAt(startNs);
    const errorPoints = (measured: number, startNs: bigint, endNs: bigint) =>
      ((measured - truthSeconds(startNs, endNs)) / (Number(endNs - startNs) / 1e9)) * 100;

    const samplerErrors = (samples: readonly SeriesSample[]) =>
      toIntervals(samples)
        .intervals.map((i) => ({ ...i, startNs: toNs(i.startMs), endNs: toNs(i.endMs) }))
        .filter((i) => inside(i.startNs, i.endNs))
        .map((i) => errorPoints(i.cpuSeconds, i.startNs, i.endNs));

    const procWindows = toIntervals(sampler.samples('proc'))
      .intervals.map((i) => ({ startNs: toNs(i.startMs), endNs: toNs(i.endMs) }))
      .filter((i) => inside(i.startNs, i.endNs));
    const loadPercent =
      procWindows.reduce(
        (sum, w) => sum + truthSeconds(w.startNs, w.endNs) / (Number(w.endNs - w.startNs) / 1e9),
        0,
      ) *
      (100 / Math.max(1, procWindows.length));

    return {
      loadPercent,
      errors: {
        proc: samplerErrors(sampler.samples('proc')),
        cgroupV1: samplerErrors(sampler.samples('v1')),
        cgroupV2: samplerErrors(sampler.samples('v2')),
        pidstat: pidstatWindows
          .filter((w) => inside(w.startNs, w.endNs))
          .map((w) => errorPoints(w.cpuSeconds, w.startNs, w.endNs)),
      },
    };
  } finally {
    await run[Symbol.asyncDispose]();
    cgroups.remove();
  }
}
