import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HarnessError } from '../errors/harness-error.ts';
import { loadScenarioDir, loadScenarioFile, parseScenario, selectScenarios } from './load.ts';

const minimal = {
  id: 'minimal',
  title: 'minimal',
  container: { image: 'example/image:1' },
  expect: [{ sysbox: '<0.6.5', verdict: 'storm' }],
};

describe('scenario loading', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scenarios-'));
    // Scenario files are ES modules, as in the project itself.
    await writeFile(path.join(dir, 'package.json'), '{"type":"module"}\n');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = async (name: string, body: unknown) => {
    const file = path.join(dir, name);
    await writeFile(file, `export default ${JSON.stringify(body)};\n`);
    return file;
  };

  it('fills in the defaults a scenario leaves out', () => {
    const scenario = parseScenario(minimal, 'minimal.scenario.ts');

    expect(scenario.container.runtime).toBe('sysbox-runc');
    expect(scenario.container.devices).toEqual(['/dev/dri/renderD128']);
    expect(scenario.container.network).toBe('none');
    expect(scenario.target).toEqual({ kind: 'process', name: 'sysbox-fs' });
    expect(scenario.windows.measureMs).toBe(30_000);
    expect(scenario.decision.marginPoints).toBe(20);
  });

  it('names the file, the field, what was expected and what was found', async () => {
    const bad = { ...minimal, container: { image: 'x', runtime: 'crun' } };
    const file = await write('bad.scenario.ts', bad);

    const error = await loadScenarioFile(file).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).kind).toBe('bad-input');
    expect((error as HarnessError).message).toMatch(/bad\.scenario\.ts/);
    expect((error as HarnessError).message).toMatch(/field container\.runtime/);
    expect((error as HarnessError).message).toMatch(/sysbox-runc/);
    expect((error as HarnessError).message).toMatch(/found "crun"/);
  });

  it('rejects a misspelt field instead of quietly using its default', () => {
    const typo = { ...minimal, windows: { measureMS: 15_000 } };

    expect(() => parseScenario(typo, 'typo.scenario.ts')).toThrow(
      'scenario typo.scenario.ts: unknown field windows.measureMS; check its spelling',
    );
    expect(() =>
      parseScenario({ ...minimal, container: { image: 'x', runtme: 'runc' } }, 'x'),
    ).toThrow(/unknown field container\.runtme/);
  });

  it('says a window computed as NaN was not a number, not that it was null', () => {
    const computed = { ...minimal, windows: { measureMs: Number('30s') } };

    expect(() => parseScenario(computed, 'x.ts')).toThrow(
      'field windows.measureMs: expected a whole number of milliseconds; found NaN (not a number)',
    );
  });

  it('rejects a version range that is not semver', () => {
    const bad = { ...minimal, expect: [{ sysbox: 'before 0.6.5', verdict: 'storm' }] };

    expect(() => parseScenario(bad, 'x.ts')).toThrow(/field expect\.0\.sysbox: .*found "before/);
  });

  it('cannot put a container on any network but none', () => {
    for (const network of ['host', 'bridge']) {
      const bad = { ...minimal, container: { image: 'x', network } };
      expect(() => parseScenario(bad, 'x.ts')).toThrow(/field container\.network/);
    }
  });

  it('refuses two scenarios with one id', async () => {
    await write('a.scenario.ts', minimal);
    await write('b.scenario.ts', minimal);

    await expect(loadScenarioDir(dir)).rejects.toThrow(/id "minimal" is used by/);
  });

  it('refuses a file whose id is also the id of another selected file, naming both', async () => {
    await write('a.scenario.ts', minimal);
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'scenarios-elsewhere-'));
    try {
      await writeFile(path.join(elsewhere, 'package.json'), '{"type":"module"}\n');
      const copy = path.join(elsewhere, 'copy.scenario.ts');
      await writeFile(copy, `export default ${JSON.stringify(minimal)};\n`);

      const error = await selectScenarios([copy, 'minimal'], dir).catch((e: unknown) => e);

      expect((error as HarnessError).kind).toBe('bad-input');
      expect((error as HarnessError).message).toBe(
        `scenario id "minimal" is used by ${copy} and ${path.join(dir, 'a.scenario.ts')}`,
      );
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('runs a file given twice, by path or by id, once', async () => {
    const file = await write('a.scenario.ts', minimal);
    await write('b.scenario.ts', { ...minimal, id: 'other' });

    const selected = await selectScenarios(['minimal', 'other', file, 'minimal'], dir);

    expect(selected.map((loaded) => loaded.scenario.id)).toEqual(['minimal', 'other']);
  });

  it('selects by id and says which ids exist when one is unknown', async () => {
    await write('a.scenario.ts', minimal);

    await expect(selectScenarios(['minimal'], dir)).resolves.toHaveLength(1);
    await expect(selectScenarios(['nope'], dir)).rejects.toThrow(/"nope" not found/);
  });

  it('says an existing file that is not a scenario is not one, rather than not found', async () => {
    await write('a.scenario.ts', minimal);
    await write('notes.txt', 'not a scenario');

    await expect(selectScenarios([path.join(dir, 'notes.txt')], dir)).rejects.toThrow(
      /notes\.txt is a file, but not a TypeScript scenario/,
    );
  });
});

describe('shipped scenarios', () => {
  it('all load, with unique ids, and cover the reported case and its controls', async () => {
    const ids = (await loadScenarioDir()).map((loaded) => loaded.scenario.id);

    expect(ids).toEqual(
      expect.arrayContaining([
        'noble-render-storm',
        'noble-masked-image',
        'noble-live-workaround',
        'noble-no-device',
        'noble-probe',
        'jammy-control',
        'runc-trixie-control',
      ]),
    );
  });
});
