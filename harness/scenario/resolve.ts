import { badInput } from '../errors/harness-error.ts';
import type { Scenario } from './schema.ts';

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

/** The scenario as it will run: image substituted where the map says so. */
export function resolveScenario(scenario: Scenario, imageMap: ImageMap): Scenario {
  const mapped = imageMap[scenario.container.image];
  if (mapped === undefined) return scenario;
  return { ...scenario, container: { ...scenario.container, image: mapped } };
}
