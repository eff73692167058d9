import { setTimeout as sleep } from 'node:timers/promises';
import { HarnessError } from '../errors/harness-error.ts';

/** Monotonic milliseconds since the run began; samples and phases share this clock. */
export interface RunClock {
  origin: number;
  now(): number;
}

export function startClock(): RunClock {
  const origin = performance.now();
  return { origin, now: () => performance.now() - origin };
}

/** Waits, unless the run is interrupted first. */
export async function waitFor(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throw new HarnessError('interrupted', 'interrupted by signal');
  }
}
