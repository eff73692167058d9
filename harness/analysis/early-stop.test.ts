import { earlyStopCheck } from './early-stop.ts';
import { loadProfile, recordSeries, STANDARD_PHASES, scenario } from './fixtures/recorded-runs.ts';
import { measureWindow } from './window-stats.ts';

const { decision } = scenario();
const measure = STANDARD_PHASES.find((phase) => phase.name === 'measure') as { startMs: number };

/** Replays the measure window second by second; returns when the check first says stop. */
function firstStop(load: (second: number) => number) {
  const samples = recordSeries(load);
  for (let nowMs = measure.startMs + 1000; nowMs <= measure.startMs + 30_000; nowMs += 1000) {
    const soFar = measureWindow(samples, 'measure', measure.startMs, nowMs);
    const check = earlyStopCheck(soFar.intervals, 0, decision, { target: 'sysbox-fs' });
    if (check.stop) return { afterMs: nowMs - measure.startMs, ...check };
  }
  return undefined;
}

describe('earlyStopCheck', () => {
  it('stops a clear storm once it has been busy for ten seconds', () => {
    const stop = firstStop(loadProfile({ stormFrom: 12 }));

    expect(stop?.afterMs).toBe(11_000);
    expect(stop?.reason).toMatch(
      /^ended early: storm unmistakable: sysbox-fs at or above 20\.0 % of one core for the last 10\.0 s without a break, median 9\d\.\d % vs 0\.0 % baseline$/,
    );
  });

  it('never stops a clean run with a start-up burst inside the window', () => {
    const burstInside = (second: number) => (second >= 30 && second < 35 ? 85 : 0);

    expect(firstStop(burstInside)).toBeUndefined();
  });

  it('waits until a slow-starting storm passes the whole gate', () => {
    const stop = firstStop(loadProfile({ stormFrom: 28 }));

    // Busy from 28 s; at 24.5 + 16 s, 12 of 15 intervals are busy (80 %).
    expect(stop?.afterMs).toBe(16_000);
  });

  it('does not stop on a storm that ended', () => {
    expect(firstStop(loadProfile({ stormFrom: 12, stormUntil: 30 }))).toBeUndefined();
  });

  it('says why it goes on', () => {
    expect(earlyStopCheck([], 0, decision)).toEqual({
      stop: false,
      reason: 'only 0 intervals so far',
    });
  });

  it('needs the busy stretch unbroken', () => {
    const storm = loadProfile({ stormFrom: 12 });
    const samples = recordSeries((second) => (second === 40 ? 'absent' : storm(second)));
    const soFar = measureWindow(samples, 'measure', measure.startMs, 48_000);

    const check = earlyStopCheck(soFar.intervals, 0, decision, { target: 'sysbox-fs' });

    expect(check.stop).toBe(false);
    expect(check.reason).toMatch(/for the last 6\.0 s, 10\.0 s needed$/);
  });
});
