import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXIT_CODES } from '../errors/exit-codes.ts';

const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'sysbox-repro-cli-'));
writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// Every `run` below fails before any container: on a flag, or on a scenario that cannot load.
const MISSING = path.join(dir, 'missing.scenario.ts');

function cli(...args: string[]) {
  const result = spawnSync(
    path.join(root, 'node_modules/.bin/node'),
    [path.join(root, 'bin/sysbox-repro.js'), ...args],
    { encoding: 'utf8', cwd: dir },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function scenarioFile(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('bad flags', () => {
  it.each([
    [['run', '--interval', '1e3', MISSING], "'1e3' is invalid: expected an integer from 100"],
    [['run', '--interval', ' 100', MISSING], 'in decimal digits only, got " 100"'],
    [['run', '--repetitions', '0x10', MISSING], 'from 1 to 100 in decimal digits only'],
    [['run', '--bogus', MISSING], "unknown option '--bogus'"],
  ])('%j: one line naming the problem and run --help, exit 2', (args, problem) => {
    const { code, stderr } = cli(...args);

    expect(code).toBe(EXIT_CODES['bad-input']);
    expect(stderr.startsWith('sysbox-repro: ')).toBe(true);
    expect(stderr).toContain(problem);
    expect(stderr.trimEnd().endsWith('(see sysbox-repro run --help)')).toBe(true);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('puts a suggestion for an unknown command on the same line', () => {
    const { code, stderr } = cli('rn');

    expect(code).toBe(EXIT_CODES['bad-input']);
    expect(stderr).toBe(
      "sysbox-repro: unknown command 'rn' (Did you mean run?) (see sysbox-repro --help)\n",
    );
  });

  it('still prints the usage when asked for it', () => {
    const { code, stdout } = cli('run', '--help');

    expect(code).toBe(0);
    expect(stdout).toContain('Usage: sysbox-repro run');
  });
});

describe('scenario files that cannot be loaded', () => {
  it('names a path that does not exist', () => {
    const { code, stderr } = cli('run', './nope.scenario.ts');

    expect(code).toBe(EXIT_CODES['bad-input']);
    expect(stderr).toMatch(/^sysbox-repro: scenario file nope\.scenario\.ts does not exist /);
    expect(stderr).toMatch(/\(check the path, or give one of the ids .*noble-render-storm.*\)\n$/);
    expect(stderr.split('\n')).toHaveLength(2);
  });

  it('names the line of a syntax error', () => {
    const file = scenarioFile('syntax.scenario.ts', 'export default {\n  id: "x",, \n};\n');

    const { code, stderr } = cli('run', file);

    expect(code).toBe(EXIT_CODES['bad-input']);
    expect(stderr).toMatch(/^sysbox-repro: scenario syntax\.scenario\.ts:2: cannot be loaded: /);
    expect(stderr).toMatch(/ \(fix the file at that line\)\n$/);
    expect(stderr.split('\n')).toHaveLength(2);
  });

  it('names the line a file threw from, and what it threw', () => {
    const file = scenarioFile('throws.scenario.ts', 'const a = 1;\nthrow new Error("boom");\n');

    const { code, stderr } = cli('run', file);

    expect(code).toBe(EXIT_CODES['bad-input']);
    expect(stderr).toBe(
      'sysbox-repro: scenario throws.scenario.ts:2: threw while being loaded: Error: boom ' +
        '(fix the file: loading a scenario runs its code)\n',
    );
  });

  it('says a file exports nothing, or the wrong thing', () => {
    const nothing = scenarioFile('nothing.scenario.ts', 'const a = 1;\n');
    const wrong = scenarioFile('wrong.scenario.ts', 'export default "noble";\n');

    expect(cli('run', nothing).stderr).toBe(
      'sysbox-repro: scenario nothing.scenario.ts: has no default export ' +
        '(export default defineScenario({...}))\n',
    );
    expect(cli('run', wrong).stderr).toBe(
      'sysbox-repro: scenario wrong.scenario.ts: its default export is a string ("noble"), ' +
        'not a scenario object (export default defineScenario({...}))\n',
    );
  });

  it('lists every wrong field under one error, exit 2', () => {
    const file = scenarioFile(
      'fields.scenario.ts',
      'export default { id: "Fields", title: "", container: {}, expect: [] };\n',
    );

    const { code, stderr } = cli('run', file);

    expect(code).toBe(EXIT_CODES['bad-input']);
    expect(stderr.split('\n')).toEqual([
      'sysbox-repro: 4 problems with scenarios:',
      '  scenario fields.scenario.ts: field id: expected lower-case letters, digits and dashes; ' +
        'found "Fields"',
      '  scenario fields.scenario.ts: field title: expected a non-empty string; found ""',
      '  scenario fields.scenario.ts: field container.image: expected a string; found nothing',
      '  scenario fields.scenario.ts: field expect: expected at least 1 entry; found []',
      '',
    ]);
  });
});
