import type { ProbeResult } from '../report/schema.ts';
import type { StartedSystemContainer } from '../runtime/container.ts';
import type { ExecResult } from '../runtime/exec.ts';
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

/**
 * The probe as a trigger: started after boot and left running through the measure window.
 * `finish()` then takes its result, stopping the unit if it has not returned by then.
 */
export function startProbeInBackground(container: StartedSystemContainer, budgetMs: number) {
  const [program, ...rest] = PROBE_COMMAND;
  const started = performance.now();
  let returned: ExecResult | undefined;
  const running = container
    .exec([program, `--unit=${PROBE_UNIT}`, ...rest], budgetMs)
    .then((result) => {
      returned = result;
      return result;
    });
  running.catch(() => {});

  return {
    async finish(): Promise<ProbeResult> {
      const hungFor = performance.now() - started;
      if (!returned || returned.timedOut) {
        await container.exec(['systemctl', 'stop', `${PROBE_UNIT}.service`], STOP_BUDGET_MS);
        await running.catch(() => undefined);
        return {
          command: [...PROBE_COMMAND],
          budgetMs,
          outcome: 'hung',
          elapsedMs: null,
          exitCode: null,
          stderr: `still running ${Math.round(hungFor)} ms after it started; unit stopped`,
        };
      }
      return {
        command: [...PROBE_COMMAND],
        budgetMs,
        outcome: 'returned',
        elapsedMs: returned.elapsedMs,
        exitCode: returned.exitCode,
        stderr: returned.stderr.trim(),
      };
    },
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
