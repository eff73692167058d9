import type { ProbeResult } from '../report/schema.ts';
import type { StartedSystemContainer } from '../runtime/container.ts';
import { PROBE_COMMAND } from '../scenario/schema.ts';

const PROBE_UNIT = 'sysbox-repro-probe';
const STOP_BUDGET_MS = 15_000;

/**
 * Runs the deterministic trigger: a transient unit with PrivateNetwork=yes. On an affected
 * host it hangs in the unmount loop (and makes sysbox-fs spin); on a fixed one it returns
 * within a second or so. A hung probe's unit is stopped so the loop ends with the probe.
 */
export async function runPrivateNetworkProbe(
  container: StartedSystemContainer,
  budgetMs: number,
): Promise<ProbeResult> {
  const [program, ...rest] = PROBE_COMMAND;
  const command = [program, `--unit=${PROBE_UNIT}`, ...rest];
  const result = await container.exec(command, budgetMs);

  if (result.timedOut) {
    await container.exec(['systemctl', 'stop', `${PROBE_UNIT}.service`], STOP_BUDGET_MS);
    await container.exec(['systemctl', 'reset-failed', `${PROBE_UNIT}.service`], STOP_BUDGET_MS);
    return {
      command: [...PROBE_COMMAND],
      budgetMs,
      outcome: 'hung',
      elapsedMs: null,
      exitCode: null,
      stderr: result.stderr.trim(),
    };
  }
  return {
    command: [...PROBE_COMMAND],
    budgetMs,
    outcome: 'returned',
    elapsedMs: result.elapsedMs,
    exitCode: result.exitCode,
    stderr: result.stderr.trim(),
  };
}

export function probeNotRun(budgetMs: number, why: string): ProbeResult {
  return {
    command: [...PROBE_COMMAND],
    budgetMs,
    outcome: 'not-run',
    elapsedMs: null,
    exitCode: null,
    stderr: why,
  };
}
