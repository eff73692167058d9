import { jest } from '@jest/globals';
import { EXIT_CODES } from '../../harness/errors/exit-codes.ts';
import { silentLogger } from '../../harness/log/logger.ts';
import { runScenarios } from '../../harness/run/run.ts';
import { dockerClient } from '../../harness/runtime/docker-client.ts';
import {
  makeScenarioDir,
  SAMPLE_INTERVAL_MS,
  SHORT_DECISION,
  SHORT_WINDOWS,
  TRIXIE_IMAGE,
  uniqueId,
} from './fixtures/scenario-files.ts';

jest.setTimeout(90_000);

describe('a start-unit trigger', () => {
  it('that systemd refuses fails the scenario as bad input, naming the unit', async () => {
    await using scenarios = await makeScenarioDir();
    const id = uniqueId('it-trigger');
    const unit = `no-such-unit-${process.pid}.service`;
    const file = await scenarios.write(id, {
      id,
      title: 'a trigger unit the image does not have',
      container: { image: TRIXIE_IMAGE, runtime: 'runc', devices: [] },
      target: { kind: 'container' },
      windows: SHORT_WINDOWS,
      decision: SHORT_DECISION,
      trigger: { kind: 'start-unit', unit },
      probe: { enabled: false },
      expect: [{ sysbox: '*', verdict: 'clean' }],
    });

    const { report, exitCode } = await runScenarios({
      scenarios: [file],
      imageMap: {},
      intervalMs: SAMPLE_INTERVAL_MS,
      allowOtherSysboxContainers: false,
      reportsDir: scenarios.reportsDir,
      logger: silentLogger,
    });

    const result = report.scenarios[0];
    expect(result?.status).toBe('error');
    expect(result?.error?.kind).toBe('bad-input');
    expect(result?.error?.message).toContain(`systemctl start --no-block ${unit}`);
    expect(result?.error?.message).toMatch(/not found/i);
    expect(exitCode).toBe(EXIT_CODES['bad-input']);
    const left = await dockerClient().listContainers({
      all: true,
      filters: { label: [`sysbox-repro.scenario=${id}`] },
    });
    expect(left).toEqual([]);
  });
});
