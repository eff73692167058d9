import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { startBurner } from './burner.ts';

export interface Overhead {
  who: string;
  /** Whole process, all threads, measured from outside; % of one core. */
  processPercent: number;
  /** For the sampler: its own thread (sleeping, waking, sampling), what it adds to the harness. */
  samplingPercent: number | null;
}

/** Nanoseconds all threads of `pid` have run (schedstat: ns precision, unlike stat's ticks). */
function runNs(pid: number): number {
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

/**
 * Runs the sampler at 1 Hz and 10 Hz, pidstat at 1 Hz (its shortest interval) and an idle
 * Node thread waking at 10 Hz side by side, all watching the same load, and measures each over
 * `seconds` after a warm-up long enough for V8 to have compiled the sampling code and for the
 * start-up garbage collections to be over (both are one-off costs, not overhead per second).
 */
export async function measureOverhead(burner: string, seconds: number): Promise<Overhead[]> {
  const warmUpSeconds = 10;
  const total = warmUpSeconds + seconds + 1;
  const load = await startBurner(burner, { percent: 25, seconds: total + 2, threads: 1 });
  load.go();
  const script = new URL('./sampler-process.ts', import.meta.url).pathname;
  const samplers = [1000, 100].map((intervalMs) => ({
    who: `sampler at ${1000 / intervalMs} Hz`,
    child: execa(process.execPath, [script, String(intervalMs), String(total), String(load.pid)]),
  }));
  const idle = {
    who: 'idle Node thread, Atomics.wait 100 ms',
    child: execa(process.execPath, ['-e', IDLE_WAKER], { buffer: false, stdout: 'ignore' }),
  };
  const pidstat = {
    who: 'pidstat -u -p <pid> 1',
    child: execa('pidstat', ['-u', '-p', String(load.pid), '1'], {
      buffer: false,
      stdout: 'ignore',
    }),
  };
  const all = [...samplers, pidstat, idle];

  try {
    await sleep(warmUpSeconds * 1000);
    const before = all.map(({ child }) => runNs(child.pid as number));
    const startedNs = process.hrtime.bigint();
    await sleep(seconds * 1000);
    const after = all.map(({ child }) => runNs(child.pid as number));
    const elapsed = Number(process.hrtime.bigint() - startedNs);
    for (const { child } of [pidstat, idle]) {
      child.kill('SIGTERM');
      await child.catch(() => undefined);
    }

    const results: Overhead[] = [];
    for (const [index, { who }] of all.entries()) {
      results.push({
        who,
        processPercent: (((after[index] as number) - (before[index] as number)) / elapsed) * 100,
        samplingPercent: null,
      });
    }
    for (const [index, sampler] of samplers.entries()) {
      const own = JSON.parse((await sampler.child).stdout) as {
        samplingSeconds: number;
        elapsedSeconds: number;
      };
      (results[index] as Overhead).samplingPercent =
        (own.samplingSeconds / own.elapsedSeconds) * 100;
    }
    return results;
  } finally {
    for (const { child } of all) child.kill('SIGKILL');
    await load[Symbol.asyncDispose]();
  }
}
