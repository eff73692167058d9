import { setTimeout as sleep } from 'node:timers/promises';
import { HarnessError, infrastructure } from '../errors/harness-error.ts';
import type { StartedSystemContainer } from './container.ts';

export interface BootOutcome {
  /** systemd reported `running` or `degraded` within the budget. */
  finished: boolean;
  /** The last answer of `systemctl is-system-running` (e.g. `starting`). */
  state: string;
  elapsedMs: number;
  budgetMs: number;
}

const FINISHED = new Set(['running', 'degraded']);
const RETRY_MS = 250;

/**
 * Waits for systemd inside the container to finish booting. Not finishing within the budget
 * is a result, not a failure: a oneshot unit stuck in the unmount loop keeps the system in
 * `starting` forever. Only a container that stops, or a systemd that never answers, fails.
 */
export async function waitForSystemdBoot(
  container: StartedSystemContainer,
  budgetMs: number,
  signal?: AbortSignal,
): Promise<BootOutcome> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  let state = '';
  let lastError = 'no answer yet';

  while (elapsed() < budgetMs) {
    throwIfAborted(signal);
    if (!(await container.isRunning())) {
      throw infrastructure(
        `container ${container.name} stopped while systemd was booting ` +
          `(${Math.round(elapsed())} ms after start)`,
      );
    }

    const remaining = Math.max(1, budgetMs - elapsed());
    const answer = await container.exec(['systemctl', 'is-system-running', '--wait'], remaining);
    const said = answer.stdout.trim().split('\n').pop() ?? '';
    if (said !== '') state = said;
    if (FINISHED.has(said)) return { finished: true, state, elapsedMs: elapsed(), budgetMs };
    if (said === '') lastError = answer.stderr.trim() || `exit code ${answer.exitCode}`;

    await sleep(RETRY_MS, undefined, { signal }).catch(() => {});
  }

  if (state === '') {
    throw infrastructure(
      `systemd in container ${container.name} not reachable after ${budgetMs} ms: ${lastError}`,
    );
  }
  return { finished: false, state, elapsedMs: elapsed(), budgetMs };
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new HarnessError('interrupted', 'interrupted by signal');
}
