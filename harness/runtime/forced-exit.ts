/**
 * Undo steps for a run that is made to exit at once (a second Ctrl-C): what `finally` blocks
 * would have done had the run been let finish. Each names what it undoes, so whatever does
 * not finish in time can be printed for the user to undo by hand.
 */
export interface ForcedExitStep {
  /** What is undone, as a user would do it by hand ("rm /etc/...; systemctl restart ..."). */
  what: string;
  run: () => Promise<void>;
}

const pending = new Set<ForcedExitStep>();

/** Registers a step until the returned handle is disposed (when the normal path has run). */
export function onForcedExit(what: string, run: () => Promise<void>): Disposable {
  const step = { what, run };
  pending.add(step);
  return { [Symbol.dispose]: () => pending.delete(step) };
}

/**
 * Runs every registered step at once and waits at most budgetMs; returns what did not finish
 * (failed or still going), in registration order.
 */
export async function runForcedExitSteps(budgetMs: number): Promise<string[]> {
  const steps = [...pending];
  const done = new Set<ForcedExitStep>();
  const finishing = steps.map((step) =>
    step.run().then(
      () => done.add(step),
      () => undefined,
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, budgetMs);
  });
  await Promise.race([Promise.allSettled(finishing), budget]);
  clearTimeout(timer);
  return steps.filter((step) => !done.has(step)).map((step) => step.what);
}

/** The steps registered now, for a last message when even the budget is not waited for. */
export function pendingForcedExitSteps(): string[] {
  return [...pending].map((step) => step.what);
}
