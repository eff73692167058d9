import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { MeasureEnv } from './environment.ts';
import { isGone } from './pinned-file.ts';
import { type ProcPidStat, parseProcPidStat } from './proc-files.ts';

/** The kernel keeps at most 15 bytes of a process name in comm. */
const COMM_LENGTH = 15;

/** /proc/<pid>/stat of every process; ones that exit between listing and reading are skipped. */
export function listProcesses(env: MeasureEnv): Map<number, ProcPidStat> {
  const processes = new Map<number, ProcPidStat>();
  for (const entry of readdirSync(env.procRoot)) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcessStat(env, Number(entry));
    if (stat) processes.set(stat.pid, stat);
  }
  return processes;
}

export function readProcessStat(env: MeasureEnv, pid: number): ProcPidStat | undefined {
  const content = readIfPresent(`${env.procRoot}/${pid}/stat`);
  return content === undefined ? undefined : parseProcPidStat(content);
}

/**
 * Processes called `name`, without the descendants of another match: a daemon that forks or
 * re-executes itself for short-lived helpers is one target, not several.
 */
export function findProcessesByName(env: MeasureEnv, name: string): ProcPidStat[] {
  const processes = listProcesses(env);
  const matches = [...processes.values()].filter(
    (stat) => stat.pid !== env.selfPid && isNamed(env, stat, name),
  );
  const matched = new Set(matches.map((stat) => stat.pid));
  return matches
    .filter((stat) => !hasAncestorIn(processes, stat, matched))
    .sort((a, b) => a.pid - b.pid);
}

function isNamed(env: MeasureEnv, stat: ProcPidStat, name: string): boolean {
  if (name.length <= COMM_LENGTH) return stat.comm === name;
  if (stat.comm !== name.slice(0, COMM_LENGTH)) return false;

  const cmdline = readIfPresent(`${env.procRoot}/${stat.pid}/cmdline`);
  const argv0 = cmdline?.split('\0')[0] ?? '';
  return basename(argv0) === name;
}

function hasAncestorIn(
  processes: Map<number, ProcPidStat>,
  stat: ProcPidStat,
  pids: Set<number>,
): boolean {
  const seen = new Set<number>();
  for (let parent = processes.get(stat.ppid); parent; parent = processes.get(parent.ppid)) {
    if (pids.has(parent.pid)) return true;
    if (seen.has(parent.pid)) return false;
    seen.add(parent.pid);
  }
  return false;
}

/** Whether `pid` is `ancestor` or descends from it. */
export function descendsFrom(
  processes: Map<number, ProcPidStat>,
  pid: number,
  ancestor: number,
): boolean {
  const seen = new Set<number>();
  for (let stat = processes.get(pid); stat; stat = processes.get(stat.ppid)) {
    if (stat.pid === ancestor) return true;
    if (seen.has(stat.pid)) return false;
    seen.add(stat.pid);
  }
  return false;
}

export function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}
