import type { SeriesSample } from '../measure/types.ts';
import { measureWindow } from './window-stats.ts';

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

describe('measureWindow', () => {
  it('averages the usable intervals inside the window', () => {
    const samples = [present(0, 10), present(1000, 10.5), present(2000, 11.5), present(3000, 20)];
    const window = measureWindow(samples, 'measure', 0, 2000);
    expect(window.stats.meanPercent).toBeCloseTo(75, 9);
    expect(window.stats.cpuSeconds).toBeCloseTo(1.5, 9);
    expect(window.stats.restarts).toBe(0);
  });

  it('flags a restart even when an absence separates the two processes', () => {
    const samples: SeriesSample[] = [
      present(0, 10),
      present(1000, 11),
      { tMs: 2000, state: 'absent', detail: 'gone' },
      present(3000, 0.1, 'pid 9 started at tick 77'),
      present(4000, 0.6, 'pid 9 started at tick 77'),
    ];
    const window = measureWindow(samples, 'measure', 0, 4000);
    expect(window.stats.restarts).toBe(1);
    expect(window.identities).toHaveLength(2);
    expect(window.absent).toBe(1);
  });

  it('answers null, not 0, when nothing was measured', () => {
    const samples: SeriesSample[] = [
      { tMs: 0, state: 'absent', detail: 'no process named "sysbox-fs"' },
      { tMs: 1000, state: 'absent', detail: 'no process named "sysbox-fs"' },
    ];
    expect(measureWindow(samples, 'measure', 0, 1000).stats).toMatchObject({
      medianPercent: null,
      meanPercent: null,
      cpuSeconds: null,
      absentSamples: 2,
      ambiguousSamples: 0,
    });
  });
});
