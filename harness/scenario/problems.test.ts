import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HarnessError } from '../errors/harness-error.ts';
import { parseScenario, selectScenarios } from './load.ts';
import { invalidScenarios } from './problems.ts';

const minimal = {
  id: 'minimal',
  title: 'minimal',
  container: { image: 'example/image:1' },
  expect: [{ sysbox: '*', verdict: 'clean' }],
};

function caught(action: () => unknown): HarnessError {
  try {
    action();
  } catch (error) {
    if (error instanceof HarnessError) return error;
    throw error;
  }
  throw new Error('expected a HarnessError, nothing was thrown');
}

describe('scenario problems', () => {
  it('reports every wrong field of a file at once: file, field, expected and found', () => {
    const bad = {
      ...minimal,
      id: 'Bad',
      container: { image: 'x', runtime: 'crun' },
      units: ['e2scrub_reap'],
      expect: [],
    };

    const error = caught(() => parseScenario(bad, 'bad.scenario.ts'));

    expect(error.kind).toBe('bad-input');
    expect(error.message.split('\n')).toEqual([
      '4 problems with scenarios:',
      '  scenario bad.scenario.ts: field id: expected lower-case letters, digits and dashes; ' +
        'found "Bad"',
      '  scenario bad.scenario.ts: field container.runtime: expected one of "sysbox-runc", ' +
        '"runc"; found "crun"',
      '  scenario bad.scenario.ts: field units.0: expected a systemd unit name; ' +
        'found "e2scrub_reap"',
      '  scenario bad.scenario.ts: field expect: expected at least 1 entry; found []',
    ]);
  });

  it('keeps a single problem on one line', () => {
    const error = caught(() => parseScenario({ ...minimal, title: '' }, 'one.scenario.ts'));

    expect(error.message).toBe(
      'scenario one.scenario.ts: field title: expected a non-empty string; found ""',
    );
  });

  it('shows the first ten problems and counts the rest', () => {
    const problems = Array.from({ length: 13 }, (_, index) => ({ line: `problem ${index}` }));

    const lines = invalidScenarios(problems).message.split('\n');

    expect(lines).toHaveLength(12);
    expect(lines[0]).toBe('13 problems with scenarios:');
    expect(lines[10]).toBe('  problem 9');
    expect(lines[11]).toBe('  and 3 more');
  });

  it('keeps each problem with its own hint when there are several', () => {
    const error = invalidScenarios([{ line: 'a', hint: 'do x' }, { line: 'b' }]);

    expect(error.message).toBe('2 problems with scenarios:\n  a (do x)\n  b');
    expect(error.hint).toBeUndefined();
  });

  describe('over several arguments', () => {
    let dir: string;

    beforeEach(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'scenario-problems-'));
      await writeFile(path.join(dir, 'package.json'), '{"type":"module"}\n');
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('checks every file and id before failing, and names each', async () => {
      const write = async (name: string, body: unknown) => {
        const file = path.join(dir, name);
        await writeFile(file, `export default ${JSON.stringify(body)};\n`);
        return file;
      };
      await write('good.scenario.ts', minimal);
      const first = await write('first.bad.ts', { ...minimal, id: 'First' });
      const second = await write('second.bad.ts', { ...minimal, container: { image: '' } });

      const error: unknown = await selectScenarios([first, 'minimal', 'nope', second], dir).then(
        () => undefined,
        (e: unknown) => e,
      );

      if (!(error instanceof HarnessError)) throw new Error(`expected a HarnessError: ${error}`);
      expect(error.kind).toBe('bad-input');
      const lines = error.message.split('\n');
      expect(lines[0]).toBe('3 problems with scenarios:');
      expect(lines[1]).toMatch(/first\.bad\.ts: field id: .*found "First"$/);
      expect(lines[2]).toMatch(/^ {2}scenario "nope" not found \(known ids: minimal;/);
      expect(lines[3]).toMatch(/second\.bad\.ts: field container\.image: .*; found ""$/);
    });
  });
});
