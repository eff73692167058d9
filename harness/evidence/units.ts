import type { UnitState } from '../report/schema.ts';
import type { StartedSystemContainer } from '../runtime/container.ts';
import { firstColumn, parseSystemctlShow } from './systemctl-show.ts';

const PROPERTIES = [
  'Id',
  'LoadState',
  'ActiveState',
  'SubState',
  'UnitFileState',
  'MainPID',
  'StateChangeTimestampMonotonic',
];
const QUERY_BUDGET_MS = 10_000;

/** State of each named unit, with the main process name (a stuck e2scrub shows `(crub_all)`). */
export async function readUnitStates(
  container: StartedSystemContainer,
  units: readonly string[],
): Promise<UnitState[]> {
  if (units.length === 0) return [];
  const show = await container.exec(
    ['systemctl', 'show', `--property=${PROPERTIES.join(',')}`, ...units],
    QUERY_BUDGET_MS,
  );
  const uptime = await container.exec(['cat', '/proc/uptime'], QUERY_BUDGET_MS);
  const nowSeconds = Number.parseFloat(uptime.stdout.split(' ')[0] ?? '');
  const blocks = parseSystemctlShow(show.stdout);

  return Promise.all(
    units.map(async (name, index) => {
      const block = blocks[index] ?? {};
      const mainPid = Number.parseInt(block.MainPID ?? '0', 10) || null;
      const changedUs = Number.parseInt(block.StateChangeTimestampMonotonic ?? '0', 10);
      return {
        name,
        loadState: block.LoadState ?? 'unknown',
        activeState: block.ActiveState ?? 'unknown',
        subState: block.SubState ?? 'unknown',
        unitFileState: block.UnitFileState ?? '',
        mainPid,
        mainProcessName: mainPid ? await processName(container, mainPid) : null,
        stateAgeSeconds:
          changedUs > 0 && Number.isFinite(nowSeconds)
            ? Math.max(0, nowSeconds - changedUs / 1e6)
            : null,
      };
    }),
  );
}

export async function activatingUnits(container: StartedSystemContainer): Promise<UnitState[]> {
  const listed = await container.exec(
    ['systemctl', 'list-units', '--all', '--state=activating', '--no-legend', '--plain'],
    QUERY_BUDGET_MS,
  );
  return readUnitStates(container, firstColumn(listed.stdout));
}

/** `systemctl list-jobs` lines, e.g. "123 e2scrub_reap.service start running". */
export async function pendingJobs(container: StartedSystemContainer): Promise<string[]> {
  const listed = await container.exec(['systemctl', 'list-jobs', '--no-legend'], QUERY_BUDGET_MS);
  return listed.stdout
    .split('\n')
    .map((line) => line.trim().replace(/\s+/g, ' '))
    .filter((line) => line !== '' && !line.startsWith('No jobs'));
}

async function processName(container: StartedSystemContainer, pid: number): Promise<string | null> {
  const comm = await container.exec(['cat', `/proc/${pid}/comm`], QUERY_BUDGET_MS);
  return comm.exitCode === 0 ? comm.stdout.trim() : null;
}
