import { asBytes } from './bytes.ts';
import { fixture, statLine } from './fixtures/fake-host.ts';
import {
  parseChildPids,
  parseHostCpu,
  parseProcCgroup,
  parseProcPidCounters,
  parseProcPidStat,
} from './proc-files.ts';

describe('parseProcPidStat', () => {
  it('reads the fields of a real /proc/<pid>/stat', () => {
    const stat = parseProcPidStat(fixture('proc-pid-stat-init.txt'));
    expect(stat).toEqual({
      pid: 1,
      comm: 'process_api',
      state: 'S',
      ppid: 0,
      utimeTicks: 107,
      stimeTicks: 491,
      cutimeTicks: 8283,
      cstimeTicks: 3611,
      threads: 16,
      startTicks: 26,
    });
  });

  it('takes the comm up to the last parenthesis when the name has spaces and parentheses', () => {
    const stat = parseProcPidStat(fixture('proc-pid-stat-parens.txt'));
    expect(stat.comm).toBe('a) (b c');
    expect(stat.pid).toBe(9942);
    expect(stat.ppid).toBe(9941);
    expect(stat.startTicks).toBe(111487);
    expect(stat.threads).toBe(1);
  });

  it('keeps a name that looks like stat fields out of the fields', () => {
    const line = statLine({
      pid: 42,
      ppid: 7,
      comm: ') R 1 2 3 (',
      ticks: { utime: 5, stime: 6, cutime: 7, cstime: 8 },
    });
    const stat = parseProcPidStat(line);
    expect(stat).toMatchObject({ comm: ') R 1 2 3 (', ppid: 7, utimeTicks: 5, cstimeTicks: 8 });
  });

  it('rejects a truncated line rather than reading zeros', () => {
    const real = fixture('proc-pid-stat-init.txt');
    expect(() => parseProcPidStat(real.slice(0, 40))).toThrow(/unexpected \/proc\/<pid>\/stat/);
    expect(() => parseProcPidStat('')).toThrow(/unexpected/);
  });
});

describe('parseProcPidCounters', () => {
  it('reads the same counters as the full parse, from bytes', () => {
    for (const name of ['proc-pid-stat-init.txt', 'proc-pid-stat-parens.txt']) {
      const { pid, comm, state, ...counters } = parseProcPidStat(fixture(name));
      expect(parseProcPidCounters(asBytes(fixture(name)))).toEqual(counters);
    }
  });

  it('rejects a field that is not a number', () => {
    const line = fixture('proc-pid-stat-init.txt').replace(' 107 ', ' 1x7 ');
    expect(() => parseProcPidCounters(asBytes(line))).toThrow(/unexpected \/proc\/<pid>\/stat/);
  });
});

describe('parseHostCpu', () => {
  it('sums the busy columns of the first line of a real /proc/stat', () => {
    // cpu  60791 0 20504 133793 895 0 552 7280 0 0
    expect(parseHostCpu(fixture('proc-stat.txt'))).toEqual({
      userTicks: 60791 + 0,
      systemTicks: 20504 + 0 + 552,
      idleTicks: 133793 + 895,
    });
  });

  it('rejects a file that does not start with the cpu line', () => {
    expect(() => parseHostCpu('intr 1 2 3\n')).toThrow(/unexpected \/proc\/stat/);
  });
});

describe('parseProcCgroup', () => {
  it('reads a v1 hybrid membership with named and unified hierarchies', () => {
    const lines = parseProcCgroup(fixture('proc-pid-cgroup-v1-hybrid.txt'));
    expect(lines).toContainEqual({ hierarchyId: 2, controllers: ['cpuacct'], path: '/' });
    expect(lines).toContainEqual({ hierarchyId: 9, controllers: ['name=systemd'], path: '/' });
    expect(lines).toContainEqual({ hierarchyId: 0, controllers: [], path: '/' });
  });

  it('reads the joint cpu,cpuacct hierarchy of systemd on v1', () => {
    const lines = parseProcCgroup(fixture('proc-pid-cgroup-v1-systemd.txt'));
    expect(lines).toContainEqual({
      hierarchyId: 4,
      controllers: ['cpu', 'cpuacct'],
      path: '/system.slice/sysbox-fs.service',
    });
  });

  it('reads the single v2 line', () => {
    expect(parseProcCgroup(fixture('proc-pid-cgroup-v2.txt'))).toEqual([
      { hierarchyId: 0, controllers: [], path: '/system.slice/sysbox-fs.service' },
    ]);
  });
});

describe('parseChildPids', () => {
  it('reads a real children file: pids each followed by a space, no newline', () => {
    expect(parseChildPids(fixture('proc-task-children.txt'))).toEqual([1270, 1271, 1272, 1273]);
  });

  it('reads an empty file (no children) as none', () => {
    expect(parseChildPids('')).toEqual([]);
  });

  it('refuses what is not a pid list', () => {
    expect(() => parseChildPids('12 x3 ')).toThrow('unexpected /proc/<pid>/task/<tid>/children');
  });
});
