import { jest } from '@jest/globals';
import { onForcedExit } from '../runtime/forced-exit.ts';
import { interruptOnSignals } from './interrupt.ts';

describe('interruptOnSignals', () => {
  const quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  afterAll(() => quiet.mockRestore());

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    'turns a first %s into an abort that names it, and lets go of the signal when disposed',
    (name) => {
      const before = process.listenerCount(name);
      {
        using interrupt = interruptOnSignals();
        expect(process.listenerCount(name)).toBe(before + 1);

        process.emit(name, name);

        expect(interrupt.signal.aborted).toBe(true);
        expect(String(interrupt.signal.reason)).toContain(`interrupted by ${name}`);
      }
      expect(process.listenerCount(name)).toBe(before);
    },
  );

  it('on a second signal runs the forced-exit steps, then exits 130', async () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    let removed = false;
    using _step = onForcedExit('docker rm -f c3', async () => {
      removed = true;
    });
    using interrupt = interruptOnSignals();

    process.emit('SIGINT', 'SIGINT');
    expect(removed).toBe(false);
    process.emit('SIGTERM', 'SIGTERM');
    await new Promise((resolve) => setImmediate(resolve));

    expect(interrupt.signal.aborted).toBe(true);
    expect(removed).toBe(true);
    expect(exit).toHaveBeenCalledWith(130);
    exit.mockRestore();
  });

  it('on a third signal exits at once and names what was not done', async () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    quiet.mockClear();
    using _step = onForcedExit('docker rm -f c4', () => new Promise(() => {}));
    using _interrupt = interruptOnSignals(20);

    for (const name of ['SIGINT', 'SIGINT', 'SIGINT'] as const) process.emit(name, name);

    expect(exit).toHaveBeenCalledWith(130);
    expect(quiet.mock.calls.map(([text]) => String(text))).toContain(
      'sysbox-repro: not done: docker rm -f c4\n',
    );
    await new Promise((resolve) => setTimeout(resolve, 40)); // the second signal's budget
    exit.mockRestore();
  });
});
