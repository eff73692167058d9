import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { runPrivateNetworkProbe } from '../../harness/evidence/probe.ts';
import { startSystemContainer } from '../../harness/runtime/container.ts';
import { dockerClient } from '../../harness/runtime/docker-client.ts';
import { waitForSystemdBoot } from '../../harness/runtime/systemd-boot.ts';
import { SYSTEMD_TRIXIE } from '../../images/recipes.ts';

/**
 * The runc control is only a control if systemd 257 really takes the private-sysfs unmount
 * path there: strace on the host counts the probe's umount2 calls under mount-rootfs/sys.
 */
describe('the PrivateNetwork probe under runc', () => {
  it('unmounts the private sysfs tree call by call and ends', async () => {
    const docker = dockerClient();
    await using container = await startSystemContainer(
      docker,
      {
        name: `sysbox-repro-test-unmount-${process.pid}`,
        image: SYSTEMD_TRIXIE,
        runtime: 'runc',
        devices: [],
        network: 'none',
        env: {},
        labels: { 'sysbox-repro.test': 'unmount-path' },
      },
      { safetyCapMs: 120_000 },
    );
    await waitForSystemdBoot(container, 60_000);
    const init = (await docker.getContainer(container.id).inspect()).State.Pid;
    const trace = path.join(tmpdir(), `sysbox-repro-umount-${process.pid}.trace`);

    const strace = execa('strace', ['-f', '-e', 'trace=umount2', '-o', trace, '-p', `${init}`], {
      reject: false,
    });
    await sleep(1_000);
    const probe = await runPrivateNetworkProbe(container, 20_000);
    await sleep(500);
    strace.kill('SIGINT');
    await strace;

    const calls = (await readFile(trace, 'utf8'))
      .split('\n')
      .filter((line) => line.includes('umount2("/run/systemd/mount-rootfs/sys'));
    await rm(trace, { force: true });
    expect(probe.outcome).toBe('returned');
    expect(calls.length).toBeGreaterThanOrEqual(20);
    expect(
      calls.some((line) => line.includes('mount-rootfs/sys", UMOUNT_NOFOLLOW) = -1 EBUSY')),
    ).toBe(true);
  }, 120_000);
});
