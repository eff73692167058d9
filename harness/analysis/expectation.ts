import semver from 'semver';
import type { Outcome } from '../errors/exit-codes.ts';
import type { ExpectationResult, ProbeResult, Verdict } from '../report/schema.ts';
import type { Expectation, RuntimeName } from '../scenario/schema.ts';

export interface ObservedOutcome {
  verdict: Verdict['verdict'];
  /** Verdict of the window before a live workaround, when there was one. */
  beforeWorkaround?: Verdict['verdict'];
  probe?: ProbeResult['outcome'];
}

const PROBE_WORDS = { returns: 'returned', hangs: 'hung' } as const;

/**
 * Checks what was observed against the first expectation whose range holds the host's Sysbox
 * version. Without Sysbox on the host only "*" can match, and only for a runc scenario.
 */
export function matchExpectation(
  expectations: readonly Expectation[],
  sysboxVersion: string | null,
  runtime: RuntimeName,
  observed: ObservedOutcome,
): ExpectationResult {
  const version = sysboxVersion === null ? null : semver.coerce(sysboxVersion)?.version;
  const shown = observedText(observed);
  const skipped = (reason: string): ExpectationResult => ({
    result: 'skipped',
    sysboxVersion,
    range: null,
    expected: null,
    observed: shown,
    reason,
  });

  if (version === undefined) return skipped(`Sysbox version "${sysboxVersion}" is not a version`);
  if (version === null && runtime !== 'runc') {
    return skipped('Sysbox is not installed on this host; the scenario needs sysbox-runc');
  }
  const expectation = expectations.find((candidate) =>
    version === null
      ? candidate.sysbox.trim() === '*'
      : semver.satisfies(version, candidate.sysbox),
  );
  if (!expectation) {
    const ranges = expectations.map((candidate) => `"${candidate.sysbox}"`).join(', ');
    const host = version === null ? 'a host without Sysbox' : `Sysbox ${version}`;
    return skipped(`no expectation covers ${host} (ranges ${ranges})`);
  }

  const checks = [
    check('verdict', expectation.verdict, observed.verdict),
    ...(expectation.beforeWorkaround
      ? [
          check(
            'verdict before the workaround',
            expectation.beforeWorkaround,
            observed.beforeWorkaround,
          ),
        ]
      : []),
    ...(expectation.probe ? [check('probe', PROBE_WORDS[expectation.probe], observed.probe)] : []),
  ];
  const failed = checks.filter((c) => c.result === 'fail');
  const undecided = checks.filter((c) => c.result === 'inconclusive');
  const result = failed.length > 0 ? 'fail' : undecided.length > 0 ? 'inconclusive' : 'pass';
  const reasons = result === 'pass' ? checks : [...failed, ...undecided];

  return {
    result,
    sysboxVersion,
    range: expectation.sysbox,
    expected: expectedText(expectation),
    observed: shown,
    reason: reasons.map((c) => c.sentence).join('; '),
  };
}

/** The outcome an expectation result gives a run; a skipped one decided nothing. */
export function expectationOutcome(expectation: ExpectationResult): Outcome {
  if (expectation.result === 'pass') return 'ok';
  if (expectation.result === 'fail') return 'regression';
  return 'inconclusive';
}

interface Check {
  result: 'pass' | 'fail' | 'inconclusive';
  sentence: string;
}

function check(what: string, expected: string, observed: string | undefined): Check {
  if (observed === undefined || observed === 'inconclusive' || observed === 'not-run') {
    const seen = observed ?? 'nothing recorded';
    return { result: 'inconclusive', sentence: `${what}: expected ${expected}, got ${seen}` };
  }
  if (observed !== expected) {
    return { result: 'fail', sentence: `${what}: expected ${expected}, got ${observed}` };
  }
  return { result: 'pass', sentence: `${what}: ${observed} as expected` };
}

function expectedText(expectation: Expectation): string {
  return [
    ...(expectation.beforeWorkaround ? [`before workaround ${expectation.beforeWorkaround}`] : []),
    `verdict ${expectation.verdict}`,
    ...(expectation.probe ? [`probe ${PROBE_WORDS[expectation.probe]}`] : []),
  ].join(', ');
}

function observedText(observed: ObservedOutcome): string {
  return [
    ...(observed.beforeWorkaround ? [`before workaround ${observed.beforeWorkaround}`] : []),
    `verdict ${observed.verdict}`,
    ...(observed.probe ? [`probe ${observed.probe}`] : []),
  ].join(', ');
}
