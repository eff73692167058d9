import type { ScenarioInput } from './schema.ts';

/**
 * Marks a scenario file's default export. Validation happens when the file is loaded,
 * so an error can name the file as well as the field.
 */
export function defineScenario(scenario: ScenarioInput): ScenarioInput {
  return scenario;
}
