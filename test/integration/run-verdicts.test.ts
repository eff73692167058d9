import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { jest } from '@jest/globals';
import { EXIT_CODES } from '../../harness/errors/exit-codes.ts';
import type { Report } from '../../harness/report/schema.ts';
import { runScenarios } from '../../harness/run/run.ts';
import { dockerClient } from '../../harness/runtime/docker-client.ts';
import type { ScenarioInput } from '../../harness/scenario/schema.ts';
import { runArgs, startCli, stopRunningClis } from './fixtures/cli.ts';
import { containersWithLabel } from './fixtures/docker-events.ts';
import { BURN_AFTER_TRIGGER, HostProcesses } from './fixtures/host-processes.ts';
import { PhaseWatch } from './fixtures/phase-watch.ts';
import { readValidatedReport } from './fixtures/published-schema.ts';
import {
  makeScenarioDir,
  SAMPLE_INTERVAL_MS,
  type ScenarioDir,
  SHORT_DECISION,
  SHORT_WINDOWS,
  TRIXIE_IMAGE,
  uniqueId,
} from './fixtures/scenario-files.ts';

jest.setTimeout(90_000);

const docker = dockerClient();
const usedIds: string[] = [];
let scenarios: ScenarioDir;
let processes: HostProcesses;

beforeAll(async () => {
  scenarios = await makeScenarioDir();
  processes = new HostProcesses(scenarios.dir);
});

afterEach(async () => {
  await stopRunningClis();
  await processes.stopAll();
});

afterAll(async () => {
  await processes?.stopAll();
  await scenarios?.[Symbol.asyncDispose]();
});

type Target = ScenarioInput['target'];

const shortName = (prefix: string) => `${prefix}-${Math.random().toString(16).slice(2, 6)}`;
type ScenarioResult = Report['scenarios'][number];

/**
 * A runc scenario on the trixie image whose verdict is about a host process. `quiet`
 * evidence leaves out what the container says about itself (boot, units, probe): under runc
 * it is always clean, and the harness rightly refuses a CPU storm that other evidence
 * contradicts, so a storm of an unrelated host process needs the container to stay silent.
 */
async function hostTargetScenario(
  prefix: string,
  target: Target,
  verdict: 'storm' | 'clean',
  evidence: 'quiet' | 'container',
) {
  const id = uniqueId(prefix);
  usedIds.push(id);
  const scenario: ScenarioInput = {
    id,
    title: `${verdict} expected of ${JSON.stringify(target)}`,
    container: { image: TRIXIE_IMAGE, runtime: 'runc', devices: [] },
    target,
    windows: SHORT_WINDOWS,
    decision: SHORT_DECISION,
    expect: [{ sysbox: '*', verdict }],
    ...(evidence === 'quiet'
      ? {
          trigger: { kind: 'start-unit', unit: 'systemd-hostnamed.service' },
          units: [],
          probe: { enabled: false },
        }
      : {}),
  };
  const file = await scenarios.write(id, scenario);
  return { id, file, reportsDir: path.join(scenarios.dir, `reports-${id}`) };
}

/** A copy of perl that idles until its own trigger file exists, then burns one core. */
async function startBurner(name: string) {
  const trigger = path.join(scenarios.dir, `${shortName(name)}.go`);
  const burner = await processes.start('/usr/bin/perl', name, ['-e', BURN_AFTER_TRIGGER, trigger]);
  const fire = () => writeFile(trigger, '');
  return { ...burner, fire };
}

function runInProcess(file: string, reportsDir: string, phases: PhaseWatch) {
  return runScenarios({
    scenarios: [file],
    imageMap: {},
    intervalMs: SAMPLE_INTERVAL_MS,
    allowOtherSysboxContainers: false,
    reportsDir,
    logger: phases.logger(),
  });
}

/** The verdict with its reasons, so a failed expectation shows why the harness decided. */
function verdictOf(scenario: ScenarioResult | undefined): string {
  return `${scenario?.verdict?.verdict}: ${scenario?.verdict?.reasons.join('; ')}`;
}

function targetWindow(scenario: ScenarioResult | undefined, phase: 'baseline' | 'measure') {
  return scenario?.windows.find((w) => w.phase === phase && w.series === 'target');
}

describe('verdicts about real host processes', () => {
  it('a process that burns a core from the container start on is a storm: exit 0', async () => {
    const burner = await startBurner('sbx-burner');
    const { file, reportsDir } = await hostTargetScenario(
      'it-storm',
      { kind: 'pid', pid: burner.pid },
      'storm',
      'quiet',
    );

    const { subprocess, phases } = startCli(runArgs([file], reportsDir));
    void phases.reached('start').then(burner.fire);
    const result = await subprocess;

    const report = await readValidatedReport(path.join(reportsDir, 'latest'));
    const [scenario] = report.scenarios;
    expect(verdictOf(scenario)).toMatch(/^storm:/);
    expect(result.exitCode).toBe(EXIT_CODES.ok);
    expect(scenario?.expectation.result).toBe('pass');
    expect(targetWindow(scenario, 'baseline')?.medianPercent).toBeLessThan(10);
    expect(targetWindow(scenario, 'measure')?.medianPercent).toBeGreaterThan(40);
  });

  it('the same storm where clean is expected is a regression: exit code 1', async () => {
    const burner = await startBurner('sbx-burner');
    const { file, reportsDir } = await hostTargetScenario(
      'it-storm-unexpected',
      { kind: 'pid', pid: burner.pid },
      'clean',
      'quiet',
    );
    const phases = new PhaseWatch();
    void phases.reached('start').then(burner.fire);

    const result = await runInProcess(file, reportsDir, phases);

    const [scenario] = result.report.scenarios;
    expect(verdictOf(scenario)).toMatch(/^storm:/);
    expect(result.exitCode).toBe(EXIT_CODES.regression);
    expect(result.report.outcome).toBe('regression');
    expect(scenario?.expectation).toMatchObject({ result: 'fail', expected: 'verdict clean' });
    await readValidatedReport(result.written.dir);
  });

  it('an idle process, found by name, is clean: exit 0', async () => {
    const idle = await processes.start('/bin/sleep', shortName('sbx-idle'), ['600']);
    const { file, reportsDir } = await hostTargetScenario(
      'it-idle',
      { kind: 'process', name: idle.name },
      'clean',
      'container',
    );

    const result = await runInProcess(file, reportsDir, new PhaseWatch());

    const [scenario] = result.report.scenarios;
    expect(verdictOf(scenario)).toMatch(/^clean:/);
    expect(result.exitCode).toBe(EXIT_CODES.ok);
    expect(scenario?.timeline?.describe.target).toContain(idle.name);
    expect(targetWindow(scenario, 'measure')?.samples).toBeGreaterThanOrEqual(
      SHORT_DECISION.minSamples,
    );
  });

  it('a CPU hog elsewhere on the host from the container start on leaves it clean', async () => {
    const idle = await processes.start('/bin/sleep', shortName('sbx-idle'), ['600']);
    const hog = await startBurner(shortName('sbx-hog'));
    const { file, reportsDir } = await hostTargetScenario(
      'it-idle-beside-hog',
      { kind: 'process', name: idle.name },
      'clean',
      'container',
    );
    const phases = new PhaseWatch();
    void phases.reached('start').then(hog.fire);

    const result = await runInProcess(file, reportsDir, phases);
    const hogSeconds = await processes.cpuSeconds(hog.pid);

    const [scenario] = result.report.scenarios;
    expect(verdictOf(scenario)).toMatch(/^clean:/);
    expect(result.exitCode).toBe(EXIT_CODES.ok);
    // The hog really ran through the windows the verdict stands on.
    expect(hogSeconds).toBeGreaterThanOrEqual(5);
  });

  it('an absent target is inconclusive: exit 125', async () => {
    const { file, reportsDir } = await hostTargetScenario(
      'it-absent',
      { kind: 'process', name: shortName('sbx-none') },
      'clean',
      'container',
    );

    const result = await startCli(runArgs([file], reportsDir)).subprocess;

    const report = await readValidatedReport(path.join(reportsDir, 'latest'));
    const [scenario] = report.scenarios;
    expect(verdictOf(scenario)).toMatch(/^inconclusive:/);
    expect(result.exitCode).toBe(EXIT_CODES.inconclusive);
    expect(report.outcome).toBe('inconclusive');
    expect(scenario?.verdict?.reasons.join('\n')).toMatch(/absent in \d+ samples/);
  });
});

it('leaves no container of these tests behind', async () => {
  for (const id of usedIds) {
    expect(await containersWithLabel(docker, `sysbox-repro.scenario=${id}`)).toEqual([]);
  }
  expect(usedIds.length).toBeGreaterThan(0);
});
