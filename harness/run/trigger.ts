import { badInput, infrastructure } from '../errors/harness-error.ts';
import type { StartedSystemContainer } from '../runtime/container.ts';

/** systemctl's exit status for a unit it does not know (LSB "program is not installed"). */
const SYSTEMCTL_NO_SUCH_UNIT = 5;

/**
 * Queues the trigger unit's start without waiting for the unit (a stuck start is what is
 * being measured). A unit systemd does not know makes the scenario's premise false; systemctl
 * not answering within the budget is a sign of a busy PID 1, and is returned as a finding.
 */
export async function startUnitTrigger(
  container: StartedSystemContainer,
  trigger: { unit: string; budgetMs: number },
): Promise<string | undefined> {
  const argv = ['systemctl', 'start', '--no-block', trigger.unit];
  const started = await container.exec(argv, trigger.budgetMs);
  if (started.timedOut) {
    return `trigger: ${argv.join(' ')} did not return within ${trigger.budgetMs} ms`;
  }
  if (started.exitCode === 0) return undefined;
  const said = started.stderr.trim().split('\n')[0] || `exit code ${started.exitCode}`;
  const failed = `trigger: ${argv.join(' ')} in ${container.name} failed: ${said}`;
  // Any other failure (no bus, a dead PID 1) is the container's, not the scenario's.
  if (started.exitCode !== SYSTEMCTL_NO_SUCH_UNIT) throw infrastructure(failed);
  throw badInput(
    failed,
    `check the scenario's trigger unit against the units ${container.spec.image} ships ` +
      '(/usr/lib/systemd/system, /etc/systemd/system)',
  );
}
