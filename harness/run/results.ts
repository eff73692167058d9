import type { HarnessError } from '../errors/harness-error.ts';
import type { ScenarioResult } from '../report/schema.ts';
import type { LoadedScenario } from '../scenario/load.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Preflight } from './preflight.ts';

/** A scenario the host cannot run (e.g. no Sysbox): reported with the reason and the fix. */
export function skippedResult(
  loaded: LoadedScenario,
  scenario: Scenario,
  preflight: Preflight,
  skip: { reason: string; fix: string },
): ScenarioResult {
  return {
    ...emptyResult(loaded, scenario, 'skipped'),
    skip: { reason: skip.reason, fix: skip.fix },
    expectation: {
      result: 'skipped',
      sysboxVersion: preflight.sysboxVersion,
      range: null,
      expected: null,
      observed: null,
      reason: skip.reason,
    },
  };
}

/** A scenario that could not start: the host was not ready, or the run was interrupted. */
export function failedBeforeStart(
  loaded: LoadedScenario,
  scenario: Scenario,
  error: HarnessError | 'interrupted',
  message = '',
): ScenarioResult {
  const interrupted = error === 'interrupted';
  const described = interrupted
    ? { kind: 'interrupted', message }
    : { kind: error.kind, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  return {
    ...emptyResult(loaded, scenario, interrupted ? 'interrupted' : 'error'),
    error: described,
    expectation: {
      result: 'inconclusive',
      sysboxVersion: null,
      range: null,
      expected: null,
      observed: null,
      reason: described.message,
    },
  };
}

function emptyResult(
  loaded: LoadedScenario,
  scenario: Scenario,
  status: ScenarioResult['status'],
): Omit<ScenarioResult, 'expectation'> {
  return {
    scenarioId: scenario.id,
    file: loaded.file,
    scenario: scenario as unknown as Record<string, unknown>,
    status,
    phases: [],
    windows: [],
    findings: [],
  };
}
