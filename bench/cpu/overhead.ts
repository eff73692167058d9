import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { startBurner } from './burner.ts';

export interface Overhead {
  who: string;
  /** Whole process, all threads, measured from outside; % of one core. */
  processPercent: number;
  /** For the sampler: the sampling work alone on its thread (what it adds inside the harness). */
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

/**
 * Runs the sampler at 1 Hz and 10 Hz and pidstat at 1 Hz (its shortest interval) side by side,
 * all watching the same load, and measures each after a warm-up.
 */
export async function measureOverhead(burner: string, seconds: number): Promise<Overhead[]> {
  const warmUpSeconds = 3;
  const load = await startBurner(burner, { percent: 25, seconds: seconds + 2, threads: 1 });
  load.go();
  const script = new URL('./sampler-process.ts', import.meta.url).pathname;
  const samplers = [1000, 100].map((intervalMs) => ({
    who: `sampler at ${1000 / intervalMs} Hz`,
    child: execa(process.execPath, [script, String(intervalMs), String(seconds), String(load.pid)]),
  }));
  const pidstat = {
    who: 'pidstat -u -p <pid> 1',
    child: execa('pidstat', ['-u', '-p', String(load.pid), '1'], {
      buffer: false,
      stdout: 'ignore',
    }),
  };
  const all = [...samplers, pidstat];

  try {
    await sleep(warmUpSeconds * 1000);
    const before = all.map(({ child }) => runNs(child.pid as number));
    const startedNs = process.hrtime.bigint();
    await sleep((seconds - warmUpSeconds - 1) * 1000);
    const after = all.map(({ child }) => runNs(child.pid as number));
    const elapsed = Number(process.hrtime.bigint() - startedNs);
    pidstat.child.kill('SIGTERM');
    await pidstat.child.catch(() => undefined);

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
