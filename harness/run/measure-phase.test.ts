import type { SeriesSample } from '../measure/types.ts';
import { decisionSchema, type Scenario } from '../scenario/schema.ts';
import type { RunClock } from './clock.ts';
import { measurePhase } from './measure-phase.ts';
import type { PhaseRecorder } from './phases.ts';
import type { ScenarioRunContext } from './run-scenario.ts';
import type { RunSampler } from './sampling.ts';

/**
 * A run clock whose first look (the window's start) is at 0 and whose later looks start at
 * `laterMs` and run `speed` times real time, so that a test waits only a moment.
 */
function clockJumpingTo(laterMs: number, speed: number): RunClock {
  const origin = performance.now();
  let looks = 0;
  const later = () => laterMs + (performance.now() - origin) * speed;
  return { origin, now: () => (looks++ === 0 ? 0 : later()) };
}

/** One full core, read every second from 0 to `seconds`. */
function busyTarget(seconds: number): SeriesSample[] {
  return Array.from({ length: seconds + 1 }, (_, at) => ({
    tMs: at * 1000,
    state: 'present' as const,
    reading: {
      tMs: at * 1000,
      totalSeconds: at,
      userSeconds: null,
      systemSeconds: null,
      source: 'proc' as const,
      identity: 'pid 7 started at tick 1',
    },
  }));
}

/** Runs a measure window of `measureMs` over a target busy for 15 s; the notes it left. */
async function notesOfWindow(clock: RunClock, measureMs: number): Promise<string[]> {
  const notes: string[] = [];
  const ctx = {
    clock,
    intervalMs: 1000,
    signal: new AbortController().signal,
    logger: { info: () => {} },
  } as unknown as ScenarioRunContext;
  const scenario = {
    id: 'busy',
    windows: { measureMs },
    decision: decisionSchema.parse({}),
  } as unknown as Scenario;
  const sampler = {
    samples: () => busyTarget(15),
    targetIsContainer: false,
    targetName: 'pid 7',
  } as unknown as RunSampler;
  const phases = {
    find: () => undefined,
    note: (_: string, note: string) => notes.push(note),
  } as unknown as PhaseRecorder;

  await measurePhase(ctx, scenario, sampler, phases, 'measure');
  return notes;
}

describe('measurePhase', () => {
  it('ends a window early once 15 s of a busy core make the storm unmistakable', async () => {
    // The one wait is 100 ms, and the window still has 90 ms to go after it.
    const notes = await notesOfWindow(clockJumpingTo(59_900, 0.1), 60_000);

    expect(notes).toEqual([expect.stringMatching(/^ended early: storm unmistakable: pid 7/)]);
  });

  it('does not call a window that ran its full length "ended early"', async () => {
    // The one wait (1 s real) carries the clock past the window's end, where the same busy
    // core would pass the early-stop check had the window still been open.
    const notes = await notesOfWindow(clockJumpingTo(14_000, 10), 15_000);

    expect(notes).toEqual([]);
  });
});
