import { readFileSync } from 'node:fs';
import { parseProcPidStat } from '../measure/proc-files.ts';

/**
 * The label naming the harness process that created a container: `<pid>:<start ticks>`. The
 * start time tells a live owner from a later process that was given the same pid.
 */
export const OWNER_LABEL = 'sysbox-repro.owner';

/** This process, as OWNER_LABEL writes it. */
export function ownerOfThisProcess(procRoot = '/proc'): string {
  return `${process.pid}:${startTicks(procRoot, process.pid) ?? 0}`;
}

/**
 * Whether the process an OWNER_LABEL value names still runs. Containers carry it only from
 * the harness on this host, so /proc is the owner's: a missing or malformed value (a
 * container from an older harness) counts as ended.
 */
export function ownerRuns(owner: string | undefined, procRoot = '/proc'): boolean {
  const match = /^(\d+):(\d+)$/.exec(owner ?? '');
  if (!match) return false;
  return startTicks(procRoot, Number(match[1])) === Number(match[2]);
}

function startTicks(procRoot: string, pid: number): number | undefined {
  try {
    return parseProcPidStat(readFileSync(`${procRoot}/${pid}/stat`)).startTicks;
  } catch {
    return undefined;
  }
}
