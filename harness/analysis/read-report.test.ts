import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isHarnessError } from '../errors/harness-error.ts';
import { cleanEvidence, loadProfile, recorded } from './fixtures/recorded-runs.ts';
import { report, scenarioResult } from './fixtures/reports.ts';
import { readReportFile } from './read-report.ts';

const saved = () =>
  report('20261204T101500Z-ab12', [
    scenarioResult(
      recorded({ load: loadProfile({}), evidence: cleanEvidence(), sysboxVersion: '0.6.5' }),
    ),
  ]);

describe('readReportFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'read-report-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = async (content: unknown) => {
    const file = path.join(dir, 'report.json');
    await writeFile(file, JSON.stringify(content));
    return file;
  };

  const failure = async (file: string) => {
    try {
      await readReportFile(file);
    } catch (error) {
      return error;
    }
    throw new Error(`${file} was read without error`);
  };

  it('reads a report of this version and of version 1', async () => {
    const current = await readReportFile(await write(saved()));
    const older = await readReportFile(await write({ ...saved(), schemaVersion: 1 }));

    expect(current.runId).toBe('20261204T101500Z-ab12');
    expect(older.schemaVersion).toBe(1);
  });

  it('refuses a report from a newer schema and says which tool wrote it', async () => {
    const error = await failure(await write({ ...saved(), schemaVersion: 99 }));

    expect(isHarnessError(error, 'bad-input')).toBe(true);
    expect((error as Error).message).toMatch(/schema version 99 is newer than .* reads \(1, 2\)/);
  });

  it('refuses a fractional schema version as invalid, not as newer', async () => {
    const error = await failure(await write({ ...saved(), schemaVersion: 2.5 }));

    expect(isHarnessError(error, 'bad-input')).toBe(true);
    expect((error as Error).message).toContain('schema version 2.5 is not a valid schema version');
    expect((error as Error).message).not.toContain('newer');
  });

  it('accepts a running report only without an outcome', async () => {
    const running = { ...saved(), status: 'running', finishedAt: null };

    const withOutcome = await failure(await write(running));
    const read = await readReportFile(await write({ ...running, outcome: null, exitCode: null }));

    expect((withOutcome as Error).message).toContain('field outcome: expected null while status');
    expect(read.outcome).toBeNull();
  });

  it('reads a version-1 report of a killed run as having no outcome', async () => {
    // What version 1 wrote while a run was going, before it could know how the run would end.
    const killed = { ...saved(), schemaVersion: 1, status: 'running', finishedAt: null };

    const read = await readReportFile(await write({ ...killed, outcome: 'ok', exitCode: 0 }));

    expect(read.status).toBe('running');
    expect(read.outcome).toBeNull();
    expect(read.exitCode).toBeNull();
  });

  it('keeps the outcome rule for finished version-1 reports', async () => {
    const finished = { ...saved(), schemaVersion: 1, outcome: null, exitCode: null };

    const error = await failure(await write(finished));

    expect((error as Error).message).toContain('field outcome: expected set once status is');
  });

  it('refuses a finished report without an outcome', async () => {
    const error = await failure(await write({ ...saved(), outcome: null, exitCode: null }));

    expect((error as Error).message).toContain('field outcome: expected set once status is');
  });
});
