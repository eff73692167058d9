import type { ErrorKind } from './harness-error.ts';

/**
 * One exit code per outcome. 125 is what `git bisect run` treats as "skip this commit";
 * codes of 128 and above make it abort instead of blaming the commit under test.
 */
export const EXIT_CODES = {
  ok: 0,
  regression: 1,
  'bad-input': 2,
  inconclusive: 125,
  infrastructure: 128,
  'host-not-ready': 129,
  interrupted: 130,
} as const satisfies Record<ErrorKind | 'ok', number>;

export type Outcome = keyof typeof EXIT_CODES;

export function exitCodeFor(outcome: Outcome): number {
  return EXIT_CODES[outcome];
}

/** The worst of several outcomes decides a run's exit code. */
const SEVERITY: readonly Outcome[] = [
  'ok',
  'inconclusive',
  'regression',
  'bad-input',
  'host-not-ready',
  'infrastructure',
  'interrupted',
];

export function worstOutcome(outcomes: Iterable<Outcome>): Outcome {
  let worst: Outcome = 'ok';
  for (const outcome of outcomes) {
    if (SEVERITY.indexOf(outcome) > SEVERITY.indexOf(worst)) worst = outcome;
  }
  return worst;
}
