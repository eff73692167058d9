import { parseCpuacctNanoseconds, parseCpuStatV2 } from './cgroup-files.ts';
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
  | { version: 1; usageUser: PinnedFile; usageSys: PinnedFile }
  | { version: 1; usage: PinnedFile };

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
    if ('usage' in counters) {
      const bytes = counters.usage.read();
      if (bytes === undefined) return undefined;
      const total = parseCpuacctNanoseconds(bytes) / 1e9;
      return this.#reading(tMs, 'cgroup-v1', total, null, { systemSeconds: null });
    }

    // cpuacct.usage is by definition the sum of these two, so two reads give total and split.
    const userBytes = counters.usageUser.read();
    if (userBytes === undefined) return undefined;
    const user = parseCpuacctNanoseconds(userBytes) / 1e9;
    const systemBytes = counters.usageSys.read();
    if (systemBytes === undefined) return undefined;
    const system = parseCpuacctNanoseconds(systemBytes) / 1e9;
    return this.#reading(tMs, 'cgroup-v1', user + system, user, { systemSeconds: system });
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
    else if ('usage' in counters) counters.usage.close();
    else {
      counters.usageUser.close();
      counters.usageSys.close();
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
