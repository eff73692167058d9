import { readdir } from 'node:fs/promises';
import { hostNotReady } from '../errors/harness-error.ts';
import { cpuHierarchies, type MeasureEnv, readMeasureEnv } from './environment.ts';
import { cgroupDirectory } from './mountinfo.ts';

/**
 * The cgroup directory holding a Docker container's CPU counters. Docker's cgroupfs driver
 * makes `/docker/<id>`, its systemd driver `/system.slice/docker-<id>.scope`; either may sit
 * under the v1 cpuacct hierarchy or the v2 tree. A short id is completed by prefix.
 */
export async function containerCgroupPath(
  containerId: string,
  env: MeasureEnv = readMeasureEnv(),
): Promise<string> {
  const { v1, v2 } = cpuHierarchies(env);
  const hierarchies = [v1, v2].filter((mount) => mount !== undefined);
  const layouts = [
    { parent: '/docker', prefix: '', suffix: '' },
    { parent: '/system.slice', prefix: 'docker-', suffix: '.scope' },
  ];

  const looked: string[] = [];
  for (const mount of hierarchies) {
    for (const layout of layouts) {
      const parent = cgroupDirectory(mount, layout.parent);
      if (!parent) continue;
      looked.push(`${parent}/${layout.prefix}<id>${layout.suffix}`);
      const entries = await readdir(parent).catch(() => [] as string[]);
      const matches = entries.filter(
        (entry) =>
          entry.startsWith(`${layout.prefix}${containerId}`) && entry.endsWith(layout.suffix),
      );
      if (matches.length === 1) return `${parent}/${matches[0]}`;
    }
  }
  throw hostNotReady(
    `no cgroup found for container ${containerId.slice(0, 12)} (looked at ${looked.join(', ')})`,
    'the container must be running; check `docker inspect` and the cgroup driver',
  );
}
