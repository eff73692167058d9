import { HarnessError } from '../errors/harness-error.ts';
import { silentLogger } from '../log/logger.ts';
import { dockerClient } from '../runtime/docker-client.ts';
import type { Arm } from '../scenario/schema.ts';
import { switchHostForArm } from './host-switch.ts';
import { hostPreflight } from './preflight.ts';

const docker = dockerClient();
const deps = { docker, logger: silentLogger };

describe('switching the host for an arm', () => {
  it('leaves the host alone for an arm that asks nothing of it', async () => {
    const preflight = await hostPreflight(docker, { allowOtherSysboxContainers: false });

    await expect(switchHostForArm({ id: 'plain' }, preflight, deps)).resolves.toBe(preflight);
  });

  it('refuses an arm whose Sysbox version the host does not have', async () => {
    const preflight = await hostPreflight(docker, { allowOtherSysboxContainers: false });
    const arm: Arm = { id: 'old', sysbox: '<0.6.5' };

    const error = await switchHostForArm(arm, preflight, deps).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HarnessError);
    expect(error).toMatchObject({ kind: 'host-not-ready' });
    expect((error as Error).message).toBe(
      'arm old needs Sysbox <0.6.5, the host reports no Sysbox',
    );
  });

  it('runs the install step and still refuses when it did not install the version', async () => {
    const preflight = await hostPreflight(docker, { allowOtherSysboxContainers: false });
    const arm: Arm = { id: 'fixed', install: { argv: ['true'] }, sysbox: '>=0.6.5' };

    await expect(switchHostForArm(arm, preflight, deps)).rejects.toThrow(
      /needs Sysbox >=0.6.5, the host reports no Sysbox after its install step/,
    );
  });

  it('reports a failing install step with its exit code and output', async () => {
    const preflight = await hostPreflight(docker, { allowOtherSysboxContainers: false });
    const arm: Arm = {
      id: 'broken',
      install: { shell: 'echo no package >&2; exit 3' },
      sysbox: '*',
    };

    await expect(switchHostForArm(arm, preflight, deps)).rejects.toThrow(
      /arm broken: install step "echo no package >&2; exit 3" failed \(exit 3\): no package/,
    );
  });
});
