import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import semver from 'semver';
import { createLogger } from '../../harness/log/logger.ts';
import { runScenarios } from '../../harness/run/run.ts';
import { dockerClient } from '../../harness/runtime/docker-client.ts';
import { loadScenarioDir } from '../../harness/scenario/load.ts';
import { parseImageMap } from '../../harness/scenario/resolve.ts';
import { runDoctor, sysboxVersion } from '../../harness/sysbox/doctor.ts';

/**
 * The shipped scenario files as Jest test cases, one per expectation, so CI on Sysbox
 * runners gets Jest's reporters (e.g. JUnit through jest-junit) from the same files.
 * An expectation the host cannot check is skipped with the reason in its title.
 */
const scenarios = (await loadScenarioDir()).filter((loaded) => loaded.scenario.default);
const doctor = await runDoctor({ docker: dockerClient(), runtime: 'runc' });
const runtimes = doctor.docker?.runtimes ?? [];
const version = sysboxVersion(doctor);
const imageMap = parseImageMap(
  process.env.SYSBOX_REPRO_IMAGE_MAP ? [process.env.SYSBOX_REPRO_IMAGE_MAP] : [],
);
const logger = createLogger({ json: true });
// Reports of these runs go where CI asks (e.g. an artifact folder), never into ./reports,
// whose `latest` belongs to the user's own runs.
const reportsDir =
  process.env.SYSBOX_REPRO_TEST_REPORTS ??
  (await mkdtemp(path.join(tmpdir(), 'sysbox-repro-scenario-tests-')));
afterAll(async () => {
  if (!process.env.SYSBOX_REPRO_TEST_REPORTS)
    await rm(reportsDir, { recursive: true, force: true });
});

describe.each(scenarios)('$scenario.id', ({ file, scenario }) => {
  for (const expectation of scenario.expect) {
    const what =
      `expects ${expectation.verdict}` +
      `${expectation.probe ? `, probe ${expectation.probe}` : ''} on Sysbox ${expectation.sysbox}`;
    const skip = whySkipped(scenario.container.runtime, expectation.sysbox);
    if (skip) {
      it.skip(`${what} (skipped: ${skip})`, () => {});
      continue;
    }
    it(
      what,
      async () => {
        const { report } = await runScenarios({
          scenarios: [file],
          imageMap,
          intervalMs: 1000,
          allowOtherSysboxContainers: false,
          reportsDir,
          logger,
        });
        const [result] = report.scenarios;

        expect({
          result: result?.expectation.result,
          reason: result?.expectation.reason,
          verdict: result?.verdict,
          error: result?.error,
        }).toMatchObject({ result: 'pass' });
      },
      scenario.safetyCapMs,
    );
  }
});

function whySkipped(runtime: string, range: string): string | undefined {
  if (!runtimes.includes(runtime)) return `runtime ${runtime} not registered with Docker`;
  if (version === null) return range === '*' ? undefined : 'no Sysbox version on this host';
  if (!semver.satisfies(version, range)) return `host has Sysbox ${version}`;
  return undefined;
}
