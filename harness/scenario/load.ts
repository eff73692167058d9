import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { badInput } from '../errors/harness-error.ts';
import { describeIssues, expectationMessage } from './describe-issues.ts';
import {
  importScenarioExport,
  missingScenarioFile,
  pathKind,
  shownPath,
} from './import-scenario.ts';
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
  const exported = await importScenarioExport(file);
  if (!exported.ok) return exported;
  const checked = checkScenario(exported.value, shownPath(file));
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

/** Results and repetitions are keyed by id: two files with one id would mix their runs. */
function assertUniqueIds(loaded: LoadedScenario[]): void {
  const seen = new Map<string, string>();
  for (const { file, scenario } of loaded) {
    const earlier = seen.get(scenario.id);
    if (earlier) {
      throw badInput(
        `scenario id "${scenario.id}" is used by ${shownPath(earlier)} and ${shownPath(file)}`,
        'give each scenario its own id',
      );
    }
    seen.set(scenario.id, file);
  }
}

/** The first of each file; a file named twice, by path or by its id, runs once. */
function withoutRepeatedFiles(loaded: LoadedScenario[]): LoadedScenario[] {
  const files = new Set<string>();
  return loaded.filter(({ file }) => {
    const resolved = path.resolve(file);
    if (files.has(resolved)) return false;
    files.add(resolved);
    return true;
  });
}

/**
 * Resolves CLI arguments (files or ids) against the scenario folder. Every argument is
 * checked before any error is raised, so one run shows everything there is to fix. A file
 * given twice runs once, in the place it was first given; two different files with one id
 * are refused.
 */
export async function selectScenarios(
  args: string[],
  dir = SCENARIO_DIR,
): Promise<LoadedScenario[]> {
  if (args.length === 0) return (await loadScenarioDir(dir)).filter((s) => s.scenario.default);

  let known: Map<string, LoadedScenario> | undefined;
  const knownIds = async () => {
    known ??= new Map((await loadScenarioDir(dir)).map((s) => [s.scenario.id, s]));
    return known;
  };
  const results: Checked<LoadedScenario>[] = [];
  for (const arg of args) results.push(await selectOne(arg, knownIds));
  const selected = withoutRepeatedFiles(orThrow(allChecked(results)));
  assertUniqueIds(selected);
  return selected;
}

async function selectOne(
  arg: string,
  knownIds: () => Promise<Map<string, LoadedScenario>>,
): Promise<Checked<LoadedScenario>> {
  const kind = await pathKind(arg);
  if (arg.endsWith('.ts')) {
    if (kind !== 'nothing') return checkScenarioFile(arg);
    const hint = `check the path, or give one of the ids ${await idList(knownIds)}`;
    return notFound(missingScenarioFile(shownPath(arg), hint));
  }

  const match = (await knownIds()).get(arg);
  if (match) return { ok: true, value: match };
  if (kind !== 'nothing') {
    return notFound({
      line: `${arg} is a ${kind}, but not a TypeScript scenario (.scenario.ts)`,
      hint: 'a scenario is a TypeScript file made with defineScenario; see scenarios/README.md',
    });
  }
  return notFound({
    line: `scenario "${arg}" not found`,
    hint: `known ids: ${await idList(knownIds)}; or pass a path to a .scenario.ts file`,
  });
}

function notFound(problem: ScenarioProblem): Checked<never> {
  return { ok: false, problems: [problem] };
}

/** The ids of the scenario folder, or where to read about them when it does not load. */
async function idList(knownIds: () => Promise<Map<string, LoadedScenario>>): Promise<string> {
  try {
    return [...(await knownIds()).keys()].join(', ');
  } catch {
    return 'in scenarios/README.md';
  }
}
