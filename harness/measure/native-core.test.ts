import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkSamplerCoreSetting, NativeRounds, samplerCore } from './native-core.ts';

// `npm ci` builds the addon; a host without a C compiler sets SYSBOX_REPRO_SAMPLER_CORE=js to
// run the tests on the Node-thread rounds alone, so a failed build never passes unnoticed.
const core = samplerCore();

describe('the native sampling thread', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'sysbox-repro-native-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('is built, unless the Node-thread rounds were asked for', () => {
    if (process.env.SYSBOX_REPRO_SAMPLER_CORE === 'js') return;
    expect(core).toHaveProperty('addon');
  });

  const withAddon = 'addon' in core ? it : it.skip;

  withAddon('re-reads each file from offset 0 on the grid, in the order given', async () => {
    if (!('addon' in core)) return;
    const usage = join(directory, 'cpuacct.usage');
    const stat = join(directory, 'cpuacct.stat');
    writeFileSync(usage, '9319074474018\n');
    writeFileSync(stat, 'user 734131\nsystem 197775\n');
    const fds = [openSync(usage, 'r'), openSync(stat, 'r')];
    const startNs = Number(process.hrtime.bigint());
    const rounds = new NativeRounds(
      core.addon,
      fds.map((fd) => ({ fd, period: 1 })),
      { firstDueNs: startNs + 20e6, intervalNs: 20e6, firstTick: 0 },
      64,
    );
    try {
      await sleep(110);
      writeFileSync(usage, '9319262408293\n');
      await sleep(70);
      expect(rounds.threadCpuSeconds()).toBeGreaterThan(0);
      rounds.stop();
      const taken = rounds.drain();

      expect(taken.length).toBeGreaterThanOrEqual(6);
      const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString();
      expect(text(taken[0]?.files[0])).toBe('9319074474018\n');
      expect(text(taken.at(-1)?.files[0])).toBe('9319262408293\n');
      expect(text(taken[0]?.files[1])).toBe('user 734131\nsystem 197775\n');
      // On the grid: first due 20 ms after the start, then every 20 ms.
      const offsets = taken.map((round) => (round.monoNs - startNs) / 20e6);
      for (const offset of offsets) expect(offset - Math.round(offset)).toBeLessThan(0.5);
      expect(Math.round(offsets[0] as number)).toBeGreaterThanOrEqual(1);
      // Each round names its grid point: the first is due at tick 0, 20 ms after the start.
      for (const [index, round] of taken.entries()) {
        expect(round.tick).toBe(Math.round(offsets[index] as number) - 1);
      }
      expect(rounds.drain()).toEqual([]);
    } finally {
      rounds.stop();
      for (const fd of fds) closeSync(fd);
    }
  });

  withAddon('reads a file with a period only at grid points that are its multiples', async () => {
    if (!('addon' in core)) return;
    const every = join(directory, 'cpuacct.usage');
    const seldom = join(directory, 'stat');
    writeFileSync(every, '9319074474018\n');
    writeFileSync(seldom, 'cpu  2156 0 1929 465790 572 0 32 15 0 0\n');
    const fds = [openSync(every, 'r'), openSync(seldom, 'r')];
    const grid = { firstDueNs: Number(process.hrtime.bigint()), intervalNs: 10e6, firstTick: 7 };
    const rounds = new NativeRounds(
      core.addon,
      [
        { fd: fds[0] as number, period: 1 },
        { fd: fds[1] as number, period: 3 },
      ],
      grid,
      64,
    );
    try {
      await sleep(120);
      rounds.stop();
      const taken = rounds.drain();

      expect(taken.length).toBeGreaterThanOrEqual(6);
      expect(taken[0]?.tick).toBeGreaterThanOrEqual(7);
      for (const round of taken) {
        expect(round.files[0]).toBeDefined();
        expect(round.files[1] !== undefined).toBe(round.tick % 3 === 0);
      }
    } finally {
      rounds.stop();
      for (const fd of fds) closeSync(fd);
    }
  });

  withAddon('records a failed read as no content, not as an empty counter', async () => {
    if (!('addon' in core)) return;
    const rounds = new NativeRounds(
      core.addon,
      [{ fd: 2_000_000, period: 1 }],
      { firstDueNs: Number(process.hrtime.bigint()), intervalNs: 10e6, firstTick: 0 },
      16,
    );
    await sleep(40);
    rounds.stop();
    const taken = rounds.drain();
    expect(taken.length).toBeGreaterThan(0);
    expect(taken.every((round) => round.files[0] === undefined)).toBe(true);
  });

  withAddon('refuses to lose rounds silently when the ring overruns', async () => {
    if (!('addon' in core)) return;
    const path = join(directory, 'cpu.stat');
    writeFileSync(path, 'usage_usec 1\n');
    const fd = openSync(path, 'r');
    const grid = { firstDueNs: Number(process.hrtime.bigint()), intervalNs: 2e6, firstTick: 0 };
    const rounds = new NativeRounds(core.addon, [{ fd, period: 1 }], grid, 4);
    await sleep(40);
    rounds.stop();
    closeSync(fd);
    expect(() => rounds.drain()).toThrow(/ring overran: \d+ rounds, room for 4/);
  });

  it('refuses a SYSBOX_REPRO_SAMPLER_CORE it does not know, as bad input', () => {
    const saved = process.env.SYSBOX_REPRO_SAMPLER_CORE;
    try {
      process.env.SYSBOX_REPRO_SAMPLER_CORE = 'bogus';
      expect(() => checkSamplerCoreSetting()).toThrow(
        expect.objectContaining({
          kind: 'bad-input',
          message: 'SYSBOX_REPRO_SAMPLER_CORE=bogus is neither "js" nor "native"',
        }),
      );
      process.env.SYSBOX_REPRO_SAMPLER_CORE = 'native';
      if ('addon' in core) expect(() => checkSamplerCoreSetting()).not.toThrow();
      else expect(() => checkSamplerCoreSetting()).toThrow(/=native, but/);
    } finally {
      if (saved === undefined) delete process.env.SYSBOX_REPRO_SAMPLER_CORE;
      else process.env.SYSBOX_REPRO_SAMPLER_CORE = saved;
    }
  });
});
