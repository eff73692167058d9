import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import { readMeasureEnv } from '../../harness/measure/environment.ts';
import { samplerCore } from '../../harness/measure/native-core.ts';
import { periodRounds } from '../../harness/measure/probes.ts';
import { resolveSeries } from '../../harness/measure/resolve.ts';
import { describeSpec, type SeriesSpec } from '../../harness/measure/series-spec.ts';
import { type BurnerRun, startBurner } from './burner.ts';
import { type LoadCgroups, makeLoadCgroups } from './cgroups.ts';
import { compileHelper } from './compile.ts';

const WARM_UP_SECONDS = Number(process.env.BENCH_CPU_WARM_UP_SECONDS ?? 100);

export interface Overhead {
  who: string;
  /** Sampling rate, for the target it is held to; undefined for the reference rows. */
  hz?: 1 | 10;
  /** Whole process, all threads, measured from outside; % of one core. */
  processPercent: number;
  /**
   * For the sampler: its sampling threads (sleeping, waking, reading, parsing) from near the
   * end of the warm-up to its stop, what it adds to the harness.
   */
  samplingPercent: number | null;
  /** For the sampler: where its rounds ran, as its report line says. */
  core?: string;
}

/**
 * Nanoseconds all threads of `pid` have run, exited ones included: a sampler's native thread
 * ends each time it hands a /proc target back, and a sum over live threads' schedstat would
 * then lose what it ran. From the process's CPU-time clock where the native part is built,
 * else from the live threads' schedstat (ns precision, unlike stat's ticks).
 */
function runNs(pid: number): number {
  const core = samplerCore();
  if ('addon' in core) {
    const ns = core.addon.processCpuNs(pid);
    if (ns < 0) throw new Error(`cannot read the CPU-time clock of pid ${pid}: errno ${-ns}`);
    return ns;
  }
  let sum = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      sum += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'latin1').split(' ')[0]);
    } catch {
      // a thread that just exited
    }
  }
  return sum;
}

// A Node thread that does nothing but sleep 100 ms at a time the way the sampler does: the
// floor any Node sampler at 10 Hz pays on this machine, with no reads at all.
const IDLE_WAKER = `
  const { Worker } = require('node:worker_threads');
  new Worker(\`
    const control = new Int32Array(new SharedArrayBuffer(4));
    for (;;) Atomics.wait(control, 0, 0, 100);
  \`, { eval: true });
`;

interface Contender {
  who: string;
  hz?: 1 | 10;
  child: ResultPromise;
  /** Prints its own sampling cost as JSON when it ends by itself. */
  reportsOwn: boolean;
}

/**
 * Runs, side by side and all watching the same load: the sampler at 1 Hz and 10 Hz with the
 * target through the load's cgroup (how sysbox-fs.service is measured) and through /proc,
 * and through /proc on a second load that forks a child all the time (its rounds need
 * decisions, so they stay on the Node thread), pidstat at 1 Hz (its shortest interval), a C program reading the cgroup rows' counter
 * files at both rates (the floor of this machine), and idle threads that only wake at 10 Hz.
 * Each is measured over `seconds` after a warm-up long enough for V8 to have compiled the
 * sampling code and for the start-up garbage collections to be over.
 */
export async function measureOverhead(burner: string, seconds: number): Promise<Overhead[]> {
  // With rounds on the native thread, the Node thread parses them only every 30 s, so V8 has
  // compiled that code only after a few such looks: a CPU profile of the sampling thread showed
  // 61, 23 and 1.4 ms for the looks at 30, 60 and 90 s. The warm-up covers three of them.
  const warmUpSeconds = WARM_UP_SECONDS;
  const total = warmUpSeconds + seconds + 1;
  const reference = await compileHelper('reference-sampler');
  const load = await startBurner(burner, { percent: 25, seconds: total + 2, threads: 1 });
  const cgroups = makeLoadCgroups(`sysbox-repro-bench-overhead-${process.pid}`);
  let forking: BurnerRun | undefined;
  let forkingCgroups: LoadCgroups | undefined;
  const all: Contender[] = [];
  try {
    forking = await startBurner(burner, { percent: 25, seconds: total + 2, childMs: 30 });
    forkingCgroups = makeLoadCgroups(`sysbox-repro-bench-overhead-forking-${process.pid}`);
    cgroups.enter(load.pid);
    load.go();
    forkingCgroups.enter(forking.pid);
    forking.go();
    const cgroup = cgroups.directories.v2 ?? cgroups.directories.v1;
    if (!cgroup) throw new Error('no cgroup hierarchy for the load: run the bench as root');
    const script = new URL('./sampler-process.ts', import.meta.url).pathname;
    const node = (args: string[]) => execa(process.execPath, args);
    const quiet = (file: string, args: string[]) =>
      execa(file, args, { buffer: false, stdout: 'ignore' });

    for (const [via, label, pid] of [
      [cgroup, 'target through its cgroup', load.pid],
      ['proc', 'target through /proc', load.pid],
      ['proc', 'target through /proc, forking 30 ms children all the time', forking.pid],
    ] as const) {
      for (const hz of [1, 10] as const) {
        const args = [script, String(1000 / hz), String(total), String(pid), via];
        args.push(String(warmUpSeconds));
        all.push({ who: `sampler, ${label}, ${hz} Hz`, hz, child: node(args), reportsOwn: true });
      }
    }
    // The files the sampler itself opens for the cgroup rows' three series.
    const specs: SeriesSpec[] = [
      { kind: 'cgroup', path: cgroup },
      { kind: 'cgroup', path: '/' },
      { kind: 'host' },
    ];
    for (const hz of [1, 10] as const) {
      const files = specs.flatMap((spec) => samplerFiles(spec, 1000 / hz));
      all.push({
        who: `C reference, same ${files.length} files as the cgroup rows, ${hz} Hz`,
        child: quiet(reference, [String(1000 / hz), ...files]),
        reportsOwn: false,
      });
    }
    all.push(
      {
        who: 'pidstat -u -p <pid> 1',
        child: quiet('pidstat', ['-u', '-p', String(load.pid), '1']),
        reportsOwn: false,
      },
      {
        who: 'C thread waking at 10 Hz, no reads',
        child: quiet(reference, ['100']),
        reportsOwn: false,
      },
      {
        who: 'Node thread waking at 10 Hz (Atomics.wait), no reads',
        child: quiet(process.execPath, ['-e', IDLE_WAKER]),
        reportsOwn: false,
      },
    );

    await sleep(warmUpSeconds * 1000);
    const before = all.map(({ child }) => runNs(child.pid as number));
    const startedNs = process.hrtime.bigint();
    await sleep(seconds * 1000);
    const after = all.map(({ child }) => runNs(child.pid as number));
    const elapsed = Number(process.hrtime.bigint() - startedNs);

    const results: Overhead[] = [];
    for (const [index, contender] of all.entries()) {
      const ran = (after[index] as number) - (before[index] as number);
      const own = contender.reportsOwn ? await ownSampling(contender.child) : undefined;
      results.push({
        who: contender.who,
        hz: contender.hz,
        processPercent: (ran / elapsed) * 100,
        samplingPercent: own?.percent ?? null,
        core: own?.core,
      });
    }
    return results;
  } finally {
    for (const { child } of all) child.kill('SIGKILL');
    await Promise.allSettled(all.map(({ child }) => child));
    await load[Symbol.asyncDispose]();
    await forking?.[Symbol.asyncDispose]();
    cgroups.remove();
    forkingCgroups?.remove();
  }
}

/**
 * The files the sampler reads for `spec`, as it resolves them now, each as PATH@EVERY when
 * the sampler reads it only every EVERY-th round of `intervalMs`.
 */
function samplerFiles(spec: SeriesSpec, intervalMs: number): string[] {
  const resolution = resolveSeries(spec, readMeasureEnv());
  if (resolution.state !== 'bound') throw new Error(`cannot resolve ${describeSpec(spec)}`);
  using probe = resolution.probe;
  const every = periodRounds(probe, intervalMs);
  const files = probe.fixed?.files.map((file) => (every > 1 ? `${file.path}@${every}` : file.path));
  if (!files) throw new Error(`${describeSpec(spec)} is not a fixed set of files`);
  return files;
}

async function ownSampling(child: ResultPromise): Promise<{ percent: number; core: string }> {
  const own = JSON.parse(String((await child).stdout)) as {
    samplingSeconds: number;
    elapsedSeconds: number;
    core: string;
  };
  return { percent: (own.samplingSeconds / own.elapsedSeconds) * 100, core: own.core };
}
