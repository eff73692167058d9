import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeValue } from './describe-issues.ts';
import { type GuardedImport, importGuarded, SCENARIO_LOAD_BUDGET_MS } from './guarded-import.ts';
import type { Checked, ScenarioProblem } from './problems.ts';

const DEFINE_HINT = 'export default defineScenario({...})';

/** A scenario file's path as shown to the user: from the working folder when it lies below. */
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') ? path.resolve(file) : relative;
}

export function missingScenarioFile(shown: string, hint: string): ScenarioProblem {
  return { line: `scenario file ${shown} does not exist`, hint };
}

/** What is at a path; a path that cannot be looked at is left for the import to explain. */
export async function pathKind(file: string): Promise<'file' | 'folder' | 'nothing'> {
  try {
    return (await stat(file)).isDirectory() ? 'folder' : 'file';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'nothing' : 'file';
  }
}

/**
 * The default export of a scenario file, which must be an object, or one problem saying why
 * there is none: no such file, a syntax error, a throw or process.exit at import, loading
 * over its budget, nothing or something else exported.
 */
export async function importScenarioExport(
  file: string,
  budgetMs = SCENARIO_LOAD_BUDGET_MS,
): Promise<Checked<object>> {
  const shown = shownPath(file);
  const kind = await pathKind(file);
  if (kind === 'nothing') return failed(missingScenarioFile(shown, 'check the path'));
  if (kind === 'folder') {
    return failed({
      line: `scenario file ${shown} is a folder`,
      hint: 'give a .scenario.ts file',
    });
  }

  let loaded: GuardedImport;
  try {
    loaded = await importGuarded(file, shown, budgetMs);
  } catch (error) {
    return failed(importFailure(error, file, shown));
  }
  if ('refused' in loaded) return failed(loaded.refused);
  const { module } = loaded;

  if (!('default' in module)) {
    const named = Object.keys(module);
    const exports = named.length > 0 ? `; it exports ${named.join(', ')}` : '';
    return failed({
      line: `scenario ${shown}: has no default export${exports}`,
      hint: DEFINE_HINT,
    });
  }
  const exported = module.default;
  if (typeof exported !== 'object' || exported === null || Array.isArray(exported)) {
    return failed({
      line: `scenario ${shown}: its default export is ${kindOf(exported)}, not a scenario object`,
      hint: DEFINE_HINT,
    });
  }
  return { ok: true, value: exported };
}

function failed(problem: ScenarioProblem): Checked<never> {
  return { ok: false, problems: [problem] };
}

function importFailure(error: unknown, file: string, shown: string): ScenarioProblem {
  const code = (error as { code?: unknown } | null)?.code;
  const why = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);

  const syntaxLine = syntaxErrorLine(error, file);
  if (syntaxLine !== undefined) {
    const hint =
      code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX'
        ? 'Node runs scenario files by stripping types, which cannot turn enums or ' +
          'namespaces into JavaScript'
        : 'fix the file at that line';
    return { line: `scenario ${shown}${syntaxLine}: cannot be loaded: ${why}`, hint };
  }
  if (code === 'ERR_MODULE_NOT_FOUND') {
    return {
      line: `scenario ${shown}: an import cannot be resolved: ${why}`,
      hint: 'check the import paths in the file; defineScenario comes from harness/index.ts',
    };
  }
  const thrown = error instanceof Error ? `${error.name}: ${why}` : describeValue(error);
  return {
    line: `scenario ${shown}${thrownAtLine(error, file)}: threw while being loaded: ${thrown}`,
    hint:
      error instanceof ReferenceError
        ? 'import what the file uses; defineScenario comes from harness/index.ts'
        : 'fix the file: loading a scenario runs its code',
  };
}

/** Both ways the file appears in stacks: a path, or a file URL for an ES module. */
function locations(file: string): string[] {
  return [path.resolve(file), pathToFileURL(path.resolve(file)).href];
}

/**
 * ":<line>" of a syntax error in the file itself, or undefined for an error that is not one:
 * Node puts "<file>:<line>" first in the stack of a module it could not parse.
 */
function syntaxErrorLine(error: unknown, file: string): string | undefined {
  if (!(error instanceof SyntaxError)) return undefined;
  const first = error.stack?.split('\n')[0] ?? '';
  for (const where of locations(file)) {
    if (first.startsWith(`${where}:`)) return `:${first.slice(where.length + 1)}`;
  }
  return undefined;
}

/** ":<line>" of the innermost stack frame in the file, where the throw came from. */
function thrownAtLine(error: unknown, file: string): string {
  const frames = (error instanceof Error && error.stack?.split('\n').slice(1)) || [];
  for (const frame of frames) {
    for (const where of locations(file)) {
      const at = frame.indexOf(`${where}:`);
      if (at < 0) continue;
      const line = /^\d+/.exec(frame.slice(at + where.length + 1))?.[0];
      if (line) return `:${line}`;
    }
  }
  return '';
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'function') return 'a function';
  return `a ${typeof value} (${describeValue(value)})`;
}
