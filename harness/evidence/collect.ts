import type { Evidence } from '../report/schema.ts';
import type { StartedSystemContainer } from '../runtime/container.ts';
import type { BootOutcome } from '../runtime/systemd-boot.ts';
import type { Scenario } from '../scenario/schema.ts';
import { privateNetworkExposure } from './exposure.ts';
import { probeNotRun } from './probe.ts';
import { parseSystemdVersion } from './systemctl-show.ts';
import { activatingUnits, pendingJobs, readUnitStates } from './units.ts';

/**
 * What the container shows from inside after the measure window: the boot's end state,
 * pending jobs and units stuck in `activating`, the scenario's units, and which units the
 * image would start with PrivateNetwork=yes. The probe is run (and filled in) separately.
 */
export async function collectEvidence(
  container: StartedSystemContainer,
  scenario: Scenario,
  boot: BootOutcome,
): Promise<Evidence> {
  const version = await container.exec(['systemctl', '--version'], 10_000);
  const current = await container.exec(['systemctl', 'is-system-running'], 10_000);

  return {
    systemdVersion: parseSystemdVersion(version.stdout),
    boot: {
      finished: boot.finished,
      state: current.stdout.trim() || boot.state,
      elapsedMs: boot.elapsedMs,
      budgetMs: boot.budgetMs,
      pendingJobs: await pendingJobs(container),
      activatingUnits: await activatingUnits(container),
    },
    units: await readUnitStates(container, scenario.units),
    exposure: await privateNetworkExposure(container),
    probe: probeNotRun(scenario.probe.budgetMs, 'not reached'),
    logs: null,
  };
}
