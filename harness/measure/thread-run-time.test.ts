import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ThreadRunTime } from './thread-run-time.ts';

// /proc/<pid>/task/<tid>/schedstat: run time (ns), run-queue wait (ns), timeslices.
const schedstat = (runNs: number) => `${runNs} 5380391 41\n`;

describe('ThreadRunTime', () => {
  let procRoot: string;
  beforeEach(() => {
    procRoot = mkdtempSync(join(tmpdir(), 'sysbox-repro-threads-'));
  });
  afterEach(() => rmSync(procRoot, { recursive: true, force: true }));

  const thread = (tid: number, runNs: number) => {
    mkdirSync(join(procRoot, '812/task', String(tid)), { recursive: true });
    writeFileSync(join(procRoot, '812/task', String(tid), 'schedstat'), schedstat(runNs));
  };

  it('sums the run time of every live thread to the nanosecond', () => {
    thread(812, 1_234_567_891);
    thread(813, 10_000_001);
    using threads = new ThreadRunTime(procRoot, 812);
    expect(threads.read(2)).toBeCloseTo(1.244567892, 9);
  });

  it('lists the threads again when stat counts a different number', () => {
    thread(812, 1_000_000_000);
    using threads = new ThreadRunTime(procRoot, 812);
    expect(threads.read(1)).toBeCloseTo(1, 9);

    thread(900, 500_000_000);
    expect(threads.read(2)).toBeCloseTo(1.5, 9);
  });

  it('answers undefined for a process that is gone', () => {
    using threads = new ThreadRunTime(procRoot, 999);
    expect(threads.read(1)).toBeUndefined();
  });
});
