import { infrastructure } from '../errors/harness-error.ts';
import {
  asBytes,
  type Bytes,
  nextLine,
  readInteger,
  skipBlanks,
  skipToken,
  startsWithWord,
} from './bytes.ts';

/** The counters of /proc/<pid>/stat a sampling round uses; times in clock ticks (USER_HZ). */
export interface ProcPidCounters {
  ppid: number;
  /** All threads of the process, live and exited. */
  utimeTicks: number;
  stimeTicks: number;
  /** Children (and their waited-for descendants) this process has reaped with wait(). */
  cutimeTicks: number;
  cstimeTicks: number;
  threads: number;
  /** Ticks after boot at which the process started; with the pid it names one process. */
  startTicks: number;
}

/** The fields of /proc/<pid>/stat the sampler uses. */
export interface ProcPidStat extends ProcPidCounters {
  pid: number;
  /** The kernel's comm: at most 15 bytes, may hold spaces and parentheses. */
  comm: string;
  state: string;
}

const CLOSING_PAREN = 0x29;
const OPENING_PAREN = 0x28;

// Field numbers from proc(5), counted from 1; comm is field 2 and state field 3.
const PPID = 4;
const UTIME = 14;
const STIME = 15;
const CUTIME = 16;
const CSTIME = 17;
const THREADS = 20;
const START = 22;

/**
 * Parses /proc/<pid>/stat. The comm sits between the first '(' and the LAST ')', because a
 * process may name itself "a) (b" and only the last parenthesis is the kernel's.
 */
export function parseProcPidStat(content: string | Bytes): ProcPidStat {
  const bytes = asBytes(content);
  const counters = parseProcPidCounters(bytes);
  const open = bytes.indexOf(OPENING_PAREN);
  const close = bytes.lastIndexOf(CLOSING_PAREN);
  const stateAt = skipBlanks(bytes, close + 1);
  const stateEnd = skipToken(bytes, stateAt);
  return {
    pid: readInteger(bytes.subarray(0, open - 1), 0),
    comm: Buffer.from(bytes.subarray(open + 1, close)).toString('utf8'),
    state: Buffer.from(bytes.subarray(stateAt, stateEnd)).toString('latin1'),
    ...counters,
  };
}

/**
 * The counters alone, for the rounds that re-read stat many times a second: read in one pass
 * over the fields after the comm, without making a string or an array.
 */
export function parseProcPidCounters(bytes: Bytes): ProcPidCounters {
  const open = bytes.indexOf(OPENING_PAREN);
  const close = bytes.lastIndexOf(CLOSING_PAREN);
  if (open < 1 || close < open) throw malformed('/proc/<pid>/stat', bytes);

  let ppid = Number.NaN;
  let utimeTicks = Number.NaN;
  let stimeTicks = Number.NaN;
  let cutimeTicks = Number.NaN;
  let cstimeTicks = Number.NaN;
  let threads = Number.NaN;
  let startTicks = Number.NaN;
  let at = skipBlanks(bytes, close + 1);
  for (let field = 3; field <= START && at < bytes.length; field++) {
    if (field === PPID) ppid = readInteger(bytes, at);
    else if (field === UTIME) utimeTicks = readInteger(bytes, at);
    else if (field === STIME) stimeTicks = readInteger(bytes, at);
    else if (field === CUTIME) cutimeTicks = readInteger(bytes, at);
    else if (field === CSTIME) cstimeTicks = readInteger(bytes, at);
    else if (field === THREADS) threads = readInteger(bytes, at);
    else if (field === START) startTicks = readInteger(bytes, at);
    at = skipBlanks(bytes, skipToken(bytes, at));
  }

  // NaN where a field is missing or not a number: any NaN makes the sum NaN.
  const sum = ppid + utimeTicks + stimeTicks + cutimeTicks + cstimeTicks + threads + startTicks;
  if (Number.isNaN(sum)) throw malformed('/proc/<pid>/stat', bytes);
  return { ppid, utimeTicks, stimeTicks, cutimeTicks, cstimeTicks, threads, startTicks };
}

/** Busy time of the whole host from the first line of /proc/stat, in clock ticks. */
export interface HostCpuTicks {
  /** user + nice (guest time is already inside user). */
  userTicks: number;
  /** system + irq + softirq. */
  systemTicks: number;
  /** idle + iowait: not counted as use. Steal is neither: the hypervisor ran someone else. */
  idleTicks: number;
}

export function parseHostCpu(content: string | Bytes): HostCpuTicks {
  const bytes = asBytes(content);
  if (!startsWithWord(bytes, 0, 'cpu')) throw malformed('/proc/stat', bytes);

  // cpu  user nice system idle iowait irq softirq steal guest guest_nice
  const columns: number[] = [];
  let at = skipBlanks(bytes, 3);
  const end = nextLine(bytes, 0);
  while (at < end && columns.length < 7) {
    columns.push(readInteger(bytes, at));
    at = skipBlanks(bytes, skipToken(bytes, at));
  }
  const [user, nice, system, idle, iowait, irq, softirq] = columns;
  if (softirq === undefined || columns.some(Number.isNaN)) throw malformed('/proc/stat', bytes);
  return {
    userTicks: (user as number) + (nice as number),
    systemTicks: (system as number) + (irq as number) + softirq,
    idleTicks: (idle as number) + (iowait as number),
  };
}

/** One line of /proc/<pid>/cgroup: `hierarchy-id:controller,list:/path`. */
export interface CgroupMembership {
  hierarchyId: number;
  /** Empty for the cgroup v2 line (`0::/path`); v1 named hierarchies appear as `name=systemd`. */
  controllers: string[];
  path: string;
}

export function parseProcCgroup(content: string): CgroupMembership[] {
  const memberships: CgroupMembership[] = [];
  for (const line of content.split('\n')) {
    if (line === '') continue;
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 1 || second < 0) throw malformed('/proc/<pid>/cgroup', asBytes(line));
    const list = line.slice(first + 1, second);
    memberships.push({
      hierarchyId: Number(line.slice(0, first)),
      controllers: list === '' ? [] : list.split(','),
      path: line.slice(second + 1),
    });
  }
  return memberships;
}

function malformed(file: string, bytes: Bytes) {
  const head = Buffer.from(bytes.subarray(0, 80)).toString('latin1').replaceAll('\n', '\\n');
  return infrastructure(`unexpected ${file} format: "${head}"`);
}

/** /proc/<pid>/task/<tid>/children: the thread's children's pids, each followed by a space. */
export function parseChildPids(content: string | Bytes): number[] {
  const bytes = asBytes(content);
  const pids: number[] = [];
  for (
    let at = skipBlanks(bytes, 0);
    at < bytes.length;
    at = skipBlanks(bytes, skipToken(bytes, at))
  ) {
    const pid = readInteger(bytes, at);
    if (Number.isNaN(pid)) throw malformedChildren(bytes);
    pids.push(pid);
  }
  return pids;
}

function malformedChildren(bytes: Bytes) {
  const head = Buffer.from(bytes.subarray(0, 80)).toString('latin1');
  return infrastructure(`unexpected /proc/<pid>/task/<tid>/children format: "${head}"`);
}
