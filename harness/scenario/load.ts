import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { badInput } from '../errors/harness-error.ts';
import { describeIssues, expectationMessage } from './describe-issues.ts';
import { allChecked, type Checked, invalidScenarios, type ScenarioProblem } from './problems.ts';
import { type Scenario, scenarioSchema } from './schema.ts';

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
}

export const SCENARIO_DIR = path.resolve(import.meta.dirname, '../../scenarios');

/** Every scenario file in a folder, validated, sorted by file name. */
export async function loadScenarioDir(dir = SCENARIO_DIR): Promise<LoadedScenario[]> {
  const loaded = orThrow(await checkScenarioDir(dir));
  assertUniqueIds(loaded);
  return loaded;
}

export async function loadScenarioFile(file: string): Promise<LoadedScenario> {
  return orThrow(await checkScenarioFile(file));
}

/** Validates one scenario object; each problem names the file, the field, expected and found. */
export function parseScenario(input: unknown, shownAs: string): Scenario {
  return orThrow(checkScenario(input, shownAs));
}

function checkScenario(input: unknown, shownAs: string): Checked<Scenario> {
  const result = scenarioSchema.safeParse(input, {
    reportInput: true,
    error: expectationMessage,
  });
  if (result.success) return { ok: true, value: result.data };
  const lines = describeIssues(result.error.issues);
  return { ok: false, problems: lines.map((line) => ({ line: `scenario ${shownAs}: ${line}` })) };
}

async function checkScenarioFile(file: string): Promise<Checked<LoadedScenario>> {
  const shown = path.relative(process.cwd(), file) || file;
  let exported: unknown;
  try {
    const module = (await import(pathToFileURL(path.resolve(file)).href)) as { default?: unknown };
    exported = module.default;
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return failed({
      line: `scenario ${shown}${syntaxErrorLine(error, file)}: cannot be loaded: ${why}`,
    });
  }
  if (exported === undefined) {
    return failed({
      line: `scenario ${shown}: has no default export`,
      hint: 'export default defineScenario({...})',
    });
  }
  const checked = checkScenario(exported, shown);
  return checked.ok ? { ok: true, value: { file, scenario: checked.value } } : checked;
}

async function checkScenarioDir(dir: string): Promise<Checked<LoadedScenario[]>> {
  const names = (await readdir(dir)).filter((name) => /\.scenario\.ts$/.test(name)).sort();
  return allChecked(
    await Promise.all(names.map((name) => checkScenarioFile(path.join(dir, name)))),
  );
}

function orThrow<T>(checked: Checked<T>): T {
  if (!checked.ok) throw invalidScenarios(checked.problems);
  return checked.value;
}

function failed(problem: ScenarioProblem): Checked<never> {
  return { ok: false, problems: [problem] };
}

function assertUniqueIds(loaded: LoadedScenario[]): void {
  const seen = new Map<string, string>();
  for (const { file, scenario } of loaded) {
    const earlier = seen.get(scenario.id);
    if (earlier) throw badInput(`scenario id "${scenario.id}" is used by ${earlier} and ${file}`);
    seen.set(scenario.id, file);
  }
}

/**
 * ":<line>" of a syntax error in the file itself: Node puts "<file>:<line>" first in the
 * stack, before the offending source line.
 */
function syntaxErrorLine(error: unknown, file: string): string {
  if (!(error instanceof SyntaxError)) return '';
  const first = error.stack?.split('\n')[0] ?? '';
  // A path, or a file URL where a package.json declares "type": "module".
  for (const where of [path.resolve(file), pathToFileURL(path.resolve(file)).href]) {
    if (first.startsWith(`${where}:`)) return `:${first.slice(where.length + 1)}`;
  }
  return '';
}

/**
 * Resolves CLI arguments (files or ids) against the scenario folder. Every argument is
 * checked before any error is raised, so one run shows everything there is to fix.
 */
export async function selectScenarios(
  args: string[],
  dir = SCENARIO_DIR,
): Promise<LoadedScenario[]> {
  if (args.length === 0) return (await loadScenarioDir(dir)).filter((s) => s.scenario.default);

  let known: Map<string, LoadedScenario> | undefined;
  const results: Checked<LoadedScenario>[] = [];
  for (const arg of args) {
    if (arg.endsWith('.ts')) {
      results.push(await checkScenarioFile(arg));
      continue;
    }
    known ??= new Map((await loadScenarioDir(dir)).map((s) => [s.scenario.id, s]));
    results.push(selectById(arg, known));
  }
  return orThrow(allChecked(results));
}

function selectById(arg: string, known: Map<string, LoadedScenario>): Checked<LoadedScenario> {
  const match = known.get(arg);
  if (match) return { ok: true, value: match };
  if (existsSync(arg)) {
    return failed({
      line: `${arg} is a file, but not a TypeScript scenario (.scenario.ts)`,
      hint: 'a scenario is a TypeScript file made with defineScenario; see scenarios/README.md',
    });
  }
  return failed({
    line: `scenario "${arg}" not found`,
    hint: `known ids: ${[...known.keys()].join(', ')}; or pass a path to a .scenario.ts file`,
  });
}
