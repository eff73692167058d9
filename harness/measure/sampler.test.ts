import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakeHost, statLine } from './fixtures/fake-host.ts';
import { SAMPLER_SERIES, startSampler } from './sampler.ts';
import { toIntervals } from './types.ts';

describe('startSampler on a fake host', () => {
  it('records absent, present and the sampler itself, and never turns absence into 0', async () => {
    const { env, remove } = fakeHost('v2', [{ pid: 1, ppid: 0, comm: 'init' }]);
    try {
      const sampler = await startSampler({
        intervalMs: 60_000,
        env,
        series: { target: { kind: 'process', name: 'sysbox-fs' }, host: { kind: 'host' } },
      });
      await sampler.stop();

      expect(sampler.samples('target')).toEqual([
        { tMs: expect.any(Number), state: 'absent', detail: 'no process named "sysbox-fs"' },
      ]);
      expect(sampler.samples('host')[0]?.state).toBe('present');
      expect(sampler.samples(SAMPLER_SERIES)[0]).toMatchObject({
        state: 'present',
        reading: { identity: expect.stringContaining('sampler thread') },
      });
      expect(toIntervals(sampler.samples('target')).intervals).toEqual([]);
    } finally {
      remove();
    }
  });

  it('refuses a name that matches unrelated processes, listing them', async () => {
    const { env, remove } = fakeHost('v2', [
      { pid: 1, ppid: 0, comm: 'init' },
      { pid: 10, ppid: 1, comm: 'sysbox-fs' },
      { pid: 11, ppid: 1, comm: 'sysbox-fs' },
    ]);
    try {
      await expect(
        startSampler({ env, series: { target: { kind: 'process', name: 'sysbox-fs' } } }),
      ).rejects.toThrow('series "target": 2 processes named "sysbox-fs": 10 (sysbox-fs), 11');
    } finally {
      remove();
    }
  });

  it('treats a counter that goes backwards as a new object, not as negative use', async () => {
    const service = '/system.slice/x.service';
    const { env, root, remove } = fakeHost('v2', [], {
      [service]: { procs: [], user: 5e6, system: 0 },
    });
    try {
      const sampler = await startSampler({
        intervalMs: 60_000,
        env,
        series: { unit: { kind: 'cgroup', path: service } },
      });
      const cpuStat = join(root, 'sys/fs/cgroup', service, 'cpu.stat');
      writeFileSync(cpuStat, 'usage_usec 7000000\nuser_usec 7000000\nsystem_usec 0\n');
      sampler.sampleNow();
      writeFileSync(cpuStat, 'usage_usec 1000000\nuser_usec 1000000\nsystem_usec 0\n');
      sampler.sampleNow();
      await sampler.stop();

      const { intervals, restarts } = toIntervals(sampler.samples('unit'));
      expect(intervals.map((interval) => interval.cpuSeconds)).toEqual([2]);
      expect(restarts).toBe(1);
    } finally {
      remove();
    }
  });

  it('rejects intervals below 100 ms', async () => {
    await expect(startSampler({ intervalMs: 50, series: {} })).rejects.toThrow(/below the 100 ms/);
  });
});

// keep the helper honest: the stat lines it writes parse back to what was asked
it('fake host stat lines carry the requested fields', () => {
  expect(statLine({ pid: 5, ppid: 4, comm: 'x y' })).toMatch(/^5 \(x y\) S 4 /);
});
