import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHarnessError } from '../errors/harness-error.ts';
import type { DaemonState } from './daemons.ts';
import { DEBUG_DROP_IN, planDebugLogs, withDebugLogs } from './debug-logs.ts';
import type { SysboxInstallation } from './installation.ts';

// No sysbox-fs unit exists on this project's machines: these tests cover the drop-in file and
// the systemctl argv it would produce, written under a temporary root.
function installation(fs: Partial<DaemonState>): SysboxInstallation {
  const daemon: DaemonState = {
    name: 'sysbox-fs',
    mode: 'systemd-unit',
    unit: {
      name: 'sysbox-fs.service',
      loadState: 'loaded',
      activeState: 'active',
      subState: 'running',
      mainPid: 812,
      execStart: ['/usr/bin/sysbox-fs', '--log-level', 'info', '--log-format=text'],
      fragmentPath: '/lib/systemd/system/sysbox-fs.service',
      dropInPaths: [],
    },
    pids: [812],
    argv: null,
    ...fs,
  };
  return { daemons: { 'sysbox-fs': daemon } } as unknown as SysboxInstallation;
}

describe('planDebugLogs', () => {
  it('replaces ExecStart with the original argv at debug level', () => {
    const plan = planDebugLogs({
      installation: installation({}),
      otherSysboxContainers: [],
      root: '/r',
    });

    expect(plan.dropInPath).toBe(`/r/${DEBUG_DROP_IN}`);
    expect(plan.content.split('\n')).toEqual([
      '# Written by sysbox-repro for one run with --debug-logs; removed when the run ends.',
      '[Service]',
      'ExecStart=',
      'ExecStart=/usr/bin/sysbox-fs --log-format=text --log-level debug',
      '',
    ]);
    expect(plan.enable).toEqual([['daemon-reload'], ['restart', 'sysbox.service']]);
    expect(plan.restore).toEqual(plan.enable);
  });

  it('refuses when other Sysbox containers run or sysbox-fs is not a unit', () => {
    const others = [{ id: 'abc', name: 'ci-runner', image: 'x' }];
    const refuse = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return isHarnessError(error, 'host-not-ready') ? error.message : 'other error';
      }
      return 'no error';
    };

    expect(
      refuse(() =>
        planDebugLogs({ installation: installation({}), otherSysboxContainers: others }),
      ),
    ).toContain('ci-runner');
    expect(
      refuse(() =>
        planDebugLogs({
          installation: installation({ mode: 'process', unit: null }),
          otherSysboxContainers: [],
        }),
      ),
    ).toContain('systemd unit');
  });
});

describe('withDebugLogs', () => {
  it('writes the drop-in for the body and removes it afterwards, even on failure', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sysbox-repro-dropin-'));
    const calls: string[][] = [];
    const options = {
      installation: installation({}),
      otherSysboxContainers: [],
      root,
      systemctl: async (args: string[]) => {
        calls.push(args);
      },
    };
    try {
      const seen = await withDebugLogs(options, async (plan) => readFile(plan.dropInPath, 'utf8'));
      expect(seen).toContain('--log-level debug');
      await expect(stat(join(root, DEBUG_DROP_IN))).rejects.toThrow();

      await expect(
        withDebugLogs(options, async () => {
          throw new Error('run failed');
        }),
      ).rejects.toThrow('run failed');
      await expect(stat(join(root, DEBUG_DROP_IN))).rejects.toThrow();
      expect(calls).toEqual(
        Array(4)
          .fill([['daemon-reload'], ['restart', 'sysbox.service']])
          .flat(),
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
