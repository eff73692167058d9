import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HarnessError, hostNotReady } from '../errors/harness-error.ts';
import { onForcedExit } from '../runtime/forced-exit.ts';
import type { SysboxContainer } from './containers.ts';
import { runHostCommand } from './host-command.ts';
import type { SysboxInstallation } from './installation.ts';

export const DEBUG_DROP_IN = 'etc/systemd/system/sysbox-fs.service.d/sysbox-repro-debug.conf';

/** What raising sysbox-fs to debug for one run writes and runs, and how it is undone. */
export interface DebugLogsPlan {
  dropInPath: string;
  content: string;
  enable: string[][];
  restore: string[][];
}

export interface DebugLogsOptions {
  installation: SysboxInstallation;
  otherSysboxContainers: readonly SysboxContainer[];
  /** Filesystem root the drop-in is written under; `/` except in tests. */
  root?: string;
  /** Runs one systemctl argv; the default runs the host's systemctl. */
  systemctl?: (args: string[]) => Promise<void>;
}

/**
 * The drop-in that restarts sysbox-fs with `--log-level debug`: an empty ExecStart= clears the
 * unit's command, the next sets the original argv with any --log-level replaced. Sysbox is
 * restarted through `sysbox.service`, which binds both daemons, and only when no Sysbox
 * container runs (restarting sysbox-fs under running containers is unsafe).
 */
export function planDebugLogs(options: DebugLogsOptions): DebugLogsPlan {
  const fs = options.installation.daemons['sysbox-fs'];
  const execStart = fs.unit?.execStart;
  if (fs.mode !== 'systemd-unit' || fs.unit === null || !execStart) {
    throw hostNotReady(
      `--debug-logs needs sysbox-fs running as a systemd unit with a known ExecStart: ${fs.mode}`,
      'install Sysbox from its .deb (units sysbox-fs.service, sysbox.service), or drop --debug-logs',
    );
  }
  if (options.otherSysboxContainers.length > 0) {
    const names = options.otherSysboxContainers.map((container) => container.name);
    throw hostNotReady(
      `--debug-logs restarts sysbox-fs, unsafe with ${names.length} Sysbox container(s) running: ` +
        names.join(', '),
      `docker stop ${names.join(' ')}, or drop --debug-logs`,
    );
  }
  const argv = withoutLogLevel(execStart);
  const content = [
    '# Written by sysbox-repro for one run with --debug-logs; removed when the run ends.',
    '[Service]',
    'ExecStart=',
    `ExecStart=${[...argv, '--log-level', 'debug'].map(quoteExecArg).join(' ')}`,
    '',
  ].join('\n');
  const reload = ['daemon-reload'];
  const restart = ['restart', 'sysbox.service'];
  return {
    dropInPath: join(options.root ?? '/', DEBUG_DROP_IN),
    content,
    enable: [reload, restart],
    restore: [reload, restart],
  };
}

/** Runs `body` with sysbox-fs at debug level and restores the unit afterwards, whatever happens. */
export async function withDebugLogs<T>(
  options: DebugLogsOptions,
  body: (plan: DebugLogsPlan) => Promise<T>,
): Promise<T> {
  const plan = planDebugLogs(options);
  const systemctl = options.systemctl ?? runSystemctl;
  const restore = async () => {
    await rm(plan.dropInPath, { force: true });
    for (const args of plan.restore) await systemctl(args);
  };
  const byHand = [`rm ${plan.dropInPath}`, ...plan.restore.map((a) => `systemctl ${a.join(' ')}`)];
  using _forcedExit = onForcedExit(byHand.join(' && '), restore);

  await mkdir(dirname(plan.dropInPath), { recursive: true });
  await writeFile(plan.dropInPath, plan.content, { mode: 0o644 });
  try {
    for (const args of plan.enable) await systemctl(args);
    return await body(plan);
  } finally {
    await restore();
  }
}

function withoutLogLevel(argv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    if (/^--?log-level=/.test(arg)) continue;
    if (/^--?log-level$/.test(arg)) {
      index++;
      continue;
    }
    kept.push(arg);
  }
  return kept;
}

// systemd splits ExecStart on whitespace and honours double quotes with C-style escapes.
function quoteExecArg(arg: string): string {
  if (/^[^\s"'\\]+$/.test(arg)) return arg;
  return `"${arg.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

async function runSystemctl(args: string[]): Promise<void> {
  const outcome = await runHostCommand('systemctl', args, 60_000);
  if (outcome.exitCode !== 0) {
    throw new HarnessError(
      'infrastructure',
      `systemctl ${args.join(' ')} failed (exit ${outcome.exitCode}): ${outcome.stderr.trim()}`,
    );
  }
}
