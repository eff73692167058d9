import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  appendFileSync,
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { NativeRounds, type QuietCheck, samplerCore } from './native-core.ts';

// The quiet rounds of a /proc target (native/quiet-rounds.c), on files in the kernel's layouts:
// a real /proc/<pid>/stat whose comm holds parentheses (1 thread), cgroup.procs, and a thread's
// children file, which is empty while the thread has no child.
const core = samplerCore();
const withAddon = 'addon' in core ? it : it.skip;
const STAT = readFileSync(new URL('./fixtures/proc-pid-stat-parens.txt', import.meta.url), 'utf8');
const ROOT = 9942;
const STRANGER = 4421;

describe('quiet rounds on the native thread', () => {
  let directory: string;
  let fds: number[];
  let rounds: NativeRounds | undefined;
  const wake = { words: new Int32Array(new SharedArrayBuffer(8)), index: 1 };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'sysbox-repro-quiet-'));
    fds = [];
    wake.words.fill(0);
    writeFileSync(join(directory, 'stat'), STAT);
    writeFileSync(join(directory, 'cgroup.procs'), `${ROOT}\n${STRANGER}\n`);
    writeFileSync(join(directory, 'children'), '');
  });
  afterEach(() => {
    rounds?.stop();
    rounds = undefined;
    for (const fd of fds) closeSync(fd);
    rmSync(directory, { recursive: true, force: true });
  });

  const open = (name: string) => {
    const fd = openSync(join(directory, name), 'r');
    fds.push(fd);
    return fd;
  };

  /** Rounds of the stat and this process's clock every 10 ms, under one quiet check. */
  function start(list?: QuietCheck['list'], allowed = [ROOT, STRANGER]): NativeRounds {
    if (!('addon' in core)) throw new Error('no addon');
    const check: QuietCheck = { threads: 1, list, allowed, empty: [open('children')] };
    const grid = { firstDueNs: Number(process.hrtime.bigint()), intervalNs: 10e6, firstTick: 0 };
    const slots = [
      { fd: open('stat'), period: 1 },
      { clockPid: process.pid, period: 1 },
      { liveOf: 'check' as const, period: 1 },
    ];
    rounds = new NativeRounds(core.addon, slots, grid, 256, {
      checks: [{ statSlot: 0, liveSlot: 2, check }],
      wake,
    });
    return rounds;
  }

  /** A real child of this process, for the C part to read; killed when disposed. */
  function spawnChild(command: string, args: string[]) {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    return {
      pid: child.pid as number,
      [Symbol.asyncDispose]: async () => {
        process.kill(-(child.pid as number), 'SIGKILL');
        await once(child, 'exit');
      },
    };
  }

  /** Blocks until the thread bumps the wake word, as the sampling thread sleeps on it. */
  function waitForHandBack(): string {
    if (!('addon' in core)) throw new Error('no addon');
    return core.addon.futexWait(wake.words, wake.index, 0, 2000);
  }

  withAddon('takes rounds while only allowed pids are listed, with the clock as ns', async () => {
    const taken = start({ fd: open('cgroup.procs') });
    await sleep(80);
    const written = taken.drain();
    const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString();

    expect(taken.handedBack).toBe(false);
    expect(written.length).toBeGreaterThanOrEqual(4);
    expect(text(written[0]?.files[0])).toBe(STAT);
    const clocks = written.map((round) => Number(text(round.files[1])));
    expect(clocks.every((ns) => Number.isInteger(ns) && ns > 0)).toBe(true);
    expect(clocks.at(-1)).toBeGreaterThanOrEqual(clocks[0] as number);
    expect(text(written[0]?.files[2])).toBe('0 0 0 0\n');
    expect(wake.words[wake.index]).toBe(0);
  });

  withAddon('hands back at a pid it was not told of, and writes no round for it', async () => {
    const taken = start({ fd: open('cgroup.procs') });
    await sleep(40);
    const before = taken.drain().length;
    appendFileSync(join(directory, 'cgroup.procs'), '9950\n');

    expect(['ok', 'not-equal']).toContain(waitForHandBack());
    expect(wake.words[wake.index]).toBe(1);
    expect(taken.handedBack).toBe(true);
    const last = taken.drain().length;
    await sleep(40);
    expect(taken.drain()).toEqual([]);
    expect(before + last).toBeGreaterThanOrEqual(2);
    expect(taken.threadCpuSeconds()).toBeGreaterThan(0);
  });

  withAddon('with children files alone, sums a childless child and reads no pid list', async () => {
    await using child = spawnChild('sleep', ['30']);
    const taken = start();
    appendFileSync(join(directory, 'cgroup.procs'), '9950\n');
    writeFileSync(join(directory, 'children'), `${child.pid} `);
    await sleep(60);
    expect(taken.handedBack).toBe(false);
    const sums = taken.drain().map((round) => Buffer.from(round.files[2] ?? []).toString());

    // The last rounds saw the child: one process, its ns, its user and system ticks.
    expect(sums.at(-1)).toMatch(/^1 \d+ \d+ \d+\n$/);
  });

  withAddon('hands back at a child that has a child of its own', async () => {
    await using child = spawnChild('sh', ['-c', 'sleep 30 & wait']);
    await sleep(100); // until the shell has forked
    const taken = start();
    writeFileSync(join(directory, 'children'), `${child.pid} `);

    expect(['ok', 'not-equal']).toContain(waitForHandBack());
    expect(taken.handedBack).toBe(true);
  });

  withAddon('hands back when stat shows another thread count', async () => {
    const taken = start({ fd: open('cgroup.procs') });
    await sleep(30);
    writeFileSync(join(directory, 'stat'), STAT.replace(' 20 0 1 0 ', ' 20 0 2 0 '));

    expect(['ok', 'not-equal']).toContain(waitForHandBack());
    expect(taken.handedBack).toBe(true);
  });

  withAddon('forgets an allowed pid that left a v1 list: its return is a stranger', async () => {
    const procs = join(directory, 'cgroup.procs');
    const taken = start({ path: procs });
    writeFileSync(procs, `${ROOT}\n`);
    await sleep(40);
    expect(taken.handedBack).toBe(false);
    appendFileSync(procs, `${STRANGER}\n`);

    expect(['ok', 'not-equal']).toContain(waitForHandBack());
    expect(taken.handedBack).toBe(true);
  });

  withAddon('reads a v1 list afresh each round, by its path', async () => {
    const procs = join(directory, 'cgroup.procs');
    const taken = start({ path: procs }, [ROOT]);
    writeFileSync(procs, `${ROOT}\n`);
    await sleep(40);
    expect(taken.handedBack).toBe(false);
    // A new file at the path: a list kept open would not see it.
    rmSync(procs);
    writeFileSync(procs, `${ROOT}\n9950\n`);

    expect(['ok', 'not-equal']).toContain(waitForHandBack());
    expect(taken.handedBack).toBe(true);
  });
});
