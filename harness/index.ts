export { defineScenario } from './scenario/define.ts';
export type { Scenario, ScenarioInput } from './scenario/schema.ts';
