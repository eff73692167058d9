import type { Scenario } from '../scenario/schema.ts';
import { startClock } from './clock.ts';
import { startRunSampler } from './sampling.ts';

/** Only the target matters to the run's sampler. */
const targeting = (target: Scenario['target']) => ({ target }) as Scenario;

describe('the run sampler on this host', () => {
  it('says why a process target that does not exist has no reading', async () => {
    const ctx = { clock: startClock(), intervalMs: 100 };
    await using sampler = await startRunSampler(
      ctx,
      targeting({ kind: 'process', name: `no-such-daemon-${process.pid}` }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(sampler.targetMissing()).toEqual({
      state: 'absent',
      detail: expect.stringMatching(/^no process named "no-such-daemon-\d+"/),
    });
  });

  it('has nothing to say about a target that is there', async () => {
    const ctx = { clock: startClock(), intervalMs: 100 };
    await using sampler = await startRunSampler(ctx, targeting({ kind: 'pid', pid: process.pid }));
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(sampler.targetMissing()).toBeNull();
  });
});
