import { SYSTEMD_TRIXIE, SYSTEMD_TRIXIE_MASKED } from '../../images/recipes.ts';
import { readUnitStates } from '../evidence/units.ts';
import { type StartedSystemContainer, startSystemContainer } from './container.ts';
import { dockerClient } from './docker-client.ts';
import { waitForSystemdBoot } from './systemd-boot.ts';

const docker = dockerClient();
const RENDER_NODE = '/dev/dri/renderD128';

async function boot(image: string, name: string): Promise<StartedSystemContainer> {
  return startSystemContainer(
    docker,
    {
      name: `sysbox-repro-test-${name}-${process.pid}`,
      image,
      runtime: 'runc',
      devices: [RENDER_NODE],
      network: 'none',
      env: {},
      labels: { 'sysbox-repro.test': name },
    },
    { safetyCapMs: 120_000 },
  );
}

describe('systemd trixie image under runc', () => {
  it('boots with the render node passed through and runs e2scrub_reap to the end', async () => {
    await using container = await boot(SYSTEMD_TRIXIE, 'boot');

    const outcome = await waitForSystemdBoot(container, 60_000);
    expect(outcome.finished).toBe(true);
    expect(['running', 'degraded']).toContain(outcome.state);

    const device = await container.exec(['stat', '-c', '%F %t:%T', RENDER_NODE]);
    expect(device.stdout.trim()).toBe('character special file e2:80');

    const started = await container.exec(['systemctl', 'start', 'e2scrub_reap.service'], 30_000);
    expect(started).toMatchObject({ exitCode: 0, timedOut: false });
    const [unit] = await readUnitStates(container, ['e2scrub_reap.service']);
    expect(unit?.activeState).toBe('inactive');
    expect(unit?.loadState).toBe('loaded');
    // It really ran (its ConditionCapability= held) and succeeded, rather than being skipped.
    const ran = await container.exec([
      'systemctl',
      'show',
      '-p',
      'ConditionResult,Result,ExecMainStatus',
      'e2scrub_reap.service',
    ]);
    expect(ran.stdout.split('\n').sort().join(' ').trim()).toBe(
      'ConditionResult=yes ExecMainStatus=0 Result=success',
    );
  }, 120_000);

  it('shows both e2scrub units masked in the masked variant', async () => {
    await using container = await boot(SYSTEMD_TRIXIE_MASKED, 'masked');
    await waitForSystemdBoot(container, 60_000);

    const units = await readUnitStates(container, ['e2scrub_reap.service', 'e2scrub_all.timer']);

    expect(units.map((unit) => [unit.name, unit.unitFileState])).toEqual([
      ['e2scrub_reap.service', 'masked'],
      ['e2scrub_all.timer', 'masked'],
    ]);
  }, 120_000);

  it('leaves no container of the project behind', async () => {
    const left = await docker.listContainers({
      all: true,
      filters: { label: ['sysbox-repro.test'] },
    });

    expect(left).toEqual([]);
  });
});
