import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { badInput } from '../errors/harness-error.ts';
import { type Scenario, scenarioSchema } from './schema.ts';

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
}

export const SCENARIO_DIR = path.resolve(import.meta.dirname, '../../scenarios');

/** Every scenario file in a folder, validated, sorted by file name. */
export async function loadScenarioDir(dir = SCENARIO_DIR): Promise<LoadedScenario[]> {
  const names = (await readdir(dir)).filter((name) => /\.scenario\.ts$/.test(name)).sort();
  const loaded = await Promise.all(names.map((name) => loadScenarioFile(path.join(dir, name))));
  assertUniqueIds(loaded);
  return loaded;
}

export async function loadScenarioFile(file: string): Promise<LoadedScenario> {
  const shown = path.relative(process.cwd(), file) || file;
  let exported: unknown;
  try {
    const module = (await import(pathToFileURL(path.resolve(file)).href)) as { default?: unknown };
    exported = module.default;
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw badInput(`scenario ${shown}${syntaxErrorLine(error, file)}: cannot be loaded: ${why}`);
  }
  if (exported === undefined) {
    throw badInput(
      `scenario ${shown}: has no default export`,
      'export default defineScenario({...})',
    );
  }
  return { file, scenario: parseScenario(exported, shown) };
}

/** Validates one scenario object; the error names the file, the field, expected and found. */
export function parseScenario(input: unknown, shownAs: string): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  if (issue.code === 'unrecognized_keys') {
    const fields = issue.keys.map((key) => [...issue.path, key].join('.')).join(', ');
    throw badInput(
      `scenario ${shownAs}: unknown field ${fields}; check its spelling against ` +
        'harness/scenario/schema.ts',
    );
  }
  const field = issue.path.join('.') || '(root)';
  const found = describeFound(input, issue.path);
  throw badInput(`scenario ${shownAs}: field ${field}: ${issue.message}; found ${found}`);
}

function describeFound(input: unknown, fieldPath: PropertyKey[]): string {
  let value: unknown = input;
  for (const key of fieldPath) {
    if (value === null || typeof value !== 'object') return 'nothing';
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
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

/** Resolves CLI arguments (files or ids) against the scenario folder. */
export async function selectScenarios(
  args: string[],
  dir = SCENARIO_DIR,
): Promise<LoadedScenario[]> {
  if (args.length === 0) return (await loadScenarioDir(dir)).filter((s) => s.scenario.default);

  const byId = new Map<string, LoadedScenario>();
  const selected: LoadedScenario[] = [];
  for (const arg of args) {
    if (arg.endsWith('.ts')) {
      selected.push(await loadScenarioFile(arg));
      continue;
    }
    if (byId.size === 0) for (const s of await loadScenarioDir(dir)) byId.set(s.scenario.id, s);
    const match = byId.get(arg);
    if (!match && existsSync(arg)) {
      throw badInput(
        `${arg} is a file, but not a TypeScript scenario (.scenario.ts)`,
        'a scenario is a TypeScript file made with defineScenario; see scenarios/README.md',
      );
    }
    if (!match) {
      throw badInput(
        `scenario "${arg}" not found`,
        `known ids: ${[...byId.keys()].join(', ')}; or pass a path to a .scenario.ts file`,
      );
    }
    selected.push(match);
  }
  return selected;
}
