import { type DaemonState, stderrTarget } from './daemons.ts';

/** Where sysbox-fs writes its log, at which level and in which format. */
export interface FsLogSetup {
  destination: 'journal' | 'file' | 'unknown';
  /** The file for `file`; for `journal` the unit. */
  path: string | null;
  level: string;
  format: 'text' | 'json';
  /** From the daemon's argv (unit ExecStart or /proc cmdline) or sysbox-fs defaults. */
  levelFrom: 'argv' | 'default';
  detail: string;
}

/** Reads `--log`, `--log-level` and `--log-format` (also `-flag` and `flag=value` forms). */
export function readLogFlags(argv: readonly string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let index = 1; index < argv.length; index++) {
    const match = /^--?(log|log-level|log-format)(?:=(.*))?$/.exec(argv[index] ?? '');
    if (match?.[1] === undefined) continue;
    const value = match[2] ?? argv[index + 1] ?? '';
    if (match[2] === undefined) index++;
    flags[match[1]] = value;
  }
  return flags;
}

export async function readFsLogSetup(fs: DaemonState): Promise<FsLogSetup | null> {
  if (fs.mode === 'not-running' || fs.argv === null) return null;
  const flags = readLogFlags(fs.argv);
  const level = flags['log-level'] || 'info';
  const format = flags['log-format'] === 'json' ? 'json' : 'text';
  const levelFrom = flags['log-level'] ? 'argv' : 'default';
  const file = flags.log;

  if (file && !['/dev/stdout', '/dev/stderr'].includes(file)) {
    return { destination: 'file', path: file, level, format, levelFrom, detail: `--log ${file}` };
  }
  if (fs.mode === 'systemd-unit' && fs.unit !== null) {
    const detail = `stderr of ${fs.unit.name}: journalctl -u ${fs.unit.name}`;
    return { destination: 'journal', path: fs.unit.name, level, format, levelFrom, detail };
  }
  const pid = fs.pids[0];
  const target = pid === undefined ? null : await stderrTarget(pid);
  if (target?.startsWith('/') && !target.startsWith('/dev/')) {
    const detail = `stderr of pid ${pid} goes to ${target}`;
    return { destination: 'file', path: target, level, format, levelFrom, detail };
  }
  const detail = `stderr of pid ${pid} goes to ${target ?? 'an unreadable target'}`;
  return { destination: 'unknown', path: null, level, format, levelFrom, detail };
}
