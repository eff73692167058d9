import { readFileSync } from 'node:fs';
import { type ProcPidStat, parseProcPidStat } from '../measure/proc-files.ts';

/** How often a run started through npm checks that npm is still there. */
const POLL_MS = 1000;

/** How far up the process tree npm is looked for: npm runs a bin through `sh -c`. */
const MAX_DEPTH = 3;

/**
 * npm (npx, npm run) answers a signal sent to it alone by exiting at once: a SIGTERM reaches
 * its `sh -c` child, which dies without passing it on, and a SIGINT or SIGHUP reaches no one.
 * Either way the run would go on unseen, to be killed outright later by a CI job's cleanup,
 * leaving containers. A run npm started watches npm itself and calls onExit when it is gone.
 */
export function watchNpmLauncher(onExit: () => void): NodeJS.Timeout | undefined {
  if (process.env.npm_command === undefined) return undefined;
  const npm = findNpm();
  const poll = setInterval(() => {
    if (isAlive(npm)) return;
    clearInterval(poll);
    onExit();
  }, POLL_MS);
  poll.unref();
  return poll;
}

interface Watched {
  pid: number;
  /** A pid reused by a new process has another start time. */
  startTicks: number | undefined;
}

/** The nearest ancestor that is npm (its title starts "npm"), else the parent. */
function findNpm(): Watched {
  let pid = process.ppid;
  for (let depth = 0; depth < MAX_DEPTH && pid > 1; depth++) {
    const stat = readStat(pid);
    if (stat === undefined) break;
    if (readCmdline(pid).startsWith('npm')) return { pid, startTicks: stat.startTicks };
    pid = stat.ppid;
  }
  return { pid: process.ppid, startTicks: readStat(process.ppid)?.startTicks };
}

function isAlive(watched: Watched): boolean {
  if (watched.pid === process.ppid) return true;
  const stat = readStat(watched.pid);
  return stat !== undefined && stat.startTicks === watched.startTicks && stat.state !== 'Z';
}

function readStat(pid: number): ProcPidStat | undefined {
  try {
    return parseProcPidStat(readFileSync(`/proc/${pid}/stat`));
  } catch {
    return undefined; // gone, or not readable: either way not a launcher to watch
  }
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}
