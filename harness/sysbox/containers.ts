import { OWNER_LABEL, ownerRuns } from '../runtime/container-owner.ts';
import type { Docker } from '../runtime/docker-client.ts';
import { LABEL_PREFIX } from '../runtime/system-container.ts';

export interface SysboxContainer {
  id: string;
  name: string;
  image: string;
}

/**
 * Running containers under sysbox-runc. They share the one sysbox-fs daemon with any
 * measured container, so their activity would be counted as the measured one's.
 */
export async function listSysboxContainers(
  docker: Docker,
  runtime = 'sysbox-runc',
): Promise<SysboxContainer[]> {
  const running = await docker.listContainers();
  const inspected = await Promise.all(
    running.map((summary) =>
      docker
        .getContainer(summary.Id)
        .inspect()
        .catch(() => null),
    ),
  );
  return inspected
    .filter((details) => details !== null && details.HostConfig.Runtime === runtime)
    .map((details) => ({
      id: details?.Id.slice(0, 12) ?? '',
      name: (details?.Name ?? '').replace(/^\//, ''),
      image: details?.Config.Image ?? '',
    }));
}

export interface LeftoverContainer {
  id: string;
  name: string;
  /** Docker's state: running, exited, created... */
  state: string;
}

/**
 * Containers the harness created whose run has ended without removing them: a run killed
 * with SIGKILL (a CI timeout) cannot clean up. A run still going on this host is left alone.
 */
export async function listLeftoverContainers(
  docker: Docker,
  procRoot = '/proc',
): Promise<LeftoverContainer[]> {
  const ours = await docker.listContainers({
    all: true,
    filters: { label: [`${LABEL_PREFIX}=1`] },
  });
  return ours
    .filter((summary) => !ownerRuns(summary.Labels?.[OWNER_LABEL], procRoot))
    .map((summary) => ({
      id: summary.Id.slice(0, 12),
      name: (summary.Names[0] ?? '').replace(/^\//, ''),
      state: summary.State,
    }));
}
