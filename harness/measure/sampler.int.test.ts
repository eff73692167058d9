import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jest } from '@jest/globals';
import {
  type Accounting,
  type BurnerLoad,
  buildBurner,
  startBurner,
} from '../../bench/cpu/burner.ts';
import { makeLoadCgroups } from '../../bench/cpu/cgroups.ts';
import { measureWindow } from '../analysis/window-stats.ts';
import { linkOwnBurner, type OwnBurner } from './fixtures/own-burner.ts';
import { startSampler } from './sampler.ts';
import type { SeriesSpec } from './series-spec.ts';
import type { CpuReading, SeriesSample } from './types.ts';

jest.setTimeout(60_000);
/** The bench's build, which other clones' tests and benchmarks on the host also start. */
let sharedBurner: string;
let burner: OwnBurner;
beforeAll(async () => {
  sharedBurner = await buildBurner();
  burner = await linkOwnBurner(sharedBurner);
});
afterAll(async () => {
  await burner?.[Symbol.asyncDispose]();
});

const origin = process.hrtime.bigint();
const monoNs = (tMs: number) => origin + BigInt(Math.round(tMs * 1e6));
const readings = (samples: readonly SeriesSample[]) =>
  samples.flatMap((sample) => (sample.state === 'present' ? [sample.reading] : []));

/** Percent of one core the sampler saw between two readings, and what the load itself used. */
function compare(first: CpuReading, last: CpuReading, accounting: Accounting) {
  const seconds = (last.tMs - first.tMs) / 1000;
  const truth =
    accounting.treeSecondsAt(monoNs(last.tMs)) - accounting.treeSecondsAt(monoNs(first.tMs));
  return {
    measured: ((last.totalSeconds - first.totalSeconds) / seconds) * 100,
    truth: (truth / seconds) * 100,
  };
}

/** Runs a load for 5 s and measures it from 1 s in, over `intervalMs` (3 s by default). */
async function measureLoad(
  load: Omit<BurnerLoad, 'seconds'>,
  spec: (pid: number) => SeriesSpec,
  cgroupName?: string,
  intervalMs = 3000,
) {
  await using cleanup = new AsyncDisposableStack();
  const cgroups = cgroupName ? makeLoadCgroups(cgroupName) : undefined;
  cleanup.defer(() => cgroups?.remove());
  const run = cleanup.use(await startBurner(burner.binary, { ...load, seconds: 5 }));
  cgroups?.enter(run.pid);
  const sampler = cleanup.use(
    await startSampler({
      intervalMs: 500,
      origin,
      series: { target: spec(run.pid) },
    }),
  );
  run.go();
  await sleep(1000);
  sampler.sampleNow();
  await sleep(intervalMs);
  sampler.sampleNow();
  await sampler.stop();
  const accounting = await run.finished();

  const taken = readings(sampler.samples('target'));
  const first = taken.find((reading) => reading.tMs >= 1000) as CpuReading;
  const last = taken.at(-1) as CpuReading;
  return { source: last.source, ...compare(first, last, accounting) };
}

/**
 * Starts the sampler on the burner by name, then replaces the burner by a new one 400 ms in;
 * `enter` places each in a cgroup before it starts burning. Each burner and the sampler go
 * on `cleanup` as soon as they exist, so a failure anywhere leaves nothing running.
 */
async function restartUnderSampler(cleanup: AsyncDisposableStack, enter?: (pid: number) => void) {
  const first = cleanup.use(await startBurner(burner.binary, { percent: 10, seconds: 30 }));
  enter?.(first.pid);
  first.go();
  const sampler = cleanup.use(
    await startSampler({
      intervalMs: 100,
      origin,
      series: { target: { kind: 'process', name: burner.name } },
    }),
  );
  const windowStart = sampler.now();
  await sleep(400);
  await first[Symbol.asyncDispose]();
  const second = cleanup.use(await startBurner(burner.binary, { percent: 10, seconds: 30 }));
  enter?.(second.pid);
  second.go();
  return { sampler, windowStart, first, second };
}

/** The folder a running burner writes its accounting to, from its command line. */
function logFolderOf(pid: number): string {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
  return dirname(args[args.indexOf('--log') + 1] ?? '');
}

// Tolerances: the truth is the load's own accounting over the same instants, so a busy shared
// machine changes how much the load burns but not the comparison. Missing the load's threads
// or its reaped children would take away 2/3 or nearly all of it.
describe('sampler on real processes', () => {
  it('counts every thread of a process through /proc', async () => {
    const result = await measureLoad({ percent: 90, threads: 3 }, (pid) => ({
      kind: 'pid',
      pid,
      via: 'proc',
    }));
    expect(result.source).toBe('proc');
    expect(result.truth).toBeGreaterThan(30);
    expect(Math.abs(result.measured - result.truth)).toBeLessThanOrEqual(3);
  });

  it('counts children through /proc, reaped and still running alike', async () => {
    // A 300 ms child starts every 500 ms; over 2.75 s the two ends fall half a period apart, so
    // the children running across them differ by about 150 ms (5 points), which the
    // reaped-children counters alone would miss or add late.
    const result = await measureLoad(
      { percent: 60, childMs: 300 },
      (pid) => ({ kind: 'pid', pid, via: 'proc' }),
      undefined,
      2750,
    );
    expect(result.truth).toBeGreaterThan(20);
    // left: reaped children's counters truncated to a tick at each end, < 2 ticks over 2.75 s
    expect(Math.abs(result.measured - result.truth)).toBeLessThanOrEqual(1);
  });

  it('counts children that exited and wait to be reaped, through /proc', async () => {
    // A cgroup's pid list drops a child as soon as it exits: a parent too busy to reap would
    // hide every exited child until it reaps, here nearly all of the load.
    const result = await measureLoad(
      { percent: 40, childMs: 100, reapLate: true },
      (pid) => ({ kind: 'pid', pid, via: 'proc' }),
      `sysbox-repro-test-unreaped-${process.pid}`,
    );
    expect(result.truth).toBeGreaterThan(15);
    // nothing is reaped in the window, so no counter truncated to a tick is involved
    expect(Math.abs(result.measured - result.truth)).toBeLessThanOrEqual(1);
  });

  it('takes a /proc target with childless children on the native thread, children counted', async () => {
    await using cleanup = new AsyncDisposableStack();
    const cgroups = makeLoadCgroups(`sysbox-repro-test-quiet-${process.pid}`);
    cleanup.defer(() => cgroups.remove());
    const run = cleanup.use(
      await startBurner(burner.binary, { percent: 60, childMs: 30, seconds: 4 }),
    );
    cgroups.enter(run.pid);
    const sampler = cleanup.use(
      await startSampler({
        intervalMs: 100,
        origin,
        series: { target: { kind: 'pid', pid: run.pid, via: 'proc' } },
      }),
    );
    // Idle until told to go, then children of 30 ms, each without a child or thread of its own.
    await sleep(700);
    run.go();
    await sleep(2800);
    await sampler.stop();
    const accounting = await run.finished();

    if (process.env.SYSBOX_REPRO_SAMPLER_CORE !== 'js') {
      expect(sampler.core()).toMatch(/^rounds on the native thread[,(]/);
    }
    const taken = readings(sampler.samples('target'));
    expect(taken).toHaveLength(sampler.samples('target').length);
    const first = taken.find((reading) => reading.tMs >= 300) as CpuReading;
    const result = compare(first, taken.at(-1) as CpuReading, accounting);
    expect(result.truth).toBeGreaterThan(20);
    // As with children throughout: reaped children's ticks truncated at each end, < 2 ticks.
    expect(Math.abs(result.measured - result.truth)).toBeLessThanOrEqual(1);
  });

  it('hands a /proc target back to the Node thread while it has grandchildren', async () => {
    await using cleanup = new AsyncDisposableStack();
    // A shell whose subshell runs sleep: a grandchild, which only the Node thread follows.
    const shell = spawn('sh', ['-c', 'while :; do sleep 0.3; (sleep 0.3; true); done'], {
      stdio: 'ignore',
      detached: true,
    });
    cleanup.defer(() => {
      process.kill(-(shell.pid as number), 'SIGKILL');
    });
    const sampler = cleanup.use(
      await startSampler({
        intervalMs: 100,
        series: { target: { kind: 'pid', pid: shell.pid as number, via: 'proc' } },
      }),
    );
    await sleep(2500);
    await sampler.stop();

    if (process.env.SYSBOX_REPRO_SAMPLER_CORE !== 'js') {
      expect(sampler.core()).toMatch(/handing a \/proc target back to a Node thread \d+ times/);
    }
    const samples = sampler.samples('target');
    expect(samples.length).toBeGreaterThanOrEqual(20);
    expect(samples.every((sample) => sample.state === 'present')).toBe(true);
    // Children reaped into tick-truncated counters never make it run backwards, which would
    // read as a new process of the same pid and spoil the window.
    const totals = readings(samples).map((reading) => reading.totalSeconds);
    for (let index = 1; index < totals.length; index++) {
      expect(totals[index]).toBeGreaterThanOrEqual(totals[index - 1] as number);
    }
    expect(new Set(readings(samples).map((reading) => reading.identity)).size).toBe(1);
  });

  it('measures a process in its own service cgroup through the cgroup, children included', async () => {
    const name = `sysbox-repro-test-${process.pid}.service`;
    const result = await measureLoad(
      { percent: 60, childMs: 30 },
      (pid) => ({ kind: 'pid', pid }),
      name,
    );
    expect(result.source).toMatch(/^cgroup-v[12]$/);
    expect(result.truth).toBeGreaterThan(20);
    expect(Math.abs(result.measured - result.truth)).toBeLessThanOrEqual(1);
  });

  it('notices a service restart while the native thread takes the rounds', async () => {
    await using cleanup = new AsyncDisposableStack();
    const cgroups = makeLoadCgroups(`sysbox-repro-restart-${process.pid}.service`);
    cleanup.defer(() => cgroups.remove());
    const restart = await restartUnderSampler(cleanup, (pid) => cgroups.enter(pid));
    const { sampler, windowStart, first, second } = restart;
    await sleep(1200);
    sampler.sampleNow(); // the harness does this at every phase boundary
    await sleep(400);
    const windowEnd = sampler.now();
    await sampler.stop();

    if (process.env.SYSBOX_REPRO_SAMPLER_CORE !== 'js') {
      expect(sampler.core()).toMatch(/^rounds on the native thread, nice /);
    }
    const samples = sampler.samples('target');
    const summary = measureWindow(samples, 'measure', windowStart, windowEnd);
    expect(summary.stats.restarts).toBeGreaterThan(0);
    expect(summary.identities).toHaveLength(2);
    expect(summary.identities[0]).toContain(`main pid ${first.pid} `);
    expect(summary.identities[1]).toContain(`main pid ${second.pid} `);
    // Rounds went on after the restart, through the new process's files.
    const after = samples.filter((sample) => sample.tMs > windowEnd - 300);
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(after.every((sample) => sample.state === 'present')).toBe(true);
  });

  it('records an absent target as absent, never as 0 %', async () => {
    await using cleanup = new AsyncDisposableStack();
    const run = cleanup.use(await startBurner(burner.binary, { percent: 0, seconds: 1 }));
    run.go();
    await run.finished();
    const sampler = cleanup.use(
      await startSampler({
        intervalMs: 100,
        series: { target: { kind: 'pid', pid: run.pid } },
      }),
    );
    await sleep(350);
    await sampler.stop();

    const samples = sampler.samples('target');
    expect(samples.length).toBeGreaterThanOrEqual(3);
    expect(samples.every((sample) => sample.state === 'absent')).toBe(true);
    expect(
      measureWindow(samples, 'measure', 0, Number.POSITIVE_INFINITY).stats.medianPercent,
    ).toBeNull();
  });

  it('notices a target that restarts in the middle of a window', async () => {
    await using cleanup = new AsyncDisposableStack();
    // What another clone's tests or a benchmark on the host run: the bench's own build.
    cleanup.use(await startBurner(sharedBurner, { percent: 0, seconds: 30 }));
    const { sampler, windowStart, first, second } = await restartUnderSampler(cleanup);
    await sleep(1500);
    const windowEnd = sampler.now();
    await sampler.stop();

    const summary = measureWindow(sampler.samples('target'), 'measure', windowStart, windowEnd);
    expect(summary.stats.restarts).toBeGreaterThan(0);
    expect(summary.identities).toEqual([
      expect.stringMatching(/^pid \d+ started at tick \d+$/),
      expect.stringMatching(/^pid \d+ started at tick \d+$/),
    ]);
    expect(summary.identities[0]).toContain(`pid ${first.pid} `);
    expect(summary.identities[1]).toContain(`pid ${second.pid} `);
  });

  it('leaves no burner and no log folder behind when a restart test fails', async () => {
    const cleanup = new AsyncDisposableStack();
    // A second process of the test's own name makes the sampler refuse the name, as the
    // shared name did when another clone's burner ran.
    cleanup.use(await startBurner(burner.binary, { percent: 0, seconds: 30 }));
    const started: { pid: number; logFolder: string }[] = [];
    const record = (pid: number) => started.push({ pid, logFolder: logFolderOf(pid) });

    await expect(restartUnderSampler(cleanup, record)).rejects.toThrow(/2 processes named/);
    await cleanup.disposeAsync();

    expect(started).toHaveLength(1);
    for (const { pid, logFolder } of started) {
      expect(existsSync(`/proc/${pid}`)).toBe(false);
      expect(existsSync(logFolder)).toBe(false);
    }
  });
});
