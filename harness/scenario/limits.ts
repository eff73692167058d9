/**
 * How short and how long a scenario's windows and budgets may be, and how many runs it may
 * ask for. Plain numbers, no zod: the CLI reads some of them at start-up.
 */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

export interface Range {
  readonly min: number;
  readonly max: number;
}

/**
 * The sampling interval a run may use (--interval). The sampler refuses anything faster
 * (MIN_INTERVAL_MS in harness/measure/sampler.ts); a test keeps the two equal.
 */
export const SAMPLING_INTERVAL_MS: Range = { min: 100, max: MINUTE };

/**
 * Steps of a run that no scenario field budgets: container start, evidence queries, stopping
 * a hung probe and removal. They take seconds; their own budgets (10 to 30 s each) are for a
 * sick container, which is when the safety cap should cut in.
 */
export const UNBUDGETED_STEPS_MS = MINUTE;

// A healthy systemd needs a few seconds to reach "running"; a tighter budget records a
// healthy boot as unfinished, which the verdict reads as evidence of the storm.
const BOOT_BUDGET: Range = { min: 5 * SECOND, max: 10 * MINUTE };

// The default minSamples (5) at the default interval (1 s), plus the interval the window's
// edges can cost: shorter windows leave every verdict inconclusive (run also checks the
// window against the interval it is given). Half an hour already shows any steady state.
const MEASURE: Range = { min: 6 * SECOND, max: 30 * MINUTE };

export const LIMITS_MS = {
  // The host series is read at most once a second: a shorter baseline may hold no host
  // reading at all. Past ten minutes an idle host tells nothing new and only delays the run.
  baseline: { min: SECOND, max: 10 * MINUTE },
  bootBudget: BOOT_BUDGET,
  // Zero is a choice: measuring straight after boot takes in the start-up burst on purpose.
  settle: { min: 0, max: 10 * MINUTE },
  measure: MEASURE,
  // Zero skips watching the target calm down; no verdict depends on that window.
  recovery: { min: 0, max: 10 * MINUTE },
  // The probe returns within about a second on a fixed host; under five seconds a slow but
  // healthy probe would count as hung, the sign of the bug.
  probeBudget: { min: 5 * SECOND, max: 10 * MINUTE },
  // Waiting for a started unit: below a second even a healthy unit has not begun.
  unitBudget: { min: SECOND, max: 10 * MINUTE },
  // The probe as a trigger runs on through settle and measure, so it may be given longer.
  triggerProbeBudget: { min: 5 * SECOND, max: 60 * MINUTE },
  // At least the shortest life a container can need: the shortest boot budget and measure
  // window, no settling, no probe. The longest of everything above, measured twice for a live
  // workaround, still fits under two hours; a container living longer outlives most CI jobs.
  safetyCap: { min: BOOT_BUDGET.min + MEASURE.min + UNBUDGETED_STEPS_MS, max: 2 * 60 * MINUTE },
} as const satisfies Record<string, Range>;

export const LIMITS = {
  // With fewer samples one stray reading decides the busy fraction a storm is judged on. More
  // than the longest measure window holds at the fastest interval (one interval goes to the
  // window's edges, see measureMsNeeded) can never be reached.
  minSamples: { min: 3, max: LIMITS_MS.measure.max / SAMPLING_INTERVAL_MS.min - 1 },
  // Each repetition is a whole container run of a few minutes: 100 per arm already takes
  // hours, so more is taken for a typing error.
  repetitions: { min: 1, max: 100 },
} as const satisfies Record<string, Range>;

/**
 * The shortest measure window that holds `minSamples` intervals at `intervalMs`: its edges
 * rarely fall on the sampling grid, so up to one interval of it goes to partial ones.
 */
export function measureMsNeeded(minSamples: number, intervalMs: number): number {
  return (minSamples + 1) * intervalMs;
}
