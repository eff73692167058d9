import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fakeHost } from './fixtures/fake-host.ts';
import { samplerCore } from './native-core.ts';
import { SAMPLER_SERIES, startSampler } from './sampler.ts';

const service = '/system.slice/x.service';
const cpuStat = (usec: number) => `usage_usec ${usec}\nuser_usec ${usec}\nsystem_usec 0\n`;

describe('sampler thread', () => {
  it('shows rounds it took on its own when read, before stop, on the caller clock', async () => {
    const origin = performance.now() - 5000;
    const { sampler, remove } = await samplerOnFakeUnit(100, origin);
    try {
      await sleep(450);
      const before = sampler.now();
      const taken = sampler.samples('unit');

      expect(taken.length).toBeGreaterThanOrEqual(3);
      expect(taken.every((sample) => sample.state === 'present')).toBe(true);
      // times are ms since the caller's origin: 5 s before start, never after the read
      expect(taken[0]?.tMs).toBeGreaterThan(4900);
      expect(taken.at(-1)?.tMs).toBeLessThanOrEqual(before);
      const gaps = taken.slice(1).map((sample, i) => sample.tMs - (taken[i]?.tMs ?? 0));
      expect(Math.min(...gaps)).toBeGreaterThan(50);
      // Its own CPU: a reading per round on a Node thread, one per look at the native rounds.
      const own = sampler
        .samples(SAMPLER_SERIES)
        .flatMap((sample) => (sample.state === 'present' ? [sample.reading.totalSeconds] : []));
      if (sampler.core()?.startsWith('rounds on the native'))
        expect(own.length).toBeGreaterThanOrEqual(2);
      else expect(own.length).toBe(taken.length);
      expect(own.every((total, i) => i === 0 || total >= (own[i - 1] as number))).toBe(true);
    } finally {
      await sampler.stop();
      remove();
    }
  });

  it('takes its rounds at a raised priority where it may, and says at which', async () => {
    const { sampler, remove } = await samplerOnFakeUnit(100);
    try {
      await sleep(350);
      sampler.samples('unit');
      const native = sampler.core()?.startsWith('rounds on the native') ?? false;

      if (process.getuid?.() === 0) {
        expect(sampler.core()).toMatch(/, nice -10$/);
        // The Node sampling thread, and the native one it started, which inherits its nice.
        expect(threadsAtNice(-10)).toBe(native ? 2 : 1);
      } else {
        expect(sampler.core()).toMatch(/, nice \d+, since raising it needs root$/);
      }
    } finally {
      await sampler.stop();
      remove();
    }
  });

  it('keeps its grid when read more often than it samples', async () => {
    const { sampler, remove } = await samplerOnFakeUnit(100);
    try {
      // Each read makes the sampling thread collect what it has (and, on the native thread,
      // must not restart its schedule).
      for (let read = 0; read < 20; read++) {
        await sleep(60);
        sampler.samples('unit');
      }
      const taken = sampler.samples('unit');
      expect(taken.length).toBeGreaterThanOrEqual(10);
      const gaps = taken.slice(1).map((sample, i) => sample.tMs - (taken[i]?.tMs ?? 0));
      expect(Math.max(...gaps)).toBeLessThan(160);
    } finally {
      await sampler.stop();
      remove();
    }
  });

  it('takes a boundary sample before sampleNow returns, with what the file says then', async () => {
    const { env, root, remove } = fakeHost('v2', [], {
      [service]: { procs: [], user: 1e6, system: 0 },
    });
    const sampler = await startSampler({
      intervalMs: 60_000,
      env,
      series: { unit: { kind: 'cgroup', path: service } },
    });
    try {
      const file = join(root, 'sys/fs/cgroup', service, 'cpu.stat');
      writeFileSync(file, cpuStat(3e6));
      const asked = sampler.now();
      sampler.sampleNow();
      writeFileSync(file, cpuStat(9e6));

      const last = sampler.samples('unit').at(-1);
      expect(last?.tMs).toBeGreaterThanOrEqual(asked);
      expect(last?.state === 'present' && last.reading.totalSeconds).toBe(3);
    } finally {
      await sampler.stop();
      remove();
    }
  });

  // On the native thread when built; on the Node thread when a series is unbound (its
  // process may appear any round, so it needs a decision each round).
  it.each([
    ['native', {}],
    ['Node', { daemon: { kind: 'process', name: 'no-such-daemon' } }],
  ] as const)(
    'reads the host at most once a second at 10 Hz on the %s thread, and at boundaries',
    async (thread, extra) => {
      if (thread === 'native' && 'missing' in samplerCore()) return;
      const { env, remove } = fakeHost('v2', [], {
        [service]: { procs: [], user: 1e6, system: 0 },
      });
      const sampler = await startSampler({
        intervalMs: 100,
        env,
        series: { unit: { kind: 'cgroup', path: service }, host: { kind: 'host' }, ...extra },
      });
      try {
        await sleep(2250);
        const boundary = sampler.now();
        sampler.sampleNow();
        const unit = sampler.samples('unit');
        const host = sampler.samples('host');

        expect(sampler.core()).toMatch(new RegExp(`^rounds on (a|the) ${thread}`));
        expect(unit.length).toBeGreaterThanOrEqual(18);
        // Grid points 0, 10 and 20, then the boundary.
        expect(host).toHaveLength(4);
        const gaps = host.slice(1, 3).map((sample, i) => sample.tMs - (host[i]?.tMs ?? 0));
        for (const gap of gaps) expect(gap).toBeGreaterThan(900);
        expect(host.at(-1)?.tMs).toBeGreaterThanOrEqual(boundary);
        expect(host.every((sample) => sample.state === 'present')).toBe(true);
      } finally {
        await sampler.stop();
        remove();
      }
    },
  );

  it('keeps every sample after stop and refuses to sample after it', async () => {
    const { sampler, remove } = await samplerOnFakeUnit(60_000);
    sampler.sampleNow();
    await sampler.stop();
    await sampler.stop();
    remove();

    expect(sampler.samples('unit')).toHaveLength(2);
    expect(sampler.names()).toEqual(['unit', SAMPLER_SERIES]);
    expect(() => sampler.sampleNow()).toThrow('after stop');
  });
});

/** Threads of this process whose nice value (field 19 of their stat) is `nice`. */
function threadsAtNice(nice: number): number {
  return readdirSync('/proc/self/task').filter((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[16]) === nice;
  }).length;
}

/** A sampler on one service cgroup of a fake v2 host that has used 1 s of CPU. */
async function samplerOnFakeUnit(intervalMs: number, origin?: number) {
  const { env, remove } = fakeHost('v2', [], { [service]: { procs: [], user: 1e6, system: 0 } });
  const sampler = await startSampler({
    intervalMs,
    origin,
    env,
    series: { unit: { kind: 'cgroup', path: service } },
  });
  return { sampler, remove };
}
