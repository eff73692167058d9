import { isHarnessError } from '../errors/harness-error.ts';
import { silentLogger } from '../log/logger.ts';
import { Progress } from '../log/progress.ts';
import { startClock } from './clock.ts';
import { PhaseRecorder } from './phases.ts';

const recorder = (signal: AbortSignal) =>
  new PhaseRecorder(startClock(), new Progress(silentLogger, []), () => {}, signal);

const never = () => new Promise<never>(() => {});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('the phase did not fail');
}

describe('PhaseRecorder with the run signal', () => {
  it('leaves a phase whose step does not return as soon as the run is interrupted', async () => {
    const interrupt = new AbortController();
    const phases = recorder(interrupt.signal);

    const evidence = phases.run('evidence', never);
    interrupt.abort();
    const error = await failure(evidence);

    expect(isHarnessError(error, 'interrupted')).toBe(true);
    expect((error as Error).message).toBe('interrupted during evidence');
    expect(phases.find('evidence')?.note).toBe('interrupted during evidence');
  });

  it('starts no phase once interrupted, except the removal', async () => {
    const interrupt = new AbortController();
    const phases = recorder(interrupt.signal);
    interrupt.abort();
    let probed = false;

    const probe = await failure(
      phases.run('probe', async () => {
        probed = true;
      }),
    );
    const removed = await phases.run('removal', async () => 'removed');

    expect(isHarnessError(probe, 'interrupted')).toBe(true);
    expect(probed).toBe(false);
    expect(removed).toBe('removed');
    expect(phases.phases.map((p) => p.name)).toEqual(['removal']);
  });

  it('returns what the step returns while the run goes on', async () => {
    const phases = recorder(new AbortController().signal);

    expect(await phases.run('settle', async () => 42)).toBe(42);
  });
});
