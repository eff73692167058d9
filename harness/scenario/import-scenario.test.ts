import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HarnessError } from '../errors/harness-error.ts';
import { importScenarioExport } from './import-scenario.ts';
import { loadScenarioFile, selectScenarios } from './load.ts';

const minimal = {
  id: 'minimal',
  title: 'minimal',
  container: { image: 'example/image:1' },
  expect: [{ sysbox: '*', verdict: 'clean' }],
};

describe('scenario files that give no scenario', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scenario-import-'));
    await writeFile(path.join(dir, 'package.json'), '{"type":"module"}\n');
    await writeFile(
      path.join(dir, 'minimal.scenario.ts'),
      `export default ${JSON.stringify(minimal)};\n`,
    );
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const source = async (name: string, text: string) => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    return file;
  };
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the scenario to be refused');
      },
      (error: unknown) => {
        if (!(error instanceof HarnessError)) throw error;
        expect(error.kind).toBe('bad-input');
        expect(error.message).not.toContain('\n');
        return error;
      },
    );

  it('names a path that does not exist, with the ids to use instead', async () => {
    const missing = path.join(dir, 'nope.scenario.ts');

    const error = await failure(selectScenarios([missing], dir));

    expect(error.message).toBe(`scenario file ${missing} does not exist`);
    expect(error.hint).toBe('check the path, or give one of the ids minimal');
  });

  it('says what a default export that is no object is', async () => {
    const cases: [string, string][] = [
      ['export default () => ({});', 'a function'],
      ['export default 42;', 'a number (42)'],
      ['export default null;', 'null'],
      ['export default [];', 'a list'],
    ];
    for (const [index, [text, kind]] of cases.entries()) {
      const file = await source(`wrong-${index}.scenario.ts`, `${text}\n`);

      const error = await failure(loadScenarioFile(file));

      expect(error.message).toMatch(`: its default export is ${kind}, not a scenario object`);
      expect(error.hint).toBe('export default defineScenario({...})');
    }
  });

  it('names what a file exports when none of it is the default', async () => {
    const file = await source('named.scenario.ts', 'export const scenario = {};\n');

    const error = await failure(loadScenarioFile(file));

    expect(error.message).toMatch(
      /named\.scenario\.ts: has no default export; it exports scenario$/,
    );
  });

  it('reports a throw while loading with the error it threw', async () => {
    const file = await source('throws.scenario.ts', 'throw new RangeError("boom");\n');

    const error = await failure(loadScenarioFile(file));

    expect(error.message).toMatch(/throws\.scenario\.ts(:1)?: threw while being loaded: /);
    expect(error.message).toMatch(/RangeError: boom$/);
  });

  it('refuses a file that calls process.exit while loading, then puts exit back', async () => {
    const exit = process.exit;
    const file = await source('exits.scenario.ts', 'process.exit(0);\nexport default {};\n');

    const error = await failure(loadScenarioFile(file));

    expect(error.message).toMatch(
      /exits\.scenario\.ts: called process\.exit\(0\) while being loaded$/,
    );
    expect(process.exit).toBe(exit);
  });

  it('refuses a file that calls process.exit even when it catches what that throws', async () => {
    const file = await source(
      'swallows.scenario.ts',
      'try { process.exit(3); } catch {}\nexport default {};\n',
    );

    const error = await failure(loadScenarioFile(file));

    expect(error.message).toMatch(/swallows\.scenario\.ts: called process\.exit\(3\)/);
  });

  it('gives up on a file whose loading does not end within its budget', async () => {
    const exit = process.exit;
    const file = await source('waits.scenario.ts', 'await new Promise(() => {});\n');

    const loaded = await importScenarioExport(file, 200);

    expect(loaded.ok).toBe(false);
    const problems = loaded.ok ? [] : loaded.problems;
    expect(problems[0]?.line).toMatch(/waits\.scenario\.ts: still loading after 200 ms$/);
    expect(process.exit).toBe(exit);
    // The next file still loads: the stuck one does not hold the queue.
    await expect(loadScenarioFile(path.join(dir, 'minimal.scenario.ts'))).resolves.toBeDefined();
  });

  it('tells a folder from a file', async () => {
    const folder = path.join(dir, 'folder.scenario.ts');
    await mkdir(folder);

    const error = await failure(loadScenarioFile(folder));

    expect(error.message).toBe(`scenario file ${folder} is a folder`);
  });
});
