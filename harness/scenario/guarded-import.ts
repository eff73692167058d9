import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { badInput } from '../errors/harness-error.ts';
import type { ScenarioProblem } from './problems.ts';

/** Far more than any scenario file needs to describe itself; only a stuck await reaches it. */
export const SCENARIO_LOAD_BUDGET_MS = 30_000;

/** A module, or why its loading was stopped before it could end the run or hang it. */
export type GuardedImport = { module: Record<string, unknown> } | { refused: ScenarioProblem };

// Scenario files load one at a time, so a call to process.exit belongs to the one loading.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Imports a scenario file, which runs its code. A process.exit there would end the run with
 * that code and no report, which CI would read as a result, so it throws instead; a top-level
 * await that never settles would hang the run, so loading has a budget. Anything the file
 * throws is passed on as it is.
 */
export function importGuarded(
  file: string,
  shown: string,
  budgetMs = SCENARIO_LOAD_BUDGET_MS,
): Promise<GuardedImport> {
  const turn = queue.then(() => importWithin(file, shown, budgetMs));
  queue = turn.catch(() => undefined);
  return turn;
}

async function importWithin(file: string, shown: string, budgetMs: number): Promise<GuardedImport> {
  let exitCall: ScenarioProblem | undefined;
  const exit = process.exit;
  process.exit = ((code?: string | number | null) => {
    exitCall = {
      line: `scenario ${shown}: called process.exit(${code ?? ''}) while being loaded`,
      hint: 'a scenario file only describes a scenario; throw an Error to refuse to load',
    };
    throw badInput(exitCall.line, exitCall.hint);
  }) as typeof process.exit;

  let timer: NodeJS.Timeout | undefined;
  const overBudget = new Promise<'over budget'>((resolve) => {
    timer = setTimeout(() => resolve('over budget'), budgetMs);
  });
  try {
    const loaded = await Promise.race([import(pathToFileURL(path.resolve(file)).href), overBudget]);
    if (exitCall) return { refused: exitCall };
    if (loaded === 'over budget') return { refused: overBudgetProblem(shown, budgetMs) };
    return { module: loaded as Record<string, unknown> };
  } catch (error) {
    if (exitCall) return { refused: exitCall };
    throw error;
  } finally {
    clearTimeout(timer);
    process.exit = exit;
  }
}

function overBudgetProblem(shown: string, budgetMs: number): ScenarioProblem {
  return {
    line: `scenario ${shown}: still loading after ${budgetMs} ms`,
    hint: 'a top-level await in the file does not settle; a scenario file should not wait',
  };
}
