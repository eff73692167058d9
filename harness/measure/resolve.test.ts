import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerCgroupPath } from './cgroup-path.ts';
import { fakeHost, type Layout } from './fixtures/fake-host.ts';
import { resolveSeries } from './resolve.ts';

const SERVICE = '/system.slice/sysbox-fs.service';
const ticks = { utime: 300, stime: 100, cutime: 20, cstime: 5 };
const small = { utime: 10, stime: 1, cutime: 0, cstime: 0 };

// sysbox-fs (812) and one of its short-lived helpers (901), re-executed under the same name.
const sysboxFs = (cgroup: string) => [
  { pid: 1, ppid: 0, comm: 'init' },
  { pid: 812, ppid: 1, comm: 'sysbox-fs', cgroup, ticks },
  { pid: 901, ppid: 812, comm: 'sysbox-fs', cgroup, ticks },
];

describe.each<Layout>(['v2', 'v1-systemd'])('resolveSeries on a %s host', (layout) => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  const host = (...args: Parameters<typeof fakeHost> extends [Layout, ...infer R] ? R : never) => {
    const made = fakeHost(layout, ...args);
    cleanups.push(made.remove);
    return made;
  };

  it('measures sysbox-fs.service through its cgroup, helpers included', () => {
    // v2 counts µs, v1 ns
    const scale = layout === 'v2' ? 1e6 : 1e9;
    const { env } = host(sysboxFs(SERVICE), {
      [SERVICE]: { procs: [812, 901], user: 7 * scale, system: 2 * scale },
    });
    const resolution = resolveSeries({ kind: 'process', name: 'sysbox-fs' }, env);
    if (resolution.state !== 'bound') throw new Error(JSON.stringify(resolution));

    const reading = resolution.probe.read(5);
    expect(reading).toMatchObject({
      tMs: 5,
      totalSeconds: 9,
      userSeconds: 7,
      systemSeconds: 2,
      source: layout === 'v2' ? 'cgroup-v2' : 'cgroup-v1',
    });
    expect(reading?.identity).toMatch(/sysbox-fs\.service inode \d+, main pid 812 started at/);
  });

  it('falls back to /proc when the service cgroup also holds unrelated processes', () => {
    const processes = [...sysboxFs(SERVICE), { pid: 950, ppid: 1, comm: 'other', cgroup: SERVICE }];
    const { env } = host(processes, { [SERVICE]: { procs: [812, 901, 950], user: 1, system: 1 } });
    const resolution = resolveSeries({ kind: 'process', name: 'sysbox-fs' }, env);
    if (resolution.state !== 'bound') throw new Error(JSON.stringify(resolution));

    // 812's own and reaped ticks plus those of its live helper 901; 950 is not its child.
    expect(resolution.probe.read(0)).toMatchObject({
      totalSeconds: (2 * (300 + 100 + 20 + 5)) / 100,
      userSeconds: (2 * (300 + 20)) / 100,
      systemSeconds: (2 * (100 + 5)) / 100,
      source: 'proc',
      identity: 'pid 812 started at tick 1812',
    });
  });

  it('adds live descendants at any depth through /proc, and nothing outside the tree', () => {
    const processes = [
      { pid: 1, ppid: 0, comm: 'init' },
      { pid: 700, ppid: 1, comm: 'shell', ticks: small },
      { pid: 812, ppid: 700, comm: 'sysbox-fs', ticks },
      { pid: 901, ppid: 812, comm: 'helper', ticks: small },
      { pid: 902, ppid: 901, comm: 'grandchild', ticks: small },
      { pid: 950, ppid: 700, comm: 'sibling', ticks: small },
      { pid: 951, ppid: 950, comm: 'nephew', ticks: small },
    ];
    const { env } = host(processes);
    const resolution = resolveSeries({ kind: 'pid', pid: 812, via: 'proc' }, env);
    if (resolution.state !== 'bound') throw new Error(JSON.stringify(resolution));

    for (const tMs of [0, 1]) {
      expect(resolution.probe.read(tMs)).toMatchObject({
        userSeconds: (300 + 20 + 2 * 10) / 100,
        systemSeconds: (100 + 5 + 2 * 1) / 100,
      });
    }
  });

  it("adds the target's exited children that wait to be reaped, gone from the cgroup's list", () => {
    const unreaped = { pid: 903, ppid: 812, comm: 'sysbox-fs', cgroup: SERVICE };
    const processes = [...sysboxFs(SERVICE).slice(0, 2), { ...unreaped, ticks: small }];
    const { env, root } = host(processes, { [SERVICE]: { procs: [812], user: 1, system: 1 } });
    const task = join(root, 'proc/812/task/812');
    mkdirSync(task, { recursive: true });
    writeFileSync(join(task, 'children'), '903 ');
    const resolution = resolveSeries({ kind: 'pid', pid: 812, via: 'proc' }, env);
    if (resolution.state !== 'bound') throw new Error(JSON.stringify(resolution));

    expect(resolution.probe.read(0)).toMatchObject({
      userSeconds: (300 + 20 + 10) / 100,
      systemSeconds: (100 + 5 + 1) / 100,
    });
  });

  it('uses /proc when asked to, even inside a service cgroup', () => {
    const { env } = host(sysboxFs(SERVICE), {
      [SERVICE]: { procs: [812, 901], user: 1, system: 1 },
    });
    const resolution = resolveSeries({ kind: 'pid', pid: 812, via: 'proc' }, env);
    expect(resolution.state === 'bound' && resolution.probe.read(0)?.source).toBe('proc');
  });

  it('lists the candidates when unrelated processes share the name', () => {
    const processes = [...sysboxFs('/'), { pid: 2000, ppid: 1, comm: 'sysbox-fs' }];
    const { env } = host(processes);
    expect(resolveSeries({ kind: 'process', name: 'sysbox-fs' }, env)).toEqual({
      state: 'ambiguous',
      detail: '2 processes named "sysbox-fs": 812 (sysbox-fs), 2000 (sysbox-fs)',
      candidates: [812, 2000],
    });
  });

  it('reports an absent target as absent', () => {
    const { env } = host([{ pid: 1, ppid: 0, comm: 'init' }]);
    expect(resolveSeries({ kind: 'process', name: 'sysbox-fs' }, env)).toEqual({
      state: 'absent',
      detail: 'no process named "sysbox-fs"',
    });
    expect(resolveSeries({ kind: 'pid', pid: 4242 }, env)).toEqual({
      state: 'absent',
      detail: 'no process with pid 4242',
    });
    expect(resolveSeries({ kind: 'cgroup', path: '/docker/gone' }, env).state).toBe('absent');
  });

  it('skips a process that exited between listing and reading', () => {
    const { env } = host([
      { pid: 1, ppid: 0, comm: 'init' },
      { pid: 812, ppid: 1, comm: 'sysbox-fs' },
      { pid: 813, ppid: 1, comm: 'sysbox-fs' },
    ]);
    rmSync(join(env.procRoot, '813', 'stat'));
    const resolution = resolveSeries({ kind: 'process', name: 'sysbox-fs' }, env);
    expect(resolution.state === 'bound' && resolution.probe.read(0)?.identity).toBe(
      'pid 812 started at tick 1812',
    );
  });

  it('matches names longer than the 15-byte comm through argv[0]', () => {
    const { env } = host([
      { pid: 1, ppid: 0, comm: 'init' },
      {
        pid: 300,
        ppid: 1,
        comm: 'containerd-shim',
        cmdline: ['/usr/bin/containerd-shim-runc-v2', '-namespace', 'moby'],
      },
      { pid: 301, ppid: 1, comm: 'containerd-shim', cmdline: ['/usr/bin/containerd-shim'] },
    ]);
    const resolution = resolveSeries({ kind: 'process', name: 'containerd-shim-runc-v2' }, env);
    expect(resolution.state === 'bound' && resolution.probe.read(0)?.identity).toMatch(/^pid 300 /);
  });

  it('finds a cgroup by its path in the hierarchy and a container by its id', async () => {
    const id = 'c0ffee'.padEnd(64, '0');
    const path = layout === 'v2' ? `/system.slice/docker-${id}.scope` : `/docker/${id}`;
    const { env } = host([], { [path]: { procs: [], user: 3e6, system: 1e6 } });

    const directory = await containerCgroupPath(id.slice(0, 12), env);
    expect(directory.endsWith(path)).toBe(true);
    const byDirectory = resolveSeries({ kind: 'cgroup', path: directory }, env);
    const byPath = resolveSeries({ kind: 'cgroup', path }, env);
    if (byDirectory.state !== 'bound' || byPath.state !== 'bound') throw new Error('unbound');
    expect(byPath.probe.read(0)?.totalSeconds).toBe(byDirectory.probe.read(0)?.totalSeconds);
    await expect(containerCgroupPath('deadbeef', env)).rejects.toThrow(/no cgroup found/);
  });

  it('calls a cgroup path that names a file absent, as it does a missing one', () => {
    const path = layout === 'v2' ? '/system.slice/load.scope' : '/load';
    const { env } = host([], { [path]: { procs: [], user: 3e6, system: 1e6 } });
    const bound = resolveSeries({ kind: 'cgroup', path }, env);
    if (bound.state !== 'bound') throw new Error('unbound');
    const counter = layout === 'v2' ? 'cpu.stat' : 'cpuacct.usage';

    // A counter file, or any file, given where a cgroup directory belongs.
    expect(resolveSeries({ kind: 'cgroup', path: `${path}/${counter}` }, env)).toEqual({
      state: 'absent',
      detail: `no cgroup with CPU counters at ${path}/${counter}`,
    });
  });
});
