import {
  parseCpuacctNanoseconds,
  parseCpuacctStat,
  parseCpuStatV2,
  parsePidList,
} from './cgroup-files.ts';
import { fixture } from './fixtures/fake-host.ts';
import { cgroupDirectory, parseCgroupMounts } from './mountinfo.ts';

describe('cgroup v2 cpu.stat', () => {
  it('reads usage, user and system µs with the cpu controller on', () => {
    expect(parseCpuStatV2(fixture('v2-cpu-stat.txt'))).toEqual({
      usageUsec: 5123456789,
      userUsec: 3100000000,
      systemUsec: 2023456789,
    });
  });

  it('reads the controller-less cpu.stat of a real hybrid host', () => {
    expect(parseCpuStatV2(fixture('v2-cpu-stat-no-controller.txt'))).toEqual({
      usageUsec: 818517387,
      userUsec: 607943506,
      systemUsec: 210573881,
    });
  });

  it('rejects a v1 cpu controller cpu.stat, which has throttling counts only', () => {
    expect(() => parseCpuStatV2(fixture('v1-cpu-controller-cpu-stat.txt'))).toThrow(
      /unexpected cgroup cpu.stat/,
    );
  });
});

describe('cgroup v1 cpuacct', () => {
  it('reads the nanosecond counters', () => {
    expect(parseCpuacctNanoseconds(fixture('v1-cpuacct.usage.txt'))).toBe(834419451806);
    expect(parseCpuacctNanoseconds(fixture('v1-cpuacct.usage_user.txt'))).toBe(607931506210);
    expect(parseCpuacctNanoseconds(fixture('v1-cpuacct.usage_sys.txt'))).toBe(210569881691);
  });

  it('reads cpuacct.stat in ticks', () => {
    expect(parseCpuacctStat(fixture('v1-cpuacct.stat.txt'))).toEqual({
      userTicks: 61976,
      systemTicks: 21466,
    });
  });

  it('rejects an empty read instead of answering 0', () => {
    expect(() => parseCpuacctNanoseconds('')).toThrow(/unexpected cgroup cpuacct.usage/);
  });
});

describe('cgroup.procs', () => {
  it('reads one pid per line, an empty cgroup as none', () => {
    expect(parsePidList('812\n901\n4194304\n')).toEqual([812, 901, 4194304]);
    expect(parsePidList(Buffer.from('1\n'))).toEqual([1]);
    expect(parsePidList('')).toEqual([]);
  });
});

describe('mountinfo', () => {
  it('finds the separate cpuacct and unified mounts of this hybrid host', () => {
    const mounts = parseCgroupMounts(fixture('mountinfo-v1-hybrid.txt'));
    expect(mounts.find((m) => m.controllers.includes('cpuacct'))).toEqual({
      version: 1,
      mountPoint: '/sys/fs/cgroup/cpuacct',
      root: '/',
      controllers: ['cpuacct'],
    });
    expect(mounts.filter((m) => m.version === 2).map((m) => m.mountPoint)).toEqual([
      '/sys/fs/cgroup/unified',
    ]);
  });

  it('finds the joint cpu,cpuacct hierarchy of systemd on v1', () => {
    const mounts = parseCgroupMounts(fixture('mountinfo-v1-systemd.txt'));
    const cpuacct = mounts.find((m) => m.controllers.includes('cpuacct'));
    expect(cpuacct?.mountPoint).toBe('/sys/fs/cgroup/cpu,cpuacct');
    expect(cpuacct?.controllers).toEqual(['cpu', 'cpuacct']);
  });

  it('finds the v2 tree of current Ubuntu', () => {
    const mounts = parseCgroupMounts(fixture('mountinfo-v2.txt'));
    expect(mounts).toEqual([
      { version: 2, mountPoint: '/sys/fs/cgroup', root: '/', controllers: [] },
    ]);
  });

  it('decodes octal escapes and maps paths below a namespaced root', () => {
    const line = '50 31 0:40 /docker/abc /sys/fs/cgroup/my\\040dir rw - cgroup2 cgroup2 rw';
    const [mount] = parseCgroupMounts(line);
    expect(mount?.mountPoint).toBe('/sys/fs/cgroup/my dir');
    if (!mount) throw new Error('no mount');
    expect(cgroupDirectory(mount, '/docker/abc/init.scope')).toBe(
      '/sys/fs/cgroup/my dir/init.scope',
    );
    expect(cgroupDirectory(mount, '/docker/abc')).toBe('/sys/fs/cgroup/my dir');
    expect(cgroupDirectory(mount, '/system.slice')).toBeUndefined();
  });
});
