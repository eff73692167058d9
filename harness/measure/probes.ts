import { type Bytes, readInteger, skipBlanks, skipToken } from './bytes.ts';
import { parseCpuacctNanoseconds, parseCpuacctStat, parseCpuStatV2 } from './cgroup-files.ts';
import type { LiveCpu, LiveDescendants } from './descendants.ts';
import type { QuietCheck } from './native-core.ts';
import type { PinnedFile } from './pinned-file.ts';
import { parseHostCpu, parseProcPidCounters } from './proc-files.ts';
import type { OwnRunTime } from './process-cpu-clock.ts';
import type { CpuReading } from './types.ts';

/** USER_HZ: the unit of every tick count in /proc, fixed at 100 by the kernel ABI on Linux. */
export const TICKS_PER_SECOND = 100;

/** A bound source of cumulative CPU counters; `read` answers undefined once it is gone. */
export interface Probe extends Disposable {
  readonly description: string;
  read(tMs: number): CpuReading | undefined;
  /**
   * The shortest interval worth reading at, ms, for counters that only move at clock ticks:
   * reading them more often than that adds cost, not precision. Absent: every round.
   */
  readonly minIntervalMs?: number;
  /**
   * For a probe that is a fixed set of files: those files, and how to make a reading of
   * their contents taken elsewhere (the native sampling thread). Absent when reading takes
   * decisions on the way, like finding a process's live children.
   */
  readonly fixed?: FixedFiles;
}

export interface FixedFiles {
  files: readonly PinnedFile[];
  /** A process whose CPU-time clock is read after the files, into one more slot (ns, text). */
  clockPid?: number;
  /**
   * What the native thread must find to make a reading of these files without the harness's
   * decisions; it writes what it summed of the process's children into one more slot.
   */
  quiet?: QuietCheck;
  /** Called once the native thread has taken the rounds over. */
  handedOff?(): void;
  /**
   * Contents in the order of `files`, then the clock, then the children's sum; undefined where
   * a read failed.
   */
  parse(tMs: number, contents: readonly (Bytes | undefined)[]): CpuReading | undefined;
}

/** Every how many rounds of `intervalMs` a probe is read: see Probe.minIntervalMs. */
export function periodRounds(probe: Probe | undefined, intervalMs: number): number {
  const minIntervalMs = probe?.minIntervalMs;
  return minIntervalMs ? Math.max(1, Math.round(minIntervalMs / intervalMs)) : 1;
}

/** Reads every file before parsing any: each read reuses one buffer, so each is copied. */
function readFixed(fixed: FixedFiles, tMs: number): CpuReading | undefined {
  const { files } = fixed;
  const contents: (Bytes | undefined)[] = [];
  for (let index = 0; index < files.length; index++) {
    const bytes = files[index]?.read();
    // The last one may stay in the buffer: nothing reads again before the parse.
    const last = index === files.length - 1;
    contents.push(bytes && !last ? new Uint8Array(bytes) : bytes); // Buffer's slice shares it
  }
  return fixed.parse(tMs, contents);
}

/** What a process reading adds to stat's ticks to be exact: threads' and children's run time. */
export interface ExactParts {
  threads: OwnRunTime;
  descendants: LiveDescendants;
}

/** Attempts at a reading no child was reaped during; past them the last one is used. */
const CONSISTENT_ATTEMPTS = 3;

/**
 * One process through /proc/<pid>/stat: utime+stime of all its threads (exited ones included)
 * plus cutime+cstime of the children it has reaped. With `exact`, its own time comes in
 * nanoseconds from its CPU-time clock (or its live threads' schedstat) where that is not less
 * than stat's, and what its live descendants have used so far is added. A child reaped while
 * they are read would count twice or not at all, so the reading is retried until the reaped
 * total held still across it. A reading that counted no live descendant cannot count a child
 * twice, and its stat is the one read last: it needs no stat read before the descendants.
 */
export class ProcessProbe implements Probe {
  readonly description: string;
  readonly identity: string;
  readonly #stat: PinnedFile;
  readonly #exact: ExactParts | undefined;
  /**
   * The last reading's stat, when it counted no live descendant: its thread count stands in
   * for a fresh stat read before the descendants, checked against the stat read after them.
   */
  #quiet: ReturnType<typeof ownTicks> | undefined;
  /** The last reading's thread count, which the native thread's quiet check holds it to. */
  #lastThreads: number | undefined;
  /** The highest total read so far, s: see #exactReading. */
  #highestSeconds = 0;

  /** Without `exact`, stat's tick counters alone: enough to tell the process is still there. */
  constructor(pid: number, startTicks: number, stat: PinnedFile, exact?: ExactParts) {
    this.identity = `pid ${pid} started at tick ${startTicks}`;
    this.description = exact
      ? `/proc/${pid}/stat, ${exact.threads.description} and its live descendants`
      : `/proc/${pid}/stat`;
    this.#stat = stat;
    this.#exact = exact;
  }

  /**
   * Stat alone, without `exact`. With it: stat, the CPU-time clock and the children's sum, on
   * condition that the process's rounds need no decisions (see QuietCheck).
   */
  get fixed(): FixedFiles | undefined {
    if (!this.#exact) {
      return {
        files: [this.#stat],
        parse: (tMs, [bytes]) => bytes && this.#reading(tMs, ownTicks(bytes)),
      };
    }
    const { threads, descendants } = this.#exact;
    const lastThreads = this.#lastThreads;
    const clockPid = threads.clockPid;
    const check =
      lastThreads !== undefined && clockPid !== undefined && descendants.quietCheck(lastThreads);
    if (!check) return undefined;
    return {
      files: [this.#stat],
      clockPid,
      quiet: check,
      handedOff: () => descendants.handedOff(),
      parse: (tMs, [stat, clock, live]) =>
        stat && clock && live && this.#quietReading(tMs, stat, clock, live),
    };
  }

  /**
   * A reading from a round the native thread found quiet: stat, the clock's ns and the
   * children's sum as text.
   */
  #quietReading(tMs: number, stat: Bytes, clock: Bytes, live: Bytes): CpuReading | undefined {
    const own = ownTicks(stat);
    const runNs = readInteger(clock, 0);
    const children = parseLiveSum(live);
    if (Number.isNaN(runNs) || !children) return undefined;
    this.#quiet = children.processes === 0 ? own : undefined;
    this.#lastThreads = own.threads;
    return this.#exactReading(tMs, own, runNs / 1e9, children);
  }

  read(tMs: number): CpuReading | undefined {
    let before = this.#quiet ?? this.#readOwn();
    this.#quiet = undefined;
    if (!before || !this.#exact) return before && this.#reading(tMs, before);

    const { threads, descendants } = this.#exact;
    for (let attempt = 1; ; attempt++) {
      const live = descendants.read(before.threads);
      const after = this.#readOwn();
      if (!live || !after) return undefined;
      // A new thread's children file is opened only when the count given above differs.
      const settled =
        after.threads === before.threads &&
        (live.processes === 0 || after.reapedTicks === before.reapedTicks);
      if (!settled && attempt < CONSISTENT_ATTEMPTS) {
        before = after;
        continue;
      }
      if (live.processes === 0) this.#quiet = after;
      this.#lastThreads = after.threads;
      return this.#exactReading(tMs, after, threads.read(after.threads) ?? 0, live);
    }
  }

  /**
   * Its own time from the clock where that is not less than stat's ticks, its reaped
   * children's ticks and its live descendants' time. A child counted live to the ns moves,
   * once reaped, into cutime and cstime, each truncated to a tick, so the sum can dip by up to
   * two ticks; it holds still instead, as the process's CPU does, rather than run backwards
   * (which the series would take for a new process of the same pid).
   */
  #exactReading(
    tMs: number,
    own: ReturnType<typeof ownTicks>,
    runSeconds: number,
    live?: LiveCpu,
  ): CpuReading {
    const ticks = own.userTicks + own.systemTicks - own.reapedTicks;
    const ownSeconds = Math.max(ticks / TICKS_PER_SECOND, runSeconds);
    const reading = this.#reading(tMs, own, live);
    const liveSeconds = live?.totalSeconds ?? 0;
    const total = ownSeconds + own.reapedTicks / TICKS_PER_SECOND + liveSeconds;
    reading.totalSeconds = Math.max(total, this.#highestSeconds);
    this.#highestSeconds = reading.totalSeconds;
    return reading;
  }

  /** Stat's counters; the shared read buffer is parsed before anything else reads. */
  #readOwn() {
    const bytes = this.#stat.read();
    return bytes && ownTicks(bytes);
  }

  #reading(
    tMs: number,
    own: { userTicks: number; systemTicks: number },
    live = { userTicks: 0, systemTicks: 0 },
  ): CpuReading {
    const userTicks = own.userTicks + live.userTicks;
    const systemTicks = own.systemTicks + live.systemTicks;
    return {
      tMs,
      totalSeconds: (userTicks + systemTicks) / TICKS_PER_SECOND,
      userSeconds: userTicks / TICKS_PER_SECOND,
      systemSeconds: systemTicks / TICKS_PER_SECOND,
      source: 'proc',
      identity: this.identity,
    };
  }

  [Symbol.dispose](): void {
    this.#stat.close();
    this.#exact?.threads[Symbol.dispose]();
    this.#exact?.descendants[Symbol.dispose]();
  }
}

/** The native thread's sum of a process's children: "count ns userTicks systemTicks". */
function parseLiveSum(bytes: Bytes): LiveCpu | undefined {
  const fields: number[] = [];
  for (
    let at = skipBlanks(bytes, 0);
    at < bytes.length;
    at = skipBlanks(bytes, skipToken(bytes, at))
  ) {
    fields.push(readInteger(bytes, at));
  }
  const [processes, ns, userTicks, systemTicks] = fields;
  if (fields.length !== 4 || fields.some(Number.isNaN)) return undefined;
  return {
    processes: processes as number,
    totalSeconds: (ns as number) / 1e9,
    userTicks: userTicks as number,
    systemTicks: systemTicks as number,
  };
}

function ownTicks(bytes: Bytes) {
  const stat = parseProcPidCounters(bytes);
  return {
    userTicks: stat.utimeTicks + stat.cutimeTicks,
    systemTicks: stat.stimeTicks + stat.cstimeTicks,
    reapedTicks: stat.cutimeTicks + stat.cstimeTicks,
    threads: stat.threads,
  };
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
  readonly fixed: FixedFiles;
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
    const main = mainProcess?.fixed?.files ?? [];
    const files =
      counters.version === 2 ? [counters.cpuStat] : [counters.usage, counters.stat ?? []].flat();
    this.fixed = {
      files: [...main, ...files],
      parse: (tMs, contents) => {
        if (main.length > 0 && contents[0] === undefined) return undefined;
        return this.#parse(tMs, contents.slice(main.length));
      },
    };
  }

  read(tMs: number): CpuReading | undefined {
    return readFixed(this.fixed, tMs);
  }

  #parse(tMs: number, [first, second]: readonly (Bytes | undefined)[]): CpuReading | undefined {
    if (first === undefined) return undefined;
    if (this.#counters.version === 2) {
      const stat = parseCpuStatV2(first);
      return this.#reading(tMs, 'cgroup-v2', stat.usageUsec / 1e6, stat.userUsec / 1e6, {
        systemSeconds: stat.systemUsec / 1e6,
      });
    }
    // cpuacct.usage is charged at every scheduler update, to the nanosecond. The user/system
    // split (cpuacct.stat, like cpuacct.usage_user/_sys on current kernels) is sampled at
    // timer ticks, so it serves the split only, never the total.
    const total = parseCpuacctNanoseconds(first) / 1e9;
    const split = second && parseCpuacctStat(second);
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

/** How often, at most, the host's tick counters are worth reading, ms. */
export const HOST_MIN_INTERVAL_MS = 1000;

/** The whole host from /proc/stat's first line; percent of one core, so 2 cores reach 200. */
export class HostProbe implements Probe {
  readonly description = '/proc/stat';
  /**
   * /proc/stat counts in ticks of 10 ms and is the dearest file a round reads (measured: about
   * half a 10 Hz round's reads): at 10 Hz a 100 ms window holds only 10 ticks per CPU anyway.
   */
  readonly minIntervalMs = HOST_MIN_INTERVAL_MS;
  readonly fixed: FixedFiles;
  readonly #stat: PinnedFile;
  readonly #identity: string;

  constructor(stat: PinnedFile, bootId: string) {
    this.#stat = stat;
    this.#identity = `host boot ${bootId}`;
    this.fixed = { files: [stat], parse: (tMs, [bytes]) => bytes && this.#parse(tMs, bytes) };
  }

  read(tMs: number): CpuReading | undefined {
    const bytes = this.#stat.read();
    return bytes && this.#parse(tMs, bytes);
  }

  #parse(tMs: number, bytes: Bytes): CpuReading {
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
