import { jest } from '@jest/globals';
import { isHarnessError } from '../errors/harness-error.ts';
import type { Logger } from '../log/logger.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { RunSampler } from './sampling.ts';
import { checkTargetAfterBaseline } from './target-check.ts';

type Missing = ReturnType<RunSampler['targetMissing']>;

function check(target: Scenario['target'], missing: Missing) {
  const warn = jest.fn();
  const sampler = { targetName: 'the target', targetMissing: () => missing } as RunSampler;
  const scenario = { id: 's', target } as Scenario;
  let error: unknown;
  try {
    checkTargetAfterBaseline({ logger: { warn } as unknown as Logger }, scenario, sampler);
  } catch (caught) {
    error = caught;
  }
  return { error, warned: warn.mock.calls.length > 0 };
}

const absent = { state: 'absent', detail: 'no such pid' } as const;

describe('the target after the baseline', () => {
  it('stops the scenario when a pid or cgroup target is not there: a typo, not a wait', () => {
    for (const target of [
      { kind: 'pid', pid: 999_999 },
      { kind: 'cgroup', path: '/nonexistent/x' },
    ] as const) {
      const { error } = check(target, absent);

      expect(isHarnessError(error, 'bad-input')).toBe(true);
      expect((error as Error).message).toBe(
        'target the target is not there after the baseline: no such pid',
      );
    }
  });

  it('stops it when a name matches several processes, listing them', () => {
    const several = { state: 'ambiguous', detail: '2 processes named "x": 10, 11' } as const;

    const { error } = check({ kind: 'process', name: 'x' }, several);

    expect(isHarnessError(error, 'bad-input')).toBe(true);
    expect((error as Error).message).toContain('2 processes named "x": 10, 11');
  });

  it('only warns about a process missing by name, which the container may bring', () => {
    const result = check({ kind: 'process', name: 'containerd-shim' }, absent);

    expect(result).toEqual({ error: undefined, warned: true });
  });

  it('says nothing about a target that is there', () => {
    expect(check({ kind: 'pid', pid: 1 }, null)).toEqual({ error: undefined, warned: false });
  });
});
