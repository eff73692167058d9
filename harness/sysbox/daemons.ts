import { readdir, readFile, readlink } from 'node:fs/promises';
import { runHostCommand } from './host-command.ts';

export type SysboxDaemon = 'sysbox-mgr' | 'sysbox-fs';

export interface UnitState {
  name: string;
  loadState: string;
  activeState: string;
  subState: string;
  mainPid: number | null;
  /** argv of the unit's ExecStart, as systemd resolved it (drop-ins applied). */
  execStart: string[] | null;
  fragmentPath: string | null;
  dropInPaths: string[];
}

export interface DaemonState {
  name: SysboxDaemon;
  /** How it runs: a loaded and active systemd unit, bare processes, or not at all. */
  mode: 'systemd-unit' | 'process' | 'not-running';
  unit: UnitState | null;
  /** Daemon processes, without sysbox-fs's short-lived `nsenter` helper children. */
  pids: number[];
  argv: string[] | null;
}

export async function readDaemonState(name: SysboxDaemon): Promise<DaemonState> {
  const [unit, processes] = await Promise.all([readUnit(`${name}.service`), findProcesses(name)]);
  const pids = processes.map((process) => process.pid);
  const main = processes.find((process) => process.pid === unit?.mainPid) ?? processes[0];
  const unitRuns = unit !== null && unit.activeState === 'active' && unit.mainPid !== null;
  return {
    name,
    mode: unitRuns ? 'systemd-unit' : pids.length > 0 ? 'process' : 'not-running',
    unit,
    pids,
    argv: main?.argv ?? unit?.execStart ?? null,
  };
}

/** Null when systemd does not run here or does not know the unit. */
export async function readUnit(name: string): Promise<UnitState | null> {
  const properties = 'LoadState,ActiveState,SubState,MainPID,ExecStart,FragmentPath,DropInPaths';
  const shown = await runHostCommand('systemctl', ['show', name, `--property=${properties}`]);
  if (!shown.found || shown.exitCode !== 0) return null;
  const values = parseSystemctlShow(shown.stdout);
  if (values.LoadState === undefined || values.LoadState === 'not-found') return null;

  const mainPid = Number(values.MainPID ?? 0);
  return {
    name,
    loadState: values.LoadState,
    activeState: values.ActiveState ?? 'unknown',
    subState: values.SubState ?? 'unknown',
    mainPid: mainPid > 0 ? mainPid : null,
    execStart: parseExecStartArgv(values.ExecStart ?? ''),
    fragmentPath: values.FragmentPath || null,
    dropInPaths: (values.DropInPaths ?? '').split(' ').filter(Boolean),
  };
}

export function parseSystemctlShow(output: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const equals = line.indexOf('=');
    if (equals > 0) values[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return values;
}

/**
 * `systemctl show -p ExecStart` prints `{ path=/usr/bin/sysbox-fs ; argv[]=/usr/bin/sysbox-fs
 * --log-level debug ; ignore_errors=no ; ... }`; the argv is split on spaces as systemd
 * joined it.
 */
export function parseExecStartArgv(value: string): string[] | null {
  const match = /argv\[\]=(.*?) ;/.exec(value);
  if (match?.[1] === undefined) return null;
  return match[1].split(' ').filter(Boolean);
}

interface HostProcess {
  pid: number;
  argv: string[];
}

async function findProcesses(name: SysboxDaemon): Promise<HostProcess[]> {
  const found: HostProcess[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() !== name) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const argv = cmdline.split('\0').filter(Boolean);
    if (argv[1] === 'nsenter') continue;
    found.push({ pid: Number(entry), argv });
  }
  return found.sort((a, b) => a.pid - b.pid);
}

/** Where a process's stderr goes: a file path, `socket:[...]`, `pipe:[...]`, or null. */
export async function stderrTarget(pid: number): Promise<string | null> {
  return readlink(`/proc/${pid}/fd/2`).catch(() => null);
}
