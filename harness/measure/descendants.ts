import { readdirSync } from 'node:fs';
import { type Bytes, readInteger } from './bytes.ts';
import { parsePidList } from './cgroup-files.ts';
import type { MeasureEnv } from './environment.ts';
import { QUIET_LIMITS, type QuietCheck } from './native-core.ts';
import { PinnedFile } from './pinned-file.ts';
import { TICKS_PER_SECOND } from './probes.ts';
import { parseChildPids, parseProcPidCounters } from './proc-files.ts';
import { processCpuClock } from './process-cpu-clock.ts';

/** CPU of a process still running (or exited and not yet reaped). */
interface ProcessCpu {
  /**
   * To the nanosecond where the kernel says so (every process through its CPU-time clock, or a
   * single-threaded one through schedstat), else ticks.
   */
  totalSeconds: number;
  /** The split, in clock ticks: the kernel keeps it no finer. */
  userTicks: number;
  systemTicks: number;
}

/** CPU of the live descendants together. */
export interface LiveCpu extends ProcessCpu {
  /** How many processes the figures hold. */
  processes: number;
}

/** What a read finds when the root is alone in its list: the usual case, kept allocation-free. */
const NONE: LiveCpu = Object.freeze({
  totalSeconds: 0,
  userTicks: 0,
  systemTicks: 0,
  processes: 0,
});

/**
 * Where the pids that may descend from the target are listed. A forked child starts in its
 * parent's cgroup, so the target's cgroup.procs holds every descendant that was not moved
 * away, and is usually far shorter than /proc. A v2 cgroup.procs walks the cgroup's tasks again
 * on every read from offset 0, so it can stay open; a v1 one keeps serving the pid list built
 * when the file was opened while it is re-read within a second, so it is opened per read.
 */
export type MemberList =
  | { kind: 'cgroup-v2'; procs: PinnedFile }
  | { kind: 'cgroup-v1'; path: string }
  | { kind: 'proc'; procRoot: string };

interface Member {
  stat: PinnedFile | undefined;
  /** /proc/<pid>/schedstat, for a single-threaded process: its run time in nanoseconds. */
  schedstat: PinnedFile | undefined;
  ppid: number;
  cpu: ProcessCpu;
  /** What the children it has reaped used, in ticks. */
  reapedTicks: number;
  /** Known not to descend from the target, for good: its pid is only watched, never read. */
  outside: boolean;
}

/**
 * The live descendants of one process. /proc/<pid>/stat counts a child's CPU only once the
 * child is reaped, so without these a child running across a window boundary lands whole in
 * the later window. The pid list of the target's cgroup is the cheap source of descendants at
 * any depth; it drops a process as soon as it exits, so the target's own children are also
 * taken from /proc/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN), which keeps them until
 * they are reaped.
 */
export class LiveDescendants implements Disposable {
  readonly #root: number;
  readonly #members: MemberList;
  readonly #procRoot: string;
  readonly #known = new Map<number, Member>();
  #listed = new Set<number>();
  /** The root's threads' children files by tid; undefined on a kernel without them. */
  #childrenFiles: Map<number, PinnedFile> | undefined = new Map();
  /** A pid's CPU-time clock, ns (negative when gone), where the host offers it. */
  readonly #clock: ((pid: number) => number) | undefined;
  /** Set while the native thread watches the list: what is known of it may be stale after. */
  #handedOff = false;

  constructor(env: MeasureEnv, root: number, members: MemberList) {
    this.#root = root;
    this.#members = members;
    this.#procRoot = env.procRoot;
    this.#clock = processCpuClock(env);
  }

  /**
   * Sums the current CPU of every live descendant, and of the root's children that have exited
   * and wait to be reaped; undefined when the list is unreadable. `rootThreads` is the root's
   * thread count from its stat, to notice new threads.
   */
  read(rootThreads: number): LiveCpu | undefined {
    if (this.#handedOff) this.#forgetKnown();
    const members = this.#list();
    if (members === undefined) return undefined;
    const unreaped = this.#members.kind === 'proc' ? [] : this.#rootChildren(rootThreads);
    const listed = unreaped.length === 0 ? members : [...new Set([...members, ...unreaped])];
    if (this.#known.size === 0 && listed.every((pid) => pid === this.#root)) return NONE;
    this.#forgetUnlisted(listed);

    for (const pid of listed) this.#refresh(pid);
    const verdicts = new Map<number, boolean>();
    const total = { totalSeconds: 0, userTicks: 0, systemTicks: 0, processes: 0 };
    for (const pid of listed) {
      const member = this.#known.get(pid);
      if (!member?.stat || !this.#descends(pid, verdicts)) continue;
      total.totalSeconds += member.cpu.totalSeconds;
      total.userTicks += member.cpu.userTicks;
      total.systemTicks += member.cpu.systemTicks;
      total.processes++;
    }
    return total;
  }

  /**
   * What the native thread must find for the root to have no live descendant still, when the
   * last read found none and the root has `rootThreads` threads; undefined when it cannot
   * check that. Every descendant this class counts has an ancestor among the root's children,
   * running or waiting to be reaped, and so in a children file: where the kernel has those
   * files, they alone tell, and the pid list (the dearest read of such a round) is not read.
   */
  quietCheck(rootThreads: number): QuietCheck | undefined {
    const children = this.#childrenFiles;
    const empty: number[] = [];
    for (const file of children?.values() ?? []) {
      if (file.fd === undefined) return undefined;
      empty.push(file.fd);
    }
    if (empty.length > QUIET_LIMITS.threads) return undefined;
    if (children) {
      return children.size === rootThreads
        ? { threads: rootThreads, allowed: [this.#root], empty }
        : undefined;
    }

    const members = this.#members;
    if (members.kind === 'proc') return undefined;
    const outside: number[] = [];
    for (const [pid, member] of this.#known) {
      if (!member.outside) return undefined;
      outside.push(pid);
    }
    const allowed = [this.#root, ...outside.sort((a, b) => a - b)];
    if (allowed.length > QUIET_LIMITS.allowed) return undefined;
    if (members.kind === 'cgroup-v1')
      return { threads: rootThreads, list: members, allowed, empty };
    const fd = members.procs.fd;
    return fd === undefined ? undefined : { threads: rootThreads, list: { fd }, allowed, empty };
  }

  /**
   * The native thread watches the list from now on. It forgets a pid that leaves the list, so
   * the pid may come back as a descendant: the next read here learns the list afresh.
   */
  handedOff(): void {
    this.#handedOff = true;
  }

  #forgetKnown(): void {
    for (const member of this.#known.values()) close(member);
    this.#known.clear();
    this.#handedOff = false;
  }

  #list(): number[] | undefined {
    const members = this.#members;
    switch (members.kind) {
      case 'proc':
        return readdirSync(members.procRoot)
          .filter((entry) => entry.charCodeAt(0) <= 0x39)
          .map(Number)
          .filter(Number.isInteger);
      case 'cgroup-v1': {
        using procs = PinnedFile.open(members.path);
        const bytes = procs?.read();
        return bytes === undefined ? undefined : parsePidList(bytes);
      }
      case 'cgroup-v2': {
        const bytes = members.procs.read();
        return bytes === undefined ? undefined : parsePidList(bytes);
      }
    }
  }

  /**
   * The root's children as the kernel links them to the thread that forked them, those that
   * exited and wait for the root to reap them included: on a busy machine a parent may take
   * hundreds of ms to reap, and a cgroup's pid list no longer shows them meanwhile.
   */
  #rootChildren(rootThreads: number): number[] {
    const files = this.#childrenFiles;
    if (!files) return [];
    if (files.size !== rootThreads && !this.#openChildrenFiles(files)) return [];

    // An empty file reads as undefined, like one whose thread is gone: the children of an
    // exited thread move to another thread of the root, whose file a new thread count re-opens.
    const children: number[] = [];
    for (const file of files.values()) {
      const bytes = file.read();
      if (bytes !== undefined) children.push(...parseChildPids(bytes));
    }
    return children;
  }

  /** Opens every root thread's children file; false when the root is gone or has none. */
  #openChildrenFiles(files: Map<number, PinnedFile>): boolean {
    for (const file of files.values()) file.close();
    files.clear();
    const tasks = `${this.#procRoot}/${this.#root}/task`;
    let tids: string[];
    try {
      tids = readdirSync(tasks);
    } catch {
      return false;
    }
    for (const tid of tids) {
      const file = PinnedFile.open(`${tasks}/${tid}/children`);
      if (file) files.set(Number(tid), file);
    }
    if (files.size > 0) return true;
    // A kernel without CONFIG_PROC_CHILDREN: the cgroup's list is all there is.
    if (tids.length > 0) this.#childrenFiles = undefined;
    return false;
  }

  #forgetUnlisted(listed: number[]): void {
    const now = new Set(listed);
    for (const [pid, member] of this.#known) {
      if (now.has(pid)) continue;
      close(member);
      this.#known.delete(pid);
    }
    this.#listed = now;
  }

  /** Reads a listed pid: opens it when new, re-opens it when its process was replaced. */
  #refresh(pid: number): void {
    if (pid === this.#root) return;
    const known = this.#known.get(pid);
    if (known?.outside) return;
    if (known?.stat) {
      const bytes = known.stat.read();
      if (bytes !== undefined) {
        this.#update(pid, known, bytes);
        return;
      }
      close(known); // gone: the pid may already name a new process
    }

    const stat = PinnedFile.open(`${this.#procRoot}/${pid}/stat`);
    const bytes = stat?.read();
    if (!stat || bytes === undefined) {
      stat?.close();
      this.#known.delete(pid);
      return;
    }
    const cpu = { totalSeconds: 0, userTicks: 0, systemTicks: 0 };
    const member: Member = {
      stat,
      schedstat: undefined,
      ppid: 0,
      cpu,
      reapedTicks: 0,
      outside: false,
    };
    this.#known.set(pid, member);
    const threads = this.#update(pid, member, bytes);
    if (threads !== 1 || this.#clock) return;
    member.schedstat = PinnedFile.open(`${this.#procRoot}/${pid}/schedstat`);
    this.#readSchedstat(member);
  }

  /** Takes the fields out of a fresh stat read; returns the process's thread count. */
  #update(pid: number, member: Member, bytes: Bytes): number {
    const stat = parseProcPidCounters(bytes);
    member.ppid = stat.ppid;
    const userTicks = stat.utimeTicks + stat.cutimeTicks;
    const systemTicks = stat.stimeTicks + stat.cstimeTicks;
    const totalSeconds = (userTicks + systemTicks) / TICKS_PER_SECOND;
    member.cpu = { totalSeconds, userTicks, systemTicks };
    member.reapedTicks = stat.cutimeTicks + stat.cstimeTicks;
    if (member.schedstat) this.#readSchedstat(member);
    const runNs = this.#clock?.(pid) ?? -1;
    if (runNs >= 0) this.#addExact(member, runNs);
    return stat.threads;
  }

  /**
   * A single-threaded process's run time is its one thread's, which schedstat gives in
   * nanoseconds; stat's utime and stime are each truncated to a tick, so a sum of several
   * live children read through them could be off by a tick per child. A process whose
   * other threads have exited shows more in stat than in schedstat: stat is kept then.
   */
  #readSchedstat(member: Member): void {
    const bytes = member.schedstat?.read();
    if (bytes === undefined) return;
    const runNs = readInteger(bytes, 0);
    if (!Number.isNaN(runNs)) this.#addExact(member, runNs);
  }

  /** Its own run time in ns, plus its reaped children's ticks, where more than stat's ticks. */
  #addExact(member: Member, runNs: number): void {
    const exact = runNs / 1e9 + member.reapedTicks / TICKS_PER_SECOND;
    member.cpu.totalSeconds = Math.max(member.cpu.totalSeconds, exact);
  }

  /**
   * Whether `pid` descends from the root, following parents through the listed members. A
   * process outside the tree never enters it (orphans move up to a subreaper or init, never
   * across), so a "no" that rests on a parent outside the list is kept for good.
   */
  #descends(pid: number, verdicts: Map<number, boolean>): boolean {
    const chain: number[] = [];
    let verdict = false;
    let final = false;
    for (let at = pid; ; ) {
      const known = verdicts.get(at);
      const member = this.#known.get(at);
      if (known !== undefined || member?.outside) {
        verdict = known ?? false;
        final = !verdict && (member?.outside ?? false);
        break;
      }
      if (!member || chain.includes(at)) break;
      chain.push(at);
      if (member.ppid === this.#root) {
        verdict = true;
        break;
      }
      if (!this.#known.has(member.ppid) && !this.#listed.has(member.ppid)) {
        final = true;
        break;
      }
      at = member.ppid;
    }

    for (const at of chain) {
      verdicts.set(at, verdict);
      const member = this.#known.get(at);
      if (!final || !member) continue;
      member.outside = true;
      close(member);
    }
    return verdict;
  }

  [Symbol.dispose](): void {
    for (const member of this.#known.values()) close(member);
    this.#known.clear();
    for (const file of this.#childrenFiles?.values() ?? []) file.close();
    this.#childrenFiles?.clear();
    if (this.#members.kind === 'cgroup-v2') this.#members.procs.close();
  }
}

function close(member: Member): void {
  member.stat?.close();
  member.schedstat?.close();
  member.stat = undefined;
  member.schedstat = undefined;
}
