import type { ProbeResult } from '../report/schema.ts';
import type { StartedSystemContainer } from '../runtime/container.ts';
import type { ExecResult } from '../runtime/exec.ts';
import { PROBE_COMMAND } from '../scenario/schema.ts';

const PROBE_UNIT = 'sysbox-repro-probe';
const STOP_BUDGET_MS = 15_000;

export interface RunningProbe {
  /** Resolves when the probe returns or its budget ends. */
  readonly settled: Promise<unknown>;
  /** The probe's result now; a probe still running (or cut off at its budget) hung. */
  finish(): Promise<ProbeResult>;
}

/**
 * Starts the deterministic trigger: a transient unit with PrivateNetwork=yes. On an affected
 * host it hangs in the unmount loop (and makes sysbox-fs spin); on a fixed one it returns
 * within a second or so. A hung probe's unit is stopped, so the loop ends with the probe.
 */
export function startProbe(container: StartedSystemContainer, budgetMs: number): RunningProbe {
  const [program, ...rest] = PROBE_COMMAND;
  const started = performance.now();
  let returned: ExecResult | undefined;
  const running = container.exec([program, `--unit=${PROBE_UNIT}`, ...rest], budgetMs);
  const settled = running.then((result) => {
    returned = result;
  });
  settled.catch(() => {});
  const result = (fields: Partial<ProbeResult>): ProbeResult => ({
    command: [...PROBE_COMMAND],
    budgetMs,
    outcome: 'hung',
    elapsedMs: null,
    exitCode: null,
    stderr: '',
    ...fields,
  });

  return {
    settled,
    async finish() {
      if (returned && !returned.timedOut) {
        const { elapsedMs, exitCode, stderr } = returned;
        return result({ outcome: 'returned', elapsedMs, exitCode, stderr: stderr.trim() });
      }
      const hungFor = Math.round(performance.now() - started);
      await container.exec(['systemctl', 'stop', `${PROBE_UNIT}.service`], STOP_BUDGET_MS);
      await container.exec(['systemctl', 'reset-failed', `${PROBE_UNIT}.service`], STOP_BUDGET_MS);
      await settled.catch(() => undefined);
      return result({ stderr: `still running ${hungFor} ms after it started; unit stopped` });
    },
  };
}

/** The probe on its own: waits for it to return or for its budget to end. */
export async function runPrivateNetworkProbe(
  container: StartedSystemContainer,
  budgetMs: number,
): Promise<ProbeResult> {
  const probe = startProbe(container, budgetMs);
  await probe.settled.catch(() => undefined);
  return probe.finish();
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
