import type { SeriesSample } from './types.ts';
import { summarizeWindow } from './window.ts';

const present = (tMs: number, totalSeconds: number, identity = 'pid 1 started at tick 5') =>
  ({
    tMs,
    state: 'present',
    reading: {
      tMs,
      totalSeconds,
      userSeconds: null,
      systemSeconds: null,
      source: 'proc',
      identity,
    },
  }) satisfies SeriesSample;

describe('summarizeWindow', () => {
  it('averages the usable intervals inside the window', () => {
    const samples = [present(0, 10), present(1000, 10.5), present(2000, 11.5), present(3000, 20)];
    const summary = summarizeWindow(samples, 0, 2000);
    expect(summary.percent).toBeCloseTo(75, 9);
    expect(summary.cpuSeconds).toBeCloseTo(1.5, 9);
    expect(summary.restarted).toBe(false);
  });

  it('flags a restart even when an absence separates the two processes', () => {
    const samples: SeriesSample[] = [
      present(0, 10),
      present(1000, 11),
      { tMs: 2000, state: 'absent', detail: 'gone' },
      present(3000, 0.1, 'pid 9 started at tick 77'),
      present(4000, 0.6, 'pid 9 started at tick 77'),
    ];
    const summary = summarizeWindow(samples, 0, 4000);
    expect(summary.restarted).toBe(true);
    expect(summary.identities).toHaveLength(2);
    expect(summary.absent).toBe(1);
  });

  it('answers null, not 0, when nothing was measured', () => {
    const samples: SeriesSample[] = [
      { tMs: 0, state: 'absent', detail: 'no process named "sysbox-fs"' },
      { tMs: 1000, state: 'absent', detail: 'no process named "sysbox-fs"' },
    ];
    expect(summarizeWindow(samples, 0, 1000)).toMatchObject({ percent: null, cpuSeconds: null });
  });
});
