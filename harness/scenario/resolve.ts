import { badInput } from '../errors/harness-error.ts';
import { type Scenario, type Target, targetSchema } from './schema.ts';

/** Image references to substitute, e.g. a Noble image by the local trixie image. */
export type ImageMap = Readonly<Record<string, string>>;

/** Parses "from=to" pairs given as repeated flags or a comma-separated environment value. */
export function parseImageMap(pairs: readonly string[]): ImageMap {
  const map: Record<string, string> = {};
  for (const pair of pairs.flatMap((value) => value.split(','))) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    const from = pair.slice(0, eq).trim();
    const to = pair.slice(eq + 1).trim();
    if (eq <= 0 || to === '') {
      throw badInput(`image map entry "${pair}" is not of the form from=to`);
    }
    map[from] = to;
  }
  return map;
}

/** What the user changed from the command line for every scenario of a run. */
export interface Overrides {
  imageMap: ImageMap;
  target?: Target;
}

/** The scenario as it will run: image substituted where the map says so, target replaced. */
export function resolveScenario(scenario: Scenario, overrides: Overrides): Scenario {
  const mapped = overrides.imageMap[scenario.container.image];
  const container =
    mapped === undefined ? scenario.container : { ...scenario.container, image: mapped };
  return { ...scenario, container, target: overrides.target ?? scenario.target };
}

/**
 * Parses a --target value: `process:<name>`, `pid:<n>`, `cgroup:</path>` or `container`,
 * validated by the same schema as a scenario's `target`. A pid is decimal digits only:
 * Number() would also read "1e3", "0x10" or " 12" as some other process's pid.
 */
export function parseTarget(value: string): Target {
  const colon = value.indexOf(':');
  const kind = colon < 0 ? value : value.slice(0, colon);
  const rest = colon < 0 ? '' : value.slice(colon + 1);
  const candidate =
    kind === 'process'
      ? { kind, name: rest }
      : kind === 'pid'
        ? { kind, pid: /^[1-9][0-9]*$/.test(rest) ? Number(rest) : Number.NaN }
        : kind === 'cgroup'
          ? { kind, path: rest }
          : colon < 0
            ? { kind }
            : { kind, value: rest }; // "container:<id>" names no particular container: refused
  const parsed = targetSchema.safeParse(candidate);
  if (!parsed.success) {
    throw badInput(
      `target "${value}" is not one of process:<name>, pid:<n>, cgroup:</path>, container`,
    );
  }
  return parsed.data;
}

/** The target as reasons and errors name it. */
export function targetLabel(target: Target): string {
  switch (target.kind) {
    case 'process':
      return target.name;
    case 'pid':
      return `pid ${target.pid}`;
    case 'cgroup':
      return `cgroup ${target.path}`;
    case 'container':
      return 'container';
  }
}
