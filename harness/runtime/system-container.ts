import type Docker from 'dockerode';
import type { RuntimeName } from '../scenario/schema.ts';

/**
 * Everything the harness may ask of a system container. It is the only way options reach
 * the engine, and it has no field for what Sysbox forbids (privileged, host network, pid
 * or user namespace), so such a container cannot be described.
 */
export interface SystemContainerSpec {
  name: string;
  image: string;
  runtime: RuntimeName;
  /** Host device nodes, passed through at the same path with rwm access. */
  devices: readonly string[];
  network: 'none';
  env: Readonly<Record<string, string>>;
  labels: Readonly<Record<string, string>>;
}

export const LABEL_PREFIX = 'sysbox-repro';

/**
 * Under runc, systemd as PID 1 needs CAP_SYS_ADMIN and its own cgroup namespace; without
 * CAP_SYS_RAWIO e2scrub_reap.service's ConditionCapability= silently skips the very unit
 * we want to start. Sysbox gives systemd what it needs without extra capabilities.
 */
const RUNC_CAPABILITIES = ['SYS_ADMIN', 'SYS_RAWIO'];

/** The single translation from a system container description to the engine's options. */
export function toCreateOptions(spec: SystemContainerSpec): Docker.ContainerCreateOptions {
  // Engine API 1.41 takes CgroupnsMode; the dockerode typings predate it.
  const hostConfig: Docker.HostConfig & { CgroupnsMode?: 'private' | 'host' } = {
    Runtime: spec.runtime,
    NetworkMode: spec.network,
    Devices: spec.devices.map((path) => ({
      PathOnHost: path,
      PathInContainer: path,
      CgroupPermissions: 'rwm',
    })),
    AutoRemove: false,
    Init: false,
  };
  if (spec.runtime === 'runc') {
    hostConfig.CapAdd = RUNC_CAPABILITIES;
    hostConfig.CgroupnsMode = 'private';
  }

  return {
    name: spec.name,
    Image: spec.image,
    Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
    Labels: { [LABEL_PREFIX]: '1', ...spec.labels },
    Tty: false,
    HostConfig: hostConfig,
    NetworkDisabled: spec.network === 'none',
  };
}
