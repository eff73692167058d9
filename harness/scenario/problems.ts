import { badInput, type HarnessError } from '../errors/harness-error.ts';

/** One thing wrong with a scenario argument, in a line that names the file or the id. */
export interface ScenarioProblem {
  line: string;
  /** What the user can do about it. */
  hint?: string;
}

/** A step that either gives its value or says everything that stops it. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problems: ScenarioProblem[] };

/** Enough lines to fix a file in one go, few enough to read on a terminal. */
const SHOWN_PROBLEMS = 10;

/**
 * Every problem as one bad-input error: a single problem stays one line; several get a count,
 * then one indented line each with its own hint, the first ten only.
 */
export function invalidScenarios(problems: readonly ScenarioProblem[]): HarnessError {
  const [only] = problems;
  if (problems.length === 1 && only) return badInput(only.line, only.hint);

  const shown = problems.slice(0, SHOWN_PROBLEMS);
  const lines = [
    `${problems.length} problems with scenarios:`,
    ...shown.map(({ line, hint }) => `  ${line}${hint ? ` (${hint})` : ''}`),
  ];
  if (problems.length > shown.length) lines.push(`  and ${problems.length - shown.length} more`);
  return badInput(lines.join('\n'));
}

/** The values of the steps that succeeded, or every problem of those that did not. */
export function allChecked<T>(results: readonly Checked<T>[]): Checked<T[]> {
  const problems = results.flatMap((result) => (result.ok ? [] : result.problems));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: results.flatMap((result) => (result.ok ? [result.value] : [])) };
}
