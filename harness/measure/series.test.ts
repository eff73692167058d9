import { fakeHost } from './fixtures/fake-host.ts';
import { Series } from './series.ts';

/** A clock that answers the given instants in turn, and counts how often it was asked. */
function scriptedClock(instants: number[]) {
  let asked = 0;
  const now = () => {
    const instant = instants[Math.min(asked, instants.length - 1)] ?? 0;
    asked++;
    return instant;
  };
  return { now, asked: () => asked };
}

function sampleWith(instants: number[][]) {
  const { env, remove } = fakeHost('v2', [{ pid: 1, ppid: 0, comm: 'init' }]);
  try {
    using series = new Series('host', { kind: 'host' }, env, 1000);
    series.resolve(0);
    return instants.map((script) => {
      const clock = scriptedClock(script);
      const sample = series.sample(clock.now);
      return { tMs: sample.tMs, reads: clock.asked() / 2 };
    });
  } finally {
    remove();
  }
}

describe('Series stamps a reading', () => {
  it('halfway through a quick read, taken once', () => {
    expect(sampleWith([[1000, 1002]])).toEqual([{ tMs: 1001, reads: 1 }]);
  });

  it('again when a read was slow (preempted mid-way), keeping the quick one', () => {
    expect(sampleWith([[1000, 1300, 1300, 1301]])).toEqual([{ tMs: 1300.5, reads: 2 }]);
  });

  it('from the quickest of its attempts when every one was slow', () => {
    const attempts = [1000, 1100, 1100, 1150, 1150, 1400];
    expect(sampleWith([attempts])).toEqual([{ tMs: 1125, reads: 3 }]);
  });

  it('against its own usual cost, so an inherently slow read is not repeated for ever', () => {
    const usual = [1000, 1008, 1008, 1016, 1016, 1024];
    expect(sampleWith([usual, [2000, 2008], [3000, 3100, 3100, 3108]])).toEqual([
      { tMs: 1004, reads: 3 },
      { tMs: 2004, reads: 1 },
      { tMs: 3104, reads: 2 },
    ]);
  });
});
