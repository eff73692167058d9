import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { readMeasureEnv } from './environment.ts';
import { fakeHost } from './fixtures/fake-host.ts';
import { samplerCore } from './native-core.ts';
import { ownRunTime, processCpuClock } from './process-cpu-clock.ts';
import { ThreadRunTime } from './thread-run-time.ts';

const withAddon = 'addon' in samplerCore() ? it : it.skip;

/** Runs a thread of this process that burns `ms` of CPU and exits. */
async function burnInThreadThatExits(ms: number): Promise<void> {
  const worker = new Worker(
    `const until = performance.now() + ${ms}; while (performance.now() < until);`,
    { eval: true },
  );
  await new Promise((done) => worker.once('exit', done));
}

describe('ownRunTime', () => {
  withAddon('counts the run time of threads that have exited, which schedstat cannot', async () => {
    const env = readMeasureEnv();
    using clock = ownRunTime(env, process.pid);
    using schedstat = new ThreadRunTime(env.procRoot, process.pid);
    const threads = () => readdirSync(`/proc/${process.pid}/task`).length;
    expect(clock.description).toBe('its CPU-time clock');

    const before = { clock: clock.read(threads()), schedstat: schedstat.read(threads()) };
    await burnInThreadThatExits(300);
    const after = { clock: clock.read(threads()), schedstat: schedstat.read(threads()) };

    // Both see the live threads; only the clock keeps the exited thread's 300 ms (less what a
    // busy 2-core machine may take from it in wall time).
    const byClock = (after.clock as number) - (before.clock as number);
    const bySchedstat = (after.schedstat as number) - (before.schedstat as number);
    expect(byClock - bySchedstat).toBeGreaterThan(0.15);
    expect(byClock).toBeLessThan(5);
  });

  withAddon('answers undefined once the process is gone', () => {
    const child = spawnSync('true');
    using clock = ownRunTime(readMeasureEnv(), child.pid as number);
    expect(clock.read(1)).toBeUndefined();
  });

  it("reads a fixture tree's schedstat files, never a real pid's clock", () => {
    const { env, remove } = fakeHost('v2', [{ pid: 1, ppid: 0, comm: 'init' }]);
    try {
      expect(processCpuClock(env)).toBeUndefined();
      using own = ownRunTime(env, 1);
      expect(own.description).toBe("its threads' schedstat");
    } finally {
      remove();
    }
  });
});
