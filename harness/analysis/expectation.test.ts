import type { Expectation } from '../scenario/schema.ts';
import { expectationOutcome, matchExpectation } from './expectation.ts';

const byVersion: Expectation[] = [
  { sysbox: '<0.6.5', verdict: 'storm', probe: 'hangs' },
  { sysbox: '>=0.6.5', verdict: 'clean', probe: 'returns' },
];
const anyHost: Expectation[] = [{ sysbox: '*', verdict: 'clean', probe: 'returns' }];

describe('matchExpectation', () => {
  it('picks the range that holds the host version', () => {
    const result = matchExpectation(byVersion, '0.6.6', 'sysbox-runc', {
      verdict: 'clean',
      probe: 'returned',
    });

    expect(result).toEqual({
      result: 'pass',
      sysboxVersion: '0.6.6',
      range: '>=0.6.5',
      expected: 'verdict clean, probe returned',
      observed: 'verdict clean, probe returned',
      reason: 'verdict: clean as expected; probe: returned as expected',
    });
  });

  it('reads a package-style version', () => {
    const result = matchExpectation(byVersion, '0.6.4-0.linux', 'sysbox-runc', {
      verdict: 'storm',
      probe: 'hung',
    });

    expect(result.range).toBe('<0.6.5');
    expect(result.result).toBe('pass');
  });

  it('fails on a mismatch and names it, even when another check is undecided', () => {
    const result = matchExpectation(byVersion, '0.6.5', 'sysbox-runc', {
      verdict: 'inconclusive',
      probe: 'hung',
    });

    expect(result.result).toBe('fail');
    expect(result.reason).toBe(
      'probe: expected returned, got hung; verdict: expected clean, got inconclusive',
    );
    expect(expectationOutcome(result)).toBe('regression');
  });

  it('is inconclusive when the verdict is, or the probe did not run', () => {
    const undecided = matchExpectation(byVersion, '0.6.5', 'sysbox-runc', {
      verdict: 'inconclusive',
    });
    const notRun = matchExpectation(byVersion, '0.6.5', 'sysbox-runc', {
      verdict: 'clean',
      probe: 'not-run',
    });

    expect(undecided.result).toBe('inconclusive');
    expect(undecided.reason).toBe(
      'verdict: expected clean, got inconclusive; probe: expected returned, got nothing recorded',
    );
    expect(notRun.result).toBe('inconclusive');
    expect(expectationOutcome(notRun)).toBe('inconclusive');
  });

  it('checks the verdict before a live workaround', () => {
    const live: Expectation[] = [{ sysbox: '<0.6.5', beforeWorkaround: 'storm', verdict: 'clean' }];

    const missed = matchExpectation(live, '0.6.4', 'sysbox-runc', {
      verdict: 'clean',
      beforeWorkaround: 'clean',
    });

    expect(missed.result).toBe('fail');
    expect(missed.reason).toBe('verdict before the workaround: expected storm, got clean');
  });

  it('lets "*" match a host without Sysbox only for runc scenarios', () => {
    const runc = matchExpectation(anyHost, null, 'runc', { verdict: 'clean', probe: 'returned' });
    const sysbox = matchExpectation(anyHost, null, 'sysbox-runc', { verdict: 'clean' });

    expect(runc.result).toBe('pass');
    expect(sysbox.result).toBe('skipped');
    expect(sysbox.reason).toBe(
      'Sysbox is not installed on this host; the scenario needs sysbox-runc',
    );
    expect(matchExpectation(byVersion, null, 'runc', { verdict: 'clean' }).result).toBe('skipped');
  });

  it('skips with a reason when no range covers the version', () => {
    const result = matchExpectation([byVersion[0] as Expectation], '0.7.0', 'sysbox-runc', {
      verdict: 'clean',
    });

    expect(result.result).toBe('skipped');
    expect(result.reason).toBe('no expectation covers Sysbox 0.7.0 (ranges "<0.6.5")');
    expect(expectationOutcome(result)).toBe('inconclusive');
  });

  it('skips a version it cannot read', () => {
    const result = matchExpectation(byVersion, 'unknown', 'sysbox-runc', { verdict: 'clean' });

    expect(result.reason).toBe('Sysbox version "unknown" is not a version');
  });
});
