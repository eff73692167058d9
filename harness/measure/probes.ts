import { parseCpuacctNanoseconds, parseCpuacctStat, parseCpuStatV2 } from './cgroup-files.ts';
import type { PinnedFile } from './pinned-file.ts';
import { parseHostCpu, parseProcPidStat } from './proc-files.ts';
import type { CpuReading } from './types.ts';

/** USER_HZ: the unit of every tick count in /proc, fixed at 100 by the kernel ABI on Linux. */
export const TICKS_PER_SECOND = 100;

/** A bound source of cumulative CPU counters; `read` answers undefined once it is gone. */
export interface Probe extends Disposable {
  readonly description: string;
  read(tMs: number): CpuReading | undefined;
}

/**
 * One process through /proc/<pid>/stat: utime+stime of all its threads (exited ones included)
 * plus cutime+cstime of the children it has reaped. A child still running, or exited but not
 * yet waited for, is not counted until its parent reaps it; that CPU then lands all at once.
 */
export class ProcessProbe implements Probe {
  readonly description: string;
  readonly identity: string;
  readonly #stat: PinnedFile;

  constructor(pid: number, startTicks: number, stat: PinnedFile) {
    this.identity = `pid ${pid} started at tick ${startTicks}`;
    this.description = `/proc/${pid}/stat`;
    this.#stat = stat;
  }

  read(tMs: number): CpuReading | undefined {
    const bytes = this.#stat.read();
    if (bytes === undefined) return undefined;
    const stat = parseProcPidStat(bytes);
    const user = stat.utimeTicks + stat.cutimeTicks;
    const system = stat.stimeTicks + stat.cstimeTicks;
    return {
      tMs,
      totalSeconds: (user + system) / TICKS_PER_SECOND,
      userSeconds: user / TICKS_PER_SECOND,
      systemSeconds: system / TICKS_PER_SECOND,
      source: 'proc',
      identity: this.identity,
    };
  }

  [Symbol.dispose](): void {
    this.#stat.close();
  }
}

/** The counter files of one cgroup, read in nanoseconds (v1) or microseconds (v2). */
export type CgroupCounters =
  | { version: 2; cpuStat: PinnedFile }
  | { version: 1; usage: PinnedFile; stat: PinnedFile | undefined };

/**
 * All processes of a cgroup, living and exited, children included: the kernel charges every
 * nanosecond a task runs to its cgroup, with no tick rounding.
 */
export class CgroupProbe implements Probe {
  readonly description: string;
  readonly identity: string;
  readonly #counters: CgroupCounters;
  /** For a service cgroup found through its process: that process, to notice a restart. */
  readonly #mainProcess: ProcessProbe | undefined;

  constructor(
    directory: string,
    counters: CgroupCounters,
    identity: string,
    mainProcess?: ProcessProbe,
  ) {
    this.description = directory;
    this.identity = identity;
    this.#counters = counters;
    this.#mainProcess = mainProcess;
  }

  read(tMs: number): CpuReading | undefined {
    if (this.#mainProcess && this.#mainProcess.read(tMs) === undefined) return undefined;
    const counters = this.#counters;

    if (counters.version === 2) {
      const bytes = counters.cpuStat.read();
      if (bytes === undefined) return undefined;
      const stat = parseCpuStatV2(bytes);
      return this.#reading(tMs, 'cgroup-v2', stat.usageUsec / 1e6, stat.userUsec / 1e6, {
        systemSeconds: stat.systemUsec / 1e6,
      });
    }
    // cpuacct.usage is charged at every scheduler update, to the nanosecond. The user/system
    // split (cpuacct.stat, like cpuacct.usage_user/_sys on current kernels) is sampled at
    // timer ticks, so it serves the split only, never the total.
    const bytes = counters.usage.read();
    if (bytes === undefined) return undefined;
    const total = parseCpuacctNanoseconds(bytes) / 1e9;
    const statBytes = counters.stat?.read();
    const split = statBytes && parseCpuacctStat(statBytes);
    return this.#reading(
      tMs,
      'cgroup-v1',
      total,
      split ? split.userTicks / TICKS_PER_SECOND : null,
      {
        systemSeconds: split ? split.systemTicks / TICKS_PER_SECOND : null,
      },
    );
  }

  #reading(
    tMs: number,
    source: 'cgroup-v1' | 'cgroup-v2',
    totalSeconds: number,
    userSeconds: number | null,
    rest: { systemSeconds: number | null },
  ): CpuReading {
    return { tMs, totalSeconds, userSeconds, ...rest, source, identity: this.identity };
  }

  [Symbol.dispose](): void {
    const counters = this.#counters;
    if (counters.version === 2) counters.cpuStat.close();
    else {
      counters.usage.close();
      counters.stat?.close();
    }
    this.#mainProcess?.[Symbol.dispose]();
  }
}

/** The whole host from /proc/stat's first line; percent of one core, so 2 cores reach 200. */
export class HostProbe implements Probe {
  readonly description = '/proc/stat';
  readonly #stat: PinnedFile;
  readonly #identity: string;

  constructor(stat: PinnedFile, bootId: string) {
    this.#stat = stat;
    this.#identity = `host boot ${bootId}`;
  }

  read(tMs: number): CpuReading | undefined {
    const bytes = this.#stat.read();
    if (bytes === undefined) return undefined;
    const host = parseHostCpu(bytes);
    return {
      tMs,
      totalSeconds: (host.userTicks + host.systemTicks) / TICKS_PER_SECOND,
      userSeconds: host.userTicks / TICKS_PER_SECOND,
      systemSeconds: host.systemTicks / TICKS_PER_SECOND,
      source: 'proc-stat-host',
      identity: this.#identity,
    };
  }

  [Symbol.dispose](): void {
    this.#stat.close();
  }
}
