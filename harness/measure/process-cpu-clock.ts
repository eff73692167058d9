import type { MeasureEnv } from './environment.ts';
import { samplerCore } from './native-core.ts';
import { ThreadRunTime } from './thread-run-time.ts';

/** Where a process's own run time, exited threads' included where it can be, is read from. */
export interface OwnRunTime extends Disposable {
  /** What is read, for the probe's description. */
  readonly description: string;
  /** The pid whose CPU-time clock this is, for the native thread to read; absent otherwise. */
  readonly clockPid?: number;
  /** Seconds run; `threadCount` is stat's. Undefined when unreadable (the process is gone). */
  read(threadCount: number): number | undefined;
}

/**
 * The kernel's CPU-time clock of a process (clock_getcpuclockid): every thread, exited ones
 * included, to the nanosecond, in one system call however many threads there are.
 */
class ProcessCpuClock implements OwnRunTime {
  readonly description = 'its CPU-time clock';
  readonly clockPid: number;
  readonly #read: (pid: number) => number;

  constructor(pid: number, read: (pid: number) => number) {
    this.clockPid = pid;
    this.#read = read;
  }

  read(): number | undefined {
    const ns = this.#read(this.clockPid);
    return ns < 0 ? undefined : ns / 1e9;
  }

  [Symbol.dispose](): void {}
}

/**
 * The CPU-time clock where the native part is built and `env` is this host's /proc (a clock
 * names a real pid, never one of a fixture tree); each live thread's schedstat otherwise.
 */
export function ownRunTime(env: MeasureEnv, pid: number): OwnRunTime {
  const clock = processCpuClock(env);
  return clock ? new ProcessCpuClock(pid, clock) : new ThreadRunTime(env.procRoot, pid);
}

/** A reader of a pid's CPU-time clock (ns, -errno when gone), or undefined where there is none. */
export function processCpuClock(env: MeasureEnv): ((pid: number) => number) | undefined {
  const core = samplerCore();
  if (env.procRoot !== '/proc' || !('addon' in core)) return undefined;
  const { addon } = core;
  return (pid) => addon.processCpuNs(pid);
}
