import { readFile } from 'node:fs/promises';
import { cpus, hostname, release } from 'node:os';
import type { HostFingerprint } from '../report/schema.ts';
import type { Docker } from '../runtime/docker-client.ts';
import { readSysboxInstallation, type SysboxInstallation } from './installation.ts';

/** Describes the host a report was made on. */
export async function readHostFingerprint(
  docker: Docker,
  installation?: SysboxInstallation,
): Promise<HostFingerprint> {
  const [version, info, os, cpuModel, sysbox] = await Promise.all([
    docker.version(),
    docker.info() as Promise<{ Runtimes?: Record<string, unknown>; CgroupVersion?: string }>,
    readOsName(),
    readCpuModel(),
    installation ?? readSysboxInstallation(),
  ]);
  return {
    hostname: hostname(),
    kernel: release(),
    os,
    cpuModel,
    cores: Math.max(1, cpus().length),
    cgroupVersion: await readCgroupVersion(info.CgroupVersion),
    docker: {
      version: version.Version,
      apiVersion: version.ApiVersion,
      runtimes: Object.keys(info.Runtimes ?? {}).sort(),
    },
    sysbox: sysboxFingerprint(sysbox),
  };
}

export function sysboxFingerprint(installation: SysboxInstallation): HostFingerprint['sysbox'] {
  const readings = Object.values(installation.components);
  if (!readings.some((reading) => reading.found) && installation.package === null) return null;
  const components: Record<string, string | null> = {};
  for (const reading of readings) components[reading.binary] = reading.parsed?.version ?? null;
  return {
    version: installation.version ?? installation.components['sysbox-fs'].parsed?.version ?? null,
    components,
    package: installation.package,
  };
}

/** PRETTY_NAME from /etc/os-release, e.g. "Debian GNU/Linux 12 (bookworm)". */
export async function readOsName(path = '/etc/os-release'): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const match = /^PRETTY_NAME=(?:"([^"]*)"|(.*))$/m.exec(text);
  return match?.[1] ?? match?.[2] ?? 'unknown';
}

async function readCpuModel(): Promise<string> {
  const text = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  return /^model name\s*:\s*(.*)$/m.exec(text)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
}

/** Docker's own answer when it gives one, else whether /sys/fs/cgroup is the unified tree. */
export async function readCgroupVersion(fromDocker: string | undefined): Promise<1 | 2> {
  if (fromDocker === '1' || fromDocker === '2') return Number(fromDocker) as 1 | 2;
  const unified = await readFile('/sys/fs/cgroup/cgroup.controllers', 'utf8').then(
    () => true,
    () => false,
  );
  return unified ? 2 : 1;
}
