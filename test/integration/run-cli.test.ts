import { existsSync } from 'node:fs';
import { readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { jest } from '@jest/globals';
import { EXIT_CODES } from '../../harness/errors/exit-codes.ts';
import type { SeriesSample } from '../../harness/measure/types.ts';
import type { Report } from '../../harness/report/schema.ts';
import { dockerClient } from '../../harness/runtime/docker-client.ts';
import { runArgs, startCli, stopRunningClis } from './fixtures/cli.ts';
import { containersCreated, containersWithLabel } from './fixtures/docker-events.ts';
import { publishedValidator, readValidatedReport } from './fixtures/published-schema.ts';
import {
  makeScenarioDir,
  type ScenarioDir,
  shortControlSource,
  uniqueId,
} from './fixtures/scenario-files.ts';

jest.setTimeout(90_000);

const docker = dockerClient();
const scenarioLabel = (id: string) => `sysbox-repro.scenario=${id}`;
const usedIds: string[] = [];
let scenarios: ScenarioDir;

beforeAll(async () => {
  scenarios = await makeScenarioDir();
});

afterEach(async () => {
  await stopRunningClis();
});

afterAll(async () => {
  await scenarios?.[Symbol.asyncDispose]();
});

/** A scenario file whose id is unique to this test, so its containers can be found. */
async function controlFile(prefix: string, measureMs?: number) {
  const id = uniqueId(prefix);
  usedIds.push(id);
  const windows = measureMs === undefined ? {} : { measureMs };
  return { id, file: await scenarios.writeSource(id, shortControlSource(id, windows)) };
}

describe('sysbox-repro run: bad input stops the run before any container', () => {
  it('names the file and the field of a wrong scenario, exits 2, starts nothing', async () => {
    const good = await controlFile('it-good');
    const badId = uniqueId('it-bad-field');
    usedIds.push(badId);
    const bad = await scenarios.writeSource(
      'bad-field',
      shortControlSource(badId, { measureMs: 'ten seconds' as unknown as number }),
    );
    const reportsDir = path.join(scenarios.dir, 'reports-bad-field');

    const sinceMs = Date.now();
    // The valid scenario comes first: validation of every file must precede any start.
    const result = await startCli(runArgs([good.file, bad], reportsDir)).subprocess;
    const untilMs = Date.now();

    expect(result.exitCode).toBe(EXIT_CODES['bad-input']);
    expect(result.stderr).toContain('bad-field.scenario.ts');
    expect(result.stderr).toContain('field windows.measureMs');
    expect(result.stderr).toContain('"ten seconds"');
    for (const id of [good.id, badId]) {
      expect(await containersCreated(docker, scenarioLabel(id), sinceMs, untilMs)).toEqual([]);
    }
    expect(existsSync(reportsDir)).toBe(false);
  });

  it('names the line of a syntax error in a scenario file', async () => {
    const broken = await scenarios.writeSource(
      'syntax-error',
      "export default {\n  id: 'x'\n  target: 1,\n};\n",
    );
    const result = await startCli(['run', broken]).subprocess;

    expect(result.exitCode).toBe(EXIT_CODES['bad-input']);
    expect(result.stderr).toMatch(/syntax-error\.scenario\.ts:3: cannot be loaded: Expected ','/);
  });

  it('an unknown scenario id exits 2 and lists the known ids', async () => {
    const result = await startCli(['run', 'no-such-scenario']).subprocess;

    expect(result.exitCode).toBe(EXIT_CODES['bad-input']);
    expect(result.stderr).toContain('scenario "no-such-scenario" not found');
    expect(result.stderr).toMatch(/known ids: .*runc-trixie-control/);
  });

  const runWithInterval5 = (reportsDir: string) =>
    startCli(['run', 'runc-trixie-control', '--interval', '5', '--reports-dir', reportsDir])
      .subprocess;

  it('--interval 5 stops the run before anything starts and says the allowed range', async () => {
    const reportsDir = path.join(scenarios.dir, 'reports-interval');
    const result = await runWithInterval5(reportsDir);

    expect(result.exitCode).not.toBe(EXIT_CODES.ok);
    expect(result.stderr).toContain('expected an integer from 100 to 60000 ms, got "5"');
    expect(existsSync(reportsDir)).toBe(false);
  });

  it('--interval 5 exits 2 (bad input)', async () => {
    const result = await runWithInterval5(path.join(scenarios.dir, 'reports-interval-code'));

    expect(result.exitCode).toBe(EXIT_CODES['bad-input']);
  });
});

describe('sysbox-repro run against the Docker Engine', () => {
  it('Ctrl-C in the measure window: exit 130, container removed, report says interrupted', async () => {
    const { id, file } = await controlFile('it-interrupt', 30_000);
    const reportsDir = path.join(scenarios.dir, 'reports-interrupt');
    const sinceMs = Date.now();
    const { subprocess, phases } = startCli(runArgs([file], reportsDir));

    await Promise.race([phases.reached('measure'), subprocess]);
    const signalledAt = Date.now();
    subprocess.kill('SIGINT');
    const result = await subprocess;
    const exitMs = Date.now() - signalledAt;

    expect({ exitCode: result.exitCode, stderr: result.stderr.slice(-2000) }).toMatchObject({
      exitCode: EXIT_CODES.interrupted,
    });
    expect(exitMs).toBeLessThan(15_000);
    expect(await containersCreated(docker, scenarioLabel(id), sinceMs, Date.now())).toHaveLength(1);
    expect(await containersWithLabel(docker, scenarioLabel(id))).toEqual([]);

    const report = await readValidatedReport(path.join(reportsDir, 'latest'));
    expect(report).toMatchObject({ status: 'interrupted', outcome: 'interrupted', exitCode: 130 });
    const [scenario] = report.scenarios;
    expect(scenario?.status).toBe('interrupted');
    expect(scenario?.verdict?.verdict).toBe('inconclusive');
    const phaseNames = scenario?.phases.map((phase) => phase.name);
    expect(phaseNames).toEqual(expect.arrayContaining(['measure', 'removal']));
    expect(phaseNames).not.toContain('evidence');
  });

  it('a completed control run: exit 0, valid report of real samples, summary, latest', async () => {
    const { id, file } = await controlFile('it-control');
    const reportsDir = path.join(scenarios.dir, 'reports-control');
    const sinceMs = Date.now();

    const result = await startCli(runArgs([file], reportsDir)).subprocess;

    expect({ exitCode: result.exitCode, stderr: result.stderr.slice(-2000) }).toMatchObject({
      exitCode: EXIT_CODES.ok,
    });
    const created = await containersCreated(docker, scenarioLabel(id), sinceMs, Date.now());
    expect(created).toHaveLength(1);
    expect(await containersWithLabel(docker, scenarioLabel(id))).toEqual([]);

    const runId = await readlink(path.join(reportsDir, 'latest'));
    const report = await readValidatedReport(path.join(reportsDir, runId));
    const validate = await publishedValidator(path.join(reportsDir, runId));
    expect(() => validate({ ...report, status: 'done' })).toThrow(/status/);
    expect(() => validate({ ...report, finishedAt: 'yesterday' })).toThrow(/date-time/);
    expect(report).toMatchObject({ runId, status: 'completed', outcome: 'ok', exitCode: 0 });
    expect(result.stdout).toContain(path.join(reportsDir, runId, 'report.json'));

    const [scenario] = report.scenarios;
    expect(scenario).toMatchObject({
      scenarioId: id,
      status: 'completed',
      container: { id: created[0], runtime: 'runc' },
      verdict: { verdict: 'clean' },
      expectation: { result: 'pass' },
    });
    expectRealContainerSamples(scenario);

    const markdown = await readFile(path.join(reportsDir, runId, 'report.md'), 'utf8');
    const summaryRow = markdown.split('\n').find((line) => line.startsWith(`| ${id} |`));
    expect(summaryRow).toMatch(/\| runc \| clean \| pass \|/);
    expect(markdown).toContain('verdict: **clean**');
    const nodeThread = process.env.SYSBOX_REPRO_SAMPLER_CORE === 'js';
    expect(markdown).toMatch(
      nodeThread
        ? /Sampler every \d+ ms: the harness's sampling threads, rounds on a Node thread.*; its own CPU \d+\.\d{3} %/
        : /Sampler every \d+ ms: the harness's sampling threads, rounds on the native thread, nice -?\d+[^;]*; its own CPU \d+\.\d{3} %/,
    );
  });
});

/**
 * The target series is the container's own cgroup, sampled from its start to its removal:
 * counters only grow, the container used CPU while booting, and the clock only moves on.
 */
function expectRealContainerSamples(scenario: Report['scenarios'][number] | undefined): void {
  const timeline = scenario?.timeline;
  expect(timeline?.describe.target).toContain(scenario?.container?.id);

  const samples: SeriesSample[] = timeline?.series.target ?? [];
  const times = samples.map((sample) => sample.tMs);
  expect(times.every((tMs, i) => i === 0 || tMs > (times[i - 1] as number))).toBe(true);

  const totals = samples.flatMap((s) => (s.state === 'present' ? [s.reading.totalSeconds] : []));
  expect(totals.length).toBeGreaterThanOrEqual(10);
  expect(totals.every((total, i) => i === 0 || total >= (totals[i - 1] as number))).toBe(true);
  expect(totals.at(-1)).toBeGreaterThan(totals[0] as number);
  expect(totals.at(-1)).toBeGreaterThan(0);

  const boot = scenario?.phases.find((phase) => phase.name === 'boot');
  const atBootEnd = samples.findLast((s) => s.state === 'present' && s.tMs <= (boot?.endMs ?? 0));
  expect(atBootEnd?.state === 'present' && atBootEnd.reading.totalSeconds).toBeGreaterThan(0);

  const measure = scenario?.windows.find((w) => w.phase === 'measure' && w.series === 'target');
  expect(measure?.samples).toBeGreaterThanOrEqual(4);
}

it('leaves no container of these tests behind', async () => {
  for (const id of usedIds) {
    expect(await containersWithLabel(docker, scenarioLabel(id))).toEqual([]);
  }
  expect(usedIds.length).toBeGreaterThan(0);
});
