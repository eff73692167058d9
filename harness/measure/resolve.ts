import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parsePidList } from './cgroup-files.ts';
import { LiveDescendants, type MemberList } from './descendants.ts';
import { cpuHierarchies, type MeasureEnv } from './environment.ts';
import { cgroupDirectory } from './mountinfo.ts';
import { PinnedFile } from './pinned-file.ts';
import { type CgroupCounters, CgroupProbe, HostProbe, type Probe, ProcessProbe } from './probes.ts';
import { type ProcPidStat, parseProcCgroup } from './proc-files.ts';
import { ownRunTime } from './process-cpu-clock.ts';
import {
  descendsFrom,
  findProcessesByName,
  listProcesses,
  readIfPresent,
  readProcessStat,
} from './processes.ts';
import type { SeriesSpec } from './series-spec.ts';

export type Resolution =
  | { state: 'bound'; probe: Probe }
  | { state: 'absent'; detail: string }
  | { state: 'ambiguous'; detail: string; candidates: number[] };

/** Finds what `spec` names right now and opens its counters. */
export function resolveSeries(spec: SeriesSpec, env: MeasureEnv): Resolution {
  switch (spec.kind) {
    case 'host': {
      const stat = PinnedFile.open(`${env.procRoot}/stat`);
      if (!stat) return { state: 'absent', detail: `${env.procRoot}/stat missing` };
      return { state: 'bound', probe: new HostProbe(stat, env.bootId) };
    }
    case 'cgroup':
      return resolveCgroupPath(env, spec.path);
    case 'pid': {
      const stat = readProcessStat(env, spec.pid);
      if (!stat) return { state: 'absent', detail: `no process with pid ${spec.pid}` };
      return bindProcess(env, stat, spec.via ?? 'auto');
    }
    case 'process': {
      const found = findProcessesByName(env, spec.name);
      const [only] = found;
      if (!only) return { state: 'absent', detail: `no process named "${spec.name}"` };
      if (found.length > 1) {
        const list = found.map((stat) => `${stat.pid} (${stat.comm})`).join(', ');
        return {
          state: 'ambiguous',
          detail: `${found.length} processes named "${spec.name}": ${list}`,
          candidates: found.map((stat) => stat.pid),
        };
      }
      return bindProcess(env, only, spec.via ?? 'auto');
    }
  }
}

function bindProcess(env: MeasureEnv, stat: ProcPidStat, via: 'auto' | 'proc'): Resolution {
  const pinned = PinnedFile.open(`${env.procRoot}/${stat.pid}/stat`);
  if (!pinned) return { state: 'absent', detail: `pid ${stat.pid} exited while being resolved` };
  const cgroups = cpuCgroupsOf(env, stat.pid);
  const service = via === 'proc' ? undefined : serviceCgroupOf(env, stat.pid, cgroups);
  if (!service) {
    const exact = {
      threads: ownRunTime(env, stat.pid),
      descendants: new LiveDescendants(env, stat.pid, memberListOf(env, cgroups)),
    };
    return { state: 'bound', probe: new ProcessProbe(stat.pid, stat.startTicks, pinned, exact) };
  }
  const process = new ProcessProbe(stat.pid, stat.startTicks, pinned);
  const identity = `cgroup ${service.directory} inode ${service.inode}, main ${process.identity}`;
  return {
    state: 'bound',
    probe: new CgroupProbe(service.directory, service.counters, identity, process),
  };
}

/** A process's cgroup in a CPU-accounting hierarchy, as a path and a visible directory. */
interface CpuCgroup {
  version: 1 | 2;
  path: string;
  directory: string;
}

/** The cgroups of `pid` in the cpuacct (v1) and unified (v2) hierarchies that are mounted. */
function cpuCgroupsOf(env: MeasureEnv, pid: number): CpuCgroup[] {
  const content = readIfPresent(`${env.procRoot}/${pid}/cgroup`);
  if (content === undefined) return [];
  const { v1, v2 } = cpuHierarchies(env);

  const cgroups: CpuCgroup[] = [];
  for (const membership of parseProcCgroup(content)) {
    const version = membership.controllers.includes('cpuacct')
      ? 1
      : membership.hierarchyId === 0
        ? 2
        : undefined;
    const mount = version === 1 ? v1 : version === 2 ? v2 : undefined;
    const directory = mount && cgroupDirectory(mount, membership.path);
    if (version && directory) cgroups.push({ version, path: membership.path, directory });
  }
  return cgroups;
}

/**
 * The systemd service cgroup that `pid` runs in, when every process in it is `pid` or one of
 * its descendants: then the cgroup counts exactly the target and the helpers it spawns, exited
 * ones included. A cgroup shared with unrelated processes is not used.
 */
function serviceCgroupOf(env: MeasureEnv, pid: number, cgroups: CpuCgroup[]) {
  for (const { path, directory } of cgroups) {
    if (!basename(path).endsWith('.service') || !onlyTargetTree(env, directory, pid)) continue;
    const bound = openCounters(directory);
    if (bound) return { directory, ...bound };
  }
  return undefined;
}

/** The pid list of the process's cgroup, v2 first; all of /proc when none is mounted. */
function memberListOf(env: MeasureEnv, cgroups: CpuCgroup[]): MemberList {
  const v2 = cgroups.find((cgroup) => cgroup.version === 2);
  const procs = v2 && PinnedFile.open(`${v2.directory}/cgroup.procs`);
  if (procs) return { kind: 'cgroup-v2', procs };

  const v1 = cgroups.find((cgroup) => cgroup.version === 1);
  if (v1 && existsSync(`${v1.directory}/cgroup.procs`)) {
    return { kind: 'cgroup-v1', path: `${v1.directory}/cgroup.procs` };
  }
  return { kind: 'proc', procRoot: env.procRoot };
}

function onlyTargetTree(env: MeasureEnv, directory: string, pid: number): boolean {
  const procs = readIfPresent(`${directory}/cgroup.procs`);
  if (procs === undefined) return false;
  const members = parsePidList(procs);
  const processes = listProcesses(env);
  return members.every((member) => !processes.has(member) || descendsFrom(processes, member, pid));
}

function resolveCgroupPath(env: MeasureEnv, path: string): Resolution {
  const { v1, v2 } = cpuHierarchies(env);
  const candidates = [
    path,
    v1 && cgroupDirectory(v1, path),
    v2 && cgroupDirectory(v2, path),
  ].filter((candidate): candidate is string => candidate !== undefined);

  for (const directory of candidates) {
    const bound = openCounters(directory);
    if (!bound) continue;
    const identity = `cgroup ${directory} inode ${bound.inode}`;
    return { state: 'bound', probe: new CgroupProbe(directory, bound.counters, identity) };
  }
  return { state: 'absent', detail: `no cgroup with CPU counters at ${path}` };
}

/** Opens a cgroup's CPU counters, v2 first; the directory's inode tells a re-created cgroup. */
function openCounters(directory: string): { counters: CgroupCounters; inode: number } | undefined {
  // A file given as the cgroup (its cpuacct.usage, say) has no counters under it.
  const info = statSync(directory, { throwIfNoEntry: false });
  if (!info?.isDirectory()) return undefined;
  const inode = info.ino;

  const cpuStat = PinnedFile.open(`${directory}/cpu.stat`);
  if (cpuStat) {
    const bytes = cpuStat.read();
    const text = bytes && Buffer.from(bytes).toString('latin1');
    if (text?.includes('usage_usec')) return { counters: { version: 2, cpuStat }, inode };
    cpuStat.close(); // a v1 cpu controller's cpu.stat holds throttling counts, not usage
  }

  const usage = PinnedFile.open(`${directory}/cpuacct.usage`);
  if (!usage) return undefined;
  const stat = PinnedFile.open(`${directory}/cpuacct.stat`);
  return { counters: { version: 1, usage, stat }, inode };
}
