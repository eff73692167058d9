import type { StartedSystemContainer } from '../runtime/container.ts';
import { parseSystemctlShow } from './systemctl-show.ts';

const BUDGET_MS = 15_000;
const TRIGGERING_STATES = new Set(['enabled', 'static', 'enabled-runtime', 'alias', 'indirect']);

/**
 * Service units the image would start (enabled or static) that ask for PrivateNetwork=yes:
 * on systemd >= 254 each one takes the private-sysfs unmount path when it starts.
 */
export async function privateNetworkExposure(container: StartedSystemContainer): Promise<string[]> {
  const files = await container.exec(
    ['systemctl', 'list-unit-files', '--type=service', '--no-legend', '--plain'],
    BUDGET_MS,
  );
  const candidates = files.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([name, state]) => name && !name.includes('@.') && TRIGGERING_STATES.has(state ?? ''))
    .map(([name]) => name as string);
  if (candidates.length === 0) return [];

  const shown = await container.exec(
    ['systemctl', 'show', '--property=Id,PrivateNetwork', ...candidates],
    BUDGET_MS,
  );
  // Aliases (dbus-org.freedesktop.hostname1.service) show as the unit they point to.
  const ids = parseSystemctlShow(shown.stdout)
    .filter((unit) => unit.PrivateNetwork === 'yes')
    .map((unit) => unit.Id ?? '')
    .filter((id) => id !== '');
  return [...new Set(ids)].sort();
}
