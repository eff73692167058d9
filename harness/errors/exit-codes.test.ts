import { EXIT_CODES, exitCodeFor, worstOutcome } from './exit-codes.ts';

describe('exit codes', () => {
  it('gives every outcome its own code', () => {
    const codes = Object.values(EXIT_CODES);

    expect(new Set(codes).size).toBe(codes.length);
  });

  it('maps outcomes to the codes git bisect run understands', () => {
    expect(exitCodeFor('ok')).toBe(0);
    expect(exitCodeFor('regression')).toBe(1);
    expect(exitCodeFor('inconclusive')).toBe(125);
    expect(exitCodeFor('infrastructure')).toBeGreaterThanOrEqual(128);
  });

  it('lets the worst outcome decide', () => {
    expect(worstOutcome([])).toBe('ok');
    expect(worstOutcome(['ok', 'inconclusive'])).toBe('inconclusive');
    expect(worstOutcome(['inconclusive', 'regression', 'ok'])).toBe('regression');
  });
});
