import type { Docker } from '../runtime/docker-client.ts';

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
