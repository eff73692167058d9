import { jest } from '@jest/globals';
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
});
