import { writeAboveLiveLine } from '../log/live-line.ts';
import { pendingForcedExitSteps, runForcedExitSteps } from '../runtime/forced-exit.ts';
import { watchNpmLauncher } from './npm-launcher.ts';

/** How long a forced exit waits for containers to go and settings to be restored. */
const FORCED_EXIT_BUDGET_MS = 30_000;

/**
 * Turns SIGINT, SIGTERM and SIGHUP (a dropped ssh session, a closed terminal) into an aborted
 * signal the run observes between and inside its steps, so containers are removed and a
 * report marked interrupted is still written.
 * A second signal skips the rest of the run: the forced-exit steps (remove containers, restore
 * settings, write the report) run within a budget, then the process exits. A third exits at
 * once and prints what is left to undo.
 */
export function interruptOnSignals(
  forcedExitBudgetMs = FORCED_EXIT_BUDGET_MS,
): AbortController & Disposable {
  const controller = new AbortController();
  let signals = 0;

  const onSignal = (name: string) => {
    signals++;
    if (signals === 1) {
      writeAboveLiveLine(`\nsysbox-repro: ${name}: removing containers, writing the report\n`);
      controller.abort(new Error(`interrupted by ${name}`));
      return;
    }
    if (signals === 2) {
      writeAboveLiveLine(
        `sysbox-repro: ${name} again: cleaning up within ${forcedExitBudgetMs / 1000} s, ` +
          'then exiting; once more exits at once\n',
      );
      void runForcedExitSteps(forcedExitBudgetMs).then((left) => exitLeaving(left));
      return;
    }
    exitLeaving(pendingForcedExitSteps());
  };

  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  // npm exiting after a signal the run has already taken is its echo, not a new one.
  const launcher = watchNpmLauncher(() => {
    if (signals === 0) onSignal('npm, which started this run, exited');
  });
  return Object.assign(controller, {
    [Symbol.dispose]() {
      clearInterval(launcher);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
    },
  });
}

function exitLeaving(left: readonly string[]): never {
  for (const step of left) writeAboveLiveLine(`sysbox-repro: not done: ${step}\n`);
  process.exit(130);
}
