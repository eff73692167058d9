import { SYSTEMD_TRIXIE } from '../../images/recipes.ts';
import { type StartedSystemContainer, startSystemContainer } from '../runtime/container.ts';
import { dockerClient } from '../runtime/docker-client.ts';
import { waitForSystemdBoot } from '../runtime/systemd-boot.ts';
import { parseScenario } from '../scenario/load.ts';
import { collectEvidence } from './collect.ts';
import { runPrivateNetworkProbe } from './probe.ts';

const docker = dockerClient();
let container: StartedSystemContainer;

beforeAll(async () => {
  container = await startSystemContainer(
    docker,
    {
      name: `sysbox-repro-test-evidence-${process.pid}`,
      image: SYSTEMD_TRIXIE,
      runtime: 'runc',
      devices: [],
      network: 'none',
      env: {},
      labels: { 'sysbox-repro.test': 'evidence' },
    },
    { safetyCapMs: 120_000 },
  );
}, 30_000);

afterAll(async () => {
  await container?.remove();
});

describe('in-container evidence on trixie under runc', () => {
  it('sees boot finish, nothing stuck, and the units that can trigger the loop', async () => {
    const boot = await waitForSystemdBoot(container, 60_000);
    const scenario = parseScenario(
      {
        id: 'e',
        title: 'e',
        container: { image: SYSTEMD_TRIXIE },
        expect: [{ sysbox: '*', verdict: 'clean' }],
      },
      'e.ts',
    );

    const evidence = await collectEvidence(container, scenario, boot);

    expect(evidence.systemdVersion).toBe('257');
    expect(evidence.boot.finished).toBe(true);
    expect(evidence.boot.activatingUnits).toEqual([]);
    expect(evidence.exposure).toEqual(expect.arrayContaining(['e2scrub_reap.service']));
    expect(new Set(evidence.exposure).size).toBe(evidence.exposure?.length);
    expect(evidence.units.map((unit) => [unit.name, unit.activeState])).toEqual([
      ['e2scrub_reap.service', 'inactive'],
      ['e2scrub_all.timer', 'active'],
    ]);
  }, 90_000);

  it('reports the probe returning well within its budget', async () => {
    const probe = await runPrivateNetworkProbe(container, 20_000);

    expect(probe).toMatchObject({ outcome: 'returned', exitCode: 0 });
    expect(probe.elapsedMs).toBeLessThan(5_000);
  }, 60_000);

  it('calls a probe cut off at its budget hung, and stops its unit', async () => {
    const probe = await runPrivateNetworkProbe(container, 1);

    expect(probe.outcome).toBe('hung');
    const unit = await container.exec(['systemctl', 'is-active', 'sysbox-repro-probe.service']);
    expect(unit.stdout.trim()).not.toBe('active');
    expect(unit.stdout.trim()).not.toBe('activating');
  }, 60_000);
});
